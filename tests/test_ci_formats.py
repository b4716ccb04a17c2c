"""CI and output formats: what users pipe into CI keeps working with the plugin's output.

Real flake8 and the real fix command in subprocesses, on a small two-module service.
The GitHub Actions workflow the README shows is ``docs/ci-github-actions.yml``; its
``run:`` commands (after the install step) are executed here as written.
"""
from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path
from typing import List

from conftest import flake8, write_project

ROOT = Path(__file__).resolve().parents[1]
WORKFLOW = ROOT / "docs" / "ci-github-actions.yml"

DECO = """
from functools import wraps


def audited(f):
    @wraps(f)
    def wrapper(*args, **kwargs):
        return f(*args, **kwargs)
    return wrapper
"""
VIEWS = """
from flask import Flask

from app.deco import audited

app = Flask(__name__)


@app.route("/items")
@audited
def items():
    return "ok"
"""
PROJECT = {
    "pyproject.toml": "[project]\nname = 'svc'\nrequires-python = '>=3.9'\n",
    "app/__init__.py": "",
    "app/deco.py": DECO,
    "app/views.py": VIEWS,
}
MESSAGE = (r"functools\.wraps in decorator 'audited' applied to 1 request handler "
           r"\(first: app/views\.py:10 items\): costs ~0\.5-0\.9us once per decoration at "
           r"import, not per request; rewrite with explicit attributes: "
           r"python -m flake8_hotwrap\.fix")
SUMMARY = re.compile(r"^flake8-hotwrap-fix: (\d+) file\(s\) (would be rewritten|rewritten) "
                     r"\((\d+) fix\(es\)\), (\d+) unsafe fix\(es\) skipped, (\d+) unfixable, "
                     r"(\d+) error\(s\)$")


def _project(tmp_path: Path) -> Path:
    write_project(tmp_path, PROJECT)
    return tmp_path


def _fix(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "flake8_hotwrap.fix", *args], cwd=str(cwd),
                          capture_output=True, text=True, timeout=300)


def test_default_format(tmp_path: Path) -> None:
    result = flake8(_project(tmp_path), "--select", "HWR", ".")
    assert result.returncode == 1, result.stderr
    assert re.fullmatch(r"\./app/deco\.py:5:6: HWR001 " + MESSAGE + "\n", result.stdout), \
        result.stdout
    # Explicit --format=default, --count and --exit-zero behave as for any plugin.
    result = flake8(tmp_path, "--select", "HWR", "--format=default", "--count", "app")
    assert result.stdout.splitlines()[-1] == "1", result.stdout
    assert flake8(tmp_path, "--select", "HWR", "--exit-zero", ".").returncode == 0


def test_pylint_format(tmp_path: Path) -> None:
    result = flake8(_project(tmp_path), "--select", "HWR", "--format=pylint", ".")
    assert result.returncode == 1, result.stderr
    assert re.fullmatch(r"\./app/deco\.py:5: \[HWR001\] " + MESSAGE + "\n", result.stdout), \
        result.stdout


def test_show_source_points_at_the_wraps_call(tmp_path: Path) -> None:
    result = flake8(_project(tmp_path), "--select", "HWR", "--show-source", "app/deco.py")
    assert result.returncode == 1, result.stderr
    first, source, caret = result.stdout.splitlines()
    assert re.fullmatch(r"app/deco\.py:5:6: HWR001 " + MESSAGE, first), first
    assert source == "    @wraps(f)"
    assert caret == " " * 5 + "^"  # column 6: the call after '@'


def test_statistics_and_quiet_formats(tmp_path: Path) -> None:
    _project(tmp_path)
    result = flake8(tmp_path, "--select", "HWR", "--statistics", "-q", ".")
    assert result.stdout.splitlines()[-1].split()[:2] == ["1", "HWR001"], result.stdout
    result = flake8(tmp_path, "--select", "HWR", "--format=quiet-filename", ".")
    assert result.stdout == "./app/deco.py\n", result.stdout


def test_fix_check_summary_line_and_exit_codes(tmp_path: Path) -> None:
    _project(tmp_path)
    result = _fix(tmp_path, "--check", ".")
    assert result.returncode == 1, result.stderr  # would change something: fail the job
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert lines[:-1] == ["Would rewrite app/deco.py"], result.stderr
    m = SUMMARY.match(lines[-1])
    assert m and m.groups() == ("1", "would be rewritten", "1", "0", "0", "0"), lines[-1]
    assert (tmp_path / "app" / "deco.py").read_text(encoding="utf-8") == DECO.lstrip("\n")

    # -q keeps CI logs to errors only; the exit code still tells.
    quiet = _fix(tmp_path, "--check", "-q", ".")
    assert (quiet.returncode, quiet.stdout, quiet.stderr) == (1, "", "")

    assert _fix(tmp_path, ".").returncode == 1  # rewrites
    result = _fix(tmp_path, "--check", ".")
    assert result.returncode == 0, result.stderr
    (line,) = result.stderr.splitlines()
    m = SUMMARY.match(line)
    assert m and m.group(1) == "0" and m.group(3) == "0", line
    assert flake8(tmp_path, "--select", "HWR", ".").stdout == ""


def _workflow_commands() -> List[str]:
    runs = re.findall(r"^\s*- run: (.+)$", WORKFLOW.read_text(encoding="utf-8"), re.MULTILINE)
    assert runs[0] == "pip install flake8-hotwrap", runs  # this environment has it installed
    return runs[1:]


def test_documented_workflow_commands(tmp_path: Path) -> None:
    commands = _workflow_commands()
    assert [c.split()[0] for c in commands] == ["flake8", "python"], commands
    _project(tmp_path)
    exe = {"flake8": [sys.executable, "-m", "flake8"], "python": [sys.executable]}

    def run(command: str) -> subprocess.CompletedProcess[str]:
        argv = shlex.split(command)
        return subprocess.run(exe[argv[0]] + argv[1:], cwd=str(tmp_path), capture_output=True,
                              text=True, timeout=300)

    lint, check = (run(c) for c in commands)
    assert lint.returncode == 1 and "./app/deco.py:5: [HWR001] functools.wraps" in lint.stdout
    assert check.returncode == 1 and SUMMARY.match(check.stderr.splitlines()[-1])
    assert _fix(tmp_path, ".").returncode == 1
    assert [run(c).returncode for c in commands] == [0, 0]  # a fixed tree passes the job


def test_readme_shows_the_tested_workflow() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "```yaml\n" + WORKFLOW.read_text(encoding="utf-8") + "```" in readme
