"""The fixed code type-checks as well as the original, with mypy and pyright.

tests/fixtures/fix/typed_decorators.py is clean under ``mypy --strict`` and pyright
(strict mode); after the rewrite it must still be, for every Python version the
emitted version guards distinguish (each checker evaluates ``sys.version_info``
branches for its configured version).
"""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import List

import pytest

from flake8_hotwrap.rewrite import Status, find_wraps_calls, rewrite_source
from flake8_hotwrap.targets import TargetVersions

FIXTURE = Path(__file__).parent / "fixtures" / "fix" / "typed_decorators.py"


@pytest.fixture(scope="module")
def pair(tmp_path_factory: pytest.TempPathFactory) -> List[Path]:
    source = FIXTURE.read_bytes()
    result = rewrite_source(source, find_wraps_calls(source), target=TargetVersions((3, 9)))
    assert {r.status for r in result.sites} == {Status.FIXED}
    before = tmp_path_factory.mktemp("before") / "typed_decorators.py"
    after = tmp_path_factory.mktemp("after") / "typed_decorators.py"
    before.write_bytes(source)
    after.write_bytes(result.source)
    return [before, after]


def _mypy_versions() -> List[str]:
    out = subprocess.run([sys.executable, "-m", "mypy", "--version"], capture_output=True,
                         text=True)
    if out.returncode != 0:
        return []
    versions = []
    for v in ("3.9", "3.11", "3.12", "3.13", "3.14"):
        probe = subprocess.run([sys.executable, "-m", "mypy", "--config-file", "",
                                "--python-version", v, "-c", "x = 1"],
                               capture_output=True, text=True, cwd=str(FIXTURE.parent))
        if probe.returncode == 0:
            versions.append(v)
    return versions


MYPY_VERSIONS = _mypy_versions()


def mypy(path: Path, version: str) -> List[str]:
    out = subprocess.run(
        [sys.executable, "-m", "mypy", "--config-file", "", "--strict", "--no-incremental",
         "--python-version",
         version, "--show-error-codes", "--no-error-summary", str(path)],
        capture_output=True, text=True, cwd=str(path.parent))
    return [ln.split(":", 2)[-1].strip() for ln in out.stdout.splitlines() if ": error:" in ln]


@pytest.mark.skipif(not MYPY_VERSIONS, reason="mypy is not installed")
@pytest.mark.parametrize("version", MYPY_VERSIONS or ["none"])
def test_mypy_reports_no_new_errors(pair: List[Path], version: str) -> None:
    before, after = (mypy(p, version) for p in pair)
    assert before == []  # the fixture is strict-clean
    assert after == before


def _pyright() -> List[str]:
    exe = shutil.which("pyright")
    if exe is None:
        candidate = Path(sys.executable).with_name("pyright")
        exe = str(candidate) if candidate.exists() else None
    if exe is None:
        return []
    try:
        probe = subprocess.run([exe, "--version"], capture_output=True, text=True, timeout=120)
    except (OSError, subprocess.TimeoutExpired):
        return []
    return [exe] if probe.returncode == 0 else []


PYRIGHT = _pyright()


def pyright(path: Path, version: str) -> List[str]:
    config = path.parent / "pyrightconfig.json"
    config.write_text(json.dumps({"typeCheckingMode": "strict", "pythonVersion": version,
                                  "reportMissingModuleSource": False}))
    out = subprocess.run([*PYRIGHT, "--outputjson", str(path)], capture_output=True,
                         text=True, cwd=str(path.parent), timeout=600)
    report = json.loads(out.stdout)
    return sorted(f"{d.get('rule', '')}: {d['message']}" for d in report["generalDiagnostics"]
                  if d["severity"] == "error")


@pytest.mark.skipif(not PYRIGHT, reason="pyright is not installed")
@pytest.mark.parametrize("version", ["3.9", "3.12", "3.13", "3.14"])
def test_pyright_reports_no_new_errors(pair: List[Path], version: str) -> None:
    before, after = (pyright(p, version) for p in pair)
    assert after == before
