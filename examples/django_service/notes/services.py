"""Business logic behind the views (no HTTP here)."""
import logging
import time
from functools import wraps
from typing import Any, Callable, Dict, List, TypeVar

F = TypeVar("F", bound=Callable[..., Any])
log = logging.getLogger("notes.timing")

NOTES: Dict[int, Dict[str, Any]] = {
    1: {"id": 1, "title": "groceries", "body": "tea, milk"},
    2: {"id": 2, "title": "ideas", "body": "a linter that measures"},
}


def timed(func: F) -> F:
    """Log how long a service call took."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return func(*args, **kwargs)
        finally:
            log.debug("%s took %.6fs", func.__qualname__, time.perf_counter() - start)

    return wrapper  # type: ignore[return-value]


@timed
def summarize(notes: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
    return [{"id": n["id"], "title": n["title"]} for n in notes]


def create(title: str, body: str) -> Dict[str, Any]:
    nid = max(NOTES, default=0) + 1
    NOTES[nid] = {"id": nid, "title": title, "body": body}
    return NOTES[nid]
