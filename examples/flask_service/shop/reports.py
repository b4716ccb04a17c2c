"""Reports: plain view functions, registered (and decorated) by create_app()."""
from typing import Dict


def daily_report() -> Dict[str, object]:
    from .catalogue import all_products

    return {"report": "daily", "products": len(all_products())}
