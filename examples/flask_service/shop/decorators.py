"""View decorators shared by the blueprints."""
import functools as ft
import logging
from typing import Any, Callable, TypeVar

from flask import abort, g, request

F = TypeVar("F", bound=Callable[..., Any])
log = logging.getLogger("shop.audit")


def login_required(view: F) -> F:
    """401 unless the gateway identified the caller (``X-User`` header)."""

    @ft.wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        user = request.headers.get("X-User")
        if not user:
            abort(401)
        g.user = user
        return view(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


def audit(action: str) -> Callable[[F], F]:
    """Log who did ``action``; runs after ``login_required`` has set ``g.user``."""

    def decorator(view: F) -> F:
        @ft.wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            log.info("%s by %s", action, g.get("user", "?"))
            return view(*args, **kwargs)

        return wrapper  # type: ignore[return-value]

    return decorator
