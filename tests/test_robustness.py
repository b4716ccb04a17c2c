"""Bad input anywhere in the project never crashes flake8 and loses no finding."""
from __future__ import annotations

from pathlib import Path

import pytest

from conftest import DECO, HANDLERS, SMALL_PROJECT, expected, flake8, reported, write_project


BAD_FILES = {
    "syntax_error": b"def broken(:\n    wraps deco\n",
    "undecodable": b"# deco wraps\nx = '\xff\xfe\xfa'\n",
    "nul_bytes": b"deco = 1\x00\x00 wraps\n",
    "deep_nesting": ("x = " + "(" * 400 + "deco" + ")" * 400 + "\n# wraps\n").encode(),
    "deep_blocks": "".join("    " * i + "if deco:\n" for i in range(120)).encode()
    + b"    " * 120 + b"wraps = 1\n",
    "long_attribute_chain": ("y = deco" + ".a" * 5000 + "\n# wraps\n").encode(),
    "enormous": b"# wraps deco\n" + b"x = [\n" + b"    1,\n" * 400_000 + b"]\n",
    "bom_crlf": b"\xef\xbb\xbffrom functools import wraps\r\nimport pkg.deco\r\n",
    "not_python": b"\x89PNG\r\n\x1a\n\x00\x00 deco wraps",
}

#: pyflakes itself raises RecursionError on these when flake8 checks them directly.
FLAKE8_ITSELF_FAILS = {"long_attribute_chain"}


@pytest.mark.parametrize("kind", sorted(BAD_FILES))
def test_bad_file_elsewhere_in_project(tmp_path: Path, kind: str) -> None:
    write_project(tmp_path, SMALL_PROJECT)
    (tmp_path / "pkg" / f"bad_{kind}.py").write_bytes(BAD_FILES[kind])
    result = flake8(tmp_path, "--select", "HWR", "pkg/deco.py", "pkg/views.py")
    assert "Traceback" not in result.stderr, result.stderr
    assert reported(result.stdout.splitlines()) == expected(tmp_path)
    if kind in FLAKE8_ITSELF_FAILS:
        return
    # The whole tree too: flake8 reports E902/E999 for the bad file, we report ours.
    result = flake8(tmp_path, "--select", "HWR,E999,E902", ".")
    assert "Traceback" not in result.stderr, result.stderr
    assert {r for r in reported(result.stdout.splitlines())} == expected(tmp_path)


def test_skipped_files_are_named_under_verbose(tmp_path: Path) -> None:
    write_project(tmp_path, SMALL_PROJECT)
    (tmp_path / "pkg/broken.py").write_bytes(BAD_FILES["syntax_error"])
    result = flake8(tmp_path, "-v", "--select", "HWR", "pkg/deco.py")
    assert "hotwrap: skipping" in result.stderr and "broken.py" in result.stderr


def test_unreadable_file_and_directory(tmp_path: Path) -> None:
    import os
    write_project(tmp_path, {"setup.cfg": "[flake8]\n", "pkg/__init__.py": "",
                             "pkg/deco.py": DECO, "pkg/views.py": HANDLERS,
                             "pkg/secret/x.py": "wraps = deco\n", "pkg/locked.py": "deco\n"})
    (tmp_path / "pkg/secret").chmod(0o000)
    (tmp_path / "pkg/locked.py").chmod(0o000)
    try:
        result = flake8(tmp_path, "--select", "HWR", "pkg/deco.py")
    finally:
        (tmp_path / "pkg/secret").chmod(0o755)
        (tmp_path / "pkg/locked.py").chmod(0o644)
    assert "Traceback" not in result.stderr, result.stderr
    assert reported(result.stdout.splitlines()) == {"pkg/deco.py:4:HWR001"}
    del os


def test_file_outside_any_project(tmp_path: Path) -> None:
    # No marker anywhere up to / would make the root the file's own directory;
    # a lone file still works: the decorator is applied in the same module.
    (tmp_path / "lone.py").write_text(
        "from functools import wraps\nfrom fastapi import FastAPI\napp = FastAPI()\n\n"
        "def d(f):\n    @wraps(f)\n    def w():\n        return f()\n    return w\n\n"
        "@app.get('/')\n@d\ndef h():\n    return 1\n")
    result = flake8(tmp_path, "--select", "HWR", "--isolated", "lone.py")
    assert reported(result.stdout.splitlines()) == {"lone.py:6:HWR001"}


def test_stdin_without_display_name(tmp_path: Path) -> None:
    src = ("from functools import wraps\nfrom fastapi import FastAPI\napp = FastAPI()\n\n"
           "def d(f):\n    @wraps(f)\n    def w():\n        return f()\n    return w\n\n"
           "@app.get('/')\n@d\ndef h():\n    return 1\n")
    (tmp_path / "setup.cfg").write_text("[flake8]\n")
    result = flake8(tmp_path, "--select", "HWR", "-", stdin=src)
    assert "Traceback" not in result.stderr
    assert reported(result.stdout.splitlines()) == {"stdin:6:HWR001"}
