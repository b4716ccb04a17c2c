"""The libcst codemod front end in process: same sites and rewrite as the fix command,
with unsafe/unfixable sites reported as codemod warnings.

``test_fix_cli.py::test_libcst_codemod_runner`` runs ``python -m libcst.tool codemod``.
"""
from __future__ import annotations

from pathlib import Path
from typing import List

import libcst as cst
import pytest
from libcst.codemod import CodemodContext, SkipFile

from conftest import write_project
from flake8_hotwrap.codemod import HotwrapCodemod

DECO = """\
from functools import wraps


def safe(f):
    @wraps(f)
    def w(*a, **k):
        return f(*a, **k)
    return w


def aliased(f):
    g = f

    @wraps(g)
    def w2(*a, **k):
        return g(*a, **k)
    return w2


def custom(f):
    @wraps(f, assigned=("__name__",))
    def w3(*a, **k):
        return f(*a, **k)
    return w3


def unused(f):
    @wraps(f)
    def w4(*a, **k):
        return f(*a, **k)
    return w4
"""
VIEWS = """\
from flask import Flask

from pkg.deco import aliased, custom, safe

app = Flask(__name__)


@app.route("/")
@safe
@aliased
@custom
def index():
    return "ok"
"""


@pytest.fixture
def deco_path(tmp_path: Path) -> str:
    write_project(tmp_path, {"setup.cfg": "[options]\npython_requires = >=3.9, <3.12\n\n"
                                          "[flake8]\n",
                             "pkg/__init__.py": "", "pkg/deco.py": DECO,
                             "pkg/views.py": VIEWS})
    return str(tmp_path / "pkg" / "deco.py")


def _transform(path: str, **kwargs: object) -> tuple[str, List[str]]:
    context = CodemodContext(filename=path)
    codemod = HotwrapCodemod(context, **kwargs)  # type: ignore[arg-type]
    with open(path, encoding="utf-8") as fh:
        tree = cst.parse_module(fh.read())
    return codemod.transform_module(tree).code, context.warnings


def test_safe_site_rewritten_others_warned(deco_path: str) -> None:
    code, warnings = _transform(deco_path)
    assert "    @wraps(f)\n    def w(" not in code
    # The project's python_requires (<3.12): no __type_params__, no version guard.
    assert "w.__annotations__ = f.__annotations__" in code
    assert "__type_params__" not in code and "import sys" not in code
    assert "@wraps(g)" in code and "@wraps(f, assigned" in code
    assert "    @wraps(f)\n    def w4(" in code  # not on a handler
    unsafe, unfixable = warnings
    assert unsafe.startswith("14:6: unsafe fix not applied: 'g' is not a parameter")
    assert unsafe.endswith(" (use --unsafe-fixes)")
    assert unfixable == "21:6: cannot fix: custom assigned/updated arguments change the " \
                        "attribute set"


def test_unsafe_fixes_and_all_sites(deco_path: str) -> None:
    code, warnings = _transform(deco_path, unsafe_fixes=True, all_sites=True,
                                target_version="3.12")
    assert "@wraps(g)" not in code and "@wraps(f)\n" not in code
    assert "w4.__type_params__ = f.__type_params__" in code  # target 3.12+: unguarded
    assert warnings[0].startswith("14:6: applied unsafe fix: 'g' is not a parameter")
    assert warnings[1].startswith("21:6: cannot fix: custom assigned")
    assert len(warnings) == 2


def test_file_without_handler_sites_is_skipped(tmp_path: Path, deco_path: str) -> None:
    views = Path(deco_path).with_name("views.py")
    with pytest.raises(SkipFile, match="no wraps site on a request handler"):
        _transform(str(views))


def test_a_module_without_a_path_is_skipped() -> None:
    codemod = HotwrapCodemod(CodemodContext())
    with pytest.raises(SkipFile, match="needs the file's path"):
        codemod.transform_module(cst.parse_module(DECO))


def test_invalid_target_version_is_a_value_error() -> None:
    # libcst.tool reports a codemod's ValueError as a usage error.
    with pytest.raises(ValueError, match="invalid target version 'python3'"):
        HotwrapCodemod(CodemodContext(), target_version="python3")
