"""HWR003: wraps work that runs during a request, one positive and one negative per shape."""
from __future__ import annotations

from pathlib import Path
from typing import Dict

import pytest

from conftest import check, flake8, messages, write_project

DECO = """
from functools import wraps, update_wrapper


def traced(f):
    @wraps(f)  # expect: {traced}
    def w(*a, **k):
        return f(*a, **k)
    return w


def wrap_callback(cb):
    def inner():
        return cb()
    update_wrapper(inner, cb)  # expect: {wrap_callback}
    return inner
"""


def deco_module(traced: str = "", wrap_callback: str = "") -> str:
    out = DECO.format(traced=traced, wrap_callback=wrap_callback)
    return out.replace("  # expect: \n", "\n")


CASES: Dict[str, Dict[str, str]] = {
    "decorator-applied-inside-handler-body": {
        "app/deco.py": deco_module(traced="HWR003"),
        "app/api.py": """
            from fastapi import FastAPI
            from .deco import traced
            app = FastAPI()

            @app.get("/a")
            def a():
                @traced
                def cb():
                    return 1
                return cb()
            """,
    },
    "neg-decorator-applied-inside-a-non-handler": {
        "app/deco.py": deco_module(),
        "app/jobs.py": """
            from .deco import traced

            def nightly():
                @traced
                def cb():
                    return 1
                return cb()
            """,
    },
    "decorator-called-in-handler-body": {
        "app/deco.py": deco_module(traced="HWR003"),
        "app/api.py": """
            from flask import Flask
            from app import deco
            app = Flask(__name__)

            @app.route("/a")
            def a():
                return deco.traced(lambda: 1)()
            """,
    },
    "handler-calls-project-helper-that-wraps": {
        "app/deco.py": deco_module(wrap_callback="HWR002, HWR003"),
        "app/helpers.py": """
            from .deco import wrap_callback

            def schedule(cb):
                return wrap_callback(cb)
            """,
        "app/api.py": """
            from fastapi import APIRouter
            from app.helpers import schedule
            from app.deco import wrap_callback
            router = APIRouter()

            @router.post("/b")
            async def b():
                return schedule(lambda: 2)()

            @router.get("/at-import")
            @wrap_callback
            def at_import():
                return 3
            """,
    },
    "neg-helper-never-called-from-a-handler": {
        "app/deco.py": deco_module(),
        "app/helpers.py": """
            from .deco import wrap_callback

            def schedule(cb):
                return wrap_callback(cb)
            """,
        "app/cli.py": """
            from app.helpers import schedule

            def main():
                schedule(print)()
            """,
        "app/api.py": """
            from fastapi import FastAPI
            app = FastAPI()

            @app.get("/b")
            def b():
                return 2
            """,
    },
    "wraps-called-directly-in-handler": {
        "app/api.py": """
            import functools
            from aiohttp import web
            routes = web.RouteTableDef()

            @routes.get("/c")
            async def c(request):
                cb = functools.wraps(c)(lambda: 4)  # expect: HWR003
                return web.json_response(cb())
            """,
    },
    "neg-wraps-called-directly-in-non-handler": {
        "app/api.py": """
            import functools

            def setup(c):
                return functools.wraps(c)(lambda: 4)
            """,
    },
    "per-call-wrapper-factory-on-handler": {
        "app/deco.py": """
            from functools import wraps

            def rewrap(f):
                @wraps(f)  # expect: HWR001
                def w(*a, **k):
                    @wraps(f)  # expect: HWR003
                    def again():
                        return f(*a, **k)
                    return again()
                return w
            """,
        "app/api.py": """
            from flask import Blueprint
            from .deco import rewrap
            bp = Blueprint("x", __name__)

            @bp.get("/d")
            @rewrap
            def d():
                return "d"
            """,
    },
    "neg-per-call-wrapper-factory-not-on-handler": {
        "app/deco.py": """
            from functools import wraps

            def rewrap(f):
                @wraps(f)
                def w(*a, **k):
                    @wraps(f)
                    def again():
                        return f(*a, **k)
                    return again()
                return w

            @rewrap
            def helper():
                return 1
            """,
    },
    "django-method-decorator-on-view": {
        "app/views.py": """
            from django.contrib.auth.decorators import login_required
            from django.utils.decorators import method_decorator
            from django.views.generic import TemplateView

            @method_decorator(login_required, name="dispatch")  # expect: HWR003
            class Dashboard(TemplateView):
                template_name = "d.html"

                @method_decorator(login_required)  # expect: HWR003
                def get(self, request, *args, **kwargs):
                    return super().get(request, *args, **kwargs)
            """,
    },
    "neg-django-method-decorator-on-non-view": {
        "app/services.py": """
            from django.contrib.auth.decorators import login_required
            from django.utils.decorators import method_decorator

            class Exporter:
                @method_decorator(login_required)
                def get(self, request):
                    return None
            """,
    },
}


@pytest.mark.parametrize("files", list(CASES.values()), ids=list(CASES))
def test_per_request_shape(tmp_path: Path, files: Dict[str, str]) -> None:
    assert check(tmp_path, {"setup.cfg": "[flake8]\n", "app/__init__.py": "", **files}) == set()


def test_hwr003_can_be_selected_alone_and_names_the_handler(tmp_path: Path) -> None:
    write_project(tmp_path, {"setup.cfg": "[flake8]\n", "app/__init__.py": "",
                             **CASES["handler-calls-project-helper-that-wraps"]})
    out = messages(flake8(tmp_path, "--select", "HWR003", ".").stdout.splitlines())
    assert len(out) == 1
    assert "HWR003 functools.update_wrapper in 'wrap_callback' runs on every request" in out[0]
    assert "handler 'b' (app/api.py:7) through 'schedule'" in out[0]
    assert "on every request, not once at import" in out[0]
