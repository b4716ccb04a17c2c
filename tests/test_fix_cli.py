"""The fix command end to end: real project index, real files, real exit codes."""
from __future__ import annotations

import io
import os
import stat
import subprocess
import sys
from pathlib import Path
from typing import Dict, List, Sequence, Tuple

import pytest

from conftest import flake8, write_project
from flake8_hotwrap import fileio
from flake8_hotwrap.config import Config
from flake8_hotwrap.fix import Options, main, run
from flake8_hotwrap.rewrite import find_wraps_calls

DECO = """
from functools import wraps


def deco(f):
    @wraps(f)
    def w(*a, **k):
        return f(*a, **k)
    return w


def unused_elsewhere(f):
    @wraps(f)
    def w2(*a, **k):
        return f(*a, **k)
    return w2


def unsafe(f):
    g = f

    @wraps(g)
    def w3(*a, **k):
        return g(*a, **k)
    return w3
"""
HANDLERS = """
from flask import Flask

from pkg.deco import deco, unsafe

app = Flask(__name__)


@app.route("/")
@deco
def index():
    return "ok"


@app.route("/u")
@unsafe
def u():
    return "u"
"""
PROJECT = {"pkg/__init__.py": "", "pkg/deco.py": DECO, "pkg/views.py": HANDLERS,
           "setup.cfg": "[options]\npython_requires = >=3.9\n\n[flake8]\n"}


def fix_cli(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "flake8_hotwrap.fix", *args], cwd=str(cwd),
                          capture_output=True, text=True)


def project(tmp_path: Path, files: Dict[str, str] = PROJECT) -> Path:
    write_project(tmp_path, files)
    return tmp_path


def test_rewrites_handler_sites_then_nothing_to_do(tmp_path: Path) -> None:
    root = project(tmp_path)
    before = flake8(root, "--select", "HWR", ".")
    assert "HWR001" in before.stdout

    first = fix_cli(root, ".")
    assert first.returncode == 1, first.stderr
    assert "Rewriting pkg/deco.py" in first.stderr
    assert "unsafe fix not applied" in first.stderr and "--unsafe-fixes" in first.stderr
    text = (root / "pkg/deco.py").read_text()
    assert 'setattr(w, "__wrapped__", f)' in text
    assert "@wraps(f)\n    def w2" in text  # not on a handler: untouched without --all
    assert "@wraps(g)" in text  # unsafe: untouched without --unsafe-fixes

    second = fix_cli(root, ".")
    assert second.returncode == 0, second.stderr
    assert "Rewriting" not in second.stderr

    after = flake8(root, "--select", "HWR", ".")
    assert [ln.split(" ")[0] for ln in after.stdout.splitlines()] == ["./pkg/deco.py:33:6:"]

    third = fix_cli(root, "--unsafe-fixes", ".")
    assert third.returncode == 1 and "applied unsafe fix" in third.stderr
    assert flake8(root, "--select", "HWR001,HWR002", ".").stdout == ""


def test_all_rewrites_sites_not_on_handlers(tmp_path: Path) -> None:
    root = project(tmp_path)
    result = fix_cli(root, "--all", "pkg")
    assert result.returncode == 1, result.stderr
    text = (root / "pkg/deco.py").read_text()
    assert "@wraps(f)" not in text and 'setattr(w2, "__wrapped__", f)' in text


def test_check_and_diff_write_nothing(tmp_path: Path) -> None:
    root = project(tmp_path)
    original = (root / "pkg/deco.py").read_bytes()
    check = fix_cli(root, "--check", ".")
    assert check.returncode == 1
    assert "Would rewrite pkg/deco.py" in check.stderr
    assert "1 file(s) would be rewritten" in check.stderr
    diff = fix_cli(root, "--diff", ".")
    assert diff.returncode == 1
    assert diff.stdout.startswith("--- a/pkg/deco.py\n+++ b/pkg/deco.py\n")
    assert "-    @wraps(f)\n" in diff.stdout
    assert '+    setattr(w, "__wrapped__", f)\n' in diff.stdout
    assert (root / "pkg/deco.py").read_bytes() == original


def test_target_version_from_setup_cfg_and_option(tmp_path: Path) -> None:
    files = dict(PROJECT, **{"setup.cfg": "[options]\npython_requires = >=3.12,<3.14\n"})
    root = project(tmp_path, files)
    assert fix_cli(root, "--check", ".").returncode == 1
    assert fix_cli(root, ".").returncode == 1
    text = (root / "pkg/deco.py").read_text()
    assert "import sys" not in text and "    w.__type_params__ = f.__type_params__\n" in text
    root2 = tmp_path / "second"
    project(root2)
    assert fix_cli(root2, "--target-version", "3.9-3.11", ".").returncode == 1
    text = (root2 / "pkg/deco.py").read_text()
    assert "sys" not in text and "__type_params__" not in text


def test_missing_path_is_a_usage_error(tmp_path: Path) -> None:
    project(tmp_path)
    result = fix_cli(tmp_path, "nope.py", "pkg")
    assert result.returncode == 2
    assert "nope.py: error: no such file or directory" in result.stderr
    assert "Rewriting pkg/deco.py" in result.stderr  # the rest of the run continues


def test_bad_option_is_a_usage_error(tmp_path: Path) -> None:
    result = fix_cli(tmp_path, "--target-version", "python3", ".")
    assert result.returncode == 2 and "invalid target version" in result.stderr


BROKEN: List[Tuple[str, bytes, str]] = [
    ("syntax.py", b"from functools import wraps\ndef f(:\n    pass\n", "syntax error"),
    ("nul.py", b"x = 1\x00\n", "NUL bytes"),
    ("latin.py", b"x = '\xe9'\n", "not valid utf-8"),
    ("cookie.py", b"# -*- coding: klingon -*-\nx = 1\n", "encoding"),
]


def test_syntax_errors_without_wraps_are_left_to_flake8(tmp_path: Path) -> None:
    """A file that cannot hold a site is not parsed (flake8 reports its E999)."""
    root = project(tmp_path)
    (root / "pkg" / "other.py").write_bytes(b"def f(:\n    pass\n")
    result = fix_cli(root, ".")
    assert result.returncode == 1 and "other.py" not in result.stderr, result.stderr


def test_broken_files_are_reported_and_the_run_continues(tmp_path: Path) -> None:
    root = project(tmp_path)
    for name, data, _ in BROKEN:
        (root / "pkg" / name).write_bytes(data)
    result = fix_cli(root, ".")
    assert result.returncode == 2
    lines = result.stderr.splitlines()
    for name, data, message in BROKEN:
        mine = [ln for ln in lines if ln.startswith(f"pkg/{name}: error: ")]
        assert len(mine) == 1 and message in mine[0], result.stderr
        assert (root / "pkg" / name).read_bytes() == data
    assert "Rewriting pkg/deco.py" in result.stderr
    assert "Traceback" not in result.stderr


def test_read_only_file_is_reported_and_untouched(tmp_path: Path) -> None:
    root = project(tmp_path)
    deco = root / "pkg/deco.py"
    deco.chmod(0o444)
    original = deco.read_bytes()
    result = fix_cli(root, ".")
    assert result.returncode == 2
    assert "pkg/deco.py: error: file is read-only" in result.stderr
    assert deco.read_bytes() == original


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root reads anything")
def test_unreadable_file_is_reported(tmp_path: Path) -> None:
    root = project(tmp_path)
    (root / "pkg/deco.py").chmod(0)
    try:
        result = fix_cli(root, ".")
    finally:
        (root / "pkg/deco.py").chmod(0o644)
    assert result.returncode == 2 and "pkg/deco.py: error: permission denied" in result.stderr


def test_permission_bits_are_kept(tmp_path: Path) -> None:
    root = project(tmp_path)
    deco = root / "pkg/deco.py"
    deco.chmod(0o751)
    assert fix_cli(root, ".").returncode == 1
    assert stat.S_IMODE(deco.stat().st_mode) == 0o751
    assert not [p for p in deco.parent.iterdir() if p.name.endswith(".tmp")]


def test_symlink_outside_the_tree_is_not_followed(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    write_project(outside, {"deco.py": DECO})
    root = project(tmp_path / "proj")
    (root / "pkg/linked.py").symlink_to(outside / "deco.py")
    result = fix_cli(root, "--all", "pkg")
    assert "pkg/linked.py: error: symlink points outside the tree" in result.stderr
    assert (outside / "deco.py").read_text() == DECO.lstrip("\n")
    assert result.returncode == 2


def test_symlink_inside_the_tree_rewrites_its_target(tmp_path: Path) -> None:
    root = project(tmp_path)
    (root / "pkg/real").mkdir()
    (root / "pkg/real/impl.py").write_text(DECO)
    (root / "pkg/alias.py").symlink_to(root / "pkg/real/impl.py")
    result = fix_cli(root, "--all", "pkg")
    assert result.returncode == 1, result.stderr
    assert (root / "pkg/alias.py").is_symlink()
    assert "@wraps(f)" not in (root / "pkg/real/impl.py").read_text()


def test_interrupted_write_leaves_the_old_file(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "m.py"
    target.write_bytes(b"old\n")

    def boom(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(fileio.os, "replace", boom)
    with pytest.raises(fileio.FileError, match="No space left"):
        fileio.write_atomic(str(target), b"new\n")
    assert target.read_bytes() == b"old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["m.py"]


def test_exclude_option(tmp_path: Path) -> None:
    root = project(tmp_path)
    result = fix_cli(root, "--exclude", "deco.py", ".")
    assert result.returncode == 0, result.stderr
    assert "@wraps(f)" in (root / "pkg/deco.py").read_text()


def test_quiet_and_verbose(tmp_path: Path) -> None:
    root = project(tmp_path)
    quiet = fix_cli(root, "-q", "--check", ".")
    assert quiet.returncode == 1 and quiet.stderr == ""
    verbose = fix_cli(root, "-v", "--check", ".")
    assert "pkg/deco.py:5:6: fixed" in verbose.stderr
    assert "pkg/views.py: nothing to rewrite" in verbose.stderr


def _selector(sites_by_file: Dict[str, List[Tuple[int, int]]]):  # type: ignore[no-untyped-def]
    def select(paths: Sequence[str], config: Config, all_sites: bool
               ) -> Dict[str, List[Tuple[int, int]]]:
        return {p: s for p, s in sites_by_file.items()
                if any(p.startswith(os.path.abspath(x)) for x in paths)}
    return select


def test_parallel_jobs_match_serial(tmp_path: Path) -> None:
    serial, parallel = tmp_path / "serial", tmp_path / "parallel"
    for root in (serial, parallel):
        write_project(root, {f"m{i}.py": DECO for i in range(6)})
    outputs = []
    for root, jobs in ((serial, 1), (parallel, 3)):
        sites = {str(p): find_wraps_calls(p.read_bytes()) for p in sorted(root.glob("*.py"))}
        err = io.StringIO()
        status = run([str(root)], Options(unsafe=True), jobs=jobs,
                     selector=_selector(sites), err=err)
        assert status == 1, err.getvalue()
        outputs.append([p.read_text() for p in sorted(root.glob("*.py"))])
    assert outputs[0] == outputs[1]
    assert all("wraps" not in text for text in outputs[0])


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_bar_only_on_a_terminal(tmp_path: Path) -> None:
    write_project(tmp_path, {f"m{i}.py": DECO for i in range(3)})
    sites = {str(p): find_wraps_calls(p.read_bytes()) for p in sorted(tmp_path.glob("*.py"))}
    tty, pipe = _Tty(), io.StringIO()
    run([str(tmp_path)], Options(mode="check"), selector=_selector(sites), err=tty)
    run([str(tmp_path)], Options(mode="check"), selector=_selector(sites), err=pipe)
    assert "\r[" in tty.getvalue() and "3/3 files" in tty.getvalue()
    assert "\r" not in pipe.getvalue()


def test_main_entry_point(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                          capsys: pytest.CaptureFixture[str]) -> None:
    root = project(tmp_path)
    monkeypatch.chdir(root)
    assert main(["--check", "pkg"]) == 1
    assert "Would rewrite pkg/deco.py" in capsys.readouterr().err


def test_libcst_codemod_runner(tmp_path: Path) -> None:
    root = project(tmp_path)
    result = subprocess.run(
        [sys.executable, "-m", "libcst.tool", "codemod", "-x",
         "flake8_hotwrap.codemod.HotwrapCodemod", "--no-format", "-j", "1",
         "--hide-progress", "."],
        cwd=str(root), capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "unsafe fix not applied" in result.stderr
    cli_root = tmp_path / "cli"
    project(cli_root)
    fix_cli(cli_root, ".")
    assert (root / "pkg/deco.py").read_text() == (cli_root / "pkg/deco.py").read_text()


def test_pre_commit_hook_definition() -> None:
    hooks = (Path(__file__).resolve().parents[1] / ".pre-commit-hooks.yaml").read_text()
    assert "-   id: flake8-hotwrap-fix\n" in hooks
    assert "entry: flake8-hotwrap-fix\n" in hooks
    assert "types: [python]" in hooks
