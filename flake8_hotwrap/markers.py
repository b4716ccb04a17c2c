"""Text a file must contain to matter: one place for the linter, the index and the fixer.

A cheap substring test on these decides whether a file is parsed at all, so every
front end must agree on them (kept free of imports: the flake8 plugin checks them
before it loads the analysis)."""
from __future__ import annotations

from typing import Tuple

#: functools' functions the rules are about (and the fixer rewrites)
WRAP_NAMES: Tuple[str, ...] = ("wraps", "update_wrapper")
#: the linter also reports Django's ``method_decorator(deco)`` on handler classes,
#: where ``deco`` (defined elsewhere) uses wraps
LINT_MARKERS: Tuple[str, ...] = WRAP_NAMES + ("method_decorator",)
LINT_MARKERS_BYTES: Tuple[bytes, ...] = tuple(m.encode() for m in LINT_MARKERS)
FIX_MARKERS_BYTES: Tuple[bytes, ...] = tuple(m.encode() for m in WRAP_NAMES)
