"""Specification: decorator shapes and the spellings of ``functools.wraps``.

Each shape and each spelling is checked twice:

* applied to a request handler (a Flask route): the ``wraps`` /
  ``update_wrapper`` line carries ``# expect: HWR00x`` and must be reported;
* the very same decorator applied only to a helper next to an undecorated
  route: the markers are stripped and nothing may be reported.

Shapes that do not fit the "one decorator line above a function" template
(stacking order, assignment, registration calls, bound methods) and the
spellings that are *not* ``functools.wraps`` are written out in full below.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Dict, List

import pytest

from conftest import check

MARK = re.compile(r"[ \t]*#\s*expect:\s*(?:HWR\d{3}[ ,]*)+")

# The application: the decorator (``apply``) lands on a route ...
ON_HANDLER = '''\
from flask import Flask
{imports}

app = Flask(__name__)


@app.route("/orders")
{apply}
def list_orders():
    return "[]"
'''

# ... or only on a helper that a route calls.
ON_HELPER = '''\
from flask import Flask
{imports}

app = Flask(__name__)


@app.route("/orders")
def list_orders():
    return str(total([1, 2]))


{apply}
def total(items):
    return sum(items)
'''


def unmarked(files: Dict[str, str]) -> Dict[str, str]:
    return {name: MARK.sub("", text) for name, text in files.items()}


def both(id_: str, files: Dict[str, str], imports: str, apply: str) -> List[object]:
    """The decorator in ``files`` applied as ``apply`` to a handler, then to a helper."""
    return [
        pytest.param({**files, "app.py": ON_HANDLER.format(imports=imports, apply=apply)},
                     id=id_),
        pytest.param({**unmarked(files),
                      "app.py": MARK.sub("", ON_HELPER.format(imports=imports, apply=apply))},
                     id=id_ + "-neg-helper"),
    ]


def explicit(id_: str, files: Dict[str, str]) -> object:
    return pytest.param(files, id=id_)


# --------------------------------------------------------------------------
# Shapes
# --------------------------------------------------------------------------
PLAIN_SYNC = '''
    from functools import wraps


    def login_required(f):
        @wraps(f)  # expect: HWR001
        def wrapper(*args, **kwargs):
            return f(*args, **kwargs)
        return wrapper
'''
PLAIN_SYNC_CLEAN = MARK.sub("", PLAIN_SYNC)

SHAPES: List[object] = [
    *both("plain-sync", {"auth.py": PLAIN_SYNC},
          "from auth import login_required", "@login_required"),

    *both("plain-async", {"auth.py": '''
        from functools import wraps


        def login_required(f):
            @wraps(f)  # expect: HWR001
            async def wrapper(*args, **kwargs):
                return await f(*args, **kwargs)
            return wrapper
    '''}, "from auth import login_required", "@login_required"),

    *both("factory-depth-1", {"auth.py": '''
        from functools import wraps


        def require_role(role):
            def decorator(f):
                @wraps(f)  # expect: HWR001
                def wrapper(*args, **kwargs):
                    if role != "admin":
                        raise PermissionError(role)
                    return f(*args, **kwargs)
                return wrapper
            return decorator
    '''}, "from auth import require_role", '@require_role("admin")'),

    *both("factory-depth-1-keyword-args", {"cache.py": '''
        from functools import wraps


        def cached(*, ttl=60, key=None):
            def decorator(f):
                @wraps(f)  # expect: HWR001
                async def wrapper(*args, **kwargs):
                    return await f(*args, **kwargs)
                return wrapper
            return decorator
    '''}, "from cache import cached", '@cached(ttl=300, key="orders")'),

    *both("factory-depth-2-called-twice", {"limits.py": '''
        from functools import wraps


        def rate_limit(count):
            def per(window):
                def decorator(f):
                    @wraps(f)  # expect: HWR001
                    def wrapper(*args, **kwargs):
                        return f(*args, **kwargs)
                    return wrapper
                return decorator
            return per
    '''}, "from limits import rate_limit", '@rate_limit(10)("minute")'),

    *both("factory-depth-2-delegating", {"auth.py": '''
        from functools import wraps


        def require_role(role):
            def decorator(f):
                @wraps(f)  # expect: HWR001
                def wrapper(*args, **kwargs):
                    return f(*args, **kwargs)
                return wrapper
            return decorator


        def admin_only(audit=True):
            return require_role("admin")
    '''}, "from auth import admin_only", "@admin_only(audit=False)"),

    *both("callable-instance-bare", {"metering.py": '''
        from functools import wraps


        class Meter:
            def __init__(self):
                self.calls = 0

            def __call__(self, f):
                @wraps(f)  # expect: HWR001
                def wrapper(*args, **kwargs):
                    self.calls += 1
                    return f(*args, **kwargs)
                return wrapper


        meter = Meter()
    '''}, "from metering import meter", "@meter"),

    *both("callable-instance-called", {"metering.py": '''
        from functools import wraps


        class UsageMeter:
            def __init__(self, client=None):
                self.client = client

            def __call__(self, feature):
                def decorator(f):
                    @wraps(f)  # expect: HWR001
                    def wrapper(*args, **kwargs):
                        if self.client:
                            self.client.record(feature)
                        return f(*args, **kwargs)
                    return wrapper
                return decorator


        track_usage = UsageMeter(client=None)
    '''}, "from metering import track_usage", '@track_usage("orders.list")'),

    *both("callable-class-as-factory", {"cache.py": '''
        from functools import wraps


        class cache_response:
            def __init__(self, ttl):
                self.ttl = ttl

            def __call__(self, f):
                @wraps(f)  # expect: HWR001
                def wrapper(*args, **kwargs):
                    return f(*args, **kwargs)
                return wrapper
    '''}, "from cache import cache_response", "@cache_response(ttl=30)"),

    *both("class-decorator-init-update-wrapper", {"audit.py": '''
        import functools


        class audit_log:
            def __init__(self, f):
                functools.update_wrapper(self, f)  # expect: HWR002
                self.f = f

            def __call__(self, *args, **kwargs):
                return self.f(*args, **kwargs)
    '''}, "from audit import audit_log", "@audit_log"),

    *both("staticmethod-decorator", {"auth.py": '''
        from functools import wraps


        class Auth:
            @staticmethod
            def require_admin(f):
                @wraps(f)  # expect: HWR001
                def wrapper(*args, **kwargs):
                    return f(*args, **kwargs)
                return wrapper
    '''}, "from auth import Auth", "@Auth.require_admin"),

    *both("classmethod-decorator", {"auth.py": '''
        from functools import wraps


        class Auth:
            header = "Authorization"

            @classmethod
            def require_token(cls, f):
                @wraps(f)  # expect: HWR001
                def wrapper(*args, **kwargs):
                    return f(*args, **kwargs)
                return wrapper
    '''}, "from auth import Auth", "@Auth.require_token"),

    *both("classmethod-factory", {"auth.py": '''
        from functools import wraps


        class Auth:
            @classmethod
            def require_scope(cls, scope):
                def decorator(f):
                    @wraps(f)  # expect: HWR001
                    def wrapper(*args, **kwargs):
                        return f(*args, **kwargs)
                    return wrapper
                return decorator
    '''}, "from auth import Auth", '@Auth.require_scope("orders:read")'),

    *both("module-attribute", {"auth.py": PLAIN_SYNC},
          "import auth", "@auth.login_required"),

    *both("package-submodule-attribute",
          {"security/__init__.py": "", "security/auth.py": PLAIN_SYNC},
          "from security import auth", "@auth.login_required"),

    *both("dotted-module-attribute", {"security/__init__.py": "", "security/auth.py": PLAIN_SYNC},
          "import security.auth", "@security.auth.login_required"),

    *both("callable-instance-called-as-module-attribute", {"metering.py": '''
        from functools import wraps


        class UsageMeter:
            def __call__(self, feature):
                def decorator(f):
                    @wraps(f)  # expect: HWR001
                    def wrapper(*args, **kwargs):
                        return f(*args, **kwargs)
                    return wrapper
                return decorator


        track_usage = UsageMeter()
    '''}, "import metering", '@metering.track_usage("orders.list")'),

    *both("imported-under-alias", {"auth.py": PLAIN_SYNC},
          "from auth import login_required as protected", "@protected"),

    *both("re-exported-by-package", {
        "security/__init__.py": "from .decorators import login_required\n",
        "security/decorators.py": PLAIN_SYNC,
    }, "from security import login_required", "@login_required"),

    *both("module-level-alias", {"auth.py": PLAIN_SYNC + '''

    protected = login_required
'''}, "from auth import protected", "@protected"),

    *both("composed-decorator", {"auth.py": PLAIN_SYNC + '''

    def audit(f):
        return f


    def secure(f):
        return login_required(audit(f))
'''}, "from auth import secure", "@secure"),

    *both("call-form-wraps-f-inner", {"auth.py": '''
        from functools import wraps


        def login_required(f):
            def inner(*args, **kwargs):
                return f(*args, **kwargs)
            return wraps(f)(inner)  # expect: HWR001
    '''}, "from auth import login_required", "@login_required"),

    *both("update-wrapper-in-function", {"auth.py": '''
        from functools import update_wrapper


        def login_required(f):
            def wrapper(*args, **kwargs):
                return f(*args, **kwargs)
            update_wrapper(wrapper, f)  # expect: HWR002
            return wrapper
    '''}, "from auth import login_required", "@login_required"),

    *both("update-wrapper-returned", {"auth.py": '''
        import functools


        def login_required(f):
            def wrapper(*args, **kwargs):
                return f(*args, **kwargs)
            return functools.update_wrapper(wrapper, f)  # expect: HWR002
    '''}, "from auth import login_required", "@login_required"),

    *both("same-module-decorator", {}, "from functools import wraps\n\n\n"
          "def login_required(f):\n"
          "    @wraps(f)  # expect: HWR001\n"
          "    def wrapper(*args, **kwargs):\n"
          "        return f(*args, **kwargs)\n"
          "    return wrapper\n", "@login_required"),
]

# Stacking, assignment, registration calls: written out in full.
STACKING_AND_APPLICATION = [
    explicit("stacked-above-route-decorator", {"auth.py": PLAIN_SYNC, "app.py": '''
        from flask import Flask
        from auth import login_required

        app = Flask(__name__)


        @login_required
        @app.route("/orders")
        def list_orders():
            return "[]"
    '''}),
    explicit("stacked-between-other-decorators", {"auth.py": PLAIN_SYNC, "app.py": '''
        from flask import Flask
        from flask_caching import Cache
        from auth import login_required

        app = Flask(__name__)
        cache = Cache(app)


        @app.route("/orders")
        @cache.cached(timeout=50)
        @login_required
        @cache.memoize()
        def list_orders():
            return "[]"
    '''}),
    explicit("stacked-among-several-project-decorators", {"auth.py": PLAIN_SYNC, "app.py": '''
        from fastapi import FastAPI
        from auth import login_required

        app = FastAPI()


        def traced(f):
            return f


        @traced
        @app.get("/orders")
        @traced
        @login_required
        async def list_orders():
            return []
    '''}),
    explicit("stacked-neg-above-non-route-decorator", {
        "auth.py": PLAIN_SYNC_CLEAN, "app.py": '''
        import click
        from flask import Flask
        from auth import login_required

        app = Flask(__name__)


        @app.route("/orders")
        def list_orders():
            return "[]"


        @login_required
        @click.command()
        def export_orders():
            print("exported")
    '''}),
    explicit("assignment-then-add-url-rule", {"auth.py": PLAIN_SYNC, "app.py": '''
        from flask import Flask
        from auth import login_required

        app = Flask(__name__)


        def list_orders():
            return "[]"


        list_orders = login_required(list_orders)
        app.add_url_rule("/orders", view_func=list_orders)
    '''}),
    explicit("assignment-new-name-then-registered", {"auth.py": PLAIN_SYNC, "app.py": '''
        from fastapi import FastAPI
        from auth import login_required

        app = FastAPI()


        async def list_orders():
            return []


        protected_list_orders = login_required(list_orders)
        app.add_api_route("/orders", protected_list_orders)
    '''}),
    explicit("assignment-cross-module-then-django-path", {
        "auth.py": PLAIN_SYNC,
        "shop/__init__.py": "",
        "shop/views.py": '''
            from django.http import HttpResponse
            from auth import login_required


            def orders(request):
                return HttpResponse("[]")


            orders = login_required(orders)
        ''',
        "shop/urls.py": '''
            from django.urls import path
            from . import views

            urlpatterns = [path("orders/", views.orders)]
        ''',
    }),
    explicit("assignment-neg-not-registered", {
        "auth.py": PLAIN_SYNC_CLEAN, "app.py": '''
        from flask import Flask
        from auth import login_required

        app = Flask(__name__)


        def rebuild_index():
            return None


        rebuild_index = login_required(rebuild_index)


        @app.route("/orders")
        def list_orders():
            return "[]"
    '''}),
    explicit("registration-call-factory-applied-inline", {"auth.py": '''
        from functools import wraps


        def require_role(role):
            def decorator(f):
                @wraps(f)  # expect: HWR001
                def wrapper(*args, **kwargs):
                    return f(*args, **kwargs)
                return wrapper
            return decorator
    ''', "app.py": '''
        from flask import Flask
        from auth import require_role

        app = Flask(__name__)


        def admin_panel():
            return "admin"


        app.add_url_rule("/admin", view_func=require_role("admin")(admin_panel))
    '''}),
    explicit("registration-call-callable-instance", {"metering.py": '''
        from functools import wraps


        class Meter:
            def __call__(self, f):
                @wraps(f)  # expect: HWR001
                def wrapper(*args, **kwargs):
                    return f(*args, **kwargs)
                return wrapper


        meter = Meter()
    ''', "app.py": '''
        from starlette.applications import Starlette
        from starlette.routing import Route
        from metering import meter


        async def search(request):
            ...


        app = Starlette(routes=[Route("/search", meter(search))])
    '''}),
    explicit("bound-method-decorator-self-guard", {"server.py": '''
        from functools import wraps
        from flask import Flask


        class ModelServer:
            def __init__(self):
                self.app = Flask(__name__)
                self.app.add_url_rule("/predict", view_func=self.guard(self.predict),
                                      methods=["POST"])

            def guard(self, f):
                @wraps(f)  # expect: HWR001
                def wrapper(*args, **kwargs):
                    return f(*args, **kwargs)
                return wrapper

            def predict(self):
                return {"label": 0}
    '''}),
    explicit("bound-method-decorator-neg-on-helper", {"server.py": '''
        from functools import wraps
        from flask import Flask


        class ModelServer:
            def __init__(self):
                self.app = Flask(__name__)
                self.app.add_url_rule("/predict", view_func=self.predict, methods=["POST"])
                self.load = self.guard(self.load)

            def guard(self, f):
                @wraps(f)
                def wrapper(*args, **kwargs):
                    return f(*args, **kwargs)
                return wrapper

            def load(self):
                return None

            def predict(self):
                return {"label": 0}
    '''}),
    explicit("defined-in-class-body-used-on-methodview", {"views.py": '''
        from functools import wraps
        from flask.views import MethodView


        class OrdersAPI(MethodView):
            def _checked(f):
                @wraps(f)  # expect: HWR001
                def wrapper(self, *args, **kwargs):
                    return f(self, *args, **kwargs)
                return wrapper

            @_checked
            def get(self):
                return "[]"
    '''}),
    explicit("defined-in-class-body-neg-on-helper", {"views.py": '''
        from functools import wraps
        from flask.views import MethodView


        class OrdersAPI(MethodView):
            def _checked(f):
                @wraps(f)
                def wrapper(self, *args, **kwargs):
                    return f(self, *args, **kwargs)
                return wrapper

            @_checked
            def _load(self):
                return []

            def get(self):
                return str(self._load())
    '''}),
    explicit("defined-inside-app-factory", {"app.py": '''
        from functools import wraps
        from flask import Flask, request


        def create_app():
            app = Flask(__name__)

            def require_key(f):
                @wraps(f)  # expect: HWR001
                def wrapper(*args, **kwargs):
                    if request.headers.get("X-Key") != "k":
                        return "forbidden", 403
                    return f(*args, **kwargs)
                return wrapper

            @app.route("/orders")
            @require_key
            def list_orders():
                return "[]"

            return app
    '''}),
    explicit("defined-inside-app-factory-neg-on-helper", {"app.py": '''
        from functools import wraps
        from flask import Flask


        def create_app():
            app = Flask(__name__)

            def logged(f):
                @wraps(f)
                def wrapper(*args, **kwargs):
                    return f(*args, **kwargs)
                return wrapper

            @logged
            def load_orders():
                return []

            @app.route("/orders")
            def list_orders():
                return str(load_orders())

            return app
    '''}),
]

# --------------------------------------------------------------------------
# Spellings of functools.wraps / functools.update_wrapper
# --------------------------------------------------------------------------


def deco_using(header: str, line: str, code: str = "HWR001") -> str:
    """``login_required`` whose wrapping line is ``line`` under imports ``header``."""
    return (
        f"{header}\n"
        "\n"
        "\n"
        "def login_required(f):\n"
        "    def wrapper(*args, **kwargs):\n"
        "        return f(*args, **kwargs)\n"
        f"    {line}  # expect: {code}\n"
        "    return wrapper\n"
    ) if not line.startswith("@") else (
        f"{header}\n"
        "\n"
        "\n"
        "def login_required(f):\n"
        f"    {line}  # expect: {code}\n"
        "    def wrapper(*args, **kwargs):\n"
        "        return f(*args, **kwargs)\n"
        "    return wrapper\n"
    )


IMPORT = ("from auth import login_required", "@login_required")

SPELLINGS: List[object] = [
    *both("spelling-from-functools-import-wraps",
          {"auth.py": deco_using("from functools import wraps", "@wraps(f)")}, *IMPORT),
    *both("spelling-from-functools-import-wraps-as-w",
          {"auth.py": deco_using("from functools import wraps as w", "@w(f)")}, *IMPORT),
    *both("spelling-import-functools",
          {"auth.py": deco_using("import functools", "@functools.wraps(f)")}, *IMPORT),
    *both("spelling-import-functools-as-ft",
          {"auth.py": deco_using("import functools as ft", "@ft.wraps(f)")}, *IMPORT),
    *both("spelling-ft-wraps-call-form",
          {"auth.py": deco_using("import functools as ft",
                                 "wrapper = ft.wraps(f)(wrapper)")}, *IMPORT),
    *both("spelling-from-functools-import-update-wrapper",
          {"auth.py": deco_using("from functools import update_wrapper",
                                 "update_wrapper(wrapper, f)", "HWR002")}, *IMPORT),
    *both("spelling-update-wrapper-as-alias",
          {"auth.py": deco_using("from functools import update_wrapper as uw",
                                 "uw(wrapper, f)", "HWR002")}, *IMPORT),
    *both("spelling-ft-update-wrapper",
          {"auth.py": deco_using("import functools as ft",
                                 "ft.update_wrapper(wrapper, f)", "HWR002")}, *IMPORT),
    *both("spelling-reexported-from-project-module", {
        "compat.py": "from functools import wraps\n",
        "auth.py": deco_using("from compat import wraps", "@wraps(f)"),
    }, *IMPORT),
    *both("spelling-reexported-through-package-relative", {
        "utils/__init__.py": "from .functional import wraps\n\n__all__ = ['wraps']\n",
        "utils/functional.py": "from functools import update_wrapper, wraps\n",
        "auth.py": deco_using("from utils import wraps", "@wraps(f)"),
    }, *IMPORT),
    *both("spelling-reexported-module-import", {
        "compat.py": "import functools\nfrom functools import wraps\n",
        "auth.py": deco_using("import compat", "@compat.wraps(f)"),
    }, *IMPORT),
    *both("spelling-reexported-by-assignment", {
        "compat.py": "import functools\n\nwraps = functools.wraps\n",
        "auth.py": deco_using("from compat import wraps", "@wraps(f)"),
    }, *IMPORT),
]

# Not functools.wraps, although it is spelled ``wraps``: applied to a handler,
# never reported.  Where useful a real ``functools.wraps`` decorator sits next to
# it (and is reported) so that the case cannot pass by finding nothing at all.
NOT_WRAPS: List[object] = [
    explicit("not-wraps-local-function-named-wraps", {"auth.py": '''
        def wraps(original):
            def copy_name(wrapper):
                wrapper.__name__ = original.__name__
                return wrapper
            return copy_name


        def login_required(f):
            @wraps(f)
            def wrapper(*args, **kwargs):
                return f(*args, **kwargs)
            return wrapper
    ''', "app.py": ON_HANDLER.format(imports=IMPORT[0], apply=IMPORT[1])}),
    explicit("not-wraps-from-third-party-lib", {"auth.py": '''
        from mylib import wraps


        def login_required(f):
            @wraps(f)
            def wrapper(*args, **kwargs):
                return f(*args, **kwargs)
            return wrapper
    ''', "app.py": ON_HANDLER.format(imports=IMPORT[0], apply=IMPORT[1])}),
    explicit("not-wraps-from-project-module-defining-own", {"mylib.py": '''
        def wraps(original):
            def keep(wrapper):
                wrapper.__wrapped__ = original
                return wrapper
            return keep
    ''', "auth.py": '''
        from mylib import wraps


        def login_required(f):
            @wraps(f)
            def wrapper(*args, **kwargs):
                return f(*args, **kwargs)
            return wrapper
    ''', "app.py": ON_HANDLER.format(imports=IMPORT[0], apply=IMPORT[1])}),
    explicit("not-wraps-shadowing-parameter", {"naming.py": '''
        from functools import wraps


        def login_required(f):
            @wraps(f)  # expect: HWR001
            def wrapper(*args, **kwargs):
                return f(*args, **kwargs)
            return wrapper


        def renamed_with(wraps):
            def decorator(f):
                @wraps(f)
                def wrapper(*args, **kwargs):
                    return f(*args, **kwargs)
                return wrapper
            return decorator


        def keep_name(original):
            def apply(wrapper):
                wrapper.__name__ = original.__name__
                return wrapper
            return apply
    ''', "app.py": '''
        from flask import Flask
        from naming import keep_name, login_required, renamed_with

        app = Flask(__name__)


        @app.route("/orders")
        @renamed_with(keep_name)
        @login_required
        def list_orders():
            return "[]"
    '''}),
    explicit("not-wraps-shadowing-local-assignment", {"auth.py": '''
        from functools import wraps


        def login_required(f):
            wraps = _keep_name
            @wraps(f)
            def wrapper(*args, **kwargs):
                return f(*args, **kwargs)
            return wrapper


        def _keep_name(original):
            return lambda wrapper: wrapper
    ''', "app.py": ON_HANDLER.format(imports=IMPORT[0], apply=IMPORT[1])}),
    explicit("not-wraps-attribute-of-object", {"auth.py": '''
        import functools


        class Hooks:
            def wraps(self, original):
                return lambda wrapper: wrapper


        hooks = Hooks()


        def login_required(f):
            @hooks.wraps(f)
            def wrapper(*args, **kwargs):
                return f(*args, **kwargs)
            return wrapper


        def audited(f):
            @functools.wraps(f)  # expect: HWR001
            def wrapper(*args, **kwargs):
                return f(*args, **kwargs)
            return wrapper
    ''', "app.py": ON_HANDLER.format(imports="from auth import audited, login_required",
                                     apply="@audited\n@login_required")}),
    explicit("not-wraps-self-attribute", {"auth.py": '''
        class Guard:
            def __init__(self, wraps):
                self.wraps = wraps

            def __call__(self, f):
                @self.wraps(f)
                def wrapper(*args, **kwargs):
                    return f(*args, **kwargs)
                return wrapper


        guard = Guard(wraps=lambda original: (lambda wrapper: wrapper))
    ''', "app.py": ON_HANDLER.format(imports="from auth import guard", apply="@guard")}),
    explicit("not-wraps-functools-shadowed-by-project-module", {"functools_compat.py": '''
        def wraps(original):
            return lambda wrapper: wrapper
    ''', "auth.py": '''
        import functools_compat as functools


        def login_required(f):
            @functools.wraps(f)
            def wrapper(*args, **kwargs):
                return f(*args, **kwargs)
            return wrapper
    ''', "app.py": ON_HANDLER.format(imports=IMPORT[0], apply=IMPORT[1])}),
]


@pytest.mark.parametrize("files", SHAPES + STACKING_AND_APPLICATION)
def test_shape(tmp_path: Path, files: Dict[str, str]) -> None:
    assert check(tmp_path, files) == set()


@pytest.mark.parametrize("files", SPELLINGS + NOT_WRAPS)
def test_spelling(tmp_path: Path, files: Dict[str, str]) -> None:
    assert check(tmp_path, files) == set()
