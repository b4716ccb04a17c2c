"""Specification: which functions are request handlers, framework by framework.

Every case is a small project.  A shared ``decorators.py`` defines ``audited``, a
plain ``functools.wraps`` decorator; a case applies it somewhere.  When it lands
on a request handler the ``@wraps`` line carries ``# expect: HWR001``; when it
only lands on something else (a helper, a CLI command, a Celery task, a startup
hook, a method of an unrelated class...) the line carries no marker and nothing
may be reported.

The frameworks need not be installed: the linter is static, and so are these
tests (nothing here imports a framework).
"""
from __future__ import annotations

from pathlib import Path
from typing import Dict

import pytest

from conftest import check


def decorators_module(flagged: bool) -> str:
    """``decorators.py``: the decorator under test, marked when it must be reported."""
    mark = "  # expect: HWR001" if flagged else ""
    return (
        "import time\n"
        "from functools import wraps\n"
        "\n"
        "\n"
        "def audited(func):\n"
        f"    @wraps(func){mark}\n"
        "    def wrapper(*args, **kwargs):\n"
        "        started = time.monotonic()\n"
        "        try:\n"
        "            return func(*args, **kwargs)\n"
        "        finally:\n"
        "            print(func.__name__, time.monotonic() - started)\n"
        "    return wrapper\n"
    )


FLAGGED = decorators_module(True)
CLEAN = decorators_module(False)


def pos(id_: str, **files: str) -> object:
    """A project where ``audited`` is applied to at least one request handler."""
    return pytest.param({"decorators.py": FLAGGED, **_paths(files)}, id=id_)


def neg(id_: str, **files: str) -> object:
    """A project where ``audited`` is applied only to things that are not handlers."""
    return pytest.param({"decorators.py": CLEAN, **_paths(files)}, id=id_)


def _paths(files: Dict[str, str]) -> Dict[str, str]:
    """Keyword names cannot hold "/" or ".": ``shop__views`` is ``shop/views.py``
    and ``shop__init`` is ``shop/__init__.py``."""
    out = {}
    for key, text in files.items():
        parts = ["__init__" if part == "init" else part for part in key.split("__")]
        out["/".join(parts) + ".py"] = text
    return out


# --------------------------------------------------------------------------
# FastAPI
# --------------------------------------------------------------------------
FASTAPI = [
    pos("fastapi-app-get", main='''
        from fastapi import FastAPI
        from decorators import audited

        app = FastAPI()


        @app.get("/items/{item_id}")
        @audited
        async def read_item(item_id: int):
            return {"item_id": item_id}
    '''),
    pos("fastapi-router-post", api='''
        from fastapi import APIRouter
        from decorators import audited

        router = APIRouter(prefix="/users")


        @router.post("/")
        @audited
        async def create_user(payload: dict):
            return payload
    '''),
    pos("fastapi-api-route", main='''
        from fastapi import FastAPI
        from decorators import audited

        app = FastAPI()


        @app.api_route("/ping", methods=["GET", "HEAD"])
        @audited
        def ping():
            return "pong"
    '''),
    pos("fastapi-websocket", main='''
        from fastapi import FastAPI, WebSocket
        from decorators import audited

        app = FastAPI()


        @app.websocket("/ws")
        @audited
        async def feed(websocket: WebSocket):
            await websocket.accept()
    '''),
    pos("fastapi-add-api-route-positional", main='''
        from fastapi import FastAPI
        from decorators import audited

        app = FastAPI()


        def health():
            return {"ok": True}


        app.add_api_route("/health", audited(health), methods=["GET"])
    '''),
    pos("fastapi-router-add-api-route-endpoint-kw", api='''
        from fastapi import APIRouter
        from decorators import audited


        def list_orders():
            return []


        router = APIRouter()
        router.add_api_route(path="/orders", endpoint=audited(list_orders))
    '''),
    pos("fastapi-app-factory", app='''
        from fastapi import FastAPI
        from decorators import audited


        def create_app() -> FastAPI:
            app = FastAPI()

            @app.get("/status")
            @audited
            def status():
                return {"status": "up"}

            return app
    '''),
    pos("fastapi-router-imported-from-other-module", routers='''
        from fastapi import APIRouter

        router = APIRouter()
    ''', endpoints='''
        from routers import router
        from decorators import audited


        @router.delete("/items/{item_id}")
        @audited
        async def delete_item(item_id: int):
            return None
    '''),
    neg("fastapi-neg-helper-called-by-handler", main='''
        from fastapi import FastAPI
        from decorators import audited

        app = FastAPI()


        @audited
        def load_item(item_id: int) -> dict:
            return {"item_id": item_id}


        @app.get("/items/{item_id}")
        async def read_item(item_id: int):
            return load_item(item_id)
    '''),
    neg("fastapi-neg-typer-cli-command", main='''
        import typer
        from fastapi import FastAPI
        from decorators import audited

        app = FastAPI()
        cli = typer.Typer()


        @app.get("/")
        def index():
            return {}


        @cli.command()
        @audited
        def migrate(revision: str = "head"):
            print("migrating to", revision)
    '''),
    neg("fastapi-neg-dependency-not-endpoint", main='''
        from fastapi import Depends, FastAPI
        from decorators import audited

        app = FastAPI()


        @audited
        def get_db():
            return object()


        @app.get("/items")
        def items(db=Depends(get_db)):
            return []
    '''),
    pos("fastapi-routes-registered-in-function-taking-app", routes='''
        from fastapi import FastAPI
        from decorators import audited


        def register_routes(app: FastAPI) -> None:
            @app.put("/config")
            @audited
            async def update_config(config: dict):
                return config
    '''),
    pos("fastapi-class-init-self-router-add-api-route", service='''
        from fastapi import APIRouter
        from decorators import audited


        class InferenceService:
            def __init__(self):
                self.router = APIRouter()
                self.router.add_api_route("/infer", self.infer, methods=["POST"])

            @audited
            async def infer(self, payload: dict):
                return payload
    '''),
    pos("fastapi-apiroute-in-router-routes", api='''
        from fastapi import APIRouter
        from fastapi.routing import APIRoute
        from decorators import audited


        async def version():
            return {"version": "1.0"}


        router = APIRouter(routes=[APIRoute("/version", audited(version))])
    '''),
]

# --------------------------------------------------------------------------
# Starlette
# --------------------------------------------------------------------------
STARLETTE = [
    pos("starlette-route-registration", app='''
        from starlette.applications import Starlette
        from starlette.responses import JSONResponse
        from starlette.routing import Route
        from decorators import audited


        async def homepage(request):
            return JSONResponse({"hello": "world"})


        app = Starlette(routes=[Route("/", audited(homepage))])
    '''),
    pos("starlette-route-endpoint-kw", app='''
        from starlette.applications import Starlette
        from starlette.routing import Route
        from decorators import audited


        async def users(request):
            ...


        routes = [Route("/users", endpoint=audited(users), methods=["GET"])]
        app = Starlette(routes=routes)
    '''),
    pos("starlette-websocket-route", app='''
        from starlette.applications import Starlette
        from starlette.routing import WebSocketRoute
        from decorators import audited


        async def echo(websocket):
            await websocket.accept()


        app = Starlette(routes=[WebSocketRoute("/ws", audited(echo))])
    '''),
    pos("starlette-httpendpoint-method", app='''
        from starlette.applications import Starlette
        from starlette.endpoints import HTTPEndpoint
        from starlette.responses import PlainTextResponse
        from starlette.routing import Route
        from decorators import audited


        class Homepage(HTTPEndpoint):
            @audited
            async def get(self, request):
                return PlainTextResponse("hello")


        app = Starlette(routes=[Route("/", Homepage)])
    '''),
    pos("starlette-decorated-module-level-route", app='''
        from starlette.applications import Starlette
        from decorators import audited

        app = Starlette()


        @app.route("/legacy")
        @audited
        async def legacy(request):
            ...
    '''),
    neg("starlette-neg-endpoint-helper-method", app='''
        from starlette.endpoints import HTTPEndpoint
        from starlette.responses import JSONResponse
        from decorators import audited


        class Items(HTTPEndpoint):
            @audited
            def _serialize(self, item):
                return dict(item)

            async def get(self, request):
                return JSONResponse(self._serialize({}))
    '''),
    neg("starlette-neg-lifespan-not-route", app='''
        import contextlib
        from starlette.applications import Starlette
        from starlette.routing import Route
        from decorators import audited


        async def homepage(request):
            ...


        @contextlib.asynccontextmanager
        @audited
        async def lifespan(app):
            yield


        app = Starlette(routes=[Route("/", homepage)], lifespan=lifespan)
    '''),
    pos("starlette-route-nested-in-mount", app='''
        from starlette.applications import Starlette
        from starlette.routing import Mount, Route
        from decorators import audited


        async def list_users(request):
            ...


        app = Starlette(routes=[
            Mount("/api", routes=[
                Route("/users", audited(list_users)),
            ]),
        ])
    '''),
]

# --------------------------------------------------------------------------
# Flask
# --------------------------------------------------------------------------
FLASK = [
    pos("flask-app-route", app='''
        from flask import Flask
        from decorators import audited

        app = Flask(__name__)


        @app.route("/")
        @audited
        def index():
            return "hello"
    '''),
    pos("flask-blueprint-get", views='''
        from flask import Blueprint, jsonify
        from decorators import audited

        bp = Blueprint("api", __name__, url_prefix="/api")


        @bp.get("/users")
        @audited
        def users():
            return jsonify([])
    '''),
    pos("flask-add-url-rule-view-func", app='''
        from flask import Flask
        from decorators import audited

        app = Flask(__name__)


        def dashboard():
            return "dashboard"


        app.add_url_rule("/dashboard", "dashboard", view_func=audited(dashboard))
    '''),
    pos("flask-add-url-rule-positional", app='''
        from flask import Flask
        from decorators import audited

        app = Flask(__name__)


        def about():
            return "about"


        app.add_url_rule("/about", "about", audited(about))
    '''),
    pos("flask-methodview-method", views='''
        from flask import Flask
        from flask.views import MethodView
        from decorators import audited

        app = Flask(__name__)


        class UserAPI(MethodView):
            @audited
            def get(self, user_id):
                return {"id": user_id}

            def post(self):
                return {}, 201


        app.add_url_rule("/users/<int:user_id>", view_func=UserAPI.as_view("user"))
    '''),
    pos("flask-view-dispatch-request", views='''
        from flask.views import View
        from decorators import audited


        class ShowUsers(View):
            @audited
            def dispatch_request(self):
                return "users"
    '''),
    pos("flask-view-decorators-attribute", views='''
        from flask.views import MethodView
        from decorators import audited


        class SecretAPI(MethodView):
            decorators = [audited]

            def get(self):
                return "secret"
    '''),
    pos("flask-app-factory", app='''
        from flask import Flask
        from decorators import audited


        def create_app(config=None):
            app = Flask(__name__)
            app.config.from_mapping(config or {})

            @app.route("/health")
            @audited
            def health():
                return "ok"

            return app
    '''),
    pos("flask-class-init-self-app-add-url-rule", server='''
        from flask import Flask
        from decorators import audited


        class Server:
            def __init__(self, name):
                self.app = Flask(name)
                self.app.add_url_rule("/predict", "predict", view_func=self.predict,
                                      methods=["POST"])

            @audited
            def predict(self):
                return {"label": 1}
    '''),
    pos("flask-class-init-wrapped-bound-method", server='''
        from flask import Flask
        from decorators import audited


        class Server:
            def __init__(self):
                self.app = Flask(__name__)
                self.app.add_url_rule("/info", view_func=audited(self.info))

            def info(self):
                return {"version": "1"}
    '''),
    neg("flask-neg-cli-command", app='''
        import click
        from flask import Flask
        from decorators import audited

        app = Flask(__name__)


        @app.route("/")
        def index():
            return "hello"


        @app.cli.command("seed")
        @click.argument("count")
        @audited
        def seed(count):
            print("seeding", count)
    '''),
    neg("flask-neg-methodview-helper", views='''
        from flask.views import MethodView
        from decorators import audited


        class ReportAPI(MethodView):
            @audited
            def build_report(self):
                return {}

            def get(self):
                return self.build_report()
    '''),
    pos("flask-project-subclass-of-flask", app='''
        from flask import Flask
        from decorators import audited


        class ShopApp(Flask):
            def __init__(self):
                super().__init__("shop")


        app = ShopApp()


        @app.route("/cart")
        @audited
        def cart():
            return "cart"
    '''),
    pos("flask-app-from-project-factory-module", factory='''
        import flask


        def make_app():
            return flask.Flask(__name__)
    ''', views='''
        from factory import make_app
        from decorators import audited

        app = make_app()


        @app.post("/login")
        @audited
        def login():
            return "ok"
    '''),
    pos("flask-add-url-rule-cross-module-view", pages='''
        def dashboard():
            return "dashboard"
    ''', app='''
        from flask import Flask
        import pages
        from decorators import audited

        app = Flask(__name__)
        app.add_url_rule("/dashboard", view_func=audited(pages.dashboard))
    '''),
]

# --------------------------------------------------------------------------
# Quart
# --------------------------------------------------------------------------
QUART = [
    pos("quart-app-route", app='''
        from quart import Quart
        from decorators import audited

        app = Quart(__name__)


        @app.route("/")
        @audited
        async def index():
            return "hello"
    '''),
    pos("quart-blueprint-post", api='''
        from quart import Blueprint
        from decorators import audited

        bp = Blueprint("api", __name__)


        @bp.post("/jobs")
        @audited
        async def submit():
            return {}, 202
    '''),
    pos("quart-websocket", app='''
        from quart import Quart, websocket
        from decorators import audited

        app = Quart(__name__)


        @app.websocket("/ws")
        @audited
        async def ws():
            await websocket.send("hi")
    '''),
    pos("quart-methodview", views='''
        from quart.views import MethodView
        from decorators import audited


        class Counter(MethodView):
            @audited
            async def get(self):
                return "1"
    '''),
    neg("quart-neg-before-serving-hook", app='''
        from quart import Quart
        from decorators import audited

        app = Quart(__name__)


        @app.route("/")
        async def index():
            return "hello"


        @app.before_serving
        @audited
        async def connect_db():
            app.db = object()
    '''),
]

# --------------------------------------------------------------------------
# Django
# --------------------------------------------------------------------------
DJANGO = [
    pos("django-path-follows-views-reference",
        shop__init="",
        shop__views='''
            from django.http import HttpResponse
            from decorators import audited


            @audited
            def index(request):
                return HttpResponse("shop")
        ''',
        shop__urls='''
            from django.urls import path

            from . import views

            urlpatterns = [
                path("", views.index, name="index"),
            ]
        '''),
    pos("django-re-path-from-import",
        shop__init="",
        shop__views='''
            from django.http import JsonResponse
            from decorators import audited


            @audited
            def detail(request, slug):
                return JsonResponse({"slug": slug})
        ''',
        shop__urls='''
            from django.urls import re_path

            from shop.views import detail

            urlpatterns = [re_path(r"^items/(?P<slug>[-\\w]+)/$", detail)]
        '''),
    pos("django-path-wraps-view-in-urls",
        shop__init="",
        shop__views='''
            from django.http import HttpResponse


            def export(request):
                return HttpResponse("csv")
        ''',
        shop__urls='''
            from django.urls import path

            from decorators import audited
            from . import views

            urlpatterns = [path("export/", audited(views.export))]
        '''),
    pos("django-cbv-method-decorated",
        shop__init="",
        shop__views='''
            from django.http import HttpResponse
            from django.views import View
            from decorators import audited


            class OrderView(View):
                @audited
                def get(self, request):
                    return HttpResponse("orders")
        '''),
    pos("django-method-decorator-on-method",
        shop__init="",
        shop__views='''
            from django.http import HttpResponse
            from django.utils.decorators import method_decorator
            from django.views.generic import TemplateView
            from decorators import audited


            class HomeView(TemplateView):
                template_name = "home.html"

                @method_decorator(audited)  # expect: HWR003
                def dispatch(self, request, *args, **kwargs):
                    return super().dispatch(request, *args, **kwargs)
        '''),
    pos("django-method-decorator-on-class-name-dispatch",
        shop__init="",
        shop__views='''
            from django.utils.decorators import method_decorator
            from django.views.generic import ListView
            from decorators import audited


            @method_decorator(audited, name="dispatch")  # expect: HWR003
            class ProductList(ListView):
                paginate_by = 20
        '''),
    pos("django-as-view-in-urls-project-base-view",
        core__init="",
        core__base='''
            from django.views.generic import View


            class BaseView(View):
                http_method_names = ["get", "post"]
        ''',
        shop__init="",
        shop__views='''
            from django.http import HttpResponse
            from core.base import BaseView
            from decorators import audited


            class Checkout(BaseView):
                @audited
                def post(self, request):
                    return HttpResponse(status=201)
        ''',
        shop__urls='''
            from django.urls import path
            from .views import Checkout

            urlpatterns = [path("checkout/", Checkout.as_view())]
        '''),
    neg("django-neg-unrouted-helper-in-views",
        shop__init="",
        shop__views='''
            from django.http import HttpResponse
            from decorators import audited


            @audited
            def compute_total(items):
                return sum(items)


            def index(request):
                return HttpResponse(str(compute_total([1, 2])))
        ''',
        shop__urls='''
            from django.urls import path
            from . import views

            urlpatterns = [path("", views.index)]
        '''),
    neg("django-neg-management-command",
        shop__init="",
        shop__management__init="",
        shop__management__commands__init="",
        shop__management__commands__rebuild='''
            from django.core.management.base import BaseCommand
            from decorators import audited


            class Command(BaseCommand):
                help = "Rebuild the search index"

                @audited
                def handle(self, *args, **options):
                    self.stdout.write("done")
        '''),
    neg("django-neg-model-method-named-get",
        shop__init="",
        shop__models='''
            from django.db import models
            from decorators import audited


            class Setting(models.Model):
                key = models.CharField(max_length=64)

                @classmethod
                @audited
                def get(cls, key):
                    return cls.objects.get(key=key)
        '''),
    pos("django-urlpatterns-augmented",
        shop__init="",
        shop__views='''
            from django.http import HttpResponse
            from decorators import audited


            @audited
            def legacy(request):
                return HttpResponse("old")
        ''',
        shop__urls='''
            from django.urls import path
            from shop import views

            urlpatterns = []
            urlpatterns += [path("legacy/", views.legacy)]
        '''),
    pos("django-views-module-imported-under-alias",
        shop__init="",
        shop__views='''
            from django.http import HttpResponse
            from decorators import audited


            @audited
            def cart(request):
                return HttpResponse("cart")
        ''',
        shop__urls='''
            from django.urls import path
            from shop import views as shop_views

            urlpatterns = [path("cart/", shop_views.cart, name="cart")]
        '''),
    neg("django-neg-model-delete-override",
        shop__init="",
        shop__models='''
            from django.db import models
            from decorators import audited


            class Order(models.Model):
                number = models.CharField(max_length=16)

                @audited
                def delete(self, *args, **kwargs):
                    return super().delete(*args, **kwargs)
        '''),
]

# --------------------------------------------------------------------------
# Django REST framework
# --------------------------------------------------------------------------
DRF = [
    pos("drf-api-view", api='''
        from rest_framework.decorators import api_view
        from rest_framework.response import Response
        from decorators import audited


        @api_view(["GET"])
        @audited
        def hello(request):
            return Response({"message": "hello"})
    '''),
    pos("drf-viewset-action", api='''
        from rest_framework import viewsets
        from rest_framework.decorators import action
        from rest_framework.response import Response
        from decorators import audited


        class UserViewSet(viewsets.ModelViewSet):
            @action(detail=True, methods=["post"])
            @audited
            def set_password(self, request, pk=None):
                return Response({"status": "password set"})
    '''),
    pos("drf-apiview-method", api='''
        from rest_framework.response import Response
        from rest_framework.views import APIView
        from decorators import audited


        class ListUsers(APIView):
            @audited
            def get(self, request, format=None):
                return Response([])
    '''),
    pos("drf-viewset-list", api='''
        from rest_framework import viewsets
        from rest_framework.response import Response
        from decorators import audited


        class AccountViewSet(viewsets.ViewSet):
            @audited
            def list(self, request):
                return Response([])
    '''),
    neg("drf-neg-serializer-validate", api='''
        from rest_framework import serializers
        from rest_framework.views import APIView
        from rest_framework.response import Response
        from decorators import audited


        class SignupSerializer(serializers.Serializer):
            email = serializers.EmailField()

            @audited
            def validate_email(self, value):
                return value.lower()


        class Signup(APIView):
            def post(self, request):
                return Response(status=201)
    '''),
    neg("drf-neg-get-queryset", api='''
        from rest_framework import generics
        from decorators import audited


        class OrderList(generics.ListAPIView):
            @audited
            def get_queryset(self):
                return []
    '''),
    neg("drf-neg-serializer-create", api='''
        from rest_framework import serializers
        from decorators import audited


        class OrderSerializer(serializers.ModelSerializer):
            @audited
            def create(self, validated_data):
                return super().create(validated_data)

            @audited
            def update(self, instance, validated_data):
                return instance
    '''),
]

# --------------------------------------------------------------------------
# aiohttp
# --------------------------------------------------------------------------
AIOHTTP = [
    pos("aiohttp-routetabledef", app='''
        from aiohttp import web
        from decorators import audited

        routes = web.RouteTableDef()


        @routes.get("/")
        @audited
        async def hello(request):
            return web.Response(text="Hello, world")


        app = web.Application()
        app.add_routes(routes)
    '''),
    pos("aiohttp-web-get-in-add-routes", app='''
        from aiohttp import web
        from decorators import audited


        async def status(request):
            return web.json_response({"ok": True})


        app = web.Application()
        app.add_routes([web.get("/status", audited(status))])
    '''),
    pos("aiohttp-router-add-get", app='''
        from aiohttp import web
        from decorators import audited


        async def metrics(request):
            return web.Response(text="")


        app = web.Application()
        app.router.add_get("/metrics", audited(metrics))
    '''),
    pos("aiohttp-web-view", app='''
        from aiohttp import web
        from decorators import audited


        class UserView(web.View):
            @audited
            async def get(self):
                return web.json_response({})


        app = web.Application()
        app.router.add_view("/user", UserView)
    '''),
    pos("aiohttp-factory", app='''
        from aiohttp import web
        from decorators import audited


        async def upload(request):
            return web.Response(status=201)


        def make_app() -> web.Application:
            app = web.Application()
            app.router.add_post("/upload", audited(upload))
            return app
    '''),
    neg("aiohttp-neg-on-startup-hook", app='''
        from aiohttp import web
        from decorators import audited


        async def hello(request):
            return web.Response(text="hi")


        @audited
        async def init_db(app):
            app["db"] = object()


        app = web.Application()
        app.on_startup.append(init_db)
        app.router.add_get("/", hello)
    '''),
    neg("aiohttp-neg-client-session-get", client='''
        import aiohttp
        from decorators import audited


        @audited
        async def fetch(url):
            async with aiohttp.ClientSession() as session:
                async with session.get(url) as resp:
                    return await resp.text()
    '''),
    pos("aiohttp-web-route-method-path-handler", app='''
        from aiohttp import web
        from decorators import audited


        async def report(request):
            return web.Response()


        app = web.Application()
        app.add_routes([web.route("GET", "/report", audited(report))])
    '''),
    pos("aiohttp-router-add-route", app='''
        from aiohttp import web
        from decorators import audited


        async def hook(request):
            return web.Response()


        app = web.Application()
        app.router.add_route("POST", "/hook", audited(hook))
    '''),
]

# --------------------------------------------------------------------------
# Sanic
# --------------------------------------------------------------------------
SANIC = [
    pos("sanic-app-get", server='''
        from sanic import Sanic
        from sanic.response import json
        from decorators import audited

        app = Sanic("shop")


        @app.get("/")
        @audited
        async def index(request):
            return json({"hello": "world"})
    '''),
    pos("sanic-blueprint-route", bp='''
        from sanic import Blueprint
        from sanic.response import text
        from decorators import audited

        bp = Blueprint("admin", url_prefix="/admin")


        @bp.route("/stats")
        @audited
        async def stats(request):
            return text("0")
    '''),
    pos("sanic-httpmethodview", server='''
        from sanic import Sanic
        from sanic.response import text
        from sanic.views import HTTPMethodView
        from decorators import audited

        app = Sanic("shop")


        class ItemView(HTTPMethodView):
            @audited
            async def put(self, request):
                return text("updated")


        app.add_route(ItemView.as_view(), "/item")
    '''),
    neg("sanic-neg-listener", server='''
        from sanic import Sanic
        from sanic.response import text
        from decorators import audited

        app = Sanic("shop")


        @app.get("/")
        async def index(request):
            return text("ok")


        @app.listener("before_server_start")
        @audited
        async def setup_db(app, loop):
            app.ctx.db = object()
    '''),
    pos("sanic-websocket", server='''
        from sanic import Sanic
        from decorators import audited

        app = Sanic("chat")


        @app.websocket("/feed")
        @audited
        async def feed(request, ws):
            await ws.send("hello")
    '''),
]

# --------------------------------------------------------------------------
# Litestar
# --------------------------------------------------------------------------
LITESTAR = [
    pos("litestar-get", app='''
        from litestar import Litestar, get
        from decorators import audited


        @get("/")
        @audited
        async def index() -> str:
            return "hello"


        app = Litestar([index])
    '''),
    pos("litestar-post-module-import", app='''
        import litestar
        from decorators import audited


        @litestar.post("/books")
        @audited
        async def create_book(data: dict) -> dict:
            return data
    '''),
    pos("litestar-controller-method", app='''
        from litestar import Controller, get
        from decorators import audited


        class UserController(Controller):
            path = "/users"

            @get()
            @audited
            async def list_users(self) -> list:
                return []
    '''),
    neg("litestar-neg-get-from-project-cache", cache='''
        _store = {}


        def get(key):
            def register(func):
                _store[key] = func
                return func
            return register
    ''', app='''
        from litestar import Litestar, get as route_get
        from cache import get
        from decorators import audited


        @route_get("/")
        async def index() -> str:
            return "hello"


        @get("warmup")
        @audited
        def warm_cache():
            return None
    '''),
    neg("litestar-neg-startup-hook", app='''
        from litestar import Litestar, get
        from decorators import audited


        @get("/")
        async def index() -> str:
            return "hello"


        @audited
        async def warm_up() -> None:
            pass


        app = Litestar([index], on_startup=[warm_up])
    '''),
    pos("litestar-handlers-route-and-websocket", app='''
        from litestar.handlers import route, websocket
        from decorators import audited


        @route("/legacy", http_method=["GET", "POST"])
        @audited
        async def legacy() -> None:
            return None


        @websocket("/ws")
        async def ws(socket) -> None:
            await socket.accept()
    '''),
]

# --------------------------------------------------------------------------
# Tornado
# --------------------------------------------------------------------------
TORNADO = [
    pos("tornado-requesthandler-get", server='''
        import tornado.web
        from decorators import audited


        class MainHandler(tornado.web.RequestHandler):
            @audited
            def get(self):
                self.write("Hello, world")


        def make_app():
            return tornado.web.Application([(r"/", MainHandler)])
    '''),
    pos("tornado-project-base-across-modules",
        web__init="",
        web__base='''
            from tornado.web import RequestHandler


            class BaseHandler(RequestHandler):
                def get_current_user(self):
                    return self.get_secure_cookie("user")
        ''',
        web__handlers__users='''
            from web.base import BaseHandler
            from decorators import audited


            class UserHandler(BaseHandler):
                @audited
                async def post(self):
                    self.set_status(201)
        ''',
        web__handlers__init=""),
    pos("tornado-two-project-bases-relative-imports",
        svc__init="",
        svc__base='''
            from tornado import web


            class BaseHandler(web.RequestHandler):
                pass
        ''',
        svc__auth='''
            from .base import BaseHandler


            class AuthedHandler(BaseHandler):
                def prepare(self):
                    pass
        ''',
        svc__api='''
            from .auth import AuthedHandler
            from decorators import audited


            class ReportHandler(AuthedHandler):
                @audited
                def delete(self, report_id):
                    self.set_status(204)
        '''),
    neg("tornado-neg-get-on-plain-class", store='''
        import tornado.web
        from decorators import audited


        class MainHandler(tornado.web.RequestHandler):
            def get(self):
                self.write(Cache().get("greeting"))


        class Cache:
            @audited
            def get(self, key):
                return "hello"
    '''),
    neg("tornado-neg-handler-helper-method", server='''
        from tornado.web import RequestHandler
        from decorators import audited


        class ProfileHandler(RequestHandler):
            @audited
            def load_profile(self, user_id):
                return {}

            def get(self, user_id):
                self.write(self.load_profile(user_id))
    '''),
    pos("tornado-base-reexported-by-package",
        web__init='''
            from .base import BaseHandler

            __all__ = ["BaseHandler"]
        ''',
        web__base='''
            import tornado.web


            class BaseHandler(tornado.web.RequestHandler):
                pass
        ''',
        handlers='''
            from web import BaseHandler
            from decorators import audited


            class PingHandler(BaseHandler):
                @audited
                def head(self):
                    self.set_status(200)
        '''),
    pos("tornado-websocket-on-message", ws='''
        from tornado.websocket import WebSocketHandler
        from decorators import audited


        class EchoSocket(WebSocketHandler):
            @audited
            def on_message(self, message):
                self.write_message(message)
    '''),
]

# --------------------------------------------------------------------------
# Bottle
# --------------------------------------------------------------------------
BOTTLE = [
    pos("bottle-module-route", app='''
        from bottle import route, run
        from decorators import audited


        @route("/hello/<name>")
        @audited
        def hello(name):
            return f"Hello {name}"
    '''),
    pos("bottle-app-get", app='''
        from bottle import Bottle
        from decorators import audited

        app = Bottle()


        @app.get("/items")
        @audited
        def items():
            return {"items": []}
    '''),
    pos("bottle-app-route-callback", app='''
        from bottle import Bottle
        from decorators import audited

        app = Bottle()


        def login():
            return "login"


        app.route("/login", method="POST", callback=audited(login))
    '''),
    neg("bottle-neg-helper", app='''
        from bottle import Bottle
        from decorators import audited

        app = Bottle()


        @app.get("/")
        def index():
            return "ok"


        @audited
        def render_row(row):
            return ",".join(row)
    '''),
    pos("bottle-app-route-positional-callback", app='''
        import bottle
        from decorators import audited

        app = bottle.Bottle()


        def logout():
            return "bye"


        app.route("/logout", "POST", audited(logout))
    '''),
]

# --------------------------------------------------------------------------
# Pyramid
# --------------------------------------------------------------------------
PYRAMID = [
    pos("pyramid-view-config-function", views='''
        from pyramid.view import view_config
        from decorators import audited


        @view_config(route_name="home", renderer="json")
        @audited
        def home(request):
            return {"project": "shop"}
    '''),
    pos("pyramid-view-config-class-method", views='''
        from pyramid.view import view_config, view_defaults
        from decorators import audited


        @view_defaults(route_name="item", renderer="json")
        class ItemViews:
            def __init__(self, request):
                self.request = request

            @view_config(request_method="GET")
            @audited
            def get(self):
                return {}
    '''),
    pos("pyramid-config-add-view", app='''
        from pyramid.config import Configurator
        from decorators import audited


        def hello(request):
            return {"hello": "world"}


        def main(global_config, **settings):
            with Configurator(settings=settings) as config:
                config.add_route("hello", "/")
                config.add_view(audited(hello), route_name="hello", renderer="json")
                return config.make_wsgi_app()
    '''),
    neg("pyramid-neg-subscriber", views='''
        from pyramid.events import NewRequest, subscriber
        from pyramid.view import view_config
        from decorators import audited


        @view_config(route_name="home", renderer="json")
        def home(request):
            return {}


        @subscriber(NewRequest)
        @audited
        def log_request(event):
            print(event.request.path)
    '''),
    pos("pyramid-config-add-view-keyword", app='''
        from pyramid.config import Configurator
        from decorators import audited


        def about(request):
            return {}


        def includeme(config: Configurator):
            config.add_view(view=audited(about), route_name="about", renderer="json")
    '''),
]

# --------------------------------------------------------------------------
# Falcon
# --------------------------------------------------------------------------
FALCON = [
    pos("falcon-on-get-responder", app='''
        import falcon
        from decorators import audited


        class ThingsResource:
            @audited
            def on_get(self, req, resp):
                resp.media = {"things": []}


        app = falcon.App()
        app.add_route("/things", ThingsResource())
    '''),
    pos("falcon-asgi-on-post-responder", app='''
        import falcon.asgi
        from decorators import audited


        class Upload:
            @audited
            async def on_post(self, req, resp):
                resp.status = falcon.HTTP_201


        app = falcon.asgi.App()
        app.add_route("/upload", Upload())
    '''),
    neg("falcon-neg-resource-helper", app='''
        import falcon
        from decorators import audited


        class ThingsResource:
            @audited
            def fetch_things(self):
                return []

            def on_get(self, req, resp):
                resp.media = self.fetch_things()


        app = falcon.App()
        app.add_route("/things", ThingsResource())
    '''),
    pos("falcon-suffixed-responder", app='''
        import falcon
        from decorators import audited


        class Items:
            def on_get(self, req, resp):
                resp.media = []

            @audited
            def on_get_item(self, req, resp, item_id):
                resp.media = {"id": item_id}


        app = falcon.App()
        items = Items()
        app.add_route("/items", items)
        app.add_route("/items/{item_id}", items, suffix="item")
    '''),
]

# --------------------------------------------------------------------------
# Not handlers, whatever the framework around them
# --------------------------------------------------------------------------
NOT_HANDLERS = [
    neg("neg-celery-task", tasks='''
        from celery import Celery
        from decorators import audited

        celery_app = Celery("shop", broker="redis://localhost")


        @celery_app.task(bind=True, max_retries=3)
        @audited
        def send_invoice(self, order_id):
            return order_id
    ''', app='''
        from flask import Flask
        from tasks import send_invoice

        app = Flask(__name__)


        @app.post("/orders/<int:order_id>/invoice")
        def invoice(order_id):
            send_invoice.delay(order_id)
            return "", 202
    '''),
    neg("neg-click-cli-command", cli='''
        import click
        from decorators import audited


        @click.command()
        @click.option("--count", default=1)
        @audited
        def hello(count):
            click.echo("hi" * count)
    '''),
    neg("neg-route-on-project-event-bus", bus='''
        class EventBus:
            def __init__(self):
                self.handlers = {}

            def route(self, topic):
                def register(func):
                    self.handlers[topic] = func
                    return func
                return register


        bus = EventBus()
    ''', consumers='''
        from bus import bus
        from decorators import audited


        @bus.route("/orders/created")
        @audited
        def on_order_created(event):
            print(event)
    '''),
    neg("neg-get-on-project-class-instance", registry='''
        from decorators import audited


        class Registry:
            def get(self, path):
                def register(func):
                    return func
                return register


        registry = Registry()


        @registry.get("/plugins/export")
        @audited
        def export_plugin():
            return None
    '''),
    neg("neg-mock-patch-url-like", test_api='''
        from unittest import mock
        from decorators import audited


        @mock.patch("/x")
        @audited
        def test_fetch(patched):
            assert patched is not None
    '''),
    neg("neg-framework-imported-but-unused-deco-on-util", app='''
        from flask import Flask
        from decorators import audited

        app = Flask(__name__)


        @app.route("/")
        def index():
            return slugify("Hello World")


        @audited
        def slugify(text):
            return text.lower().replace(" ", "-")
    '''),
    neg("neg-route-on-project-instance-same-module", consumers='''
        from decorators import audited


        class EventBus:
            def __init__(self):
                self.handlers = {}

            def route(self, topic):
                def register(func):
                    self.handlers[topic] = func
                    return func
                return register


        bus = EventBus()


        @bus.route("/orders/created")
        @audited
        def on_order_created(event):
            print(event)
    '''),
    neg("neg-route-on-project-instance-in-function", worker='''
        from decorators import audited


        class Dispatcher:
            def route(self, path):
                return lambda func: func


        def main():
            dispatcher = Dispatcher()

            @dispatcher.route("/jobs/cleanup")
            @audited
            def cleanup():
                return None

            return dispatcher
    '''),
    neg("neg-qt-view-subclass-method", gui='''
        from PyQt5.QtWidgets import QListView
        from decorators import audited


        class HistoryView(QListView):
            @audited
            def update(self, *args):
                super().update(*args)
    '''),
]

CASES = [
    *FASTAPI, *STARLETTE, *FLASK, *QUART, *DJANGO, *DRF, *AIOHTTP, *SANIC, *LITESTAR,
    *TORNADO, *BOTTLE, *PYRAMID, *FALCON, *NOT_HANDLERS,
]


@pytest.mark.parametrize("files", CASES)
def test_framework(tmp_path: Path, files: Dict[str, str]) -> None:
    assert check(tmp_path, files) == set()
