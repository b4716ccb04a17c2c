"""Usage metering: counts calls per quota bucket."""
import functools
from collections import Counter
from typing import Any, Awaitable, Callable

Handler = Callable[..., Awaitable[Any]]


class Meter:
    """One meter per process; ``@meter("bucket")`` counts each call of a handler."""

    def __init__(self) -> None:
        self.counts: "Counter[str]" = Counter()

    def __call__(self, bucket: str = "default") -> Callable[[Handler], Handler]:
        def decorator(handler: Handler) -> Handler:
            @functools.wraps(handler)
            async def wrapper(*args: Any, **kwargs: Any) -> Any:
                self.counts[bucket] += 1
                return await handler(*args, **kwargs)

            return wrapper

        return decorator


meter = Meter()
