"""flake8-hotwrap: functools.wraps in decorators applied to web request handlers."""
from __future__ import annotations

try:
    from importlib.metadata import PackageNotFoundError, version

    __version__ = version("flake8-hotwrap")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0.0.0"
