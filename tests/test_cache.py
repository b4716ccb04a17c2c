"""The on-disk index cache is never served stale and never fatal."""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from conftest import DECO, HANDLERS, SMALL_PROJECT, flake8, reported, write_project

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
