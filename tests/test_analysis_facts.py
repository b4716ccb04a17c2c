"""What ``analyze_source`` records about one module (flake8_hotwrap.analysis).

The shape and framework specifications observe these facts only through the
final findings; here they are pinned directly, source -> facts, so that the
index (and the mutation run, ``benchmarks/mutation.sh``) sees every field:
where a wraps site is and whose it is, what each name resolves to, which
functions are decorated or routed, which views are registered and how.
References are dotted names, ``()`` marking a call result (see the module doc).
"""
from __future__ import annotations

import ast
import json
import sys
import textwrap
from typing import Any, Dict, List, Optional, Tuple

import pytest

from flake8_hotwrap.analysis import (
    ModuleFacts, WrapSite, analyze_module, analyze_source, dotted_text, resolve_relative,
    strip_calls,
)


#: ``match`` statements parse from Python 3.10 on
NEEDS_MATCH = pytest.mark.skipif(sys.version_info < (3, 10), reason="match needs Python 3.10")


def facts(source: str, module: str = "app", **kw: Any) -> ModuleFacts:
    return analyze_source(textwrap.dedent(source).lstrip("\n"), module, **kw)


def sites(source: str, module: str = "app") -> List[Tuple[Any, ...]]:
    """(line, col, kind, form, target, owner, scope, per_call) of every site."""
    return [(s.line, s.col, s.kind, s.form, s.target, s.owner, s.scope, s.per_call)
            for s in facts(source, module).sites]


def functions(source: str, module: str = "app") -> Dict[str, Tuple[Any, ...]]:
    """qualname -> (line, decorators, routes, cls) of every recorded function."""
    return {f.qualname: (f.line, f.decorators, f.routes, f.cls)
            for f in facts(source, module).functions}


# --------------------------------------------------------------------- helpers

@pytest.mark.parametrize("module, is_package, level, target, expected", [
    ("a.b.c", False, 1, None, "a.b"),           # from . import x
    ("a.b.c", False, 1, "d", "a.b.d"),          # from .d import x
    ("a.b.c", False, 2, None, "a"),             # from .. import x
    ("a.b.c", False, 2, "d", "a.d"),
    ("a.b.c", False, 3, "d", "d"),              # up to the root
    ("a.b.c", False, 4, "d", "d"),              # beyond the root: as far as it goes
    ("a.b", True, 1, None, "a.b"),              # a package's own submodules
    ("a.b", True, 1, "d", "a.b.d"),
    ("a.b", True, 2, "d", "a.d"),
    ("a.b", True, 3, "d", "d"),
    ("", False, 1, "d", "d"),                   # a module outside any package
    ("", True, 2, None, ""),
    ("", True, 1, "d", "d"),
])
def test_resolve_relative(module: str, is_package: bool, level: int, target: Optional[str],
                          expected: str) -> None:
    assert resolve_relative(module, is_package, level, target) == expected


@pytest.mark.parametrize("ref, expected", [
    ("flask.Flask()", "flask.Flask"), ("pkg.Meter()()", "pkg.Meter"),
    ("a.b()", "a.b"), ("a.b().c", "a.b().c"), ("plain", "plain"), ("", ""),
])
def test_strip_calls(ref: str, expected: str) -> None:
    assert strip_calls(ref) == expected


@pytest.mark.parametrize("expr, expected", [
    ("a", "a"), ("a.b.c", "a.b.c"), ("a.b()", "a.b"), ("a.b(1).c(2)", "a.b.c"),
    ("f()()", "f"), ("x[0].y", None), ("(1).real", None), ("'s'", None),
])
def test_dotted_text(expr: str, expected: Optional[str]) -> None:
    assert dotted_text(ast.parse(expr, mode="eval").body) == expected


# --------------------------------------------------------------------- wraps sites

SITES = [
    pytest.param("""
        import functools
        from functools import wraps


        def deco(f):
            @wraps(f)
            def wrapper(*a):
                @functools.wraps(f)
                def inner():
                    return f()
                functools.update_wrapper(inner, f)
                return inner
            return wrapper
        """, [
            (6, 5, "wraps", "decorator", "functools.wraps", "deco", "deco", False),
            # inside the wrapper's body: runs on every call of the decorated function
            (8, 9, "wraps", "decorator", "functools.wraps", "deco", "deco.wrapper", True),
            (11, 8, "update_wrapper", "call", "functools.update_wrapper", "deco",
             "deco.wrapper", True),
        ], id="decorator-call-per-call"),
    pytest.param("""
        import functools as ft


        class Meter:
            def __call__(self, f):
                return ft.update_wrapper(lambda: f(), f)

            @ft.wraps(print)
            def m(self):
                def helper(g):
                    return ft.wraps(g)(g)
                return helper


        ft.update_wrapper(Meter, print)
        """, [
            (6, 15, "update_wrapper", "call", "functools.update_wrapper", "Meter.__call__",
             "Meter.__call__", False),
            (8, 5, "wraps", "decorator", "functools.wraps", None, "Meter", False),
            # m is a wrapper (wraps-decorated): its body runs on every call
            (11, 19, "wraps", "call", "functools.wraps", "Meter.m", "Meter.m.helper", True),
            (15, 0, "update_wrapper", "call", "functools.update_wrapper", None, "", False),
        ], id="methods-and-module-level"),
    pytest.param("""
        from functools import wraps


        def outer():
            def deco(f):
                @wraps(f)
                async def w():
                    return await f()
                return w
            return deco
        """, [
            (6, 9, "wraps", "decorator", "functools.wraps", "outer", "outer.deco", False),
        ], id="owner-is-the-outermost-function"),
    pytest.param("""
        from functools import wraps
        from myproject.compat import update_wrapper as uw


        def deco(f):
            @wraps(f)
            class W:
                pass
            return uw(W, f)


        @wraps(len)
        class Top:
            pass
        """, [
            (6, 5, "wraps", "decorator", "functools.wraps", "deco", "deco", False),
            (9, 11, "update_wrapper", "call", "myproject.compat.update_wrapper", "deco",
             "deco", False),
            (12, 1, "wraps", "decorator", "functools.wraps", None, "", False),
        ], id="classes-and-reexported-names"),
    pytest.param("""
        import functools
        import functools as ft2


        class C:
            functools = None
            functools.wraps(len)  # the class attribute, not the module

            def m(self):
                return functools.wraps(len)  # methods skip the class scope


        def f(functools, /, obj, *, wraps):
            functools.wraps(len)  # a parameter
            obj.wraps(len)
            wraps(len)
            ft2.wraps(len)(f)


        w = functools.wraps(len)
        w(f)
        get = lambda: functools
        get().wraps(len)
        functools.wraps
        functools.partial(len)
        functools.wraps(len)(f)(g)


        def g(*functools, **ft2):
            functools.wraps(len)  # parameters, too
            ft2.wraps(len)
        """, [
            (10, 15, "wraps", "call", "functools.wraps", "C.m", "C.m", False),
            (17, 4, "wraps", "call", "functools.wraps", "f", "f", False),
            (20, 4, "wraps", "call", "functools.wraps", None, "", False),
            (26, 0, "wraps", "call", "functools.wraps", None, "", False),
        ], id="only-calls-of-the-real-names"),
    pytest.param("""
        def wraps(f):
            return f


        @wraps(len)
        def g():
            pass
        """, [
            (5, 1, "wraps", "decorator", "app.wraps", None, "", False),
        ], id="a-project-function-named-wraps"),
]


@pytest.mark.parametrize("source, expected", SITES)
def test_sites(source: str, expected: List[Tuple[Any, ...]]) -> None:
    assert sites(source) == expected


def test_site_outside_any_module_needs_a_qualified_target() -> None:
    # Without a module name a local ``wraps`` resolves to a bare name: not a site.
    assert facts("def wraps(f):\n    return f\nwraps(len)\n", module="").sites == []


def test_site_columns_in_bytes_and_characters() -> None:
    (site,) = facts('x = "é€"; import functools; functools.update_wrapper(x, x)\n').sites
    # ast reports UTF-8 bytes (what flake8 prints), libcst characters
    assert (site.col, site.char_col) == (31, 28)
    (site,) = facts('import functools\n\nfor x in "\u00e9\u20ac": functools.wraps(x)\n').sites
    assert (site.line, site.col, site.char_col) == (3, 18, 15)


# --------------------------------------------------------------------- bindings

BINDINGS = [
    pytest.param("a.b.c.mod", False, """
        import functools
        import os.path
        import flask.views as fv
        from functools import wraps as w, update_wrapper
        from . import sibling
        from .. import up
        from ...deep import thing
        from .mod import name as alias
        """, {
            "functools": "functools", "os": "os", "fv": "flask.views",
            "w": "functools.wraps", "update_wrapper": "functools.update_wrapper",
            "sibling": "a.b.c.sibling", "up": "a.b.up", "thing": "a.deep.thing",
            "alias": "a.b.c.mod.name",
        }, id="imports"),
    pytest.param("a.b", True, """
        from . import x
        from .. import y
        from ..z import q
        from ..... import far
        """, {"x": "a.b.x", "y": "a.y", "q": "a.z.q", "far": "far"},
        id="relative-imports-in-a-package"),
    pytest.param("m", False, """
        from flask import Flask
        import pkg.metering

        app = Flask(__name__)
        meter = pkg.metering.Meter()
        count = meter("x")
        alias = app
        route = app.route
        one = 1
        text = f"{one}"
        a = b = Flask()
        c: Flask = Flask()
        d: Flask
        loop_a = loop_b
        loop_b = loop_a
        self_ref = self_ref.x
        items = [Flask()][0]
        """, {
            "Flask": "flask.Flask", "pkg": "pkg", "app": "flask.Flask()",
            "meter": "pkg.metering.Meter()", "count": "pkg.metering.Meter()()",
            "alias": "flask.Flask()", "route": "flask.Flask().route", "c": "flask.Flask()",
        }, id="assignments"),
    pytest.param("m", False, """
        from lib import i, fh, exc, t, s, el, aug, ann, k, v, w1, w2, g1, n1
        for i in range(3):
            pass
        with open("f") as fh:
            pass
        try:
            pass
        except OSError as exc:
            pass
        t, [s, *el] = 1, [2, 3]
        aug += 1
        ann: int = 1
        for (k, v) in {}.items():
            pass
        with a() as (w1, w2):
            pass
        print(g1, n1)
        """, {"g1": "lib.g1", "n1": "lib.n1"}, id="rebinding-makes-names-unknown"),
    pytest.param("m", False, """
        import sys
        try:
            from flask import Flask as T1
        except ImportError:
            from quart import Quart as T2
        else:
            from flask import Blueprint as T3
        finally:
            from flask import request as T4
        while sys.argv:
            from lib import w1
            break
        else:
            from lib import w2
        for _ in sys.argv:
            from lib import f1
        else:
            from lib import f2
        with open("x"), open("y"):
            from lib import h1
        if sys.platform:
            from lib import i1
        elif sys.argv:
            from lib import i2
        else:
            from lib import i3
        """, {
            "sys": "sys", "T1": "flask.Flask", "T2": "quart.Quart", "T3": "flask.Blueprint",
            "T4": "flask.request", "w1": "lib.w1", "w2": "lib.w2", "f1": "lib.f1",
            "f2": "lib.f2", "h1": "lib.h1", "i1": "lib.i1", "i2": "lib.i2", "i3": "lib.i3",
        }, id="bindings-in-every-statement-kind"),
    pytest.param("m", False, """
        import sys
        match sys.argv:
            case ["a"]:
                from lib import m1
            case _:
                from lib import m2
        """, {"sys": "sys", "m1": "lib.m1", "m2": "lib.m2"}, id="bindings-in-match-cases",
        marks=NEEDS_MATCH),
    pytest.param("pkg.mod", False, """
        import functools


        def deco():
            pass


        async def view():
            pass


        class Meter:
            pass


        def shadow():
            import os
        """, {"functools": "functools", "deco": "pkg.mod.deco", "view": "pkg.mod.view",
              "Meter": "pkg.mod.Meter", "shadow": "pkg.mod.shadow"},
        id="definitions-nested-scopes-are-their-own"),
]


@pytest.mark.parametrize("module, is_package, source, expected", BINDINGS)
def test_module_bindings(module: str, is_package: bool, source: str,
                         expected: Dict[str, str]) -> None:
    assert facts(source, module, is_package=is_package).bindings == expected


@NEEDS_MATCH
def test_bindings_inside_compound_statements_of_a_function() -> None:
    # Each of these wraps calls resolves through a binding made in a nested block.
    source = """
        def deco(f, flag):
            try:
                import functools as a
            except ImportError:
                import functools as b
            else:
                import functools as c
            with open("x"):
                import functools as d
            while flag:
                import functools as e
                break
            else:
                import functools as g
            async def inner():
                async for _ in f():
                    import functools as h
                async with f():
                    import functools as i
                h.wraps(f)
                i.wraps(f)
            match flag:
                case 1:
                    import functools as j
            for x in a, b, c, d, e, g, j:
                x.wraps(f)
            a.wraps(f); b.wraps(f); c.wraps(f); d.wraps(f); e.wraps(f); g.wraps(f)
            j.wraps(f)
        """
    got = [(s.line, s.target, s.scope) for s in facts(source).sites]
    assert got == [(20, "functools.wraps", "deco.inner"), (21, "functools.wraps", "deco.inner"),
                   ] + [(27, "functools.wraps", "deco")] * 6 + [(28, "functools.wraps", "deco")]


def test_global_and_nonlocal_names_are_not_local() -> None:
    source = """
        import functools


        def deco(f):
            global functools
            functools.wraps(f)

            def inner():
                nonlocal f
                functools.wraps(f)
            return inner
        """
    assert [(s.line, s.target) for s in facts(source).sites] == [
        (6, "functools.wraps"), (10, "functools.wraps")]


def test_star_imports_are_recorded_at_module_level_only() -> None:
    f = facts("""
        from pkg.helpers import *
        from .siblings import *


        def f():
            from other import *
        """, "pkg.mod")
    assert f.star_imports == ["pkg.helpers", "pkg.siblings"]


@pytest.mark.parametrize("source, uses", [
    ("import flask\n", True),
    ("import django.urls\n", True),
    ("from starlette.routing import Route\n", True),
    ("def f():\n    import falcon\n", True),
    ("from . import falcon\n", False),
    ("import os\nfrom json import loads\n", False),
    ("from myfalcon import x\n", False),
])
def test_uses_framework(source: str, uses: bool) -> None:
    assert facts(source, "pkg.mod").uses_framework is uses


# --------------------------------------------------------------------- functions, classes

def test_decorated_functions_routes_and_definitions() -> None:
    source = """
        from flask import Flask, Blueprint
        from django.views.decorators.http import require_GET
        import requests
        import bottle
        from .deco import timed, cached

        app = Flask(__name__)
        bp = Blueprint("b", __name__)


        @app.route("/a")
        @timed
        def a():
            pass


        @bp.get("/b")
        @cached(ttl=3)
        async def b():
            pass


        @require_GET
        def c(request):
            pass


        @requests.get("/x")
        def not_route():
            pass


        @thing.route
        def bare():
            pass


        @unknown.post("/u")
        def u():
            pass


        @local_route("/l")
        def loc():
            pass


        @bottle.get("/bt")
        def bt():
            def nested():
                pass


        @bp.post(PATH)
        def var_path():
            pass


        from unittest import mock
        client = mock.MagicMock()


        @client.get("/x")
        def mocked():
            pass
        """
    assert functions(source, "proj.urls") == {
        "a": (13, ("flask.Flask().route()", "proj.deco.timed"), ("flask.Flask()",), None),
        "b": (19, ("flask.Blueprint().get()", "proj.deco.cached()"), ("flask.Blueprint()",),
              None),
        "c": (24, ("django.views.decorators.http.require_GET",), ("",), None),
        "not_route": (29, ("requests.get()",), (), None),
        "u": (39, (), ("?",), None),
        "loc": (44, (), ("",), None),
        "bt": (49, ("bottle.get()",), ("",), None),
        "var_path": (55, ("flask.Blueprint().post()",), ("flask.Blueprint()",), None),
        "mocked": (64, ("unittest.mock.MagicMock().get()",), (), None),
    }
    assert facts(source, "proj.urls").defs == {
        "a": 13, "b": 19, "c": 24, "not_route": 29, "bare": 34, "u": 39, "loc": 44, "bt": 49,
        "bt.<locals>.nested": 50, "var_path": 55, "mocked": 64}


def test_configured_route_patterns_make_certain_routes() -> None:
    source = """
        from .api import router
        import requests


        @router.endpoint("x")
        def a():
            pass


        @register_view
        def b():
            pass


        @requests.get("/x")
        def c():
            pass


        @registry["x"]
        @(lambda f: f)
        def d():
            pass
        """
    got = facts(source, "pkg.views",
                route_patterns=["router.endpoint", "*.register_view", "requests.*"])
    assert {f.qualname: f.routes for f in got.functions} == {
        "a": ("",), "c": ("",)}
    got = facts(source, "pkg.views", route_patterns=["pkg.api.router.*", "register_view"])
    assert {f.qualname: f.routes for f in got.functions} == {
        "a": ("",), "b": ("",), "c": ()}


def test_methods_and_the_self_and_cls_parameters() -> None:
    source = """
        from django.views import View
        from .auth import login_required


        class Home(View):
            @staticmethod
            def helper(x):
                x.go()

            @classmethod
            def make(cls, *args, **kw):
                cls.build()
                args.go()

            @property
            def p(self):
                self.get()

            def get(self, request, /, *, flag=login_required()):
                request.user()

            def noargs():
                pass


        def free(self):
            self.get()
        """
    f = facts(source, "site.views")
    assert {q: (line, decos, cls) for q, (line, decos, _r, cls)
            in functions(source, "site.views").items()} == {
        "Home.helper": (7, ("staticmethod",), "Home"),
        "Home.make": (11, ("classmethod",), "Home"),
        "Home.p": (16, ("property",), "Home"),
        "Home.get": (19, (), "Home"),
        "Home.noargs": (22, (), "Home"),
    }
    assert f.calls == {
        "Home.make": [("site.views.Home.build", 12)],
        "Home.p": [("site.views.Home().get", 17)],
        # not get's default (evaluated in the class body), nor free's self.get()
    }
    assert f.defs["free"] == 26
    assert f.classes[0].methods == ("helper", "make", "p", "get", "noargs")


def test_bindings_resolve_where_they_were_made() -> None:
    source = """
        from pkg import helpers
        from django.urls import path
        from .deco import timed

        maker = helpers.factory()


        def view(helpers):
            maker.run()  # the module's helpers, not the parameter


        class Views:
            def home(request):
                pass
            home = timed(home)
            urls = [path("", home)]
        """
    f = facts(source, "pkg.views")
    assert f.calls == {"view": [("pkg.helpers.factory().run", 9)]}
    assert [(r.ref, r.wrappers) for r in f.registrations] == [
        ("pkg.views.Views.home", ("pkg.deco.timed",))]


def test_calls_made_while_a_function_runs() -> None:
    source = """
        import functools
        from pkg import helpers
        from .deco import timed


        def view(request):
            helpers.load(request)
            request.user.save()
            local()
            print("x")

            @timed
            def inner():
                helpers.inner_call()

            @functools.wraps(helpers.original())
            @timed(helpers.limit())
            def w2(*, a, b=helpers.default()):
                pass
            return functools.wraps(view)(inner)


        helpers.at_import_time()
        """
    assert facts(source, "pkg.views").calls == {
        "view": [("pkg.helpers.load", 7), ("pkg.deco.timed", 13),
                 # arguments of decorators and defaults run when the def does
                 ("pkg.helpers.original", 16), ("pkg.helpers.limit", 17),
                 ("pkg.deco.timed()", 18), ("pkg.helpers.default", 18),
                 ("functools.wraps()", 20)],
        "view.<locals>.inner": [("pkg.helpers.inner_call", 14)],
    }


def test_classes_method_decorator_and_flask_view_decorators() -> None:
    source = """
        from django.utils.decorators import method_decorator
        from django.views import View
        from flask.views import MethodView
        from .auth import login_required, audit
        import abc


        class Home(View):
            @method_decorator(login_required)
            def get(self, request):
                return 1

            @method_decorator([login_required, audit], name="ignored")
            async def post(self, request):
                pass

            @method_decorator()
            def put(self):
                pass


        @method_decorator(audit, name="dispatch")
        @method_decorator((login_required, unknown), name="get")
        @method_decorator(audit)
        @method_decorator(audit, name=1)
        class Other(Home, MethodView, unknown_base, metaclass=abc.ABCMeta):
            decorators = [login_required, nope]
            other = [audit]
            decorators, more = [audit], []

            def dispatch(self, request):
                pass


        class Empty:
            decorators = [nope]
            decorators = audit


        def method_decorator_outside_a_class():
            @method_decorator(audit)
            def f():
                pass


        @dataclass
        @method_decorator(audit, name=METHOD)
        class Last:
            pass
        """
    f = facts(source, "site.views")
    assert [(c.qualname, c.line, c.bases, c.methods, c.method_decorators)
            for c in f.classes] == [
        ("Home", 8, ("django.views.View",), ("get", "post", "put"), ()),
        ("Other", 26, ("site.views.Home", "flask.views.MethodView"), ("dispatch",), (
            ("*", ("site.auth.login_required",)),
            ("dispatch", ("site.auth.audit",)),
            ("get", ("site.auth.login_required",)))),
        ("Empty", 35, (), (), ()),
        ("Last", 48, (), (), ()),
    ]
    assert [(u.line, u.col, u.cls, u.method, u.decorators)
            for u in f.method_decorator_uses] == [
        (9, 5, "Home", "get", ("site.auth.login_required",)),
        (13, 5, "Home", "post", ("site.auth.login_required", "site.auth.audit")),
        (17, 5, "Home", "put", ()),
        (22, 1, "Other", "dispatch", ("site.auth.audit",)),
        (23, 1, "Other", "get", ("site.auth.login_required",)),
    ]
    got = functions(source, "site.views")
    assert got["Home.post"] == (14, ("site.auth.login_required", "site.auth.audit"), (), "Home")
    # outside a class method_decorator(d) still applies d, but is no method_decorator use
    assert got["method_decorator_outside_a_class.<locals>.f"] == (
        42, ("site.auth.audit",), (), None)


def test_classes_and_functions_nested_in_functions() -> None:
    source = """
        from .deco import timed
        from pkg import helpers


        def factory():
            @helpers.register(helpers.make())
            class Local:
                def get(self):
                    pass

            @timed
            def view():
                pass
            return Local, view
        """
    f = facts(source, "pkg.views")
    assert [(c.qualname, c.methods) for c in f.classes] == [
        ("factory.<locals>.Local", ("get",))]
    assert {q: (decos, cls) for q, (_l, decos, _r, cls)
            in functions(source, "pkg.views").items()} == {
        "factory.<locals>.Local.get": ((), "factory.<locals>.Local"),
        "factory.<locals>.view": (("pkg.deco.timed",), None),
    }
    # class decorators' arguments run in the function; the decorator itself is a fact
    # of the class, not a call
    assert f.calls == {"factory": [("pkg.helpers.make", 6), ("pkg.deco.timed", 12)]}


# --------------------------------------------------------------------- registrations

def test_registrations_and_module_level_aliases() -> None:
    source = """
        from flask import Flask
        from django.urls import path
        import requests
        from .deco import timed, cached
        from .views import Page

        app = Flask(__name__)


        def a():
            pass


        def b():
            pass


        def c():
            pass


        viewd = timed(a)
        cached_view = cached(ttl=1)(timed(b))
        c = timed(c)
        plain = a
        called = timed()
        urlpatterns = [
            path("a/", a),
            path("b/", timed(cached(b))),
            path("p/", Page.as_view()),
            path("q/", timed(Page.as_view())),
            path("v/", viewd),
            path("lit/", "string.view"),
            path("kw/", view=b),
            path("unknown/", nothing),
        ]
        app.add_url_rule("/r", "r", b)
        app.add_url_rule("/r2", view_func=b)
        requests.add_url_rule("/n", "n", b)
        app.get("/g", b)
        requests.get("/g", b)
        app.getter("/g", b)
        routes = [(r"/t", Page), ("not-a-path", Page), (r"/t2", "x"), (r"/t3",)]


        def inside():
            local = cached(b)
            path("l/", local)
        """
    f = facts(source, "proj.urls")
    assert [(a.name, a.inner, a.wrappers) for a in f.aliases] == [
        ("viewd", "proj.urls.a", ("proj.deco.timed",)),
        ("cached_view", "proj.urls.b", ("proj.deco.cached()", "proj.deco.timed")),
        ("c", "proj.urls.c", ("proj.deco.timed",)),  # the def, not the alias itself
    ]
    assert sorted((r.line, r.ref, r.wrappers) for r in f.registrations) == [
        (28, "proj.urls.a", ()),
        (29, "proj.urls.b", ("proj.deco.timed", "proj.deco.cached")),
        (30, "proj.views.Page", ()),
        (31, "proj.views.Page", ("proj.deco.timed",)),
        (32, "proj.urls.a", ("proj.deco.timed",)),  # through the alias
        (34, "proj.urls.b", ()),
        (37, "proj.urls.b", ()),
        (38, "proj.urls.b", ()),
        (40, "proj.urls.b", ()),
        (43, "proj.views.Page", ()),  # Tornado's (path, handler) tuple
        (48, "proj.urls.b", ("proj.deco.cached",)),  # through a local alias
    ]


@pytest.mark.parametrize("source, expected", [
    ("from aiohttp import web\napp = web.Application()\napp.router.add_get('/', h)\n"
     "def h(r): pass\n", [(3, "m.h", ())]),
    ("import falcon\napp = falcon.App()\napp.add_route('/', Res())\nclass Res: pass\n",
     [(3, "m.Res()", ())]),
    ("from pyramid.config import Configurator\nc = Configurator()\nc.add_view(v)\n"
     "def v(r): pass\n", [(3, "m.v", ())]),
    ("from starlette.routing import Route\nr = [Route('/', endpoint=h)]\ndef h(r): pass\n",
     [(2, "m.h", ())]),
    ("path('x/', h)\ndef h(r): pass\n", [(1, "m.h", ())]),  # unknown callee, URL string
    ("path(h)\nos.path.join('x/', h)\ndef h(r): pass\n", []),
    ("import os\nos.path('x/', h)\ndef h(r): pass\n", []),
    ("from .urls import router\nrouter.get('/x', h)\nrouter.get('name', h)\n"
     "def h(r): pass\n", [(2, "m.h", ())]),
    ("import sanic\nsanic.Sanic().get('name', h)\ndef h(r): pass\n", [(2, "m.h", ())]),
    ("from fastapi import APIRouter\nr = APIRouter()\n"
     "r.add_api_route('/', lambda: 1)\nr.add_api_route('/', endpoint=h)\ndef h(): pass\n",
     [(4, "m.h", ())]),
    ("from django.urls import path\nfrom .v import V\n"
     "path('a/', deco(x)(V.as_view(name='n')))\n", [(3, "v.V", ())]),
    ("from django.urls import path\npath(ROUTE, h)\ndef h(r): pass\n", [(2, "m.h", ())]),
    ("path(ROUTE, h)\ndef h(r): pass\n", []),  # unknown callee, no URL: not a route
    ("import bottle\napp = bottle.Bottle()\napp.get('/a', callback=h)\n"
     "app.route('/b', handler=h)\napp.route('/c', view=h)\napp.get('/d', name=h)\n"
     "def h(): pass\n", [(3, "m.h", ()), (4, "m.h", ()), (5, "m.h", ())]),
    ("from mylib import path\npath('x/', h)\ndef h(r): pass\n", []),  # not django's path
    # aliases: ``name = deco(view)`` anywhere up the scopes, resolved where it was made
    ("from django.urls import path\ndef v(r): pass\ndef f():\n    local = unknown(v)\n"
     "    path('x/', local)\n", []),
    ("from django.urls import path\nfrom .d import timed\ndef v(r): pass\n"
     "wrapped = timed(v)\ndef f(v):\n    path('x/', wrapped)\n", [(6, "m.v", ("d.timed",))]),
    ("from django.urls import path\nfrom .d import timed\ndef f():\n    def v(r): pass\n"
     "    v = timed(v)\n    path('x/', v)\n", [(6, "m.f.<locals>.v", ("d.timed",))]),
    ("from django.urls import path\n" + "path('a/', " + "d(" * 25 + "v" + ")" * 25 + ")\n"
     "def d(f): return f\ndef v(r): pass\n", [(2, "m.d()", ("m.d",) * 20)]),  # gives up
])
def test_registration_calls(source: str, expected: List[Tuple[int, str, Tuple[str, ...]]]
                            ) -> None:
    assert [(r.line, r.ref, r.wrappers) for r in facts(source, "m").registrations] == expected


def test_facts_of_a_module_without_source_lines() -> None:
    # analyze_module is given the tree and the lines separately (the index has both).
    source = "import functools\nfunctools.wraps(f)\n"
    (site,) = analyze_module(ast.parse(source), "m", []).sites
    assert (site.line, site.col, site.char_col) == (2, 0, 0)
    assert analyze_module(ast.parse(source), "m", source.splitlines()).sites == [
        WrapSite(2, 0, 0, "wraps", "call", "functools.wraps", None, "", False)]


def test_analyze_source_defaults_and_encodings() -> None:
    # no module name: definitions are their bare names
    assert analyze_source("def f():\n    pass\n").bindings == {"f": "f"}
    # bytes in a declared encoding other than UTF-8 still give their sites
    data = ("# -*- coding: latin-1 -*-\nimport functools\nNAME = 'caf\u00e9'\n"
            "functools.wraps(f)\n").encode("latin-1")
    assert [(s.line, s.col, s.char_col) for s in analyze_source(data, "m").sites] == [(4, 0, 0)]


def test_facts_round_trip_through_the_cache_format() -> None:
    """The facts of every source in this file (the tables and the ``source = ...``
    literals of the tests above) read back from the index cache's JSON unchanged."""
    sources = [p.values[0] for p in SITES] + [p.values[2] for p in BINDINGS]
    for name, fn in list(globals().items()):
        if name.startswith("test_") and hasattr(fn, "__code__"):
            sources += [c for c in fn.__code__.co_consts if isinstance(c, str)
                        and "\n" in c and ("def " in c or "import " in c)]
    assert len(sources) > 20
    for src in sources:
        try:
            ast.parse(textwrap.dedent(src))
        except SyntaxError:  # ``match`` before Python 3.10
            continue
        facts_ = facts(src, "pkg.mod")
        assert ModuleFacts.from_json(json.loads(json.dumps(facts_.to_json()))) == facts_


@pytest.mark.parametrize("separator", ["\f", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029"])
def test_character_columns_count_python_lines_only(separator: str) -> None:
    """Characters str.splitlines treats as line breaks do not end a Python line: a site
    after one keeps its own line's character column (what the fixer looks for)."""
    source = (f"from functools import wraps\n# a{separator}comment\n\n\ndef deco(f):\n"
              "    é = 1; v = wraps(f)(lambda: f)\n    return v\n")
    (site,) = facts(source).sites
    assert (site.line, site.col, site.char_col) == (6, 16, 15)
