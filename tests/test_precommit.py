"""pre-commit, end to end: the real ``pre-commit`` against a temporary git repository.

* ``pre-commit try-repo <this checkout> flake8-hotwrap-fix`` runs the hook exactly as
  ``.pre-commit-hooks.yaml`` defines it: it rewrites and fails the first run (files
  modified), and passes the second.
* ``docs/pre-commit-config.yaml`` is the configuration the README shows (both hooks, the
  flake8 one with ``additional_dependencies``).  It names GitHub repositories, which this
  test cannot reach, so it runs that text with three substitutions, each asserted to
  happen exactly once: this project's repository URL and rev become a git repository
  holding this working tree (at its commit); ``flake8-hotwrap==X`` in
  ``additional_dependencies`` becomes the path of that tree; PyCQA/flake8's URL becomes a
  local stand-in repository at the same rev, which defines the same ``flake8`` hook and
  installs ``flake8==<rev>`` from PyPI, as the real repository installs itself.
  Everything else (hook ids, revs, ``additional_dependencies``, what pre-commit installs
  and runs) is the README's text.

pre-commit builds its hook environments with pip (PyPI must be reachable, as for the
test extras); they are built once per module under a temporary ``PRE_COMMIT_HOME``.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Dict, List, Tuple

import pytest

pytest.importorskip("pre_commit", reason="pre-commit is not installed")
if shutil.which("git") is None:
    pytest.skip("git is not installed", allow_module_level=True)

ROOT = Path(__file__).resolve().parents[1]
SNIPPET = ROOT / "docs" / "pre-commit-config.yaml"
TIMEOUT = 900  # seconds: a first run builds hook environments with pip

SERVICE = {
    "pyproject.toml": "[project]\nname = 'svc'\nrequires-python = '>=3.9'\n",
    "app/__init__.py": "",
    "app/deco.py": '''\
from functools import wraps


def audited(f):
    @wraps(f)
    def wrapper(*args, **kwargs):
        return f(*args, **kwargs)
    return wrapper
''',
    "app/views.py": '''\
from flask import Flask

from app.deco import audited

app = Flask(__name__)


@app.route("/items")
@audited
def items():
    return "ok"
''',
}

# The hook PyCQA/flake8's repository defines (its .pre-commit-hooks.yaml), for the stand-in.
FLAKE8_HOOKS = """\
-   id: flake8
    name: flake8
    entry: flake8
    language: python
    types: [python]
    require_serial: true
"""
FLAKE8_STANDIN = """\
[build-system]
requires = ["setuptools>=61"]
build-backend = "setuptools.build_meta"

[project]
name = "flake8-precommit-standin"
version = "0"
dependencies = ["flake8=={rev}"]

[tool.setuptools]
py-modules = []
"""


def _env() -> Dict[str, str]:
    env = dict(os.environ)
    env.update({
        "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.invalid",
        "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.invalid",
        "GIT_CONFIG_NOSYSTEM": "1", "PRE_COMMIT_COLOR": "never",
    })
    env.pop("GIT_DIR", None)
    env.pop("GIT_INDEX_FILE", None)
    return env


def _git(cwd: Path, *args: str) -> str:
    result = subprocess.run(["git", "-c", "commit.gpgsign=false", "-c", "core.hooksPath=/dev/null",
                             *args], cwd=str(cwd), env=_env(), capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, f"git {' '.join(args)}: {result.stderr}"
    return result.stdout.strip()


def _commit_all(repo: Path, message: str = "init") -> str:
    if not (repo / ".git").exists():
        _git(repo, "init", "-q")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", message)
    return _git(repo, "rev-parse", "HEAD")


def _pre_commit(repo: Path, home: Path, *args: str) -> Tuple[int, str]:
    env = _env()
    env["PRE_COMMIT_HOME"] = str(home)
    result = subprocess.run([sys.executable, "-m", "pre_commit", *args], cwd=str(repo),
                            env=env, capture_output=True, text=True, timeout=TIMEOUT)
    return result.returncode, result.stdout + result.stderr


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """pre-commit's cache of hook environments, shared by this module's tests."""
    return tmp_path_factory.mktemp("pre-commit-home")


@pytest.fixture(scope="module")
def this_repo(tmp_path_factory: pytest.TempPathFactory) -> Tuple[Path, str]:
    """This working tree (tracked and untracked, not ignored files) as a git repo."""
    files = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                           cwd=str(ROOT), capture_output=True, timeout=120)
    if files.returncode != 0:
        pytest.skip("this checkout is not a git repository")
    dest = tmp_path_factory.mktemp("flake8-hotwrap")
    for rel in files.stdout.decode().split("\0"):
        src = ROOT / rel
        if rel and src.is_file():
            (dest / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest / rel)
    return dest, _commit_all(dest)


@pytest.fixture
def service(tmp_path: Path) -> Path:
    repo = tmp_path / "service"
    for name, text in SERVICE.items():
        p = repo / name
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text, encoding="utf-8")
    _commit_all(repo)
    return repo


def _runnable(snippet: str, hotwrap: Path, sha: str, flake8_standin: Path) -> str:
    subs: List[Tuple[str, str]] = [
        (r"repo: https://github\.com/[^/\s]+/flake8-hotwrap(\.git)?\n(\s+)rev: \S+",
         f"repo: {hotwrap}\n\\2rev: {sha}"),
        (r"repo: https://github\.com/PyCQA/flake8(\.git)?\n", f"repo: {flake8_standin}\n"),
        (r"flake8-hotwrap==[\w.]+", str(hotwrap)),
    ]
    for pattern, replacement in subs:
        snippet, n = re.subn(pattern, replacement, snippet)
        assert n == 1, f"docs/pre-commit-config.yaml: {pattern!r} matched {n} times"
    return snippet


def _flake8_standin(where: Path, rev: str) -> Path:
    repo = where / "flake8-repo"
    repo.mkdir()
    (repo / ".pre-commit-hooks.yaml").write_text(FLAKE8_HOOKS, encoding="utf-8")
    (repo / "pyproject.toml").write_text(FLAKE8_STANDIN.format(rev=rev), encoding="utf-8")
    _commit_all(repo)
    _git(repo, "tag", rev)
    return repo


def test_fix_hook_through_try_repo_rewrites_then_passes(service: Path, home: Path) -> None:
    if not (ROOT / ".git").exists():
        pytest.skip("this checkout is not a git repository")
    args = ("try-repo", str(ROOT), "flake8-hotwrap-fix", "--all-files", "--verbose")
    status, out = _pre_commit(service, home, *args)
    assert status == 1, out
    assert "flake8-hotwrap fix" in out and "Failed" in out, out
    assert "files were modified by this hook" in out, out
    assert "Rewriting app/deco.py" in out, out
    fixed = (service / "app" / "deco.py").read_text(encoding="utf-8")
    assert "@wraps" not in fixed and 'setattr(wrapper, "__wrapped__", f)' in fixed
    assert (service / "app" / "views.py").read_text(encoding="utf-8") == SERVICE["app/views.py"]

    status, out = _pre_commit(service, home, *args)
    assert status == 0, out
    assert "Passed" in out, out
    assert (service / "app" / "deco.py").read_text(encoding="utf-8") == fixed


def test_readme_config_flake8_reports_then_fix_hook_fixes(
        service: Path, home: Path, this_repo: Tuple[Path, str], tmp_path: Path) -> None:
    snippet = SNIPPET.read_text(encoding="utf-8")
    rev = re.search(r"PyCQA/flake8(?:\.git)?\n\s+rev: (\S+)", snippet)
    assert rev, snippet
    hotwrap, sha = this_repo
    config = _runnable(snippet, hotwrap, sha, _flake8_standin(tmp_path, rev.group(1)))
    (service / ".pre-commit-config.yaml").write_text(config, encoding="utf-8")
    _commit_all(service, "pre-commit")

    # The flake8 hook (flake8 + additional_dependencies) on the unfixed tree.
    status, out = _pre_commit(service, home, "run", "flake8", "--all-files")
    assert status == 1, out
    assert re.search(r"app/deco\.py:5:6: HWR001 functools\.wraps in decorator 'audited'", out), out
    assert not re.search(r"^app/views\.py:", out, re.MULTILINE), out  # nothing else reported

    # The fix hook: rewrites and fails, then the whole configuration passes.
    status, out = _pre_commit(service, home, "run", "flake8-hotwrap-fix", "--all-files")
    assert status == 1, out
    assert "files were modified by this hook" in out, out
    assert "@wraps" not in (service / "app" / "deco.py").read_text(encoding="utf-8")
    status, out = _pre_commit(service, home, "run", "--all-files")
    assert status == 0, out
    assert out.count("Passed") == 2, out


def test_readme_shows_the_tested_configuration() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    snippet = SNIPPET.read_text(encoding="utf-8")
    assert "```yaml\n" + snippet + "```" in readme, (
        "README.md must show docs/pre-commit-config.yaml verbatim in a ```yaml block")
