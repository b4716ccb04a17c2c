"""Each configuration option, positive and negative, from setup.cfg and the command line."""
from __future__ import annotations

from pathlib import Path

import pytest

from conftest import check, flake8, messages, write_project

DECO = """
import functools

def deco(f):
    @functools.wraps(f)  # expect: HWR001
    def w(*a, **k):
        return f(*a, **k)
    return w
"""
NOT_FLAGGED = DECO.replace("  # expect: HWR001", "")


def test_route_decorator_pattern(tmp_path: Path) -> None:
    views = """
        from pkg.deco import deco
        from pkg.registry import api

        @api.endpoint(name="x")
        @deco
        def handler():
            return 1
        """
    files = {"pkg/__init__.py": "", "pkg/deco.py": DECO, "pkg/views.py": views,
             "pkg/registry.py": "api = object()\n"}
    assert check(tmp_path, {**files, "setup.cfg": "[flake8]\n"
                            "hotwrap-route-decorators = api.endpoint\n"}) == set()


def test_route_decorator_pattern_negative(tmp_path: Path) -> None:
    views = """
        from pkg.deco import deco
        from pkg.registry import api

        @api.endpoint(name="x")
        @deco
        def handler():
            return 1
        """
    assert check(tmp_path, {"setup.cfg": "[flake8]\n", "pkg/__init__.py": "",
                            "pkg/deco.py": NOT_FLAGGED, "pkg/views.py": views,
                            "pkg/registry.py": "api = object()\n"}) == set()


def test_route_decorator_pattern_on_command_line(tmp_path: Path) -> None:
    views = """
        from pkg.deco import deco
        import plugins

        @plugins.expose
        @deco
        def handler():
            return 1
        """
    assert check(tmp_path, {"pkg/__init__.py": "", "pkg/deco.py": DECO, "pkg/views.py": views},
                 "--hotwrap-route-decorators=*.expose") == set()


HANDLER_CLASS = """
    from corp.web import Resource
    from pkg.deco import deco

    class Users(Resource):
        @deco
        def get(self):
            return []
    """


def test_handler_base_pattern(tmp_path: Path) -> None:
    assert check(tmp_path, {"setup.cfg": "[flake8]\nhotwrap-handler-bases = corp.web.Resource\n",
                            "pkg/__init__.py": "", "pkg/deco.py": DECO,
                            "pkg/views.py": HANDLER_CLASS}) == set()


def test_handler_base_pattern_negative(tmp_path: Path) -> None:
    assert check(tmp_path, {"setup.cfg": "[flake8]\n", "pkg/__init__.py": "",
                            "pkg/deco.py": NOT_FLAGGED, "pkg/views.py": HANDLER_CLASS}) == set()


DYNAMIC = """
    from flask import Flask
    from pkg.deco import deco

    app = Flask(__name__)

    @deco
    def users():
        return []

    HANDLERS = {"/users": users}
    for rule, fn in HANDLERS.items():
        app.add_url_rule(rule, view_func=fn)
    """


@pytest.mark.parametrize("pattern", ["deco", "pkg.deco.deco", "pkg.deco.*"])
def test_handler_decorators(tmp_path: Path, pattern: str) -> None:
    assert check(tmp_path, {"setup.cfg": f"[flake8]\nhotwrap-handler-decorators = {pattern}\n",
                            "pkg/__init__.py": "", "pkg/deco.py": DECO,
                            "pkg/views.py": DYNAMIC}) == set()
    out = flake8(tmp_path, "--select", "HWR", ".").stdout.splitlines()
    assert "configured in hotwrap-handler-decorators" in messages(out)[0]


def test_handler_decorators_negative(tmp_path: Path) -> None:
    assert check(tmp_path, {"setup.cfg": "[flake8]\nhotwrap-handler-decorators = other\n",
                            "pkg/__init__.py": "", "pkg/deco.py": NOT_FLAGGED,
                            "pkg/views.py": DYNAMIC}) == set()


def test_exclude_hides_handlers_from_the_index(tmp_path: Path) -> None:
    views = """
        from fastapi import FastAPI
        from pkg.deco import deco
        app = FastAPI()

        @app.get("/")
        @deco
        def h():
            return 1
        """
    write_project(tmp_path, {"pkg/__init__.py": "", "pkg/deco.py": NOT_FLAGGED,
                             "pkg/generated/__init__.py": "", "pkg/generated/views.py": views,
                             "setup.cfg": "[flake8]\nextend-exclude = generated\n"})
    assert flake8(tmp_path, "--select", "HWR", "pkg/deco.py").stdout == ""


PROJECT_BASE = """
    from pkg.deco import deco

    class BaseView:  # the project's own handler base, no framework base
        def register(self, router):
            ...

    class Users(BaseView):
        @deco
        def get(self, request):
            return []
    """


def test_handler_base_pattern_names_a_project_class(tmp_path: Path) -> None:
    assert check(tmp_path, {"setup.cfg": "[flake8]\nhotwrap-handler-bases = BaseView\n",
                            "pkg/__init__.py": "", "pkg/deco.py": DECO,
                            "pkg/views.py": PROJECT_BASE}) == set()


def test_project_class_without_framework_base_is_not_a_handler(tmp_path: Path) -> None:
    assert check(tmp_path, {"setup.cfg": "[flake8]\n", "pkg/__init__.py": "",
                            "pkg/deco.py": NOT_FLAGGED, "pkg/views.py": PROJECT_BASE}) == set()
