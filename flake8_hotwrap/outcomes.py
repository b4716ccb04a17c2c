"""What a rewrite reports, per site and per module (importable without libcst, so
the fix command pays for libcst only when a file has something to rewrite)."""
from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Tuple

Site = Tuple[int, int]  # (1-based line, 0-based character column) of the Call node


class Status(str, enum.Enum):
    FIXED = "fixed"                     # safe fix applied
    FIXED_UNSAFE = "fixed-unsafe"       # unsafe fix applied because unsafe=True
    SKIPPED_UNSAFE = "skipped-unsafe"   # unsafe fix available, not applied
    UNFIXABLE = "unfixable"             # never rewritten
    NOT_FOUND = "not-found"             # no wraps/update_wrapper call at that position


@dataclass(frozen=True)
class SiteResult:
    line: int
    column: int  # 0-based character column
    status: Status
    reason: str = ""  # why unsafe/unfixable (empty for safe fixes)

    @property
    def applied(self) -> bool:
        return self.status in (Status.FIXED, Status.FIXED_UNSAFE)


@dataclass(frozen=True)
class RewriteResult:
    source: bytes
    changed: bool
    sites: Tuple[SiteResult, ...]


class RewriteError(Exception):
    """The rewritten module failed verification; nothing must be written."""
