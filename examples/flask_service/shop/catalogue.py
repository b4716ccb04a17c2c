"""The product catalogue (in memory)."""
from typing import Dict, List

from .deprecation import deprecated

PRODUCTS: Dict[int, Dict[str, object]] = {
    1: {"id": 1, "name": "kettle", "cents": 2500},
    2: {"id": 2, "name": "teapot", "cents": 1850},
}


def all_products() -> List[Dict[str, object]]:
    return list(PRODUCTS.values())


def add_product(name: str, cents: int) -> Dict[str, object]:
    pid = max(PRODUCTS, default=0) + 1
    PRODUCTS[pid] = {"id": pid, "name": name, "cents": cents}
    return PRODUCTS[pid]


@deprecated("use all_products() and format the price in the client")
def price_list() -> List[str]:
    return [f"{p['name']}: {int(p['cents']) / 100:.2f}" for p in PRODUCTS.values()]
