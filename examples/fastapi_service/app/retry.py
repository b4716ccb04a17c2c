"""Retry helper for calls to flaky backends (not for request handlers)."""
import time
from functools import wraps
from typing import Any, Callable, Tuple, Type, TypeVar

F = TypeVar("F", bound=Callable[..., Any])


def retry(
    times: int = 3,
    delay: float = 0.0,
    exceptions: Tuple[Type[BaseException], ...] = (ConnectionError,),
) -> Callable[[F], F]:
    """Call the function again, up to ``times`` attempts, when it raises ``exceptions``."""

    def decorator(func: F) -> F:
        @wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            for attempt in range(1, times + 1):
                try:
                    return func(*args, **kwargs)
                except exceptions:
                    if attempt == times:
                        raise
                    time.sleep(delay)
            raise AssertionError("unreachable")

        return wrapper  # type: ignore[return-value]

    return decorator
