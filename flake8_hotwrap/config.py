"""Settings shared by the flake8 plugin and the fixer.

Both front ends read the same ``[flake8]`` section (setup.cfg, tox.ini or
.flake8), so linter and fixer always see the same project.
"""
from __future__ import annotations

import configparser
import hashlib
import os
from dataclasses import dataclass, field
from typing import Iterable, List, Optional, Sequence, Tuple

#: flake8's own default excludes, plus directories that are never project code.
DEFAULT_EXCLUDE: Tuple[str, ...] = (
    ".svn", "CVS", ".bzr", ".hg", ".git", "__pycache__", ".tox", ".nox", ".eggs", "*.egg",
    "node_modules", "site-packages",
)
CONFIG_FILES: Tuple[str, ...] = ("setup.cfg", "tox.ini", ".flake8")
ROOT_MARKERS: Tuple[str, ...] = (
    "pyproject.toml", "setup.cfg", "setup.py", "tox.ini", ".flake8", ".git",
)
CACHE_ENV = "FLAKE8_HOTWRAP_CACHE_DIR"


def split_list(value: object) -> List[str]:
    """Comma- or newline-separated config value -> list of stripped items."""
    if value is None:
        return []
    if isinstance(value, str):
        items: Iterable[str] = value.replace("\n", ",").split(",")
    elif isinstance(value, (list, tuple)):
        items = [str(v) for v in value]
    else:
        items = [str(value)]
    return [i.strip() for i in items if i.strip()]


def default_cache_dir() -> str:
    env = os.environ.get(CACHE_ENV)
    if env:
        return env
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "flake8-hotwrap")


@dataclass(frozen=True)
class Config:
    #: fnmatch patterns for extra route decorators, matched against the dotted
    #: text of the decorator (``api.endpoint``) and its resolved name.
    route_decorators: Tuple[str, ...] = ()
    #: fnmatch patterns for extra handler base classes (name or qualified name).
    handler_bases: Tuple[str, ...] = ()
    #: decorators treated as applied to handlers (dynamic registration).
    handler_decorators: Tuple[str, ...] = ()
    exclude: Tuple[str, ...] = DEFAULT_EXCLUDE
    #: ``None`` disables the on-disk index cache.
    cache_dir: Optional[str] = field(default_factory=default_cache_dir)

    def key(self) -> str:
        """Digest of everything that changes the analysis (not the cache location)."""
        text = repr((self.route_decorators, self.handler_bases, self.handler_decorators,
                     self.exclude))
        return hashlib.sha256(text.encode()).hexdigest()[:16]

    @classmethod
    def from_values(
        cls,
        route_decorators: object = None,
        handler_bases: object = None,
        handler_decorators: object = None,
        exclude: object = None,
        extend_exclude: object = None,
        cache_dir: object = None,
        no_cache: bool = False,
    ) -> "Config":
        excl = split_list(exclude) or list(DEFAULT_EXCLUDE)
        excl += [e for e in DEFAULT_EXCLUDE[-2:] if e not in excl]
        excl += split_list(extend_exclude)
        cdir: Optional[str] = None
        if not no_cache:
            cdir = str(cache_dir) if cache_dir else default_cache_dir()
        if cdir is not None and cdir.lower() in ("", "none", "off", "false"):
            cdir = None
        return cls(
            route_decorators=tuple(split_list(route_decorators)),
            handler_bases=tuple(split_list(handler_bases)),
            handler_decorators=tuple(split_list(handler_decorators)),
            exclude=tuple(excl),
            cache_dir=cdir,
        )


def find_root(path: str) -> str:
    """Nearest ancestor of ``path`` holding a project marker, else its directory."""
    start = os.path.abspath(path)
    cur = start if os.path.isdir(start) else os.path.dirname(start)
    probe = cur
    while True:
        if any(os.path.exists(os.path.join(probe, m)) for m in ROOT_MARKERS):
            return probe
        parent = os.path.dirname(probe)
        if parent == probe:
            return cur
        probe = parent


def read_flake8_section(root: str) -> dict[str, str]:
    """The ``[flake8]`` section from the project's config files (first one wins)."""
    for name in CONFIG_FILES:
        fn = os.path.join(root, name)
        if not os.path.isfile(fn):
            continue
        parser = configparser.RawConfigParser()
        try:
            parser.read(fn, encoding="utf-8")
        except (configparser.Error, UnicodeDecodeError, OSError):
            continue
        if parser.has_section("flake8"):
            return {k.replace("_", "-"): v for k, v in parser.items("flake8")}
    return {}


def config_from_files(root: str, overrides: Sequence[str] = ()) -> Config:
    """Config for the fixer: same options as the plugin, read from the same files."""
    sec = read_flake8_section(root)
    return Config.from_values(
        route_decorators=sec.get("hotwrap-route-decorators"),
        handler_bases=sec.get("hotwrap-handler-bases"),
        handler_decorators=sec.get("hotwrap-handler-decorators"),
        exclude=sec.get("exclude"),
        extend_exclude=split_list(sec.get("extend-exclude")) + list(overrides),
        cache_dir=sec.get("hotwrap-cache-dir"),
        no_cache=sec.get("hotwrap-no-cache", "").strip().lower() in ("1", "true", "yes", "on"),
    )
