"""The on-disk index cache is never served stale and never fatal."""
from __future__ import annotations

import json
import os
import textwrap
import time
from pathlib import Path
from types import SimpleNamespace
from typing import Any, Iterator

import pytest

from conftest import DECO, HANDLERS, SMALL_PROJECT, flake8, reported, write_project
from flake8_hotwrap import project as project_mod
from flake8_hotwrap.config import Config
from flake8_hotwrap.project import ProjectIndex, build_index

SITE = {"pkg/deco.py:4:HWR001"}


def _lint(root: Path, *args: str) -> set[str]:
    result = flake8(root, "--select", "HWR", *args, ".")
    assert "Traceback" not in result.stderr, result.stderr
    return reported(result.stdout.splitlines())


@pytest.fixture
def project(tmp_path: Path) -> Path:
    write_project(tmp_path, SMALL_PROJECT)
    return tmp_path


def _cache_files(cache: Path) -> list[Path]:
    return sorted(cache.glob("index-*.json"))


def test_edited_handler_module_is_not_served_stale(project: Path, _isolated_cache: Path) -> None:
    assert _lint(project) == SITE
    assert _cache_files(_isolated_cache)
    views = project / "pkg/views.py"
    views.write_text(HANDLERS.replace("@deco\n", ""))
    assert _lint(project) == set()
    views.write_text(HANDLERS)
    assert _lint(project) == SITE


def test_deleted_and_added_files(project: Path) -> None:
    assert _lint(project) == SITE
    (project / "pkg/views.py").unlink()
    assert _lint(project) == set()
    # A new file that applies the decorator (the cache has searched its names before).
    (project / "pkg/other.py").write_text(HANDLERS)
    assert _lint(project) == SITE


def test_new_decorator_name_searches_unchanged_files(project: Path) -> None:
    (project / "pkg/views.py").write_text(HANDLERS.replace("deco", "later"))
    assert _lint(project) == set()
    # Now define `later` with wraps: the unchanged views.py must be searched again.
    (project / "pkg/later.py").write_text(DECO.lstrip().replace("deco", "later"))
    assert _lint(project) == {"pkg/later.py:4:HWR001"}


@pytest.mark.parametrize("garbage", [b"{not json", b"", b'{"header": 1}', b"\xff\xfe\x00",
                                     b'{"header": {}, "files": {"a": [1]}}'])
def test_corrupt_cache_is_rebuilt(project: Path, _isolated_cache: Path, garbage: bytes) -> None:
    assert _lint(project) == SITE
    for f in _cache_files(_isolated_cache):
        f.write_bytes(garbage)
    assert _lint(project) == SITE
    json.loads(_cache_files(_isolated_cache)[0].read_text())  # rewritten, valid again


def test_cache_from_another_version_is_ignored(project: Path, _isolated_cache: Path) -> None:
    assert _lint(project) == SITE
    (f,) = _cache_files(_isolated_cache)
    data = json.loads(f.read_text())
    data["header"]["version"] = "0-old"
    data["files"] = {}  # an old cache claiming no file matters
    f.write_text(json.dumps(data))
    assert _lint(project) == SITE


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0,
                    reason="root ignores permission bits")
def test_unwritable_cache_dir(project: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    ro = tmp_path_factory.mktemp("ro")
    ro.chmod(0o500)
    assert _lint(project, f"--hotwrap-cache-dir={ro}") == SITE


def test_cache_dir_is_a_file(project: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    not_a_dir = tmp_path_factory.mktemp("x") / "file"
    not_a_dir.write_text("")
    assert _lint(project, f"--hotwrap-cache-dir={not_a_dir}") == SITE


def test_relocated_and_disabled_cache(project: Path, _isolated_cache: Path,
                                      tmp_path_factory: pytest.TempPathFactory) -> None:
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    (project / "setup.cfg").write_text(f"[flake8]\nhotwrap-cache-dir = {elsewhere}\n")
    assert _lint(project) == SITE
    assert _cache_files(elsewhere) and not _cache_files(_isolated_cache)
    (project / "setup.cfg").write_text("[flake8]\nhotwrap-no-cache = true\n")
    for f in _cache_files(elsewhere):
        f.unlink()
    assert _lint(project) == SITE
    assert not _cache_files(elsewhere) and not _cache_files(_isolated_cache)


# --- a warm build skips the walk when no directory changed, and still sees every change

def _age(root: Path, seconds: float = 3600) -> None:
    """Make every file and directory look untouched for an hour (a settled checkout)."""
    past = time.time() - seconds
    for p in [root, *root.rglob("*")]:
        os.utime(p, (past, past))


_REAL_WALK = project_mod._Walker.walk


def _build(root: Path, cache: Path, monkeypatch: pytest.MonkeyPatch,
           walks: list[str]) -> ProjectIndex:
    real_walk = _REAL_WALK

    def counting_walk(self: project_mod._Walker, top: str) -> Iterator[Any]:
        walks.append(top)
        return real_walk(self, top)

    monkeypatch.setattr(project_mod._Walker, "walk", counting_walk)
    return build_index(str(root), Config(cache_dir=str(cache)))


def _sites(index: ProjectIndex, root: Path) -> set[str]:
    deco = str(root / "pkg/deco.py")
    return {f"{f.code}:{f.site.line}" for f in index.findings(deco) if f.on_handler}


@pytest.mark.parametrize("change", ["edit in place", "add a file", "delete a file",
                                    "add a package"])
def test_unchanged_directories_skip_the_walk(project: Path, _isolated_cache: Path,
                                             monkeypatch: pytest.MonkeyPatch,
                                             change: str) -> None:
    _age(project)
    cache, walks = _isolated_cache, []
    assert _sites(_build(project, cache, monkeypatch, walks), project) == {"HWR001:4"}
    assert len(walks) == 1
    assert _sites(_build(project, cache, monkeypatch, walks), project) == {"HWR001:4"}
    assert len(walks) == 1, "nothing changed: the cached file list is re-statted, not walked"
    views = project / "pkg/views.py"
    if change == "edit in place":  # same directory entries: only the file's stat changes
        views.write_text(HANDLERS.replace("@deco\n", ""))
        # Ten seconds later (past the timestamp-resolution guard for the edit):
        later = SimpleNamespace(time_ns=lambda: time.time_ns() + 10_000_000_000)
        monkeypatch.setattr(project_mod, "time", later)
        expected, walked = set(), 1
    elif change == "add a file":
        views.write_text(HANDLERS.replace("@deco\n", ""))
        _age(project)
        (project / "pkg/more_views.py").write_text(textwrap.dedent(HANDLERS))
        expected, walked = {"HWR001:4"}, 2
    elif change == "delete a file":
        views.unlink()
        expected, walked = set(), 2
    else:
        views.write_text(HANDLERS.replace("@deco\n", ""))
        _age(project)
        (project / "pkg/sub").mkdir()
        (project / "pkg/sub/__init__.py").write_text("")
        (project / "pkg/sub/views.py").write_text(textwrap.dedent(HANDLERS))
        expected, walked = {"HWR001:4"}, 2
    assert _sites(_build(project, cache, monkeypatch, walks), project) == expected
    assert len(walks) == walked
    if change == "edit in place":  # the edited file is read once, then served from the cache
        again = _build(project, cache, monkeypatch, walks)
        assert _sites(again, project) == expected
        assert (len(walks), again._parses) == (walked, 0)


def test_recently_changed_directories_are_walked(project: Path, _isolated_cache: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """A directory changed within the file system's timestamp resolution of the walk
    could change again unnoticed (same mtime): it is walked until it settles."""
    cache, walks = _isolated_cache, []
    _build(project, cache, monkeypatch, walks)
    _build(project, cache, monkeypatch, walks)
    assert len(walks) == 2
