"""Catalogue blueprint."""
from typing import Any, Dict, List, Tuple

from flask import Blueprint, abort, request
from flask.views import MethodView

from . import catalogue
from .caching import cached_view
from .decorators import login_required

catalogue_bp = Blueprint("catalogue", __name__)


@catalogue_bp.get("/products")
@cached_view
def list_products() -> List[Dict[str, object]]:
    return catalogue.all_products()


@catalogue_bp.post("/products")
@login_required
def create_product() -> Tuple[Dict[str, object], int]:
    body: Dict[str, Any] = request.get_json(force=True)
    return catalogue.add_product(str(body["name"]), int(body["cents"])), 201


class ProductAPI(MethodView):
    @login_required
    def get(self, product_id: int) -> Dict[str, object]:
        try:
            return catalogue.PRODUCTS[product_id]
        except KeyError:
            abort(404)

    def delete(self, product_id: int) -> Tuple[str, int]:
        catalogue.PRODUCTS.pop(product_id, None)
        return "", 204


catalogue_bp.add_url_rule("/products/<int:product_id>", view_func=ProductAPI.as_view("product"))
