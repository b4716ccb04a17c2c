"""Deprecation warnings for internal helpers (not for views)."""
import functools as ft
import warnings
from typing import Any, Callable, TypeVar

F = TypeVar("F", bound=Callable[..., Any])


def deprecated(reason: str) -> Callable[[F], F]:
    def decorator(func: F) -> F:
        @ft.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            warnings.warn(f"{func.__name__} is deprecated: {reason}", DeprecationWarning,
                          stacklevel=2)
            return func(*args, **kwargs)

        return wrapper  # type: ignore[return-value]

    return decorator
