"""Bad input matrix: the real linter and the real fixer on every kind of awkward file.

Each case builds a small Flask project whose ``pkg/good.py`` holds a decorator with
a fixable ``@wraps`` applied to a route (the rest of the run), plus one awkward item
(``pkg/bad.py`` unless said otherwise).  Then, as a user would:

* ``python -m flake8 --select HWR,E902,E999 .`` -- exit 1 (the good finding is
  reported), no traceback, the good file's HWR001 present, and for a broken file
  exactly one E902/E999 line naming it (none for a file that is merely unusual);
* ``python -m flake8_hotwrap.fix -j 2 .`` (plus the case's extra paths) -- exit as
  documented in fix.py (1 changed, 2 when some file could not be read, parsed or
  written), exactly one ``PATH: error: ...`` line naming the bad item when it is
  bad, the good file rewritten, the bad item byte-identical with the same mtime
  when nothing can be written safely (or correctly fixed when it is merely
  unusual), no temporary files left behind, and a second ``--check`` run has
  nothing left to rewrite in the good file.

We run as root in CI containers: root reads and writes through permission bits,
so the cases that rely on them say what they can still check (the fixer detects
a read-only file by its mode bits, which stays meaningful for root).
"""
from __future__ import annotations

import ast
import os
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Dict, List, Optional, Tuple

import pytest

IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0

DECO_SRC = """\
from functools import wraps


def {name}(f):
    @wraps(f)
    def w(*a, **k):
        return f(*a, **k)
    return w
"""
GOOD = DECO_SRC.format(name="good_deco")
VIEWS = """\
from flask import Flask

from pkg.good import good_deco

app = Flask(__name__)


@app.route("/")
@good_deco
def index():
    return "ok"
"""
#: a module that is its own small app: decorator + route (same-module application)
SELF_CONTAINED = DECO_SRC.format(name="bad_deco") + """

from flask import Flask

app2 = Flask(__name__)


@app2.route("/b")
@bad_deco
def bad_view():
    return "b"
"""


def big_file(size: int) -> bytes:
    head = SELF_CONTAINED.encode()
    row = b"    (%d, 'x' * 40, [1, 2, 3], {'k': None}),\n"
    parts = [head, b"\nDATA = [\n"]
    total, i = len(head), 0
    while total < size:
        line = row % i
        parts.append(line)
        total += len(line)
        i += 1
    parts.append(b"]\n")
    return b"".join(parts)


def nested_parens(depth: int) -> bytes:
    return SELF_CONTAINED.encode() + b"\nX = " + b"(" * depth + b"1" + b")" * depth + b"\n"


def nested_blocks(depth: int) -> bytes:
    lines = [" " * i + "if True:" for i in range(depth)] + [" " * depth + "pass"]
    return SELF_CONTAINED.encode() + b"\n" + "\n".join(lines).encode() + b"\n"


def crlf(text: str) -> bytes:
    return text.replace("\n", "\r\n").encode()


def mixed(text: str) -> bytes:
    out = []
    for i, line in enumerate(text.split("\n")[:-1]):
        out.append(line + ("\r\n" if i % 2 else "\n"))
    return "".join(out).encode()


@dataclass
class Case:
    #: the bad item's content (written to pkg/bad.py) or None when ``setup`` makes it
    data: Optional[bytes]
    #: None: the item is fine (fixed like any file); else a fragment of the fixer's error
    fixer_error: Optional[str]
    #: flake8's code for the item (E902/E999), or None when flake8 accepts it
    lint_code: Optional[str] = None
    #: extra setup: (root) -> (display name of the item, extra CLI paths)
    setup: Optional[Callable[[Path], Tuple[str, List[str]]]] = None
    #: the fixer must rewrite the item (it holds a site on a handler)
    fixed: bool = False
    #: a reason to skip the strict checks (root)
    root_skip: str = ""
    extra: Dict[str, object] = field(default_factory=dict)


def _symlink_inside(root: Path) -> Tuple[str, List[str]]:
    (root / "pkg" / "impl").mkdir()
    (root / "pkg" / "impl" / "__init__.py").write_bytes(b"")
    (root / "pkg" / "impl" / "real.py").write_text(SELF_CONTAINED)
    (root / "pkg" / "bad.py").symlink_to(root / "pkg" / "impl" / "real.py")
    return "pkg/bad.py", []


def _symlink_outside(root: Path) -> Tuple[str, List[str]]:
    outside = root.parent / (root.name + "-outside")
    outside.mkdir()
    (outside / "real.py").write_text(SELF_CONTAINED)
    (root / "pkg" / "bad.py").symlink_to(outside / "real.py")
    return "pkg/bad.py", []


def _dangling_symlink(root: Path) -> Tuple[str, List[str]]:
    (root / "pkg" / "bad.py").symlink_to(root / "pkg" / "nowhere.py")
    return "pkg/bad.py", []


def _read_only(root: Path) -> Tuple[str, List[str]]:
    bad = root / "pkg" / "bad.py"
    bad.write_text(SELF_CONTAINED)
    bad.chmod(0o444)
    return "pkg/bad.py", []


def _locked_dir(root: Path) -> Tuple[str, List[str]]:
    locked = root / "pkg" / "locked"
    locked.mkdir()
    (locked / "__init__.py").write_bytes(b"")
    (locked / "bad.py").write_text(SELF_CONTAINED)
    locked.chmod(0o000)
    return "pkg/locked/bad.py", []


def _read_only_dir(root: Path) -> Tuple[str, List[str]]:
    ro = root / "pkg" / "rodir"
    ro.mkdir()
    (ro / "__init__.py").write_bytes(b"")
    (ro / "bad.py").write_text(SELF_CONTAINED)
    ro.chmod(0o555)
    return "pkg/rodir/bad.py", []


def _missing(root: Path) -> Tuple[str, List[str]]:
    return "pkg/missing.py", ["pkg/missing.py"]


def _missing_dir(root: Path) -> Tuple[str, List[str]]:
    return "nowhere/", ["nowhere/"]


CASES: Dict[str, Case] = {
    "syntax_error": Case(SELF_CONTAINED.encode() + b"\ndef broken(:\n    pass\n",
                         "syntax error", "E999"),
    # flake8 decodes these leniently (latin-1 fallback) and the plugin reports the
    # site; the fixer refuses to rewrite a file it cannot decode exactly.
    "undecodable": Case(SELF_CONTAINED.encode() + b"\nX = '\xff\xfe\xfa'\n",
                        "cannot decode as utf-8"),
    "bad_cookie": Case(b"# -*- coding: no-such-codec -*-\n" + SELF_CONTAINED.encode(),
                       "unknown encoding"),
    "latin1_cookie_ok": Case(b"# -*- coding: latin-1 -*-\n" + SELF_CONTAINED.encode()
                             + b"\nX = '\xe9'\n", None, fixed=True),
    "nul_bytes": Case(SELF_CONTAINED.encode() + b"\nX = 1\x00\n", "NUL bytes", "E999"),
    "crlf": Case(crlf(SELF_CONTAINED), None, fixed=True),
    "mixed_line_endings": Case(mixed(SELF_CONTAINED), None, fixed=True),
    "bom": Case(b"\xef\xbb\xbf" + SELF_CONTAINED.encode(), None, fixed=True),
    "bom_crlf": Case(b"\xef\xbb\xbf" + crlf(SELF_CONTAINED), None, fixed=True),
    "form_feeds_and_tabs": Case(
        SELF_CONTAINED.replace("    ", "\t").replace("\n\n\nfrom flask", "\n\f\n\f\nfrom flask")
        .replace("def w(", "def w(\t").encode(), None, fixed=True),
    "mixed_tabs_spaces": Case(SELF_CONTAINED.replace("        return f(*a, **k)",
                                                     "\treturn f(*a, **k)").encode(),
                              "syntax error", "E999"),
    # 5 MB without the word: the index's text pre-filter skips it, the fixer only
    # syntax-checks it.  With a site, see test_5mb_file_with_a_site (opt-in, slow).
    "5mb": Case(big_file(5 * 1024 * 1024).replace(b"wraps", b"WRAPS"), None),
    "nesting_200_parens": Case(nested_parens(200), None, fixed=True),  # CPython's limit
    "nesting_201_parens": Case(nested_parens(201), "too many nested parentheses", "E999"),
    "nesting_200_blocks": Case(nested_blocks(200), "too many levels of indentation", "E999"),
    "nesting_99_blocks": Case(nested_blocks(99), None, fixed=True),
    "not_python_png": Case(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)),
                           "NUL bytes", "E999"),
    "not_python_text": Case(b"#!/bin/sh\nset -e\necho 'hello' | grep -q wraps\n", "syntax",
                            "E999"),
    "empty_file": Case(b"", None),
    "symlink_inside": Case(None, None, setup=_symlink_inside, fixed=True),
    "symlink_outside": Case(None, "symlink points outside the tree", setup=_symlink_outside),
    # flake8 reports E902; the fixer's walker skips it silently (nothing to rewrite)
    "dangling_symlink": Case(None, None, "E902", setup=_dangling_symlink),
    "read_only_file": Case(None, "read-only", setup=_read_only),
    "dir_without_permission": Case(
        None, "permission denied", setup=_locked_dir,
        root_skip="root reads and writes through a mode-000 directory"),
    "read_only_dir": Case(None, "directory is not writable", setup=_read_only_dir,
                          root_skip="root writes into a mode-555 directory"),
    "missing_path": Case(None, "no such file", "E902", setup=_missing),
    "missing_dir": Case(None, "no such file", "E902", setup=_missing_dir),
}


def run(cwd: Path, *args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
    return subprocess.run([sys.executable, "-m", *args], cwd=str(cwd), capture_output=True,
                          text=True, timeout=timeout, env=env)


def snapshot(root: Path) -> Dict[str, Tuple[bytes, int]]:
    out: Dict[str, Tuple[bytes, int]] = {}
    for p in sorted(root.rglob("*")):
        if p.is_file() and not p.is_symlink() and os.access(p.parent, os.X_OK):
            out[p.relative_to(root).as_posix()] = (p.read_bytes(), p.stat().st_mtime_ns)
    return out


def lines_naming(text: str, name: str) -> List[str]:
    return [ln for ln in text.splitlines() if name in ln]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "proj"
    (root / "pkg").mkdir(parents=True)
    (root / "setup.cfg").write_text("[options]\npython_requires = >=3.9\n\n[flake8]\n"
                                    "max-line-length = 200\n")
    (root / "pkg" / "__init__.py").write_bytes(b"")
    (root / "pkg" / "good.py").write_text(GOOD)
    (root / "pkg" / "views.py").write_text(VIEWS)
    yield root
    for p in [root, *root.rglob("*")]:  # let pytest clean up what we locked
        if p.is_dir() and not p.is_symlink():
            p.chmod(0o755)


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_input(project: Path, name: str) -> None:
    case = CASES[name]
    root = project
    if case.setup is not None:
        item, extra_paths = case.setup(root)
    else:
        assert case.data is not None
        (root / "pkg" / "bad.py").write_bytes(case.data)
        item, extra_paths = "pkg/bad.py", []
    strict = not (IS_ROOT and case.root_skip)
    before = snapshot(root)
    outside_before = snapshot(root.parent / (root.name + "-outside")) \
        if (root.parent / (root.name + "-outside")).exists() else {}

    # ---- the linter
    lint = run(root, "flake8", "--select", "HWR,E902,E999", ".", *extra_paths)
    assert "Traceback" not in lint.stderr, lint.stderr
    assert lint.returncode == 1, (lint.stdout, lint.stderr)
    assert "pkg/good.py:5:6: HWR001" in lint.stdout, lint.stdout
    about_item = lines_naming(lint.stdout, item.rstrip("/"))
    if case.lint_code:
        assert len([ln for ln in about_item if case.lint_code in ln]) == 1, lint.stdout
    else:
        assert not [ln for ln in about_item if " E9" in ln], lint.stdout
    if case.fixed and strict:
        assert [ln for ln in about_item if "HWR001" in ln], lint.stdout
    assert snapshot(root) == before, "the linter wrote into the project"

    # ---- the fixer
    fixer = run(root, "flake8_hotwrap.fix", "-j", "2", ".", *extra_paths)
    err = fixer.stderr
    assert "Traceback" not in err, err
    errors = [ln for ln in err.splitlines() if ": error: " in ln]
    assert "Rewriting pkg/good.py" in err, err
    assert "@wraps" not in (root / "pkg" / "good.py").read_text()
    after = snapshot(root)
    leftovers = [p for p in after if p not in before]
    assert not leftovers, f"files left behind: {leftovers}"

    if case.fixer_error is not None and strict:
        assert fixer.returncode == 2, err
        assert len(errors) == 1 and errors[0].startswith(f"{item}: error: "), err
        assert case.fixer_error in errors[0], err
        # nothing written: bytes and mtime of everything but the good file
        for path, (data, mtime) in before.items():
            if path != "pkg/good.py":
                assert after[path] == (data, mtime), path
        if outside_before:
            outside = root.parent / (root.name + "-outside")
            assert snapshot(outside) == outside_before
    elif case.fixer_error is not None:
        # root: the permission is not enforced; the run must still be clean
        assert fixer.returncode in (1, 2), err
        assert len(errors) <= 1, err
    else:
        assert not errors, err
        assert fixer.returncode == 1, err
        if case.fixed:
            assert f"Rewriting {item}" in err, err
            real = os.path.relpath(os.path.realpath(root / item), root)
            check_fixed(before[real][0], (root / real).read_bytes())
        elif item in before:
            assert after[item] == before[item]
        if name.startswith("symlink"):
            assert (root / "pkg" / "bad.py").is_symlink()

    # ---- nothing left to do for the good file
    again = run(root, "flake8_hotwrap.fix", "--check", "-j", "1", ".", *extra_paths)
    assert "Traceback" not in again.stderr
    assert "pkg/good.py" not in again.stdout + again.stderr.replace(": error:", "")
    if case.fixer_error is None:
        assert again.returncode == 0, again.stderr


def check_fixed(before: bytes, after: bytes) -> None:
    """The item was rewritten correctly: same encoding, BOM, line endings; compiles."""
    assert after != before
    assert b"@wraps" not in after
    compile(after, "<fixed>", "exec", dont_inherit=True)
    assert after.startswith(b"\xef\xbb\xbf") == before.startswith(b"\xef\xbb\xbf")
    if b"\r\n" in before and b"\n" not in before.replace(b"\r\n", b""):
        assert b"\n" not in after.replace(b"\r\n", b""), "CRLF file got LF lines"
    for marker in (b"\f", b"\xe9"):
        assert after.count(marker) == before.count(marker)
    if b"\n\t" in before:  # a tab-indented file gets tab-indented statements
        assert b"\n    " not in after
    # every line that is not part of the site or the removed import is kept
    removed = {b"from functools import wraps", b"@wraps(f)"}
    kept = [ln for ln in before.splitlines()
            if ln.strip() and ln.strip().lstrip(b"\xef\xbb\xbf") not in removed]
    out = iter(after.splitlines())
    for ln in kept:
        assert any(ln == o for o in out), ln
    ast.parse(after)


def test_5mb_file_with_a_site_is_refused_not_rewritten(project: Path) -> None:
    """libcst needed >300 s and 6.4 GB for a 5 MB file: the fixer refuses files over
    its size limit with one clear message, leaves them alone and fixes the rest."""
    data = big_file(5 * 1024 * 1024)
    bad = project / "pkg" / "bad.py"
    bad.write_bytes(data)
    fixer = run(project, "flake8_hotwrap.fix", "-j", "2", ".", timeout=600)
    assert "Traceback" not in fixer.stderr, fixer.stderr
    assert fixer.returncode == 2, fixer.stderr
    assert bad.read_bytes() == data
    errors = [ln for ln in fixer.stderr.splitlines() if "bad.py" in ln]
    assert len(errors) == 1 and "more than the fixer rewrites" in errors[0], fixer.stderr


def test_form_feed_before_a_statement_outside_the_site_is_never_lost() -> None:
    """libcst drops a form feed at the start of a statement line, so such a file is
    refused with a clear error rather than rewritten with bytes missing."""
    from flake8_hotwrap.rewrite import RewriteError, find_wraps_calls, rewrite_source
    from flake8_hotwrap.targets import parse_target_version
    src = (b"from functools import wraps\n\n\ndef deco(f):\n    @wraps(f)\n"
           b"    def w(*a, **k):\n        return f(*a, **k)\n    return w\n\n\n"
           b"\x0c@deco\ndef v():\n    pass\n\x0cX = 1\n")
    with pytest.raises(RewriteError, match="byte for byte"):
        rewrite_source(src, find_wraps_calls(src), target=parse_target_version("3.14"))
