"""HTTP API of the inventory service.

Run it with ``uvicorn app.api:app`` from ``examples/fastapi_service``.
"""
from typing import Dict, List

from fastapi import APIRouter, Depends, FastAPI

from . import errors
from .auth import require_role
from .deps import User, current_user
from .errors import with_route_exceptions
from .metering import meter
from .store import Item, ItemIn, store

app = FastAPI(title="Inventory")
items = APIRouter(prefix="/items", tags=["items"])


@items.get("/", response_model=List[Item])
@meter("free")
async def list_items() -> List[Item]:
    """All items."""
    return store.all()


@items.get("/{item_id}", response_model=Item)
@with_route_exceptions
async def get_item(item_id: int) -> Item:
    """One item by id."""
    return store.get(item_id)


@items.post("/", response_model=Item, status_code=201)
@require_role("editor")
@meter("quota")
@errors.with_route_exceptions
async def create_item(data: ItemIn, user: User = Depends(current_user)) -> Item:
    """Add an item (editors only)."""
    return store.add(data)


@items.delete("/{item_id}", status_code=204)
@with_route_exceptions
@meter("quota")
@require_role("admin")
async def delete_item(item_id: int, user: User = Depends(current_user)) -> None:
    """Remove an item (admins only)."""
    store.delete(item_id)


@app.get("/health")
async def health() -> Dict[str, str]:
    """Liveness probe: deliberately undecorated."""
    return {"status": "ok"}


@app.get("/usage")
async def usage() -> Dict[str, int]:
    """Calls counted by the meter, per bucket."""
    return dict(meter.counts)


async def export_items(fmt: str = "json") -> Dict[str, object]:
    """Every item, for the nightly export job."""
    if fmt != "json":
        raise errors.NotFound(f"no exporter for {fmt!r}")
    return {"format": fmt, "items": [i.name for i in store.all()]}


app.include_router(items)
app.add_api_route("/export", with_route_exceptions(export_items), methods=["GET"])
