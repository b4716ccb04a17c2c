"""Domain errors and the decorator that turns them into HTTP responses."""
import functools
from typing import Any, Awaitable, Callable

from fastapi import HTTPException

Handler = Callable[..., Awaitable[Any]]


class NotFound(Exception):
    """The requested object does not exist."""


class Conflict(Exception):
    """The request clashes with the current state of an object."""


def with_route_exceptions(handler: Handler) -> Handler:
    """Map domain errors raised by an async route handler to 404/409 responses.

    ``functools.wraps`` copies the handler's name, docstring and ``__wrapped__``:
    FastAPI follows ``__wrapped__`` to read the handler's parameters, so path,
    query, body and ``Depends`` parameters keep working through the wrapper.
    """

    @functools.wraps(handler)
    async def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return await handler(*args, **kwargs)
        except NotFound as exc:
            raise HTTPException(status_code=404, detail=str(exc)) from exc
        except Conflict as exc:
            raise HTTPException(status_code=409, detail=str(exc)) from exc

    return wrapper
