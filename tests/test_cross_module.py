"""Cross-module analysis through the real flake8: the case the project was born from."""
from __future__ import annotations

from pathlib import Path

from conftest import check, expected, flake8, messages, reported, write_project

ERROR_HANDLERS = '''
import functools
import logging

log = logging.getLogger(__name__)


def with_route_exceptions(route):
    @functools.wraps(route)  # expect: HWR001
    async def wrapped_route(*args, **kwargs):
        try:
            return await route(*args, **kwargs)
        except ValueError as exc:
            log.warning("bad request: %s", exc)
            raise
    return wrapped_route


def retry(f):  # used by backend helpers only: not reported
    @functools.wraps(f)
    def again(*args, **kwargs):
        return f(*args, **kwargs)
    return again
'''


def _service(n_api: int = 58, n_builder: int = 22) -> dict[str, str]:
    api = ["from fastapi import FastAPI", "from app.error_handlers import with_route_exceptions",
           "from app.error_handlers import retry", "", "app = FastAPI()", ""]
    for i in range(n_api):
        api += ["", f'@app.get("/api/v1/item{i}")', "@with_route_exceptions",
                f"async def secure_item_{i}():", f"    return {{'i': {i}}}", ""]
    api += ["", "@retry", "def backend_sync():", "    return None", ""]
    builder = ["from fastapi import APIRouter",
               "from ..error_handlers import with_route_exceptions",
               "", "router = APIRouter(prefix='/builder')", ""]
    for i in range(n_builder):
        builder += ["", "@with_route_exceptions", f'@router.post("/step{i}")',
                    f"async def build_step_{i}(payload: dict):", "    return payload", ""]
    return {
        "pyproject.toml": "[project]\nname = 'svc'\n",
        "app/__init__.py": "",
        "app/error_handlers.py": ERROR_HANDLERS,
        "app/http_api.py": "\n".join(api),
        "app/builder/__init__.py": "",
        "app/builder/routes.py": "\n".join(builder),
    }


def test_eighty_routes_found_from_the_decorators_own_module(tmp_path: Path) -> None:
    write_project(tmp_path, _service())
    result = flake8(tmp_path, "--select", "HWR", "app/error_handlers.py")
    assert result.returncode == 1, result.stderr
    (msg,) = messages(result.stdout.splitlines())
    assert "app/error_handlers.py:8:" in msg
    assert "HWR001 functools.wraps in decorator 'with_route_exceptions'" in msg
    assert "applied to 80 request handlers" in msg
    assert "(first: app/builder/routes.py:9 build_step_0)" in msg
    assert "once per decoration at import, not per request" in msg
    assert "python -m flake8_hotwrap.fix" in msg


def test_whole_tree_and_parallel_jobs_agree(tmp_path: Path) -> None:
    write_project(tmp_path, _service(10, 5))
    serial = flake8(tmp_path, "--select", "HWR", "-j", "1", ".")
    parallel = flake8(tmp_path, "--select", "HWR", "-j", "2", ".")
    assert reported(serial.stdout.splitlines()) == expected(tmp_path)
    assert sorted(serial.stdout.splitlines()) == sorted(parallel.stdout.splitlines())


def test_stdin_buffer_replaces_the_file_on_disk(tmp_path: Path) -> None:
    write_project(tmp_path, _service(3, 0))
    # The editor's unsaved buffer no longer uses wraps: nothing to report.
    buffer = "def with_route_exceptions(route):\n    return route\n"
    result = flake8(tmp_path, "--select", "HWR", "--stdin-display-name",
                    "app/error_handlers.py", "-", stdin=buffer)
    assert result.stdout == "" and result.returncode == 0, result.stderr
    # A buffer that adds wraps to a decorator the disk version lacks is reported.
    (tmp_path / "app/error_handlers.py").write_text(buffer)
    result = flake8(tmp_path, "--select", "HWR", "--stdin-display-name",
                    "app/error_handlers.py", "-",
                    stdin=ERROR_HANDLERS.lstrip("\n").replace("  # expect: HWR001", ""))
    assert reported(result.stdout.splitlines()) == {"app/error_handlers.py:8:HWR001"}


def test_stdin_buffer_of_a_handler_module(tmp_path: Path) -> None:
    write_project(tmp_path, _service(2, 0))
    # Linting the handler module itself reports nothing: the site is elsewhere.
    src = (tmp_path / "app/http_api.py").read_text()
    result = flake8(tmp_path, "--select", "HWR", "--stdin-display-name", "app/http_api.py",
                    "-", stdin=src)
    assert result.stdout == ""


def test_noqa_select_ignore(tmp_path: Path) -> None:
    write_project(tmp_path, _service(1, 0))
    site = "app/error_handlers.py:8:HWR001"
    assert reported(flake8(tmp_path, "--extend-select", "HWR", ".").stdout.splitlines()) >= {site}
    assert reported(flake8(tmp_path, "--select", "HWR", "--ignore", "HWR001", ".")
                    .stdout.splitlines()) == set()
    assert reported(flake8(tmp_path, "--select", "HWR002", ".").stdout.splitlines()) == set()
    path = tmp_path / "app/error_handlers.py"
    path.write_text(path.read_text().replace("# expect: HWR001", "# noqa: HWR001"))
    assert reported(flake8(tmp_path, "--select", "HWR", ".").stdout.splitlines()) == set()


def test_flake8_version_lists_the_plugin(tmp_path: Path) -> None:
    assert "flake8-hotwrap" in flake8(tmp_path, "--version").stdout


def test_reexport_through_package_init_and_aliases(tmp_path: Path) -> None:
    assert check(tmp_path, {
        "setup.cfg": "[flake8]\n",
        "svc/__init__.py": "",
        "svc/util/__init__.py": "from .errors import guard as handle_errors\n",
        "svc/util/errors.py": """
            from functools import wraps as _w

            def guard(f):
                @_w(f)  # expect: HWR001
                def inner(*a, **k):
                    return f(*a, **k)
                return inner
            """,
        "svc/web.py": """
            from flask import Flask
            from svc.util import handle_errors as he

            app = Flask(__name__)

            @app.route("/")
            @he
            def index():
                return "ok"
            """,
    }) == set()


def test_wraps_reexported_from_a_project_module(tmp_path: Path) -> None:
    assert check(tmp_path, {
        "setup.cfg": "[flake8]\n",
        "pkg/__init__.py": "",
        "pkg/compat.py": "from functools import wraps, update_wrapper\n",
        "pkg/deco.py": """
            from pkg.compat import wraps
            from . import compat

            def deco(f):
                @wraps(f)  # expect: HWR001
                def w():
                    return f()
                return w

            def deco2(f):
                def w():
                    return f()
                compat.update_wrapper(w, f)  # expect: HWR002
                return w
            """,
        "pkg/api.py": """
            from fastapi import APIRouter
            from pkg.deco import deco, deco2

            r = APIRouter()

            @r.get("/a")
            @deco
            @deco2
            def a():
                return 1
            """,
    }) == set()


def test_django_urls_follow_views_references(tmp_path: Path) -> None:
    assert check(tmp_path, {
        "setup.cfg": "[flake8]\n",
        "site_app/__init__.py": "",
        "site_app/decorators.py": """
            import functools

            def audited(view):
                @functools.wraps(view)  # expect: HWR001
                def inner(request, *a, **k):
                    return view(request, *a, **k)
                return inner

            def unused(view):
                @functools.wraps(view)
                def inner(request):
                    return view(request)
                return inner
            """,
        "site_app/views.py": """
            from django.http import HttpResponse
            from .decorators import audited, unused

            @audited
            def detail(request, pk):
                return HttpResponse(str(pk))

            @unused
            def not_routed(request):
                return HttpResponse("")
            """,
        "site_app/urls.py": """
            from django.urls import path
            from . import views

            urlpatterns = [path("detail/<int:pk>/", views.detail)]
            """,
    }) == set()


def test_cyclic_imports_terminate(tmp_path: Path) -> None:
    assert check(tmp_path, {
        "setup.cfg": "[flake8]\n",
        "cyc/__init__.py": "from .a import deco\n",
        "cyc/a.py": """
            from functools import wraps
            from .b import thing as deco_alias  # cycle through b
            from cyc import deco as again

            def deco(f):
                @wraps(f)  # expect: HWR001
                def w():
                    return f()
                return w
            """,
        "cyc/b.py": """
            from .a import deco_alias as thing
            from flask import Blueprint
            from cyc import deco

            bp = Blueprint("b", __name__)

            @bp.get("/")
            @deco
            def index():
                return ""
            """,
    }) == set()
