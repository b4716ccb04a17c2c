"""Reading and writing source files: every problem is a one-line FileError, never data loss.

The fixer prints ``PATH: error: <message>`` with these messages and carries on, so each
message is part of the interface; and a failed write must leave the old file in place.
"""
from __future__ import annotations

import errno
import os
import stat
import sys
from pathlib import Path
from typing import Any, List

import pytest

from flake8_hotwrap import fileio
from flake8_hotwrap.fileio import (
    FileError, check_syntax, decode_source, read_source, writable_problem, write_atomic,
)


# -- decoding ---------------------------------------------------------------------------

@pytest.mark.parametrize("data, text, encoding", [
    (b"x = 1\n", "x = 1\n", "utf-8"),
    (b"\xef\xbb\xbfx = 1\n", "x = 1\n", "utf-8-sig"),  # the BOM is not part of the text
    (b"# -*- coding: latin-1 -*-\nx = '\xe9'\n", "# -*- coding: latin-1 -*-\nx = '\u00e9'\n",
     "iso-8859-1"),
    (b"#!/usr/bin/env python\n# coding: cp1252\nx = '\x80'\n",
     "#!/usr/bin/env python\n# coding: cp1252\nx = '\u20ac'\n", "cp1252"),
])
def test_decode_source_honours_bom_and_cookie(data: bytes, text: str, encoding: str) -> None:
    assert decode_source(data) == (text, encoding)


@pytest.mark.parametrize("data, message", [
    (b"x = '\x00'\n", "source contains NUL bytes"),
    (b"x = '\xff'\n", "not valid utf-8 and no encoding declaration"),
    # A bad byte after the first two lines is found by decoding, with its offset.
    (b"x = 1\n\n\ny = '\xff'\n", "cannot decode as utf-8 at byte 13: invalid start byte"),
    (b"# coding: no-such-codec\nx = 1\n",
     "invalid encoding declaration: unknown encoding: no-such-codec"),
    (b"# coding: ascii\nx = '\xe9'\n",
     "cannot decode as ascii at byte 21: ordinal not in range(128)"),
])
def test_undecodable_source(data: bytes, message: str) -> None:
    with pytest.raises(FileError) as info:
        decode_source(data)
    assert str(info.value) == message


# -- reading ----------------------------------------------------------------------------

def test_read_source_returns_the_exact_bytes(tmp_path: Path) -> None:
    data = b"\xef\xbb\xbf# comment\r\nx = 1\r\n"
    (tmp_path / "m.py").write_bytes(data)
    assert read_source(str(tmp_path / "m.py")) == data


def test_read_source_rejects_what_is_not_python_source(tmp_path: Path) -> None:
    (tmp_path / "m.py").write_bytes(b"x = '\x00'\n")
    with pytest.raises(FileError, match="^source contains NUL bytes$"):
        read_source(str(tmp_path / "m.py"))


def test_missing_file_and_directory(tmp_path: Path) -> None:
    with pytest.raises(FileError, match="^no such file$"):
        read_source(str(tmp_path / "gone.py"))
    (tmp_path / "pkg.py").mkdir()
    with pytest.raises(FileError, match="^is a directory$"):
        read_source(str(tmp_path / "pkg.py"))


@pytest.mark.parametrize("error, message", [
    (PermissionError(errno.EACCES, "Permission denied"), "permission denied (cannot read)"),
    (OSError(errno.EIO, "Input/output error"), "cannot read: Input/output error"),
    (OSError("device\nvanished"), "cannot read: device vanished"),  # one line, always
])
def test_unreadable_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                         error: OSError, message: str) -> None:
    # (Simulated: the suite may run as root, who can read any file.)
    def failing_open(*args: Any, **kwargs: Any) -> Any:
        raise error

    monkeypatch.setattr(fileio, "open", failing_open, raising=False)
    with pytest.raises(FileError) as info:
        read_source(str(tmp_path / "m.py"))
    assert str(info.value) == message


# -- syntax -----------------------------------------------------------------------------

def test_check_syntax_accepts_valid_source() -> None:
    check_syntax(b"def f():\n    return 1\n", "m.py")  # no exception


@pytest.mark.parametrize("data, message", [
    (b"def f(:\n    pass\n", "syntax error: line 1: invalid syntax"),
    # (the parser's own words: "expected ':'" from Python 3.10, "invalid syntax" before)
    (b"x = 1\nif x\n", "syntax error: line 2: " + (
        "expected ':'" if sys.version_info >= (3, 10) else "invalid syntax")),
    # CPython's parser gives up on absurd nesting with a MemoryError, bare before 3.13:
    # the message names it either way.
    (b"x = " + b"-" * 200000 + b"1\n", "cannot parse: " + (
        "Parser stack overflowed - Python source too complex to parse"
        if sys.version_info >= (3, 13) else "MemoryError")),
])
def test_check_syntax_messages(data: bytes, message: str) -> None:
    with pytest.raises(FileError) as info:
        check_syntax(data, "m.py")
    assert str(info.value) == message


def test_check_syntax_reports_parser_errors_with_their_message(
        monkeypatch: pytest.MonkeyPatch) -> None:
    def failing_compile(*args: Any, **kwargs: Any) -> Any:
        raise RecursionError("maximum recursion depth exceeded\nduring compilation")

    monkeypatch.setattr(fileio, "compile", failing_compile, raising=False)
    with pytest.raises(FileError) as info:
        check_syntax(b"x = 1\n", "m.py")
    assert str(info.value) == "cannot parse: maximum recursion depth exceeded during compilation"


# -- writing ----------------------------------------------------------------------------

def test_write_atomic_replaces_content_and_keeps_permission_bits(tmp_path: Path) -> None:
    target = tmp_path / "m.py"
    target.write_bytes(b"old\n")
    target.chmod(0o751)
    write_atomic(str(target), b"new\n")
    assert target.read_bytes() == b"new\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o751
    assert [p.name for p in tmp_path.iterdir()] == ["m.py"]  # no temporary file left


def test_writable_problem_none_for_a_normal_file(tmp_path: Path) -> None:
    (tmp_path / "m.py").write_bytes(b"x = 1\n")
    assert writable_problem(str(tmp_path / "m.py")) is None


def test_read_only_file_is_refused_even_for_root(tmp_path: Path) -> None:
    target = tmp_path / "m.py"
    target.write_bytes(b"old\n")
    target.chmod(0o444)
    assert writable_problem(str(target)) == "file is read-only"
    with pytest.raises(FileError, match="^file is read-only$"):
        write_atomic(str(target), b"new\n")
    assert target.read_bytes() == b"old\n"


def test_missing_file_cannot_be_replaced(tmp_path: Path) -> None:
    gone = str(tmp_path / "gone.py")
    assert writable_problem(gone) == "cannot stat: No such file or directory"
    with pytest.raises(FileError, match="^cannot stat: No such file or directory$"):
        write_atomic(gone, b"new\n")
    assert not os.path.exists(gone)  # never created


def test_unwritable_directory_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An atomic replace needs a temporary file next to the target."""
    target = tmp_path / "m.py"
    target.write_bytes(b"old\n")
    real_access = os.access

    def access(path: Any, mode: int, **kwargs: Any) -> bool:  # root may write anywhere
        if os.fspath(path) == str(tmp_path):
            return False
        return real_access(path, mode, **kwargs)

    monkeypatch.setattr(fileio.os, "access", access)
    assert writable_problem(str(target)) == \
        "directory is not writable (needed for an atomic replace)"
    with pytest.raises(FileError, match="directory is not writable"):
        write_atomic(str(target), b"new\n")
    assert target.read_bytes() == b"old\n"


def test_file_removed_after_the_check_is_not_recreated(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    gone = tmp_path / "m.py"  # the check passed, then the file went away
    monkeypatch.setattr(fileio, "writable_problem", lambda path: None)
    with pytest.raises(FileError, match="^cannot stat: No such file or directory$"):
        write_atomic(str(gone), b"new\n")
    assert list(tmp_path.iterdir()) == []


def test_failed_replace_keeps_the_old_file_even_if_cleanup_fails(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "m.py"
    target.write_bytes(b"old\n")
    unlinked: List[str] = []

    def replace(src: str, dst: str) -> None:
        raise OSError(errno.EXDEV, "Invalid cross-device link")

    def unlink(path: str) -> None:
        unlinked.append(path)
        raise OSError(errno.EBUSY, "Device or resource busy")

    monkeypatch.setattr(fileio.os, "replace", replace)
    monkeypatch.setattr(fileio.os, "unlink", unlink)
    # The write error is what is reported, not the failed cleanup.
    with pytest.raises(FileError, match="^cannot write: Invalid cross-device link$"):
        write_atomic(str(target), b"new\n")
    assert target.read_bytes() == b"old\n"
    assert len(unlinked) == 1 and os.path.basename(unlinked[0]).startswith(".m.py.")
