"""Target versions: what ``--target-version`` and ``requires-python`` mean to the fixer.

The fixer's version guards (``__type_params__`` from 3.12, ``__annotate__`` from 3.14)
depend on the range computed here, so each spelling a project may use is pinned down.
"""
from __future__ import annotations

import types
from pathlib import Path
from typing import Optional, Tuple

import pytest

from flake8_hotwrap import targets
from flake8_hotwrap.targets import (
    TargetVersionError, TargetVersions, default_target, parse_requires_python,
    parse_target_version, running_interpreter, target_from_project,
)

V = Tuple[int, int]


@pytest.mark.parametrize("text, minimum, maximum", [
    ("py39", (3, 9), None),
    ("3.9", (3, 9), None),
    ("cp312", (3, 12), None),
    ("PY313", (3, 13), None),
    (" 3.10 ", (3, 10), None),
    ("3.9-3.13", (3, 9), (3, 13)),
    ("py39-py313", (3, 9), (3, 13)),
    ("3.12-3.12", (3, 12), (3, 12)),
])
def test_target_version_spellings(text: str, minimum: V, maximum: Optional[V]) -> None:
    assert parse_target_version(text) == TargetVersions(minimum, maximum)


@pytest.mark.parametrize("text, message", [
    ("python3", "invalid target version 'python3'"),
    ("3", "invalid target version '3'"),
    ("3.13-3.9", "invalid target version range '3.13-3.9'"),  # reversed range
    ("3.9-", "invalid target version '3.9-'"),  # open range has no spelling
    ("-3.9", "invalid target version '-3.9'"),
    ("3.9-3.11-3.13", "invalid target version '3.9-3.11-3.13'"),
    ("3.9-py", "invalid target version 'py'"),
])
def test_invalid_target_versions(text: str, message: str) -> None:
    with pytest.raises(TargetVersionError, match=message.replace(".", r"\.")):
        parse_target_version(text)


def test_target_version_error_is_a_value_error() -> None:
    # argparse and the codemod turn ValueErrors into usage errors.
    assert issubclass(TargetVersionError, ValueError)


@pytest.mark.parametrize("target, text", [
    (TargetVersions((3, 9)), "3.9+"),
    (TargetVersions((3, 11), (3, 11)), "3.11"),
    (TargetVersions((3, 9), (3, 13)), "3.9-3.13"),
])
def test_str_is_what_the_fixer_prints(target: TargetVersions, text: str) -> None:
    # "nothing to rewrite (target Python 3.9+)" under -v
    assert str(target) == text


def test_range_queries_drive_the_guards() -> None:
    closed = TargetVersions((3, 9), (3, 11))
    assert closed.includes_below((3, 12)) and not closed.includes_at_least((3, 12))
    newer = TargetVersions((3, 12))
    assert not newer.includes_below((3, 12)) and newer.includes_at_least((3, 14))
    assert running_interpreter().maximum is None


@pytest.mark.parametrize("spec, minimum, maximum", [
    (">=3.9", (3, 9), None),
    (">= 3.9 , < 3.13", (3, 9), (3, 12)),  # "<3.13" excludes 3.13.0: newest minor is 3.12
    (">=3.9,<3.13.1", (3, 9), (3, 13)),  # 3.13.0 is allowed
    (">=3.9,<4", (3, 9), (3, 99)),
    (">=3.8,<=3.12", (3, 8), (3, 12)),
    ("~=3.10", (3, 10), None),
    (">3.9", (3, 9), None),  # 3.9.1 satisfies ">3.9": keep 3.9
    ("==3.11.*", (3, 11), (3, 11)),
    ("==3.11", (3, 11), (3, 11)),
    ("===3.11", (3, 11), (3, 11)),
    ("==3.*", (3, 0), (3, 99)),
    (">=3", (3, 0), None),
    ("!=3.10.*", (3, 0), None),  # an exclusion in the middle does not narrow the range
    (">=3.9,!=3.10.*,", (3, 9), None),  # empty clauses are ignored
    (">=3.8,>=3.10", (3, 10), None),  # the tightest bound wins
    ("<3.13,<=3.11", (3, 0), (3, 11)),
    ("", (3, 0), None),
])
def test_requires_python(spec: str, minimum: V, maximum: Optional[V]) -> None:
    assert parse_requires_python(spec) == TargetVersions(minimum, maximum)


@pytest.mark.parametrize("spec, message", [
    ("python>=3.9", "unsupported requires-python clause 'python>=3.9'"),
    (">=3.9 or <2", "unsupported requires-python clause"),
    (">=3.12,<3.10", "allows no version"),
])
def test_unusable_requires_python(spec: str, message: str) -> None:
    with pytest.raises(TargetVersionError, match=message.replace(".", r"\.")):
        parse_requires_python(spec)


def _root(tmp_path: Path, **files: str) -> str:
    for name, text in files.items():
        (tmp_path / name.replace("_", ".", 1)).write_text(text, encoding="utf-8")
    return str(tmp_path)


def test_pyproject_requires_python(tmp_path: Path) -> None:
    root = _root(tmp_path, pyproject_toml='[project]\nname = "x"\nrequires-python = ">=3.10"\n')
    assert target_from_project(root) == TargetVersions((3, 10))
    assert default_target(root) == TargetVersions((3, 10))


def test_pyproject_wins_over_setup_cfg(tmp_path: Path) -> None:
    root = _root(tmp_path, pyproject_toml='[project]\nrequires-python = ">=3.11"\n',
                 setup_cfg="[options]\npython_requires = >=3.9\n")
    assert target_from_project(root) == TargetVersions((3, 11))


@pytest.mark.parametrize("pyproject", [
    "[project\nrequires-python = '>=3.12'\n",  # not TOML
    '[project]\nrequires-python = "python>=3.12"\n',  # not a specifier we understand
    '[project]\nrequires-python = ">=3.12,<3.10"\n',  # allows nothing
    '[project]\nrequires-python = 312\n',  # not a string
    'project = "a string, not a table"\n',
    '[tool.poetry]\nrequires-python = ">=3.12"\n',  # another table's key
])
def test_unusable_pyproject_falls_back_to_setup_cfg(tmp_path: Path, pyproject: str) -> None:
    root = _root(tmp_path, pyproject_toml=pyproject,
                 setup_cfg="[options]\npython_requires = >=3.9, <3.12\n")
    assert target_from_project(root) == TargetVersions((3, 9), (3, 11))


@pytest.mark.parametrize("setup_cfg", [
    "python_requires = >=3.9\n",  # no section header: configparser error
    "[options]\npython_requires =\n",  # empty
    "[metadata]\nname = x\n",  # no [options]
    "[options]\npython_requires = any\n",  # unparsable
])
def test_no_usable_declaration_means_the_running_interpreter(tmp_path: Path,
                                                             setup_cfg: str) -> None:
    root = _root(tmp_path, setup_cfg=setup_cfg)
    assert target_from_project(root) is None
    assert default_target(root) == running_interpreter()


def test_undecodable_setup_cfg_is_ignored(tmp_path: Path) -> None:
    (tmp_path / "setup.cfg").write_bytes(b"[options]\npython_requires = >=3.9 \xff\xfe\n")
    assert target_from_project(str(tmp_path)) is None


def test_unreadable_pyproject_is_ignored(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").mkdir()  # open() fails with an OSError
    (tmp_path / "setup.cfg").write_text("[options]\npython_requires = >=3.10\n")
    assert target_from_project(str(tmp_path)) == TargetVersions((3, 10))


@pytest.mark.parametrize("pyproject, expected", [
    ('[project]\nname = "x"\nrequires-python = ">=3.9"\n', ">=3.9"),
    ("[project]\nrequires-python = '>=3.10, <3.13'\n", ">=3.10, <3.13"),
    ('[build-system]\nrequires = ["setuptools"]\n\n[project]\nrequires-python=">=3.11"\n',
     ">=3.11"),
    ('[tool.x]\nrequires-python = ">=3.12"\n[project]\nname = "x"\n', None),
    ('[project]\nname = "x"\n', None),
    ("", None),
])
def test_pyproject_reader_without_tomllib_agrees_with_tomllib(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, pyproject: str,
        expected: Optional[str]) -> None:
    """3.9/3.10 have no tomllib: the fallback reads the one key, with the same answers."""
    path = tmp_path / "pyproject.toml"
    path.write_text(pyproject, encoding="utf-8")
    assert targets._requires_from_pyproject(str(path)) == expected  # tomllib (3.11+)
    monkeypatch.setattr(targets, "sys", types.SimpleNamespace(version_info=(3, 10, 0)))
    assert targets._requires_from_pyproject(str(path)) == expected  # the fallback
