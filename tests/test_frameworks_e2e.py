"""Real frameworks see the same application before and after the fix.

The decorators module is rewritten with the real fixer; one app is built from the
original module and one from the fixed module.  FastAPI: identical OpenAPI JSON and
identical responses through the real TestClient (validation errors and exception
handlers included).  Flask: identical url_map, endpoint names and responses.
"""
from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType
from typing import Any, List, Tuple

import pytest

from flake8_hotwrap.rewrite import Status, find_wraps_calls, rewrite_source
from flake8_hotwrap.targets import TargetVersions

FIXTURES = Path(__file__).parent / "fixtures" / "fix"


def load(path: Path, name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, str(path))
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def decorators(tmp_path_factory: pytest.TempPathFactory) -> Tuple[ModuleType, ModuleType]:
    source = (FIXTURES / "web_decorators.py").read_bytes()
    result = rewrite_source(source, find_wraps_calls(source), target=TargetVersions((3, 9)))
    assert [r.status for r in result.sites] == [Status.FIXED] * 4
    fixed = tmp_path_factory.mktemp("e2e") / "web_decorators_fixed.py"
    fixed.write_bytes(result.source)
    assert find_wraps_calls(result.source) == []
    return (load(FIXTURES / "web_decorators.py", "hotwrap_e2e_before"),
            load(fixed, "hotwrap_e2e_after"))


FASTAPI_REQUESTS: List[Tuple[str, str, Any]] = [
    ("get", "/items/1", None),
    ("get", "/items/1?q=abc", None),
    ("get", "/items/1?q=toolong", None),     # validation error (422)
    ("get", "/items/x", None),               # path type error (422)
    ("get", "/items/42", None),              # KeyError -> NotFound -> exception handler
    ("get", "/items/-1", None),              # HTTPException
    ("post", "/items/7", {"name": "seven", "price": 7}),
    ("post", "/items/8", {"price": "nope"}),  # body validation error
    ("get", "/items/7", None),
    ("get", "/admin/bob", None),
    ("get", "/openapi.json", None),
]


def test_fastapi_openapi_and_responses_identical(
        decorators: Tuple[ModuleType, ModuleType]) -> None:
    pytest.importorskip("fastapi")
    pytest.importorskip("httpx")
    from fastapi.testclient import TestClient

    fastapi_app = load(FIXTURES / "fastapi_app.py", "hotwrap_e2e_fastapi_app")
    before, after = (fastapi_app.create_app(m) for m in decorators)
    schema = before.openapi()
    assert json.dumps(schema, sort_keys=True) == json.dumps(after.openapi(), sort_keys=True)
    # the schema really was built through the wrapper's __wrapped__ signature and __doc__
    op = schema["paths"]["/items/{item_id}"]["get"]
    assert op["operationId"] == "read_item_items__item_id__get"
    assert [p["name"] for p in op["parameters"]] == ["item_id", "q"]
    assert op["summary"] == "Read Item" and "Raises NotFound" in op["description"]
    responses = []
    for app in (before, after):
        client = TestClient(app)
        got = []
        for method, url, body in FASTAPI_REQUESTS:
            r = getattr(client, method)(url, **({"json": body} if body is not None else {}))
            got.append((r.status_code, r.headers.get("content-type"), r.json()))
        responses.append(got)
    assert responses[0] == responses[1]
    codes = [code for code, _, _ in responses[0]]
    assert codes == [200, 200, 422, 422, 404, 400, 201, 422, 200, 200, 200]


def _url_map(app: Any) -> List[Tuple[str, str, Tuple[str, ...]]]:
    return sorted((r.rule, r.endpoint, tuple(sorted(r.methods))) for r in app.url_map.iter_rules())


def test_flask_url_map_endpoints_and_responses_identical(
        decorators: Tuple[ModuleType, ModuleType]) -> None:
    pytest.importorskip("flask")
    flask_app = load(FIXTURES / "flask_app.py", "hotwrap_e2e_flask_app")
    before, after = (flask_app.create_app(m) for m in decorators)
    assert _url_map(before) == _url_map(after)
    endpoints = {endpoint for _, endpoint, _ in _url_map(before)}
    assert {"index", "me", "orders.order", "legacy", "admin"} <= endpoints
    assert before.view_functions.keys() == after.view_functions.keys()
    for name, view in before.view_functions.items():
        other = after.view_functions[name]
        assert (view.__name__, view.__doc__, getattr(view, "audited", None)) == (
            other.__name__, other.__doc__, getattr(other, "audited", None))
    requests = [("get", "/", {}), ("get", "/me", {}), ("get", "/me", {"X-User": "u"}),
                ("get", "/orders/3", {"X-User": "u"}), ("delete", "/orders/3", {}),
                ("get", "/legacy", {}), ("get", "/admin/user", {}), ("get", "/admin/root", {}),
                ("get", "/missing", {})]
    results = []
    for app in (before, after):
        client = app.test_client()
        results.append([(r.status_code, r.get_data()) for r in
                        (getattr(client, m)(u, headers=h) for m, u, h in requests)])
    assert results[0] == results[1]
    assert [code for code, _ in results[0]] == [200, 401, 200, 200, 401, 200, 403, 200, 404]
