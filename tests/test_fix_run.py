"""The fix command in process: what it says and returns for each per-file outcome.

The sites are injected (``run(..., selector=...)``) so each case states exactly which
positions the index would have reported; ``test_fix_cli.py`` runs the real index and
the real command line.
"""
from __future__ import annotations

import argparse
import io
import os
import sys
from pathlib import Path
from typing import Dict, List, Sequence, Tuple

import pytest

from flake8_hotwrap import fix
from flake8_hotwrap.config import Config
from flake8_hotwrap.fix import Options, _jobs, _Progress, main, process_file, run
from flake8_hotwrap.rewrite import find_wraps_calls
from flake8_hotwrap.targets import TargetVersions

Site = Tuple[int, int]
PY39 = TargetVersions((3, 9))

DECO = b"""\
from functools import wraps


def deco(f):
    @wraps(f)
    def w(*a, **k):
        return f(*a, **k)
    return w
"""
CUSTOM_ASSIGNED = b"""\
from functools import wraps


def deco(f):
    @wraps(f, assigned=())
    def w():
        return f()
    return w
"""
#: Valid Python that libcst's parser rejects: a backslash continuation in an indentation.
LIBCST_REJECTS = DECO + b"\n\nif 1:\n  \\\n  x = 1\n"
#: Valid Python nested deeper than libcst can recurse.
TOO_DEEP = DECO + b"\n\nx = " + b"-" * 1500 + b"1\n"


def _select(sites: Dict[str, List[Site]]):  # type: ignore[no-untyped-def]
    def select(paths: Sequence[str], config: Config, all_sites: bool) -> Dict[str, List[Site]]:
        return {p: s for p, s in sites.items()
                if any(p == x or p.startswith(x.rstrip(os.sep) + os.sep) for x in paths)}
    return select


def _run(root: Path, files: Dict[str, bytes], options: Options = Options(target=PY39),
         jobs: int = 1, sites: Dict[str, List[Site]] = None,  # type: ignore[assignment]
         ) -> Tuple[int, str, str]:
    for name, data in files.items():
        (root / name).write_bytes(data)
    if sites is None:  # every test file holds its decorator's site at line 5
        sites = {str(root / n): [(5, 5)] if b"    @wraps(f" in d else [] for n, d in
                 files.items()}
    out, err = io.StringIO(), io.StringIO()
    status = run([str(root)], options, jobs=jobs, selector=_select(sites), out=out, err=err)
    return status, out.getvalue(), err.getvalue()


def test_the_sites_these_tests_inject_are_real() -> None:
    assert find_wraps_calls(DECO) == find_wraps_calls(CUSTOM_ASSIGNED) == [(5, 5)]


def test_unfixable_site_is_reported_and_the_file_left_alone(tmp_path: Path) -> None:
    status, _, err = _run(tmp_path, {"m.py": CUSTOM_ASSIGNED})
    assert status == 0  # nothing changed, nothing failed
    where = tmp_path / "m.py"  # outside the working directory: shown absolute
    assert f"{where}:5:6: cannot fix: custom assigned/updated arguments change the " \
           "attribute set" in err
    assert "0 file(s) rewritten (0 fix(es)), 0 unsafe fix(es) skipped, 1 unfixable, " \
           "0 error(s)" in err
    assert (tmp_path / "m.py").read_bytes() == CUSTOM_ASSIGNED


def test_quiet_hides_the_unfixable_message(tmp_path: Path) -> None:
    status, _, err = _run(tmp_path, {"m.py": CUSTOM_ASSIGNED},
                          Options(target=PY39, verbosity=-1))
    assert (status, err) == (0, "")


def test_a_position_without_a_call_is_only_mentioned_under_verbose(tmp_path: Path) -> None:
    sites = {str(tmp_path / "m.py"): [(2, 0)]}  # a stale position: the blank line
    status, _, err = _run(tmp_path, {"m.py": DECO}, sites=sites)
    assert status == 0 and "cannot fix" not in err
    status, _, err = _run(tmp_path, {"m.py": DECO}, Options(target=PY39, verbosity=1),
                          sites=sites)
    assert status == 0
    assert ":2:1: cannot fix: no wraps/update_wrapper call at this position" in err
    assert "nothing to rewrite (target Python 3.9+)" in err
    assert (tmp_path / "m.py").read_bytes() == DECO


@pytest.mark.parametrize("source, message", [
    pytest.param(LIBCST_REJECTS, "error: syntax error (libcst): ", marks=pytest.mark.skipif(
        sys.version_info < (3, 10), reason="valid Python from 3.10 on; libcst rejects it")),
    (TOO_DEEP, "error: too deeply nested to rewrite"),
])
def test_valid_python_libcst_cannot_handle_is_an_error_not_a_crash(
        tmp_path: Path, source: bytes, message: str) -> None:
    compile(source, "m.py", "exec")  # the file itself is fine
    status, _, err = _run(tmp_path, {"m.py": source, "n.py": DECO})
    assert status == 2, err
    assert message in err
    assert (tmp_path / "m.py").read_bytes() == source
    assert b"@wraps" not in (tmp_path / "n.py").read_bytes()  # the run went on
    assert "1 file(s) rewritten (1 fix(es)), 0 unsafe fix(es) skipped, 0 unfixable, " \
           "1 error(s)" in err


def test_rewrite_verification_failure_writes_nothing(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from flake8_hotwrap import rewrite

    def failing(*args: object, **kwargs: object) -> None:
        raise rewrite.RewriteError("rewritten module does not compile:\n  line 3")

    monkeypatch.setattr(rewrite, "rewrite_source", failing)
    (tmp_path / "m.py").write_bytes(DECO)
    report = process_file(str(tmp_path / "m.py"), [(5, 5)], Options(), PY39)
    assert report.error == "rewritten module does not compile: line 3"  # one line
    assert not report.changed
    assert (tmp_path / "m.py").read_bytes() == DECO


def test_a_file_without_sites_is_only_syntax_checked_when_it_mentions_wraps(
        tmp_path: Path) -> None:
    broken = b"def f(:\n"
    status, _, err = _run(tmp_path, {"a.py": broken, "b.py": broken + b"# wraps\n"},
                          sites={str(tmp_path / "a.py"): [], str(tmp_path / "b.py"): []})
    assert status == 2
    assert "b.py: error: syntax error: line 1" in err
    assert "a.py" not in err  # left to flake8's E999


def test_process_pool_also_checks_the_files_without_sites(tmp_path: Path) -> None:
    files = {f"m{i}.py": DECO for i in range(4)}
    files["broken.py"] = b"from functools import wraps\ndef f(:\n"
    files["plain.py"] = b"x = 1\n"
    status, _, err = _run(tmp_path, files, jobs=2)
    assert status == 2  # a rewrite happened, but an error wins
    assert "broken.py: error: syntax error: line 2" in err
    assert "4 file(s) rewritten (4 fix(es))" in err
    assert all(b"@wraps" not in (tmp_path / f"m{i}.py").read_bytes() for i in range(4))


def test_failing_analysis_is_reported_and_other_paths_continue(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "m.py").write_bytes(DECO)

    def select(paths: Sequence[str], config: Config, all_sites: bool) -> Dict[str, List[Site]]:
        if paths[0].endswith("a"):
            raise RuntimeError("index exploded\nbadly")
        return {str(tmp_path / "b" / "m.py"): [(5, 5)]}

    err = io.StringIO()
    status = run([str(tmp_path / "a"), str(tmp_path / "b")], Options(target=PY39),
                 selector=select, out=io.StringIO(), err=err)
    assert status == 2
    assert f"{tmp_path / 'a'}: error: analysis failed: RuntimeError: index exploded badly" \
        in err.getvalue()
    assert b"@wraps" not in (tmp_path / "b" / "m.py").read_bytes()


def test_directory_that_cannot_be_entered(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    real_access = os.access

    def access(path: str, mode: int) -> bool:  # simulated: root may enter any directory
        if path == str(locked) and mode == os.X_OK:
            return False
        return real_access(path, mode)

    monkeypatch.setattr(fix.os, "access", access)
    err = io.StringIO()
    status = run([str(locked)], Options(), selector=_select({}), out=io.StringIO(), err=err)
    assert status == 2
    assert err.getvalue() == f"{locked}: error: permission denied\n"


@pytest.mark.parametrize("value, expected", [
    ("auto", os.cpu_count() or 1), ("0", os.cpu_count() or 1), ("1", 1), ("8", 8),
])
def test_jobs_values(value: str, expected: int) -> None:
    assert _jobs(value) == expected


@pytest.mark.parametrize("value", ["-1", "two", "1.5", ""])
def test_invalid_jobs_value_is_a_usage_error(value: str,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(argparse.ArgumentTypeError, match="invalid jobs value"):
        _jobs(value)
    with pytest.raises(SystemExit) as exit_info:
        main(["-j", value, "."])
    assert exit_info.value.code == 2
    assert f"invalid jobs value {value!r}" in capsys.readouterr().err


class _NoIsatty:
    def __init__(self) -> None:
        self.text = ""

    def write(self, text: str) -> None:
        self.text += text

    def flush(self) -> None:
        pass


def test_progress_bar_is_off_for_streams_that_are_not_terminals() -> None:
    no_isatty = _NoIsatty()
    progress = _Progress(10, no_isatty, enabled=True)  # type: ignore[arg-type]
    progress.step()
    progress.close()
    assert (progress.enabled, progress.done, no_isatty.text) == (False, 1, "")
    closed = io.StringIO()
    closed.close()  # isatty() raises ValueError on a closed stream
    assert not _Progress(10, closed, enabled=True).enabled


def test_progress_bar_draws_and_clears_on_a_terminal() -> None:
    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    tty = Tty()
    progress = _Progress(4, tty, enabled=True)
    progress.step()
    progress.step()
    assert tty.getvalue().endswith("\r[" + "#" * 15 + "." * 15 + "] 2/4 files")
    progress.close()
    assert tty.getvalue().endswith("\r\x1b[K")
    # One file, or -q: no bar at all.
    for p in (_Progress(1, Tty(), enabled=True), _Progress(4, Tty(), enabled=False)):
        assert not p.enabled


def test_display_is_relative_inside_the_working_directory_only(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    inside = tmp_path / "work"
    inside.mkdir()
    monkeypatch.chdir(inside)
    assert fix._display(str(inside / "pkg" / "m.py")) == os.path.join("pkg", "m.py")
    outside = str(tmp_path / "other" / "m.py")
    assert fix._display(outside) == outside
    assert fix._display(str(tmp_path)) == str(tmp_path)  # the parent itself
