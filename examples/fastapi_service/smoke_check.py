"""Serve a few requests through FastAPI's TestClient: ``python smoke_check.py``."""
from fastapi.testclient import TestClient

from app.api import app
from app.metering import meter


def main() -> None:
    client = TestClient(app)
    assert client.get("/health").json() == {"status": "ok"}
    assert [i["name"] for i in client.get("/items/").json()] == ["kettle", "teapot"]
    assert client.get("/items/1").json()["name"] == "kettle"
    assert client.get("/items/99").status_code == 404
    assert client.get("/items/abc").status_code == 422  # path parameter still typed
    editor = {"X-User": "ann", "X-Roles": "editor"}
    new = {"name": "mug", "price": 4.5}
    assert client.post("/items/", json=new).status_code == 403
    created = client.post("/items/", json=new, headers=editor)
    assert created.status_code == 201, created.text
    assert client.post("/items/", json=new, headers=editor).status_code == 409
    assert client.post("/items/", json={"name": "x"}, headers=editor).status_code == 422
    assert client.delete("/items/3", headers=editor).status_code == 403
    assert client.delete("/items/3", headers={"X-Roles": "admin"}).status_code == 204
    assert client.get("/export").json()["format"] == "json"
    assert client.get("/export", params={"fmt": "csv"}).status_code == 404
    # wraps kept names and docstrings: operation ids and descriptions in the schema
    ops = {op["operationId"]: op for p in client.get("/openapi.json").json()["paths"].values()
           for op in p.values()}
    assert "create_item_items__post" in ops, sorted(ops)
    assert ops["create_item_items__post"]["description"] == "Add an item (editors only)."
    assert "export_items_export_get" in ops, sorted(ops)
    assert meter.counts["quota"] >= 3 and meter.counts["free"] == 1, meter.counts
    print("fastapi_service: ok")


if __name__ == "__main__":
    main()
