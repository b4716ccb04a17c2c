"""Findings and their messages: the one thing both front ends consume."""
from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple, Optional, Sequence, Tuple

from .analysis import MethodDecoratorUse, WrapSite

CODES = {"wraps": "HWR001", "update_wrapper": "HWR002"}
PER_REQUEST_CODE = "HWR003"
FIX_COMMAND = "python -m flake8_hotwrap.fix"
#: What one decoration costs with functools versus explicit assignments; the
#: range measured by benchmarks/wraps_cost.py on CPython 3.9-3.13 (see README).
COST = "~0.5-0.9us once per decoration at import, not per request"
PER_REQUEST_COST = "~0.5-0.9us on every request, not once at import"


class HandlerRef(NamedTuple):
    path: str  # relative to the project root, "/"-separated
    line: int
    name: str


@dataclass(frozen=True)
class Finding:
    path: str  # absolute path of the file holding the site
    site: WrapSite
    code: str
    decorator: str
    handlers: Tuple[HandlerRef, ...]
    configured: bool
    message: str

    @property
    def on_handler(self) -> bool:
        return bool(self.handlers) or self.configured

    @property
    def fixable(self) -> bool:
        """A wraps/update_wrapper site the fixer may rewrite (not a third-party call)."""
        return self.site.kind in CODES


def decorator_name(site: WrapSite) -> str:
    """``deco`` for functions, ``Meter.__call__`` for class-based decorators."""
    return site.owner or "<module>"


def make_finding(path: str, site: WrapSite, kind: str, handlers: Sequence[HandlerRef],
                 configured: bool, name: Optional[str] = None) -> Finding:
    code = CODES[kind]
    name = name or decorator_name(site)
    what = f"functools.{kind}"
    if handlers:
        n = len(handlers)
        first = handlers[0]
        applied = (f"applied to {n} request handler{'s' if n != 1 else ''} "
                   f"(first: {first.path}:{first.line} {first.name})")
    elif configured:
        applied = "applied to request handlers (configured in hotwrap-handler-decorators)"
    else:
        applied = "not applied to any request handler found"
    message = (f"{code} {what} in decorator '{name}' {applied}: costs {COST}; "
               f"rewrite with explicit attributes: {FIX_COMMAND}")
    return Finding(path, site, code, name, tuple(handlers), configured, message)


def make_per_request_finding(path: str, site: WrapSite, kind: str,
                             hot: Sequence[Tuple[HandlerRef, str]]) -> Finding:
    name = decorator_name(site)
    handler, how = hot[0]
    others = f" and {len(hot) - 1} more" if len(hot) > 1 else ""
    message = (f"{PER_REQUEST_CODE} functools.{kind} in '{name}' runs on every request: "
               f"handler '{handler.name}' ({handler.path}:{handler.line}) {how}{others}; "
               f"costs {PER_REQUEST_COST}; rewrite with explicit attributes: {FIX_COMMAND}")
    return Finding(path, site, PER_REQUEST_CODE, name, tuple(h for h, _ in hot), False, message)


def make_method_decorator_finding(path: str, use: MethodDecoratorUse,
                                  handler: HandlerRef) -> Finding:
    site = WrapSite(use.line, use.col, use.col, "method_decorator", "decorator",
                    "django.utils.decorators.method_decorator", None, use.cls)
    message = (f"{PER_REQUEST_CODE} django's method_decorator re-wraps '{handler.name}' with "
               f"functools.wraps on every request (and applies its decorators again): "
               f"third-party, no automatic fix; decorate the view once instead, e.g. "
               f"path(..., deco({use.cls}.as_view()))")
    return Finding(path, site, PER_REQUEST_CODE, "method_decorator", (handler,), False, message)
