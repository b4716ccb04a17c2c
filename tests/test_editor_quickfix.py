"""The pylsp quick fix in process: which diagnostics get an action, and what the edit is.

``test_editor_pylsp.py`` drives a real language server; these cases call the plugin's
functions directly, one editor situation each (stale diagnostics, a buffer that does
not parse, a site the fixer would not touch, odd ranges, encodings).
"""
from __future__ import annotations

import logging
import sys
from pathlib import Path
from types import SimpleNamespace
from typing import Any, Dict, List

import pytest

from conftest import write_project
from flake8_hotwrap import pylsp_plugin
from flake8_hotwrap.pylsp_plugin import (
    TITLE, _buffer_bytes, _line_edit, _overlaps, code_actions, pylsp_code_actions,
)

Json = Dict[str, Any]

DECO = """\
from functools import wraps


def deco(f):
    @wraps(f)
    def w(*a, **k):
        return f(*a, **k)
    return w


def traced(f):
    g = f

    @wraps(g)
    def inner(*a, **k):
        return g(*a, **k)
    return inner


def unused(f):
    @wraps(f)
    def w3(*a, **k):
        return f(*a, **k)
    return w3
"""
VIEWS = """\
from flask import Flask

from pkg.deco import deco, traced

app = Flask(__name__)


@app.route("/")
@deco
def index():
    return "ok"


@app.route("/t")
@traced
def t():
    return "t"
"""
URI = "file:///project/pkg/deco.py"


@pytest.fixture
def deco_path(tmp_path: Path) -> str:
    write_project(tmp_path, {"setup.cfg": "[options]\npython_requires = >=3.12\n\n[flake8]\n",
                             "pkg/__init__.py": "", "pkg/deco.py": DECO,
                             "pkg/views.py": VIEWS})
    return str(tmp_path / "pkg" / "deco.py")


def _diag(line: int, character: int, code: str = "HWR001", **extra: Any) -> Json:
    d: Json = {"range": {"start": {"line": line - 1, "character": character},
                         "end": {"line": line - 1, "character": character + 8}},
               "source": "flake8", "code": code, "message": f"{code} functools.wraps ..."}
    d.update(extra)
    return d


def _apply(text: str, edit: Json) -> str:
    lines = text.splitlines(keepends=True)
    start, end = edit["range"]["start"], edit["range"]["end"]
    assert start["character"] == 0
    head = "".join(lines[:start["line"]])
    tail_line = lines[end["line"]] if end["line"] < len(lines) else ""
    tail = tail_line[end["character"]:] + "".join(lines[end["line"] + 1:])
    return head + edit["newText"] + tail


def test_action_rewrites_the_safe_site_only(deco_path: str) -> None:
    (action,) = code_actions(deco_path, URI, DECO, [_diag(5, 5)])
    assert action["title"] == TITLE and action["kind"] == "quickfix"
    (edit,) = action["edit"]["changes"][URI]
    fixed = _apply(DECO, edit)
    assert "    @wraps(f)\n    def w(" not in fixed
    assert "    w.__type_params__ = f.__type_params__\n" in fixed  # python_requires >= 3.12
    assert "@wraps(g)" in fixed and "def w3" in fixed  # other sites untouched
    # The unsafe site (g = f) gets nothing, as the fixer would skip it.
    assert code_actions(deco_path, URI, DECO, [_diag(14, 5)]) == []


def test_diagnostic_recognised_by_its_message_when_it_has_no_code(deco_path: str) -> None:
    diagnostic = _diag(5, 5)
    del diagnostic["code"]
    (action,) = code_actions(deco_path, URI, DECO, [diagnostic])
    assert action["diagnostics"] == [diagnostic]


@pytest.mark.parametrize("diagnostic", [
    _diag(5, 5, code="E501", message="E501 line too long"),
    _diag(5, 5, code=None, message=None),
    _diag(5, 5, code=1, message="W HWR001 not at the start"),
])
def test_other_diagnostics_get_nothing(deco_path: str, diagnostic: Json) -> None:
    assert code_actions(deco_path, URI, DECO, [diagnostic]) == []


def test_stale_diagnostics_get_nothing(deco_path: str) -> None:
    # The buffer no longer uses wraps at all ...
    no_wraps = DECO.replace("@wraps(f)", "").replace("@wraps(g)", "").replace(
        "from functools import wraps\n", "")
    assert code_actions(deco_path, URI, no_wraps, [_diag(5, 5)]) == []
    # ... the diagnostic's line holds no site any more, or its code changed.
    assert code_actions(deco_path, URI, "\n" + DECO, [_diag(5, 5)]) == []
    assert code_actions(deco_path, URI, DECO, [_diag(5, 5, code="HWR002")]) == []


def test_site_not_on_a_handler_gets_nothing(deco_path: str) -> None:
    # 'unused' decorates no handler: flake8 does not report it, the fixer does not touch it.
    only_unused = DECO[DECO.index("def unused"):]
    only_unused = "from functools import wraps\n\n\n" + only_unused
    assert code_actions(deco_path, URI, only_unused, [_diag(5, 5)]) == []


def test_two_diagnostics_on_one_site_get_one_action(deco_path: str) -> None:
    by_code = _diag(5, 5)
    by_message = _diag(5, 4)  # another client: no code, a byte column
    del by_message["code"]
    actions = code_actions(deco_path, URI, DECO, [by_code, by_message])
    assert len(actions) == 1 and actions[0]["diagnostics"] == [by_code]


@pytest.mark.parametrize("buffer", [
    DECO + "\ndef broken(:\n",  # mid-edit: does not parse
    DECO + "\nx = '\x00'\n",  # NUL in the buffer
])
def test_buffer_that_does_not_parse_gets_nothing(deco_path: str, buffer: str) -> None:
    assert code_actions(deco_path, URI, buffer, [_diag(5, 5)]) == []


@pytest.mark.parametrize("tail", [
    pytest.param("\n\nif 1:\n  \\\n  x = 1\n", marks=pytest.mark.skipif(
        sys.version_info < (3, 10), reason="valid Python from 3.10 on; libcst rejects it")),
    "\n\nx = " + "-" * 1000 + "1\n",  # nested deeper than libcst's rewrite recurses
])
def test_valid_buffer_libcst_cannot_rewrite_gets_nothing(deco_path: str, tail: str) -> None:
    buffer = DECO + tail
    compile(buffer, deco_path, "exec")
    assert code_actions(deco_path, URI, buffer, [_diag(5, 5)]) == []


def test_latin1_buffer_keeps_its_encoding(deco_path: str) -> None:
    buffer = "# -*- coding: latin-1 -*-\n" + DECO.replace("return w\n",
                                                          "return w  # caf\u00e9\n", 1)
    assert _buffer_bytes(buffer) == (buffer.encode("latin-1"), "iso-8859-1")
    (action,) = code_actions(deco_path, URI, buffer, [_diag(6, 5)])
    fixed = _apply(buffer, action["edit"]["changes"][URI][0])
    assert "return w  # caf\u00e9\n" in fixed and "    @wraps(f)\n    def w(" not in fixed


@pytest.mark.parametrize("text, encoding", [
    ("\ufeffx = 1\n", "utf-8"),  # a BOM is saved as utf-8 with the BOM character
    ("# coding: no-such-codec\nx = 1\n", "utf-8"),  # a bad cookie: utf-8
    ("x = '\u00e9'\n", "utf-8"),
])
def test_buffer_bytes(text: str, encoding: str) -> None:
    assert _buffer_bytes(text) == (text.encode("utf-8"), encoding)


@pytest.mark.parametrize("old, new, edit", [
    # Only the lines that differ are replaced.
    ("a\nb\nc\n", "a\nB\nB2\nc\n",
     {"range": {"start": {"line": 1, "character": 0}, "end": {"line": 2, "character": 0}},
      "newText": "B\nB2\n"}),
    # The changed last line has no newline: the range ends at its last character,
    # counted in UTF-16 code units (an emoji is two).
    ("a\nb\U0001F600", "a\nc",
     {"range": {"start": {"line": 1, "character": 0}, "end": {"line": 1, "character": 3}},
      "newText": "c"}),
    ("a\r\nb\r\n", "a\r\nb\r\nc\r\n",
     {"range": {"start": {"line": 2, "character": 0}, "end": {"line": 2, "character": 0}},
      "newText": "c\r\n"}),
])
def test_line_edit(old: str, new: str, edit: Json) -> None:
    assert _line_edit(old, new) == edit


@pytest.mark.parametrize("a, b, touches", [
    ({"start": {"line": 1, "character": 0}, "end": {"line": 1, "character": 5}},
     {"start": {"line": 1, "character": 5}, "end": {"line": 1, "character": 5}}, True),
    ({"start": {"line": 1, "character": 0}, "end": {"line": 1, "character": 5}},
     {"start": {"line": 2, "character": 0}, "end": {"line": 2, "character": 1}}, False),
    ({"start": {"line": 1}}, {"start": {}, "end": {}}, False),  # no end
    ({"start": None, "end": None}, {"start": {}, "end": {}}, False),
    (None, {"start": {}, "end": {}}, False),
    ({"start": {"line": "x"}, "end": {}}, {"start": {}, "end": {}}, False),
])
def test_overlaps(a: Json, b: Json, touches: bool) -> None:
    assert _overlaps(a, b) is touches


def _document(path: str, source: str) -> SimpleNamespace:
    return SimpleNamespace(path=path, uri=URI, source=source)


def test_hook_offers_actions_for_diagnostics_in_the_range(deco_path: str) -> None:
    inside, outside, malformed = _diag(5, 5), _diag(14, 5), {"range": {"start": {}}}
    null_range = {"range": {"start": None, "end": None}, "code": "HWR001"}  # a client's bug
    context = {"diagnostics": [inside, outside, malformed, null_range, "not a dict"]}
    actions = pylsp_code_actions({}, None, _document(deco_path, DECO), inside["range"], context)
    assert [a["diagnostics"] for a in actions] == [[inside]]
    elsewhere = {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 1}}
    assert pylsp_code_actions({}, None, _document(deco_path, DECO), elsewhere, context) == []
    assert pylsp_code_actions({}, None, _document(deco_path, DECO), inside["range"], None) == []


def test_hook_without_a_file_path_does_nothing() -> None:
    untitled = SimpleNamespace(path=None, uri="untitled:1", source=DECO)
    assert pylsp_code_actions({}, None, untitled, _diag(5, 5)["range"],
                              {"diagnostics": [_diag(5, 5)]}) == []


def test_hook_never_raises(deco_path: str, monkeypatch: pytest.MonkeyPatch,
                           caplog: pytest.LogCaptureFixture) -> None:
    def broken(*args: Any) -> List[Json]:
        raise KeyError("internal")

    monkeypatch.setattr(pylsp_plugin, "code_actions", broken)
    with caplog.at_level(logging.ERROR, logger="flake8_hotwrap.pylsp_plugin"):
        assert pylsp_code_actions({}, None, _document(deco_path, DECO), _diag(5, 5)["range"],
                                  {"diagnostics": [_diag(5, 5)]}) == []
    assert "hotwrap: code action failed for" in caplog.text
