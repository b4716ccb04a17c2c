"""Admin blueprint."""
from typing import Dict

from flask import Blueprint

from . import catalogue
from .decorators import audit, login_required

admin_bp = Blueprint("admin", __name__)


@admin_bp.route("/stats")
@login_required
@audit("read stats")
def stats() -> Dict[str, int]:
    return {"products": len(catalogue.PRODUCTS)}
