"""Request dependencies: who is calling."""
from typing import List

from fastapi import Header
from pydantic import BaseModel


class User(BaseModel):
    name: str
    roles: List[str] = []


def current_user(x_user: str = Header("anonymous"), x_roles: str = Header("")) -> User:
    """The caller, from headers set by the gateway in front of this service."""
    return User(name=x_user, roles=[r.strip() for r in x_roles.split(",") if r.strip()])
