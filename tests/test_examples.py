"""The bundled examples: the linter reports what their READMEs say, and the fixer
fixes them without changing what they serve."""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import flake8, reported

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
NAMES = sorted(p.name for p in EXAMPLES.iterdir() if (p / "smoke_check.py").exists())


def _readme_findings(example: Path) -> set[str]:
    """The ```text block of the README: ``path:line CODE decorator`` per line."""
    text = (example / "README.md").read_text()
    block = re.search(r"```text\n(.*?)```", text, re.S)
    assert block, f"{example}/README.md has no ```text block of findings"
    return {f"{m[1]}:{m[2]}" for m in re.finditer(r"^(\S+:\d+) (HWR\d{3})", block[1], re.M)}


def _smoke(example: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "smoke_check.py"], cwd=str(example),
                          capture_output=True, text=True)


@pytest.mark.parametrize("name", NAMES)
def test_linter_reports_what_the_readme_says(name: str) -> None:
    result = flake8(EXAMPLES / name, "--select", "HWR", ".")
    assert "Traceback" not in result.stderr, result.stderr
    assert reported(result.stdout.splitlines()) == _readme_findings(EXAMPLES / name)


@pytest.mark.parametrize("name", NAMES)
def test_fixer_fixes_the_example_and_behaviour_is_kept(name: str, tmp_path: Path) -> None:
    example = tmp_path / name
    shutil.copytree(EXAMPLES / name, example)
    assert _smoke(example).returncode == 0
    fix = [sys.executable, "-m", "flake8_hotwrap.fix", "."]
    first = subprocess.run(fix, cwd=str(example), capture_output=True, text=True)
    assert first.returncode == 1, first.stderr
    assert "Rewriting " in first.stderr
    after = reported(flake8(example, "--select", "HWR", ".").stdout.splitlines())
    assert not {f for f in after if f.endswith(("HWR001", "HWR002"))}, after
    second = subprocess.run(fix, cwd=str(example), capture_output=True, text=True)
    assert second.returncode == 0, second.stderr
    smoke = _smoke(example)
    assert smoke.returncode == 0, smoke.stdout + smoke.stderr
