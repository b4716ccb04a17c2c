"""Shop service: a small Flask application built by an app factory.

Run it with ``flask --app shop run`` from ``examples/flask_service``.
"""
from typing import Any, Dict, Mapping, Optional

from flask import Flask, g

from .decorators import login_required
from .reports import daily_report


def create_app(config: Optional[Mapping[str, Any]] = None) -> Flask:
    app = Flask(__name__)
    app.config.update(config or {})

    # Blueprints are imported and registered inside the factory, as most
    # Flask services do to avoid import cycles.
    from .admin import admin_bp
    from .views import catalogue_bp

    app.register_blueprint(catalogue_bp)
    app.register_blueprint(admin_bp, url_prefix="/admin")

    app.add_url_rule("/reports/daily", view_func=login_required(daily_report))

    @app.get("/ping")
    def ping() -> Dict[str, bool]:
        return {"ok": True}

    @app.get("/whoami")
    @login_required
    def whoami() -> Dict[str, str]:
        return {"user": g.user}

    return app
