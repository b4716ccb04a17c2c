"""Configuration shared by the plugin and the fixer: values, files, roots, the cache key.

``test_options.py`` checks what each option does to the findings through flake8; these
cases pin down how option values are read, in process.
"""
from __future__ import annotations

import ast
import logging
from pathlib import Path
from typing import Any, Dict

import pytest

from flake8_hotwrap import project
from flake8_hotwrap.config import (
    CACHE_ENV, DEFAULT_EXCLUDE, Config, config_from_files, default_cache_dir, find_root,
    read_flake8_section, split_list,
)
from flake8_hotwrap.plugin import HotwrapChecker


@pytest.mark.parametrize("value, items", [
    (None, []),
    ("", []),
    ("a, b,,c ", ["a", "b", "c"]),
    ("\n  api.endpoint\n  *.expose,\n  other\n", ["api.endpoint", "*.expose", "other"]),
    (["a ", " b", ""], ["a", "b"]),  # flake8's comma_separated_list gives lists
    (("x",), ["x"]),
    (3, ["3"]),
])
def test_split_list(value: object, items: list) -> None:  # type: ignore[type-arg]
    assert split_list(value) == items


def test_exclude_replaces_the_defaults_but_keeps_site_packages_out() -> None:
    config = Config.from_values(exclude="build,dist", extend_exclude=["gen/*"])
    assert config.exclude == ("build", "dist", "node_modules", "site-packages", "gen/*")
    assert Config.from_values().exclude == DEFAULT_EXCLUDE


@pytest.mark.parametrize("cache_dir, no_cache, expected", [
    ("/var/cache/hw", False, "/var/cache/hw"),
    ("none", False, None),
    ("Off", False, None),
    ("false", False, None),
    ("/var/cache/hw", True, None),
])
def test_cache_dir_values(cache_dir: str, no_cache: bool, expected: str) -> None:
    assert Config.from_values(cache_dir=cache_dir, no_cache=no_cache).cache_dir == expected


def test_default_cache_dir(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "env"))
    assert default_cache_dir() == str(tmp_path / "env")
    monkeypatch.delenv(CACHE_ENV)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert default_cache_dir() == str(tmp_path / "xdg" / "flake8-hotwrap")
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert default_cache_dir() == str(tmp_path / "home" / ".cache" / "flake8-hotwrap")


def test_cache_key_depends_on_the_analysis_options_only() -> None:
    base = Config.from_values(cache_dir="/a")
    assert base.key() == Config.from_values(cache_dir="/b").key()
    assert base.key() != Config.from_values(route_decorators="*.expose").key()
    assert base.key() != Config.from_values(extend_exclude="gen").key()


def test_find_root(tmp_path: Path) -> None:
    (tmp_path / "proj" / "pkg" / "sub").mkdir(parents=True)
    (tmp_path / "proj" / "tox.ini").write_text("")
    (tmp_path / "proj" / "pkg" / "sub" / "m.py").write_text("")
    assert find_root(str(tmp_path / "proj" / "pkg" / "sub" / "m.py")) == str(tmp_path / "proj")
    assert find_root(str(tmp_path / "proj" / "pkg")) == str(tmp_path / "proj")


def test_find_root_without_markers_is_the_files_directory(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import flake8_hotwrap.config as config_module

    (tmp_path / "loose").mkdir()
    # Pretend no ancestor (up to /) holds a marker, whatever the machine has.
    monkeypatch.setattr(config_module.os.path, "exists", lambda p: False)
    assert find_root(str(tmp_path / "loose" / "m.py")) == str(tmp_path / "loose")


def _cfg(root: Path, files: Dict[str, str]) -> Dict[str, str]:
    for name, text in files.items():
        (root / name).write_text(text, encoding="utf-8")
    return read_flake8_section(str(root))


def test_first_config_file_with_a_flake8_section_wins(tmp_path: Path) -> None:
    got = _cfg(tmp_path, {"setup.cfg": "[metadata]\nname = x\n",
                          "tox.ini": "[flake8]\nhotwrap_route_decorators = *.expose\n",
                          ".flake8": "[flake8]\nhotwrap-route-decorators = other\n"})
    assert got == {"hotwrap-route-decorators": "*.expose"}  # underscores read as dashes


def test_broken_config_file_is_skipped(tmp_path: Path) -> None:
    got = _cfg(tmp_path, {"setup.cfg": "[flake8\nexclude = broken\n",
                          "tox.ini": "[flake8]\nexclude = gen\n"})
    assert got == {"exclude": "gen"}
    (tmp_path / "tox.ini").write_bytes(b"[flake8]\nexclude = \xff\n")  # not utf-8
    (tmp_path / ".flake8").write_text("[flake8]\nexclude = last\n")
    assert read_flake8_section(str(tmp_path)) == {"exclude": "last"}


def test_config_from_files(tmp_path: Path) -> None:
    (tmp_path / "setup.cfg").write_text(
        "[flake8]\nexclude = build\nextend-exclude = gen\n"
        "hotwrap-route-decorators = api.endpoint, *.expose\n"
        "hotwrap-handler-bases =\n    HomeAssistantView\n    corp.Resource\n"
        "hotwrap-handler-decorators = with_errors\n"
        "hotwrap-no-cache = yes\n", encoding="utf-8")
    config = config_from_files(str(tmp_path), overrides=["tests"])
    assert config == Config(route_decorators=("api.endpoint", "*.expose"),
                            handler_bases=("HomeAssistantView", "corp.Resource"),
                            handler_decorators=("with_errors",),
                            exclude=("build", "node_modules", "site-packages", "gen", "tests"),
                            cache_dir=None)
    assert config_from_files(str(tmp_path / "nowhere")) == Config()


# -- the flake8 front end -----------------------------------------------------------------

def test_plugin_parse_options_builds_the_shared_config(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(HotwrapChecker, "config", HotwrapChecker.config)  # restored after
    options = type("Options", (), {"hotwrap_route_decorators": ["*.expose"],
                                   "hotwrap_handler_bases": [], "exclude": ["build"],
                                   "extend_exclude": [], "hotwrap_no_cache": True})()
    HotwrapChecker.parse_options(options)
    assert HotwrapChecker.config == Config.from_values(route_decorators="*.expose",
                                                       exclude="build", no_cache=True)


def _checker(source: str, filename: str) -> HotwrapChecker:
    return HotwrapChecker(ast.parse(source), filename, source.splitlines(keepends=True))


def test_plugin_does_nothing_for_a_file_without_wraps(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(*args: Any) -> Any:
        raise AssertionError("the index must not be built")

    monkeypatch.setattr(project, "lint_file", fail)
    assert list(_checker("x = 1\n", "m.py").run()) == []


def test_plugin_never_crashes_flake8(monkeypatch: pytest.MonkeyPatch,
                                     caplog: pytest.LogCaptureFixture) -> None:
    def broken(*args: Any) -> Any:
        raise RuntimeError("index exploded")

    monkeypatch.setattr(project, "lint_file", broken)
    with caplog.at_level(logging.ERROR, logger="flake8.hotwrap"):
        assert list(_checker("from functools import wraps\n", "m.py").run()) == []
    assert "hotwrap: internal error while checking m.py" in caplog.text
    assert "RuntimeError: index exploded" in caplog.text


@pytest.mark.parametrize("filename", ["-", "stdin"])
def test_plugin_names_stdin_after_the_working_directory(
        filename: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seen = []
    monkeypatch.setattr(project, "lint_file", lambda path, *a: seen.append(path) or [])
    monkeypatch.chdir(tmp_path)
    assert list(_checker("from functools import wraps\n", filename).run()) == []
    assert seen == [str(tmp_path / "stdin.py")]
