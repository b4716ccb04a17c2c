"""Editors, end to end: a real python-lsp-server process spoken to over LSP on stdio.

pylsp's flake8 plugin lints the *unsaved buffer* by piping it to
``flake8 --stdin-display-name <path relative to the workspace root> -`` run in the
workspace root; flake8-hotwrap's own pylsp plugin (entry point group ``pylsp``) answers
``textDocument/codeAction`` with the fixer's rewrite.  Nothing here is simulated: the test
starts ``python -m pylsp``, frames JSON-RPC messages with ``Content-Length`` headers and
reads what the server publishes.  Every wait has a deadline, so a misbehaving server fails
the test instead of hanging it.
"""
from __future__ import annotations

import io
import json
import os
import queue
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import IO, Any, Callable, Dict, List, Optional

import pytest

pytest.importorskip("pylsp", reason="python-lsp-server is not installed")

TIMEOUT = 60.0  # seconds for any one answer (flake8 runs as a subprocess per lint)
Json = Dict[str, Any]

# The settings an editor sends (e.g. VS Code / neovim "pylsp" settings): flake8 on,
# the linters it already runs itself off so each problem is reported once.
SETTINGS: Json = {"pylsp": {"plugins": {
    "flake8": {"enabled": True},
    "pycodestyle": {"enabled": False},
    "pyflakes": {"enabled": False},
    "mccabe": {"enabled": False},
}}}

DECO = """\
from functools import wraps


def audited(f):
    @wraps(f)
    def wrapper(*args, **kwargs):
        return f(*args, **kwargs)
    return wrapper


def traced(f):
    g = f

    @wraps(g)
    def inner(*args, **kwargs):
        return g(*args, **kwargs)
    return inner
"""

DECO_WITHOUT_WRAPS = """\
def audited(f):
    def wrapper(*args, **kwargs):
        return f(*args, **kwargs)
    return wrapper


def traced(f):
    return f
"""

VIEWS = """\
from flask import Flask

from app.deco import audited, traced

app = Flask(__name__)


@app.route("/items")
@audited
def items():
    return "ok"


@app.route("/health")
@traced
def health():
    return "ok"
"""

VIEWS_UNDECORATED = """\
from flask import Flask

app = Flask(__name__)


@app.route("/items")
def items():
    return "ok"


@app.route("/health")
def health():
    return "ok"
"""

PROJECT = {
    "pyproject.toml": "[project]\nname = 'svc'\nrequires-python = '>=3.9'\n",
    "app/__init__.py": "",
    "app/deco.py": DECO,
    "app/views.py": VIEWS,
}


class LspClient:
    """A minimal LSP client: Content-Length framing over a subprocess's stdio."""

    def __init__(self, cwd: Path, stderr: IO[bytes]) -> None:
        env = dict(os.environ)
        # pylsp runs "flake8" from PATH: make it this environment's, with the plugin.
        env["PATH"] = os.path.dirname(sys.executable) + os.pathsep + env.get("PATH", "")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "pylsp"], cwd=str(cwd), env=env,
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=stderr)
        self._next_id = 0
        self._inbox: "queue.Queue[Optional[Json]]" = queue.Queue()
        self.received: List[Json] = []  # every notification and request from the server
        self._reader = threading.Thread(target=self._read_loop, daemon=True)
        self._reader.start()

    # -- wire ---------------------------------------------------------------
    def _send(self, message: Json) -> None:
        body = json.dumps({"jsonrpc": "2.0", **message}).encode("utf-8")
        assert self.proc.stdin is not None
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.proc.stdin.flush()

    def _read_loop(self) -> None:
        stream = self.proc.stdout
        assert stream is not None
        try:
            while True:
                length = None
                while True:
                    line = stream.readline()
                    if not line:
                        return
                    line = line.strip()
                    if not line:
                        break
                    name, _, value = line.decode("ascii").partition(":")
                    if name.strip().lower() == "content-length":
                        length = int(value.strip())
                if length is None:
                    continue
                self._inbox.put(json.loads(stream.read(length).decode("utf-8")))
        finally:
            self._inbox.put(None)  # end of stream

    def _pump(self, deadline: float) -> Json:
        """The next message from the server; answers its requests with ``null``."""
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError("no answer from pylsp in time")
        try:
            message = self._inbox.get(timeout=remaining)
        except queue.Empty:
            raise TimeoutError("no answer from pylsp in time") from None
        if message is None:
            raise RuntimeError(f"pylsp exited (status {self.proc.poll()})")
        if "method" in message:
            self.received.append(message)
            if "id" in message:  # a request from the server (progress, configuration...)
                self._send({"id": message["id"], "result": None})
        return message

    # -- API ----------------------------------------------------------------
    def notify(self, method: str, params: Json) -> None:
        self._send({"method": method, "params": params})

    def request(self, method: str, params: Json, timeout: float = TIMEOUT) -> Any:
        self._next_id += 1
        rid = self._next_id
        self._send({"id": rid, "method": method, "params": params})
        deadline = time.monotonic() + timeout
        while True:
            message = self._pump(deadline)
            if message.get("id") == rid and "method" not in message:
                if "error" in message:
                    raise RuntimeError(f"{method} failed: {message['error']}")
                return message.get("result")

    def wait_for(self, predicate: Callable[[Json], bool], since: int = 0,
                 timeout: float = TIMEOUT) -> Json:
        """The first server notification at index >= ``since`` matching ``predicate``."""
        deadline = time.monotonic() + timeout
        seen = since
        while True:
            while seen < len(self.received):
                message = self.received[seen]
                seen += 1
                if predicate(message):
                    return message
            self._pump(deadline)

    def diagnostics(self, uri: str, since: int, version: Optional[int] = None) -> List[Json]:
        """The next publishDiagnostics for ``uri`` (for ``version``, when given)."""
        def match(m: Json) -> bool:
            p = m.get("params", {})
            return (m.get("method") == "textDocument/publishDiagnostics"
                    and p.get("uri") == uri
                    and (version is None or p.get("version") == version))
        return list(self.wait_for(match, since)["params"]["diagnostics"])

    def mark(self) -> int:
        return len(self.received)

    def close(self) -> None:
        try:
            if self.proc.poll() is None:
                self.request("shutdown", {}, timeout=10)
                self.notify("exit", {})
                self.proc.wait(timeout=10)
        except (OSError, TimeoutError, RuntimeError, subprocess.TimeoutExpired):
            pass
        finally:
            if self.proc.poll() is None:
                self.proc.kill()
                self.proc.wait(timeout=10)
            for stream in (self.proc.stdin, self.proc.stdout):
                if stream is not None:
                    stream.close()


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "svc"
    root.mkdir()
    for name, text in PROJECT.items():
        p = root / name
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text, encoding="utf-8")
    return root


@pytest.fixture
def lsp(project: Path, tmp_path: Path) -> Any:
    with open(tmp_path / "pylsp.stderr", "wb") as err:
        client = LspClient(project, err)
        try:
            result = client.request("initialize", {
                "processId": os.getpid(),
                "rootUri": project.as_uri(),
                "capabilities": {"textDocument": {
                    "publishDiagnostics": {"versionSupport": True},
                    "codeAction": {"codeActionLiteralSupport": {
                        "codeActionKind": {"valueSet": ["quickfix"]}}},
                }},
                "initializationOptions": {},
            })
            assert result["capabilities"].get("codeActionProvider"), result
            client.notify("initialized", {})
            client.notify("workspace/didChangeConfiguration", {"settings": SETTINGS})
            yield client
        finally:
            client.close()


def _open(lsp: LspClient, path: Path, text: Optional[str] = None) -> str:
    uri = path.as_uri()
    lsp.notify("textDocument/didOpen", {"textDocument": {
        "uri": uri, "languageId": "python", "version": 1,
        "text": path.read_text(encoding="utf-8") if text is None else text}})
    return uri


def _change(lsp: LspClient, uri: str, version: int, text: str) -> None:
    lsp.notify("textDocument/didChange", {
        "textDocument": {"uri": uri, "version": version},
        "contentChanges": [{"text": text}]})


def _hwr(diagnostics: List[Json]) -> List[Json]:
    return [d for d in diagnostics if str(d.get("code", "")).startswith("HWR")]


def _apply(text: str, edits: List[Json]) -> str:
    """Apply LSP TextEdits (positions in UTF-16 code units) the way a client does."""
    lines = io.StringIO(text, newline="").readlines()
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line))

    def offset(pos: Json) -> int:
        line = pos["line"]
        if line >= len(lines):
            return len(text)
        content = lines[line].rstrip("\r\n")
        units = pos["character"]
        chars = 0
        while chars < len(content) and units > 0:
            units -= 2 if ord(content[chars]) > 0xFFFF else 1
            chars += 1
        return starts[line] + chars

    spans = sorted(((offset(e["range"]["start"]), offset(e["range"]["end"]), e["newText"])
                    for e in edits), reverse=True)
    for start, end, new in spans:
        text = text[:start] + new + text[end:]
    return text


def test_diagnostics_follow_the_buffer_and_the_other_modules_on_disk(
        lsp: LspClient, project: Path) -> None:
    deco = project / "app" / "deco.py"
    mark = lsp.mark()
    uri = _open(lsp, deco)

    # 1. Opened: HWR001 for both decorators, found through app/views.py.
    hwr = _hwr(lsp.diagnostics(uri, mark, version=1))
    assert sorted((d["code"], d["range"]["start"]["line"]) for d in hwr) == [
        ("HWR001", 4), ("HWR001", 13)], hwr
    first = min(hwr, key=lambda d: d["range"]["start"]["line"])
    # The plugin saw the real path (not "stdin"): the message names the handler module.
    assert "app/views.py:10 items" in first["message"], first["message"]
    assert first["source"] == "flake8"

    # 2. The unsaved buffer stops using wraps: the diagnostics go.
    mark = lsp.mark()
    _change(lsp, uri, 2, DECO_WITHOUT_WRAPS)
    assert _hwr(lsp.diagnostics(uri, mark, version=2)) == []
    assert deco.read_text(encoding="utf-8") == DECO  # nothing was saved

    # Back to the saved text: they return.
    mark = lsp.mark()
    _change(lsp, uri, 3, DECO)
    assert len(_hwr(lsp.diagnostics(uri, mark, version=3))) == 2

    # 3. Another module changes on disk (handlers no longer decorated); the next lint of
    #    the decorator module (here on save, buffer == disk) must not serve a stale index.
    (project / "app" / "views.py").write_text(VIEWS_UNDECORATED, encoding="utf-8")
    mark = lsp.mark()
    lsp.notify("textDocument/didSave", {"textDocument": {"uri": uri}})
    assert _hwr(lsp.diagnostics(uri, mark)) == []

    # ... and the handlers come back, through the next buffer edit this time.
    (project / "app" / "views.py").write_text(VIEWS, encoding="utf-8")
    mark = lsp.mark()
    _change(lsp, uri, 4, DECO + "\n")
    assert len(_hwr(lsp.diagnostics(uri, mark, version=4))) == 2


def _fixer(project: Path, tmp_path: Path, rel: str, text: str) -> str:
    """What ``python -m flake8_hotwrap.fix`` writes for ``rel`` holding ``text``."""
    copy = tmp_path / "fixed"
    shutil.copytree(project, copy)
    (copy / rel).write_text(text, encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "flake8_hotwrap.fix", rel], cwd=str(copy),
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 1, result.stdout + result.stderr  # it rewrote the file
    return (copy / rel).read_text(encoding="utf-8")


def _actions(lsp: LspClient, uri: str, diagnostic: Json) -> List[Json]:
    actions = lsp.request("textDocument/codeAction", {
        "textDocument": {"uri": uri},
        "range": diagnostic["range"],
        "context": {"diagnostics": [diagnostic], "only": ["quickfix"]},
    })
    return [a for a in actions or [] if a.get("title", "").startswith("Rewrite functools")]


def test_quick_fix_is_the_fixers_rewrite_of_the_unsaved_buffer(
        lsp: LspClient, project: Path, tmp_path: Path) -> None:
    deco = project / "app" / "deco.py"
    # An unsaved edit first, so the action must work on the buffer, not on the disk file.
    buffer = "'''Decorators.'''\n" + DECO
    mark = lsp.mark()
    uri = _open(lsp, deco, buffer)
    hwr = sorted(_hwr(lsp.diagnostics(uri, mark, version=1)),
                 key=lambda d: d["range"]["start"]["line"])
    assert [(d["code"], d["range"]["start"]["line"]) for d in hwr] == [
        ("HWR001", 5), ("HWR001", 14)], hwr
    safe, unsafe = hwr

    (action,) = _actions(lsp, uri, safe)
    assert action["title"] == "Rewrite functools.wraps with explicit attributes"
    assert action["kind"] == "quickfix"
    assert action["diagnostics"][0]["code"] == "HWR001"
    edits = action["edit"]["changes"][uri]
    fixed = _apply(buffer, edits)
    assert fixed == _fixer(project, tmp_path, "app/deco.py", buffer)
    assert "@wraps(f)" not in fixed and "@wraps(g)" in fixed
    assert deco.read_text(encoding="utf-8") == DECO  # the server wrote nothing

    # The second site is not provably a plain function (g = f): the fixer would skip it
    # without --unsafe-fixes, so no quick fix is offered for it.
    assert _actions(lsp, uri, unsafe) == []

    # A range without an HWR diagnostic gets nothing from this plugin.
    elsewhere = {"range": {"start": {"line": 0, "character": 0},
                           "end": {"line": 0, "character": 3}},
                 "code": "E501", "source": "flake8", "message": "E501 line too long"}
    assert _actions(lsp, uri, elsewhere) == []

    # Applied in the editor (didChange with the edited text): the diagnostic goes away.
    mark = lsp.mark()
    _change(lsp, uri, 2, fixed)
    after = _hwr(lsp.diagnostics(uri, mark, version=2))
    assert [d["range"]["start"]["line"] for d in after] == [
        fixed.splitlines().index("    @wraps(g)")], after
