"""The project index in process: which files it walks, files outside it, damaged entries.

``test_cache.py`` and ``test_robustness.py`` check the same through flake8; these cases
need situations a subprocess cannot easily create (a directory that cannot be listed when
the suite runs as root, a damaged cache entry) or pin down the fixer's entry point.
"""
from __future__ import annotations

import dataclasses
import logging
import os
from pathlib import Path
from typing import Any, List

import pytest

from conftest import DECO, HANDLERS, write_project
from flake8_hotwrap import project
from flake8_hotwrap.config import Config, config_from_files
from flake8_hotwrap.project import _Entry, _Walker, findings_for_paths, iter_python_files

VIEWS = HANDLERS.replace("pkg.deco", "legacy.deco")


def _rel(root: Path, paths: List[str]) -> List[str]:
    return sorted(Path(p).relative_to(root).as_posix() for p in paths)


def test_walk_skips_excluded_names_paths_and_virtualenvs(tmp_path: Path) -> None:
    write_project(tmp_path, {
        "setup.cfg": "[flake8]\nextend-exclude = gen/*, *_pb2.py\n",
        "app/views.py": "", "app/__pycache__/views.py": "", ".git/hooks/x.py": "",
        "node_modules/pkg/x.py": "", "gen/api.py": "", "app/api_pb2.py": "",
        "venv/pyvenv.cfg": "home = /usr/bin\n", "venv/lib/site.py": "",
        "app/notes.txt": "", "app/sub/m.py": "",
    })
    config = config_from_files(str(tmp_path))
    assert _rel(tmp_path, list(iter_python_files([str(tmp_path)], config))) == [
        "app/sub/m.py", "app/views.py"]
    # A file named on the command line is yielded as given.
    named = str(tmp_path / "gen" / "api.py")
    assert list(iter_python_files([named], config)) == [named]


def test_a_directory_that_cannot_be_listed_is_skipped_and_the_walk_marked_incomplete(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    write_project(tmp_path, {"a/m.py": "", "b/n.py": ""})
    real_scandir = os.scandir

    def scandir(path: Any) -> Any:  # simulated: root can list a chmod 000 directory
        if os.fspath(path) == str(tmp_path / "b"):
            raise PermissionError(13, "Permission denied")
        return real_scandir(path)

    monkeypatch.setattr(project.os, "scandir", scandir)
    walker = _Walker(str(tmp_path), Config().exclude)
    with caplog.at_level(logging.INFO, logger="flake8.hotwrap"):
        found = [p for p, _ in walker.walk(str(tmp_path))]
    assert _rel(tmp_path, found) == ["a/m.py"]
    assert not walker.complete  # the directory mtimes must not stand in for a walk
    assert f"hotwrap: skipping directory {tmp_path / 'b'}: Permission denied" in caplog.text


def test_walk_of_a_complete_tree_records_every_directory(tmp_path: Path) -> None:
    write_project(tmp_path, {"a/m.py": "", "a/b/n.py": ""})
    walker = _Walker(str(tmp_path), Config().exclude)
    assert len(list(walker.walk(str(tmp_path)))) == 2
    assert walker.complete
    assert set(walker.dirs) == {str(tmp_path), str(tmp_path / "a"), str(tmp_path / "a" / "b")}


@pytest.mark.parametrize("raw", ["{broken", "[]", '{"module": 1}', "null"])
def test_damaged_cache_entry_reads_as_no_facts(raw: str, caplog: pytest.LogCaptureFixture
                                               ) -> None:
    entry = _Entry(1, 1, None, True, raw=raw)
    with caplog.at_level(logging.INFO, logger="flake8.hotwrap"):
        assert entry.facts is None
    assert "hotwrap: ignoring a damaged cache entry" in caplog.text
    assert entry.facts_json() is None  # nothing stale is written back


@pytest.fixture
def legacy(tmp_path: Path) -> Path:
    """``legacy/`` is excluded from the index, but its decorator is applied to a handler."""
    write_project(tmp_path, {"setup.cfg": "[flake8]\nextend-exclude = legacy\n",
                             "legacy/__init__.py": "", "legacy/deco.py": DECO,
                             "app.py": VIEWS})
    return tmp_path


def _config(root: Path) -> Config:
    return dataclasses.replace(config_from_files(str(root)), cache_dir=None)


def test_excluded_file_named_explicitly_is_analysed_against_the_index(legacy: Path) -> None:
    deco = str(legacy / "legacy" / "deco.py")
    (finding,) = findings_for_paths([deco], _config(legacy))[deco]
    assert (finding.code, finding.site.line, finding.on_handler) == ("HWR001", 4, True)
    assert "applied to 1 request handler (first: app.py:8 index)" in finding.message
    # Walking the tree honours the exclude: the file is not even listed.
    assert deco not in findings_for_paths([str(legacy)], _config(legacy))


def test_excluded_file_that_does_not_parse_has_no_findings(legacy: Path) -> None:
    deco = legacy / "legacy" / "deco.py"
    deco.write_text(DECO + "\ndef broken(:\n")
    assert findings_for_paths([str(deco)], _config(legacy)) == {str(deco): []}
    deco.unlink()  # and one that is gone by the time it is read
    assert findings_for_paths([str(deco)], _config(legacy)) == {str(deco): []}


def test_findings_for_paths_reads_the_projects_config_by_default(
        legacy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FLAKE8_HOTWRAP_CACHE_DIR", "off")
    found = findings_for_paths([str(legacy)])
    # legacy/ is excluded by the project's setup.cfg: only app.py is a key.
    assert list(found) == [str(legacy / "app.py")]
    assert found[str(legacy / "app.py")] == []


def test_symlink_loop_named_like_a_module_is_skipped(tmp_path: Path) -> None:
    write_project(tmp_path, {"app/views.py": ""})
    (tmp_path / "app" / "loop.py").symlink_to(tmp_path / "app" / "loop.py")  # ELOOP on stat
    walker = _Walker(str(tmp_path), Config().exclude)
    assert _rel(tmp_path, [p for p, _ in walker.walk(str(tmp_path))]) == ["app/views.py"]
    assert walker.complete  # a bad entry is not an unreadable directory


CYCLIC_BASES = {
    "setup.cfg": "[flake8]\n",
    "app/__init__.py": "",
    "app/deco.py": DECO,
    # A base-class cycle (an error at import time, but a file mid-refactor may hold it).
    "app/base.py": """
        from app import views

        class Base(views.Api):
            pass
        """,
    "app/views.py": """
        from flask import Flask
        from app.base import Base
        from app.deco import deco

        app = Flask(__name__)

        class Api(Base):
            @deco
            def get(self):
                return "ok"

        class Service(Base):
            def route(self, path):
                return lambda f: f

        svc = Service()

        @svc.route("/internal")
        @deco
        def internal():
            return "ok"
        """,
}


def test_cyclic_project_base_classes_terminate_and_make_no_handler(tmp_path: Path) -> None:
    """A class whose bases loop back to itself has no framework base: its methods are
    not handlers, and ``svc.route`` on an instance of it is not a route."""
    write_project(tmp_path, CYCLIC_BASES)
    found = findings_for_paths([str(tmp_path)], _config(tmp_path))
    deco = str(tmp_path / "app" / "deco.py")
    assert [f.on_handler for f in found[deco]] == []
    assert findings_for_paths([str(tmp_path)], _config(tmp_path), all_sites=True)[deco][0] \
        .message.endswith("not applied to any request handler found: costs ~0.5-0.9us once "
                          "per decoration at import, not per request; rewrite with explicit "
                          "attributes: python -m flake8_hotwrap.fix")


def test_package_init_that_does_not_parse_does_not_hide_its_submodules(tmp_path: Path) -> None:
    write_project(tmp_path, {
        "setup.cfg": "[flake8]\n",
        "app/__init__.py": "def broken(:\n",  # mid-edit
        "app/deco.py": DECO,
        "views.py": """
            from flask import Flask
            import app.deco

            web = Flask(__name__)

            @web.route("/")
            @app.deco.deco
            def index():
                return "ok"
            """,
    })
    deco = str(tmp_path / "app" / "deco.py")
    (finding,) = findings_for_paths([str(tmp_path)], _config(tmp_path))[deco]
    assert finding.code == "HWR001" and "(first: views.py:8 index)" in finding.message
