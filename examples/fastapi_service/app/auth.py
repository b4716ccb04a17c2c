"""Role checks for route handlers."""
from functools import wraps as _wraps
from typing import Any, Awaitable, Callable

from fastapi import HTTPException

from .deps import User

Handler = Callable[..., Awaitable[Any]]


def require_role(role: str) -> Callable[[Handler], Handler]:
    """Reject the request with 403 unless the caller has ``role``.

    The decorated handler must take ``user: User = Depends(current_user)``;
    FastAPI passes it by keyword, so the wrapper finds it in ``kwargs``.
    """

    def decorator(handler: Handler) -> Handler:
        @_wraps(handler)
        async def wrapper(*args: Any, **kwargs: Any) -> Any:
            user = kwargs.get("user")
            if not isinstance(user, User) or role not in user.roles:
                raise HTTPException(status_code=403, detail=f"role {role!r} required")
            return await handler(*args, **kwargs)

        return wrapper

    return decorator
