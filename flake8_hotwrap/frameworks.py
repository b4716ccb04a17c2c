"""What a request handler looks like, per framework, as data.

The walker in :mod:`flake8_hotwrap.analysis` knows no framework by name: it asks
these tables.  Adding a framework means adding a :class:`Framework` entry.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import FrozenSet, Mapping, Tuple

HTTP_VERBS: FrozenSet[str] = frozenset(
    {"get", "post", "put", "patch", "delete", "head", "options", "trace"}
)


@dataclass(frozen=True)
class Registration:
    """A call that registers a view: where in its arguments the view sits."""

    positions: Tuple[int, ...] = ()
    keywords: Tuple[str, ...] = ()


@dataclass(frozen=True)
class Framework:
    name: str
    #: top-level packages whose import marks a module as using the framework
    modules: Tuple[str, ...]
    #: ``@<obj>.<attr>(...)`` route decorators (attribute names)
    route_methods: FrozenSet[str] = frozenset()
    #: fully qualified route decorators used by bare name (``@get("/")``)
    route_functions: FrozenSet[str] = frozenset()
    #: registration calls by callee name (attribute or bare name)
    registrations: Mapping[str, Registration] = field(default_factory=dict)
    #: fully qualified handler base classes -> method names that handle requests
    handler_bases: Mapping[str, FrozenSet[str]] = field(default_factory=dict)
    #: method-name prefixes that mark a responder without any base (Falcon)
    responder_prefixes: Tuple[str, ...] = ()


_VERB_METHODS = HTTP_VERBS | {"websocket", "route", "api_route", "view", "ws"}
_VIEWSET = HTTP_VERBS | {
    "list", "create", "retrieve", "update", "partial_update", "destroy", "dispatch",
}
_DJANGO_VIEW = HTTP_VERBS | {"dispatch"}
_VIEW_ARG1 = Registration(positions=(1,), keywords=("view",))

FRAMEWORKS: Tuple[Framework, ...] = (
    Framework(
        "fastapi",
        ("fastapi",),
        route_methods=_VERB_METHODS,
        registrations={
            "add_api_route": Registration((1,), ("endpoint",)),
            "add_api_websocket_route": Registration((1,), ("endpoint",)),
            "APIRoute": Registration((1,), ("endpoint",)),
            "APIWebSocketRoute": Registration((1,), ("endpoint",)),
        },
    ),
    Framework(
        "starlette",
        ("starlette",),
        route_methods=_VERB_METHODS,
        registrations={
            "Route": Registration((1,), ("endpoint",)),
            "WebSocketRoute": Registration((1,), ("endpoint",)),
            "add_route": Registration((0, 1, 2), ("route", "endpoint", "handler")),
            "add_websocket_route": Registration((1,), ("route",)),
        },
        handler_bases={
            "starlette.endpoints.HTTPEndpoint": HTTP_VERBS,
            "starlette.endpoints.WebSocketEndpoint": frozenset(
                {"on_connect", "on_receive", "on_disconnect"}
            ),
        },
    ),
    Framework(
        "flask",
        ("flask", "quart"),
        route_methods=_VERB_METHODS,
        registrations={"add_url_rule": Registration((2,), ("view_func",))},
        handler_bases={
            "flask.views.MethodView": HTTP_VERBS,
            "flask.views.View": frozenset({"dispatch_request"}),
            "quart.views.MethodView": HTTP_VERBS,
            "quart.views.View": frozenset({"dispatch_request"}),
        },
    ),
    Framework(
        "django",
        ("django",),
        route_functions=frozenset(
            {
                "django.views.decorators.http.require_http_methods",
                "django.views.decorators.http.require_GET",
                "django.views.decorators.http.require_POST",
                "django.views.decorators.http.require_safe",
            }
        ),
        registrations={"path": _VIEW_ARG1, "re_path": _VIEW_ARG1, "url": _VIEW_ARG1},
        handler_bases={
            "django.views.View": _DJANGO_VIEW,
            "django.views.generic.View": _DJANGO_VIEW,
            "django.views.generic.base.View": _DJANGO_VIEW,
            "django.views.generic.TemplateView": _DJANGO_VIEW,
            "django.views.generic.ListView": _DJANGO_VIEW,
            "django.views.generic.DetailView": _DJANGO_VIEW,
            "django.views.generic.FormView": _DJANGO_VIEW,
            "django.views.generic.CreateView": _DJANGO_VIEW,
            "django.views.generic.UpdateView": _DJANGO_VIEW,
            "django.views.generic.DeleteView": _DJANGO_VIEW,
            "django.views.generic.RedirectView": _DJANGO_VIEW,
        },
    ),
    Framework(
        "drf",
        ("rest_framework",),
        route_functions=frozenset(
            {"rest_framework.decorators.api_view", "rest_framework.decorators.action"}
        ),
        handler_bases={
            "rest_framework.views.APIView": _DJANGO_VIEW,
            "rest_framework.generics.GenericAPIView": _VIEWSET,
            "rest_framework.generics.ListAPIView": _VIEWSET,
            "rest_framework.generics.RetrieveAPIView": _VIEWSET,
            "rest_framework.generics.CreateAPIView": _VIEWSET,
            "rest_framework.generics.ListCreateAPIView": _VIEWSET,
            "rest_framework.generics.RetrieveUpdateDestroyAPIView": _VIEWSET,
            "rest_framework.viewsets.ViewSet": _VIEWSET,
            "rest_framework.viewsets.GenericViewSet": _VIEWSET,
            "rest_framework.viewsets.ModelViewSet": _VIEWSET,
            "rest_framework.viewsets.ReadOnlyModelViewSet": _VIEWSET,
            "rest_framework.viewsets.ViewSetMixin": _VIEWSET,
        },
    ),
    Framework(
        "aiohttp",
        ("aiohttp",),
        route_methods=_VERB_METHODS,
        registrations={
            "add_get": Registration((1,), ("handler",)),
            "add_post": Registration((1,), ("handler",)),
            "add_put": Registration((1,), ("handler",)),
            "add_patch": Registration((1,), ("handler",)),
            "add_delete": Registration((1,), ("handler",)),
            "add_head": Registration((1,), ("handler",)),
            "add_view": Registration((1,), ("handler",)),
        },
        handler_bases={"aiohttp.web.View": HTTP_VERBS,
                       "aiohttp.web_urldispatcher.View": HTTP_VERBS},
    ),
    Framework(
        "sanic",
        ("sanic",),
        route_methods=_VERB_METHODS,
        handler_bases={"sanic.views.HTTPMethodView": HTTP_VERBS},
    ),
    Framework(
        "litestar",
        ("litestar",),
        route_functions=frozenset(
            f"litestar.{n}" for n in ("get", "post", "put", "patch", "delete", "head",
                                      "route", "websocket", "websocket_listener")
        ) | frozenset(
            f"litestar.handlers.{n}" for n in ("get", "post", "put", "patch", "delete",
                                               "head", "route", "websocket")
        ),
    ),
    Framework(
        "tornado",
        ("tornado",),
        handler_bases={
            "tornado.web.RequestHandler": HTTP_VERBS | {"prepare"},
            "tornado.websocket.WebSocketHandler": frozenset({"open", "on_message", "on_close"}),
        },
    ),
    Framework(
        "bottle",
        ("bottle",),
        route_methods=_VERB_METHODS,
        route_functions=frozenset(
            f"bottle.{n}" for n in ("route", "get", "post", "put", "patch", "delete")
        ),
    ),
    Framework(
        "pyramid",
        ("pyramid",),
        route_functions=frozenset({"pyramid.view.view_config"}),
        registrations={"add_view": Registration((0,), ("view",))},
    ),
    Framework(
        "falcon",
        ("falcon",),
        responder_prefixes=tuple(f"on_{v}" for v in sorted(HTTP_VERBS)),
    ),
)

#: Attribute names that make ``@obj.<name>(...)`` a route decorator.
ROUTE_METHODS: FrozenSet[str] = frozenset().union(*(f.route_methods for f in FRAMEWORKS))
#: Fully qualified route decorators applied by bare name.
ROUTE_FUNCTIONS: FrozenSet[str] = frozenset().union(*(f.route_functions for f in FRAMEWORKS))
#: Registration callee name -> where the view is.
REGISTRATIONS: Mapping[str, Registration] = {
    name: reg for f in FRAMEWORKS for name, reg in f.registrations.items()
}
#: Fully qualified handler base class -> request-handling method names.
HANDLER_BASES: Mapping[str, FrozenSet[str]] = {
    base: methods for f in FRAMEWORKS for base, methods in f.handler_bases.items()
}
RESPONDER_PREFIXES: Tuple[str, ...] = tuple(p for f in FRAMEWORKS for p in f.responder_prefixes)
FRAMEWORK_MODULES: FrozenSet[str] = frozenset(m for f in FRAMEWORKS for m in f.modules)

#: Bases outside the project that we cannot resolve are judged by name, as a
#: user of the framework would: ``class X(SomeLibView)`` handles requests.
HANDLER_BASE_SUFFIXES: Tuple[str, ...] = (
    "View", "ViewSet", "APIView", "RequestHandler", "HTTPEndpoint", "HTTPMethodView",
)
#: Methods treated as request handlers on such name-judged bases.
DEFAULT_HANDLER_METHODS: FrozenSet[str] = HTTP_VERBS | {"dispatch", "dispatch_request"}
#: Methods of an unlisted class from a framework package (e.g. another DRF generic view).
FRAMEWORK_HANDLER_METHODS: FrozenSet[str] = _VIEWSET | {"dispatch_request"}
#: Packages whose ``*View`` classes are widgets, not request handlers.
NON_WEB_PACKAGES: FrozenSet[str] = frozenset({
    "PyQt5", "PyQt6", "PySide2", "PySide6", "qtpy", "tkinter", "wx", "gi", "kivy", "textual",
    "urwid", "toga", "flet", "matplotlib", "vtk", "pyglet", "arcade", "pygame",
})
#: ``decorators = [...]`` on a class-based view applies them to the view (Flask, Quart).
VIEW_DECORATORS_ATTRIBUTE = "decorators"

#: ``method_decorator(deco, name=...)`` applies ``deco`` to a view method (Django).
METHOD_DECORATOR = "django.utils.decorators.method_decorator"
#: ``Cls.as_view(...)`` stands for the class ``Cls`` when registered.
AS_VIEW = "as_view"

#: Qualified names of the functions this tool reports, by kind.
WRAPS_FUNCTIONS: Mapping[str, str] = {
    "functools.wraps": "wraps",
    "functools.update_wrapper": "update_wrapper",
}


def framework_of_module(qualname: str) -> bool:
    """True when ``qualname`` lives in a known web framework package."""
    return qualname.split(".", 1)[0] in FRAMEWORK_MODULES


def is_url_path(value: object) -> bool:
    """A route's first argument looks like ``"/..."`` (also ``r"^/..."``)."""
    return isinstance(value, str) and value.lstrip("^").startswith("/")
