"""Serve a few requests through Flask's test client: ``python smoke_check.py``."""
import warnings

from shop import create_app
from shop.catalogue import price_list


def main() -> None:
    app = create_app({"TESTING": True})
    client = app.test_client()
    who = {"X-User": "ann"}
    assert client.get("/ping").json == {"ok": True}
    assert client.get("/whoami").status_code == 401
    assert client.get("/whoami", headers=who).json == {"user": "ann"}
    assert len(client.get("/products").json) == 2
    assert client.post("/products", json={"name": "mug", "cents": 450}).status_code == 401
    assert client.post("/products", json={"name": "mug", "cents": 450},
                       headers=who).status_code == 201
    assert len(client.get("/products").json) == 2  # cached_view: cached response
    assert client.get("/products/3").status_code == 401
    assert client.get("/products/3", headers=who).json["name"] == "mug"
    assert client.delete("/products/3").status_code == 204
    assert client.get("/products/3", headers=who).status_code == 404
    assert client.get("/admin/stats", headers=who).json == {"products": 2}
    assert client.get("/reports/daily", headers=who).json["report"] == "daily"
    # update_wrapper/wraps kept the view names, which Flask uses as endpoints
    endpoints = {r.endpoint for r in app.url_map.iter_rules()}
    assert {"catalogue.list_products", "catalogue.create_product", "catalogue.product",
            "admin.stats", "daily_report", "whoami", "ping"} <= endpoints, endpoints
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert price_list()
    assert caught and issubclass(caught[0].category, DeprecationWarning)
    print("flask_service: ok")


if __name__ == "__main__":
    main()
