"""Shared helpers: projects are written from dicts, expectations from markers.

A line ending in ``# expect: HWR001`` must be reported with that code; every
other line must not.  A test therefore reads as the project it checks.
"""
from __future__ import annotations

import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Dict, Iterable, List, Set

import pytest

# Coverage measures the flake8 and fixer subprocesses the tests start (setup.cfg); their
# data files must land next to the suite's, not in the temporary projects they run in
# (tests assert that nothing is written there).
os.environ.setdefault("COVERAGE_FILE", str(Path(__file__).resolve().parent.parent / ".coverage"))

EXPECT = re.compile(r"#\s*expect:\s*((?:HWR\d{3}[ ,]*)+)")
#: A small Flask project shared by several tests: ``pkg/deco.py`` + ``pkg/views.py``.
DECO = """
from functools import wraps

def deco(f):
    @wraps(f)  # expect: HWR001
    def w(*a, **k):
        return f(*a, **k)
    return w
"""
HANDLERS = """
from flask import Flask
from pkg.deco import deco

app = Flask(__name__)

@app.route("/")
@deco
def index():
    return "ok"
"""
SMALL_PROJECT = {"setup.cfg": "[flake8]\n", "pkg/__init__.py": "", "pkg/deco.py": DECO,
                 "pkg/views.py": HANDLERS}
REPORT = re.compile(r"^\.?/?(?P<path>[^:]+):(?P<line>\d+):(?P<col>\d+): (?P<code>HWR\d{3}) ")


@pytest.fixture(autouse=True)
def _isolated_cache(tmp_path_factory: pytest.TempPathFactory,
                    monkeypatch: pytest.MonkeyPatch) -> Path:
    """Each test gets its own index cache (subprocesses inherit the variable)."""
    cache = tmp_path_factory.mktemp("hotwrap-cache")
    monkeypatch.setenv("FLAKE8_HOTWRAP_CACHE_DIR", str(cache))
    return cache


def write_project(root: Path, files: Dict[str, str]) -> None:
    for name, text in files.items():
        p = root / name
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")


def expected(root: Path) -> Set[str]:
    out: Set[str] = set()
    for p in sorted(root.rglob("*.py")):
        rel = p.relative_to(root).as_posix()
        for lineno, line in enumerate(p.read_text(encoding="utf-8", errors="replace")
                                      .splitlines(), 1):
            m = EXPECT.search(line)
            if m:
                for code in re.findall(r"HWR\d{3}", m.group(1)):
                    out.add(f"{rel}:{lineno}:{code}")
    return out


def reported(lines: Iterable[str]) -> Set[str]:
    out: Set[str] = set()
    for line in lines:
        m = REPORT.match(line)
        if m:
            out.add(f"{m['path']}:{m['line']}:{m['code']}")
    return out


def messages(lines: Iterable[str]) -> List[str]:
    return [line for line in lines if REPORT.match(line)]


def flake8(cwd: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    """Run the real flake8 as a user would."""
    return subprocess.run([sys.executable, "-m", "flake8", *args], cwd=str(cwd),
                          input=stdin, capture_output=True, text=True)


def check(root: Path, files: Dict[str, str], *args: str) -> Set[str]:
    """Write ``files``, run flake8 on the project, return reported minus expected
    and expected minus reported as one set of "+/-" lines (empty when they agree)."""
    write_project(root, files)
    if not (root / "setup.cfg").exists():
        (root / "setup.cfg").write_text("[flake8]\n")
    result = flake8(root, "--select", "HWR", *args, ".")
    assert "Traceback" not in result.stderr, result.stderr
    got, want = reported(result.stdout.splitlines()), expected(root)
    return {f"+{x}" for x in got - want} | {f"-{x}" for x in want - got}
