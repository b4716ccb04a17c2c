"""flake8 front end: options -> Config, findings -> (line, col, message)."""
from __future__ import annotations

import ast
import logging
import os
from typing import Any, Iterator, List, Sequence, Tuple, Type

from . import __version__
from .config import Config
from .markers import LINT_MARKERS

LOG = logging.getLogger("flake8.hotwrap")


class HotwrapChecker:
    name = "flake8-hotwrap"
    version = __version__
    config: Config = Config()

    __slots__ = ("tree", "filename", "lines")

    def __init__(self, tree: ast.Module, filename: str, lines: Sequence[str]) -> None:
        self.tree = tree
        self.filename = filename
        self.lines = lines

    @classmethod
    def add_options(cls, parser: Any) -> None:
        lists = {"parse_from_config": True, "comma_separated_list": True, "default": []}
        parser.add_option("--hotwrap-route-decorators", metavar="PATTERNS", **lists,
                          help="Extra route decorators (fnmatch on the dotted name, "
                               "e.g. 'api.endpoint,*.expose').")
        parser.add_option("--hotwrap-handler-bases", metavar="PATTERNS", **lists,
                          help="Extra request-handler base classes (name or qualified name).")
        parser.add_option("--hotwrap-handler-decorators", metavar="PATTERNS", **lists,
                          help="Decorators to treat as applied to request handlers "
                               "(for handlers registered dynamically).")
        parser.add_option("--hotwrap-cache-dir", metavar="DIR", parse_from_config=True,
                          default=None,
                          help="Where the project index is cached "
                               "(default: $XDG_CACHE_HOME/flake8-hotwrap).")
        parser.add_option("--hotwrap-no-cache", action="store_true", parse_from_config=True,
                          default=False, help="Do not cache the project index on disk.")

    @classmethod
    def parse_options(cls, options: Any) -> None:
        cls.config = Config.from_values(
            route_decorators=getattr(options, "hotwrap_route_decorators", None),
            handler_bases=getattr(options, "hotwrap_handler_bases", None),
            handler_decorators=getattr(options, "hotwrap_handler_decorators", None),
            exclude=getattr(options, "exclude", None),
            extend_exclude=getattr(options, "extend_exclude", None),
            cache_dir=getattr(options, "hotwrap_cache_dir", None),
            no_cache=bool(getattr(options, "hotwrap_no_cache", False)),
        )

    def run(self) -> Iterator[Tuple[int, int, str, Type["HotwrapChecker"]]]:
        if not any(m in line for line in self.lines for m in LINT_MARKERS):
            return
        path = self.filename
        if path in ("-", "stdin"):
            path = os.path.join(os.getcwd(), "stdin.py")
        try:
            # Imported here: most files hold no marker, and flake8 imports every plugin
            # at start-up (an editor pays that on each lint).
            from .project import lint_file

            findings = lint_file(path, self.tree, self.lines, self.config)
        except Exception:  # noqa: BLE001 - the plugin must never crash flake8
            LOG.exception("hotwrap: internal error while checking %s", self.filename)
            return
        results: List[Tuple[int, int, str, Type[HotwrapChecker]]] = []
        for f in findings:
            if f.on_handler:
                results.append((f.site.line, f.site.col, f.message, type(self)))
        yield from results
