"""In-memory item store, seeded from a (simulated) flaky catalogue backend."""
from typing import Dict, List

from pydantic import BaseModel

from .errors import Conflict, NotFound
from .retry import retry


class ItemIn(BaseModel):
    name: str
    price: float


class Item(ItemIn):
    id: int


_attempts = {"n": 0}


@retry(times=3, exceptions=(ConnectionError,))
def load_catalogue() -> List[ItemIn]:
    """The first call fails, as the real backend does while it warms up."""
    _attempts["n"] += 1
    if _attempts["n"] == 1:
        raise ConnectionError("catalogue backend not ready")
    return [ItemIn(name="kettle", price=25.0), ItemIn(name="teapot", price=18.5)]


class ItemStore:
    def __init__(self) -> None:
        self._items: Dict[int, Item] = {}

    def seed(self, items: List[ItemIn]) -> None:
        for item in items:
            self.add(item)

    def all(self) -> List[Item]:
        return list(self._items.values())

    def get(self, item_id: int) -> Item:
        try:
            return self._items[item_id]
        except KeyError:
            raise NotFound(f"item {item_id} not found") from None

    def add(self, data: ItemIn) -> Item:
        if any(i.name == data.name for i in self._items.values()):
            raise Conflict(f"item {data.name!r} exists")
        item = Item(id=len(self._items) + 1, name=data.name, price=data.price)
        self._items[item.id] = item
        return item

    def delete(self, item_id: int) -> None:
        self.get(item_id)
        del self._items[item_id]


store = ItemStore()
store.seed(load_catalogue())
