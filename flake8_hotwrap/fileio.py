"""Reading and writing source files without ever losing data.

* :func:`read_source` returns the file's exact bytes after checking that they are
  Python source (decodable per BOM/encoding cookie, no NUL bytes); problems are
  :class:`FileError` with a one-line message.
* :func:`write_atomic` writes a temporary file in the same directory, copies the
  permission bits, fsyncs and ``os.replace``s it over the target, so that an
  interrupted run leaves the old or the new file, never a truncated one.
"""
from __future__ import annotations

import io
import os
import stat
import tempfile
import tokenize
from typing import Optional, Tuple


class FileError(Exception):
    """A per-file problem; ``str(exc)`` is a one-line message without the path."""


def _oneline(text: str) -> str:
    return " ".join(str(text).split())


def detect_encoding(data: bytes) -> str:
    """The source encoding (``utf-8-sig`` with a BOM), per PEP 263; raises FileError."""
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    except SyntaxError as exc:
        if "invalid or missing encoding declaration" in str(exc.msg):
            raise FileError("not valid utf-8 and no encoding declaration") from exc
        raise FileError(_oneline(f"invalid encoding declaration: {exc.msg}")) from exc
    return encoding


def decode_source(data: bytes) -> Tuple[str, str]:
    """(text, encoding) of Python source bytes; raises FileError."""
    if b"\x00" in data:
        raise FileError("source contains NUL bytes")
    encoding = detect_encoding(data)
    try:
        return data.decode(encoding), encoding
    except (UnicodeDecodeError, LookupError) as exc:
        reason = exc.reason if isinstance(exc, UnicodeDecodeError) else str(exc)
        where = f" at byte {exc.start}" if isinstance(exc, UnicodeDecodeError) else ""
        raise FileError(_oneline(f"cannot decode as {encoding}{where}: {reason}")) from exc


def read_source(path: str) -> bytes:
    """The exact bytes of a Python source file; raises FileError."""
    try:
        with open(path, "rb") as fh:
            data = fh.read()
    except FileNotFoundError as exc:
        raise FileError("no such file") from exc
    except IsADirectoryError as exc:
        raise FileError("is a directory") from exc
    except PermissionError as exc:
        raise FileError("permission denied (cannot read)") from exc
    except OSError as exc:
        raise FileError(_oneline(f"cannot read: {exc.strerror or exc}")) from exc
    decode_source(data)
    return data


def check_syntax(data: bytes, filename: str) -> None:
    """Raise FileError unless ``data`` compiles under the running interpreter."""
    try:
        compile(data, filename, "exec", flags=0x400, dont_inherit=True)  # PyCF_ONLY_AST
    except SyntaxError as exc:
        where = f"line {exc.lineno}: " if exc.lineno else ""
        raise FileError(_oneline(f"syntax error: {where}{exc.msg}")) from exc
    except (ValueError, RecursionError, MemoryError) as exc:
        # The parser's MemoryError for too deep nesting has no message: name the error.
        raise FileError(_oneline(f"cannot parse: {str(exc) or type(exc).__name__}")) from exc


def writable_problem(path: str) -> Optional[str]:
    """Why ``path`` cannot be replaced in place, or None."""
    try:
        mode = os.stat(path).st_mode
    except OSError as exc:
        return _oneline(f"cannot stat: {exc.strerror or exc}")
    # No write bit at all means read-only, even for root (who may write anyway).
    if not os.access(path, os.W_OK) or not mode & 0o222:
        return "file is read-only"
    directory = os.path.dirname(os.path.abspath(path)) or "."
    if not os.access(directory, os.W_OK | os.X_OK):
        return "directory is not writable (needed for an atomic replace)"
    return None


def write_atomic(path: str, data: bytes) -> None:
    """Replace ``path``'s content with ``data`` atomically, keeping its permission bits.

    ``path`` should be the real path (symlinks resolved): replacing a symlink would
    turn it into a regular file.  Raises FileError; on error the file is untouched.
    """
    problem = writable_problem(path)
    if problem:
        raise FileError(problem)
    directory = os.path.dirname(os.path.abspath(path)) or "."
    try:
        mode = stat.S_IMODE(os.stat(path).st_mode)
    except OSError as exc:
        raise FileError(_oneline(f"cannot stat: {exc.strerror or exc}")) from exc
    tmp: Optional[str] = None
    try:
        fd, tmp = tempfile.mkstemp(prefix="." + os.path.basename(path) + ".",
                                   suffix=".hotwrap.tmp", dir=directory)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
        tmp = None
    except OSError as exc:
        raise FileError(_oneline(f"cannot write: {exc.strerror or exc}")) from exc
    finally:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass
