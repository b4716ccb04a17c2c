"""The project index: every module under the root, imports resolved, cached on disk.

flake8 hands a plugin one file at a time, but a decorator is usually defined in
one module and applied to handlers in others.  The index finds the modules that
can matter with a text pre-filter (files mentioning ``wraps``/``update_wrapper``,
then files mentioning the names of the decorators found, to a fixpoint), parses
only those, and resolves references across them.  Per-file facts are cached,
keyed by (mtime_ns, size) and the analysis version, so an edited, added or
deleted file is never served stale.
"""
from __future__ import annotations

import ast
import fnmatch
import functools
import hashlib
import json
import logging
import os
import re
import sys
import tempfile
import time
from typing import (Any, Dict, FrozenSet, Iterable, Iterator, List, Mapping, Optional, Sequence,
                    Set, Tuple)

from . import frameworks as fw
from .analysis import (UNKNOWN, ClassFacts, ModuleFacts, WrapSite, analyze_module, source_lines,
                       strip_calls)
from .config import Config, config_from_files, find_root
from .markers import LINT_MARKERS_BYTES
from .messages import (Finding, HandlerRef, make_finding, make_method_decorator_finding,
                       make_per_request_finding)

LOG = logging.getLogger("flake8.hotwrap")
#: Bump when facts or their meaning change: older caches are then ignored.
INDEX_VERSION = "11"
_WORD = re.compile(rb"[A-Za-z_][A-Za-z0-9_]*")
#: Text that suggests a module may route, register, subclass a handler base or
#: re-export a decorator under another name (see ProjectIndex._could_matter).
_HINTS = re.compile(rb"""
    @\s*[\w.]*\.(?:get|post|put|patch|delete|head|options|trace|route|websocket|api_route|view|ws)\s*\(
  | @\s*(?:get|post|put|patch|delete|head|route|websocket|api_view|action|view_config|require_\w+)\b
  | \b(?:add_url_rule|add_api_route|add_api_websocket_route|add_websocket_route|add_route|add_get
       |add_post|add_put|add_patch|add_delete|add_head|add_view|re_path|urlpatterns|as_view
       |APIRoute|WebSocketRoute|Route|method_decorator|RouteTableDef|decorators)\b
  | \b(?:path|url)\s*\(
  | [(\[,]\s*r?["']\^?/
  | class\s+\w+\s*\([^)]*(?:View|Handler|Endpoint|Resource|Controller|ViewSet)\b
  | ^[ \t]*(?:from|import)[ \t]+(?:fastapi|starlette|flask|quart|django|rest_framework
       |aiohttp\.web|aiohttp[ \t]+import[ \t][^\n]*\bweb\b|sanic|litestar|tornado|bottle
       |pyramid|falcon)\b
""", re.M | re.X)
MAX_FILE_BYTES = 20 * 1024 * 1024
#: A directory or file changed this close before a walk may change again within the same
#: timestamp tick unnoticed (coarse file-system clocks), so it is not trusted as unchanged.
_RACY_NS = 2_000_000_000
_MAX_DEPTH = 25
#: How far calls from a handler are followed when looking for per-request wrapping.
_CALL_DEPTH = 3

# A resolved reference: (kind, path, qualname, calls)
#   kind: "module" | "function" | "class" | "instance" | "external" | "alias"
Target = Tuple[str, str, str, int]


def _split_ref(ref: str) -> List[Tuple[str, int]]:
    out: List[Tuple[str, int]] = []
    for part in ref.split("."):
        calls = 0
        while part.endswith("()"):
            part, calls = part[:-2], calls + 1
        out.append((part, calls))
    return out


def _join_ref(tokens: Sequence[Tuple[str, int]]) -> str:
    return ".".join(name + "()" * calls for name, calls in tokens)


_PACKAGE_PARTS: Dict[str, Tuple[str, ...]] = {}


def _package_parts(directory: str) -> Tuple[str, ...]:
    """Dotted parts of the package ``directory`` is (empty if not a package)."""
    found = _PACKAGE_PARTS.get(directory)
    if found is None:
        if os.path.isfile(os.path.join(directory, "__init__.py")):
            parent = os.path.dirname(directory)
            found = (_package_parts(parent) if parent != directory else ()) + (
                os.path.basename(directory),)
        else:
            found = ()
        _PACKAGE_PARTS[directory] = found
    return found


def module_names(path: str, root: str) -> Tuple[List[str], bool]:
    """Names ``path`` can be imported by; the first is its canonical name.

    Besides the package-based name, every root-relative suffix counts, so
    scripts importing siblings (``from errors import deco``) resolve too."""
    d, base = os.path.split(path)
    stem = base[:-3] if base.endswith(".py") else base
    is_package = stem == "__init__"
    parts = list(_package_parts(d)) + ([] if is_package else [stem])
    names = [".".join(parts)] if parts else []
    if path.startswith(root + os.sep):
        rel_parts = path[len(root) + 1:-3].split(os.sep)
        if rel_parts[-1] == "__init__":
            rel_parts = rel_parts[:-1]
        for start in range(len(rel_parts)):
            tail = rel_parts[start:]
            name = ".".join(tail)
            if name and name not in names and all(p.isidentifier() for p in tail):
                names.append(name)
    return [n for n in names if n], is_package


class _Walker:
    """Yields .py files under a directory, honouring flake8-style excludes."""

    def __init__(self, root: str, exclude: Sequence[str]) -> None:
        #: every directory scanned -> its mtime_ns taken before the scan (a file added,
        #: removed or renamed in it changes it); ``complete`` is False if one was unreadable
        self.dirs: Dict[str, int] = {}
        self.complete = True
        names = [p for p in exclude if "/" not in p and os.sep not in p]
        paths = [os.path.abspath(os.path.join(root, p)) for p in exclude
                 if "/" in p or os.sep in p]
        self._name_re = re.compile("|".join(fnmatch.translate(p) for p in names)) \
            if names else None
        self._path_re = re.compile("|".join(fnmatch.translate(p) for p in paths)) \
            if paths else None

    def excluded(self, path: str, name: Optional[str] = None) -> bool:
        name = name if name is not None else os.path.basename(path)
        return bool((self._name_re is not None and self._name_re.match(name)) or
                    (self._path_re is not None and self._path_re.match(path)))

    def walk(self, top: str) -> Iterator[Tuple[str, os.stat_result]]:
        stack = [top]
        while stack:
            d = stack.pop()
            try:
                self.dirs[d] = os.stat(d).st_mtime_ns
                with os.scandir(d) as it:
                    entries = sorted(it, key=lambda e: e.name, reverse=True)
            except OSError as exc:
                LOG.info("hotwrap: skipping directory %s: %s", d, exc.strerror or exc)
                self.complete = False
                continue
            if any(e.name == "pyvenv.cfg" for e in entries):
                continue  # a virtualenv is not project code
            for e in entries:
                if self.excluded(e.path, e.name):
                    continue
                try:
                    if e.is_dir(follow_symlinks=False):
                        stack.append(e.path)
                    elif e.name.endswith(".py") and e.is_file():
                        yield e.path, e.stat()
                except OSError:
                    continue


class _Entry:
    """One file of the project; cached facts are decoded on first use."""

    __slots__ = ("mtime", "size", "_facts", "_raw", "wrap_text", "skipped", "names", "is_pkg")

    def __init__(self, mtime: int, size: int, facts: Optional[ModuleFacts], wrap_text: bool,
                 skipped: Optional[str] = None, names: Optional[List[str]] = None,
                 is_pkg: bool = False, raw: Optional[str] = None) -> None:
        self.mtime, self.size, self.wrap_text = mtime, size, wrap_text
        self._facts, self._raw = facts, raw
        self.skipped, self.names, self.is_pkg = skipped, names or [], is_pkg

    @property
    def facts(self) -> Optional[ModuleFacts]:
        if self._raw is not None:
            raw, self._raw = self._raw, None
            try:
                self._facts = ModuleFacts.from_json(json.loads(raw))
            except (KeyError, TypeError, ValueError, AttributeError) as exc:  # damaged entry
                LOG.info("hotwrap: ignoring a damaged cache entry: %s", exc)
                self._facts = None
        return self._facts

    @facts.setter
    def facts(self, value: Optional[ModuleFacts]) -> None:
        self._facts, self._raw = value, None

    def facts_json(self) -> Optional[str]:
        """The facts as a JSON text of their own: the cache decodes them only on use."""
        if self._raw is not None:
            return self._raw
        if self._facts is None:
            return None
        return json.dumps(self._facts.to_json(), separators=(",", ":"))


class ProjectIndex:
    """All facts of one project root; see module docstring."""

    def __init__(self, root: str, config: Config) -> None:
        self.root = root
        self.config = config
        self.entries: Dict[str, _Entry] = {}
        self.modules: Dict[str, str] = {}
        self.canonical: Dict[str, str] = {}
        self.package: Dict[str, bool] = {}
        self.overrides: Dict[str, ModuleFacts] = {}
        self._texts: Dict[str, bytes] = {}
        self._words: Dict[str, FrozenSet[bytes]] = {}  # identifiers per file, this build
        self._searched: Set[str] = set()
        self._fresh_paths: Set[str] = set()  # new or changed since the cache
        self._applications: Optional[Dict[Tuple[str, str], List[HandlerRef]]] = None
        self._handlers: Dict[Tuple[str, str], HandlerRef] = {}
        self._per_request: Optional[
            Dict[Tuple[str, int, int], List[Tuple[HandlerRef, str]]]] = None
        self._dirty = False
        self._cached_derived: Optional[Dict[str, Any]] = None
        #: directories walked -> mtime_ns, and when that walk started (for the cache)
        self._dirs: Dict[str, int] = {}
        self._walked = 0
        self._cached_dirs: Dict[str, int] = {}
        self._cached_walked = 0
        self._parses = 0  # files parsed so far: lazily parsed ones can change answers

    # -- building ------------------------------------------------------------
    def build(self, overrides: Optional[Dict[str, ModuleFacts]] = None) -> "ProjectIndex":
        self.overrides = dict(overrides or {})
        cached = self._load_cache()
        files = self._unchanged_tree(cached)
        # Module names depend only on which files exist: reuse them when the
        # tree's shape is unchanged since the cache (the cached file list is).
        same_shape = files is not None
        save_dirs = False
        if files is None:
            walker = _Walker(self.root, self.config.exclude)
            self._walked = time.time_ns()
            files = list(walker.walk(self.root))
            self._dirs = walker.dirs if walker.complete else {}
            # Worth saving even if no file changed: the next build can skip the walk.
            save_dirs = bool(self._dirs) and not self._racy(self._dirs, self._walked)
            same_shape = len(files) == len(cached) and all(p in cached for p, _ in files)
        for path, st in files:
            old = cached.get(path)
            if same_shape and old is not None and old.names:
                names, is_pkg = old.names, old.is_pkg
            else:
                names, is_pkg = module_names(path, self.root)
            if not names:
                continue
            self.canonical[path] = names[0]
            self.package[path] = is_pkg
            for n in names:
                self.modules.setdefault(n, path)
            if old is not None and old.mtime == st.st_mtime_ns and old.size == st.st_size \
                    and old.mtime < self._cached_walked - _RACY_NS:
                old.names, old.is_pkg = names, is_pkg
                self.entries[path] = old
            else:
                self._dirty = True
                self._fresh_paths.add(path)
                entry = self._fresh(path, st)
                entry.names, entry.is_pkg = names, is_pkg
                self.entries[path] = entry
        self._name_overrides()
        if len(cached) != len(self.entries):
            self._dirty = True
        if self._dirty or self.overrides or not cached:
            self._expand()  # facts unchanged since the cache: names are too
        if self._dirty:
            self._save_cache()
        elif not self.overrides and self._cached_derived:
            self._restore_derived(self._cached_derived)  # nothing changed: reuse answers
            if save_dirs:
                self._save_cache()
        self._texts.clear()
        self._words.clear()
        return self

    def with_overrides(self, overrides: Dict[str, ModuleFacts]) -> "ProjectIndex":
        """This index with some files' facts replaced (an editor's unsaved buffer), built
        from its state in memory: what ``build(overrides)`` gives, without reloading."""
        other = ProjectIndex(self.root, self.config)
        other.overrides = dict(overrides)
        other.entries = dict(self.entries)  # entries are shared: the same disk content
        other.modules, other.canonical = dict(self.modules), dict(self.canonical)
        other.package, other._searched = dict(self.package), set(self._searched)
        other._dirs, other._walked = self._dirs, self._walked
        other._name_overrides()
        other._expand()
        if other._dirty:
            other._save_cache()
        other._texts.clear()
        other._words.clear()
        return other

    def _name_overrides(self) -> None:
        for path, facts in self.overrides.items():
            if path not in self.canonical:
                names, is_pkg = module_names(path, self.root)
                self.canonical[path] = names[0] if names else facts.module
                self.package[path] = is_pkg
                for n in names:
                    self.modules.setdefault(n, path)

    def _unchanged_tree(self, cached: Dict[str, _Entry]
                        ) -> Optional[List[Tuple[str, os.stat_result]]]:
        """The cached files with fresh stats, without walking the tree, if no directory
        of it has changed since the cached walk (files added, removed or renamed change
        their directory's mtime); None if a walk is needed.  Editors lint on every
        keystroke pause: this is most of a warm build's cost on a large tree."""
        dirs = self._cached_dirs
        if not dirs or not cached or self._racy(dirs, self._cached_walked):
            return None
        started = time.time_ns()  # files are compared with their stats from now on
        try:
            for d, mtime in dirs.items():
                if os.stat(d).st_mtime_ns != mtime:
                    return None
            files = [(p, os.stat(p)) for p in cached]
        except OSError:
            return None
        self._dirs, self._walked = dirs, started
        return files

    @staticmethod
    def _racy(dirs: Mapping[str, int], walked: int) -> bool:
        return any(m >= walked - _RACY_NS for m in dirs.values())

    def _fresh(self, path: str, st: os.stat_result) -> _Entry:
        entry = _Entry(st.st_mtime_ns, st.st_size, None, False)
        data = self._read(path, entry)
        if data is not None:
            entry.wrap_text = any(m in data for m in LINT_MARKERS_BYTES)
            if entry.wrap_text:
                self._parse(path, entry, data)
        return entry

    def _read(self, path: str, entry: _Entry) -> Optional[bytes]:
        if path in self._texts:
            return self._texts[path]
        if entry.size > MAX_FILE_BYTES:
            entry.skipped = f"larger than {MAX_FILE_BYTES // (1024 * 1024)} MB"
            LOG.info("hotwrap: skipping %s: %s", path, entry.skipped)
            return None
        try:
            with open(path, "rb", buffering=0) as fh:  # one read: no buffer needed
                data = fh.read()
        except OSError as exc:
            entry.skipped = f"unreadable: {exc.strerror or exc}"
            LOG.info("hotwrap: skipping %s: %s", path, entry.skipped)
            return None
        self._texts[path] = data
        return data

    def _parse(self, path: str, entry: _Entry, data: bytes) -> None:
        self._dirty = True
        self._parses += 1
        try:
            tree = ast.parse(data, filename=path)
            text = data.decode("utf-8-sig", "replace")
            entry.facts = analyze_module(
                tree, self.canonical.get(path, ""), source_lines(text),
                is_package=self.package.get(path, False),
                route_patterns=self.config.route_decorators)
            entry.skipped = None
        except (SyntaxError, ValueError, UnicodeDecodeError, RecursionError,
                MemoryError) as exc:
            entry.facts = None
            entry.skipped = f"{type(exc).__name__}: {exc}".splitlines()[0]
            LOG.info("hotwrap: skipping %s: %s", path, entry.skipped)

    def facts(self, path: str) -> Optional[ModuleFacts]:
        if path in self.overrides:
            return self.overrides[path]
        entry = self.entries.get(path)
        return entry.facts if entry is not None else None

    def all_facts(self) -> Iterator[Tuple[str, ModuleFacts]]:
        seen = set()
        for path, facts in self.overrides.items():
            seen.add(path)
            yield path, facts
        for path, entry in self.entries.items():
            if entry.facts is not None and path not in seen:
                yield path, entry.facts

    def ensure(self, path: str) -> Optional[ModuleFacts]:
        """Facts of ``path``, parsing it now if the pre-filter skipped it."""
        facts = self.facts(path)
        entry = self.entries.get(path)
        if facts is None and entry is not None and entry.skipped is None:
            data = self._read(path, entry)
            if data is not None:
                self._parse(path, entry, data)
            facts = entry.facts
        return facts

    def _module_token(self, path: str) -> Tuple[str, str]:
        """(word an importer must mention, package directory) of a module.

        A file applying ``deco`` from ``pkg/errors.py`` mentions ``deco`` and
        ``errors`` (``from .errors import deco``, ``errors.deco``), or lives in
        the same package (``from . import *`` style relative imports)."""
        module = self.canonical.get(path, "")
        return module.rsplit(".", 1)[-1], os.path.dirname(path) + os.sep

    def _names_to_search(self) -> Dict[str, Set[Tuple[str, str]]]:
        """Names whose mention makes a file relevant, each with the module
        tokens that must accompany it: decorators, their re-exports, and
        functions/classes they decorate (registered elsewhere by name)."""
        names: Dict[str, Set[Tuple[str, str]]] = {}
        symbols: Set[str] = set()
        decos: Set[str] = set()
        for path, facts in self.all_facts():
            for site in facts.sites:
                if site.owner:
                    top = site.owner.split(".", 1)[0]
                    names.setdefault(top, set()).add(self._module_token(path))
                    symbols.add(f"{facts.module}.{top}")
                    decos.add(top)
        for _ in range(3):  # re-exports of re-exports
            for path, facts in self.all_facts():
                token = self._module_token(path)
                for name, ref in facts.bindings.items():
                    if strip_calls(ref) in symbols and f"{facts.module}.{name}" not in symbols:
                        names.setdefault(name, set()).add(token)
                        symbols.add(f"{facts.module}.{name}")
                        decos.add(name)
        for path, facts in self.all_facts():
            token = self._module_token(path)
            for alias in facts.aliases:
                if any(strip_calls(w).rsplit(".", 1)[-1] in decos for w in alias.wrappers):
                    names.setdefault(alias.name, set()).add(token)
        for path, facts in self.all_facts():
            token = self._module_token(path)
            for caller, calls in facts.calls.items():
                if "<locals>" not in caller and "." not in caller and any(
                        strip_calls(r).rsplit(".", 1)[-1] in decos for r, _ in calls):
                    names.setdefault(caller, set()).add(token)
            for fn in facts.functions:
                if fn.routes or not any(strip_calls(d).rsplit(".", 1)[-1] in decos
                                        for d in fn.decorators):
                    continue
                name = fn.cls.split(".", 1)[0] if fn.cls else fn.qualname.rsplit(".", 1)[-1]
                names.setdefault(name, set()).add(token)
        return {n: t for n, t in names.items() if n.isidentifier() and not n.startswith("__")}

    @staticmethod
    def _search_keys(names: Dict[str, Set[Tuple[str, str]]]) -> Set[str]:
        return {f"{n}\0{t}\0{d}" for n, tokens in names.items() for t, d in tokens}

    def _expand(self) -> None:
        """Parse every file mentioning a relevant name, to a fixpoint.  Unchanged
        files were searched for the cached names already; fresh ones for none."""
        for _ in range(_MAX_DEPTH):
            names = self._names_to_search()
            keys = self._search_keys(names)
            new_keys = keys - self._searched
            fresh = [p for p in self._fresh_paths if self.entries[p].facts is None]
            if not new_keys and not fresh:
                return
            new = {n: {t for t in tokens if f"{n}\0{t[0]}\0{t[1]}" in new_keys}
                   for n, tokens in names.items()}
            new = {n: t for n, t in new.items() if t}
            # Names and module tokens as bytes, once per round: files are searched as bytes.
            every, unsearched = _encode(names), _encode(new)
            for path, entry in self.entries.items():
                if entry.facts is not None or entry.skipped is not None or \
                        path in self.overrides:
                    continue
                wanted = every if path in self._fresh_paths else unsearched
                if not wanted:
                    continue
                data = self._read(path, entry)
                if data is not None and self._mentions(path, data, wanted):
                    self._parse(path, entry, data)
            self._fresh_paths.clear()
            self._searched |= new_keys
            self._dirty = True

    def _mentions(self, path: str, data: bytes, wanted: "_Encoded") -> bool:
        words = self._words.get(path)
        if words is None:
            words = self._words[path] = frozenset(_WORD.findall(data))
        hits = [n for n in words & wanted.keys() if any(
            path.startswith(directory) or token in words for token, directory in wanted[n])
            and _uses(data, n)]
        if not hits:
            return False
        if self._could_matter(data):
            return True
        for n in hits:
            name = re.escape(n)
            # A re-export under another name must be searched for in turn, and a
            # plain call (not ``@deco(...)``) may put wrapping on a request path.
            if re.search(rb"import[^\n]*\b" + name + rb"\s+as\b", data) or \
                    re.search(rb"(?<![@.\w])" + name + rb"\s*\(", data):
                return True
        return False

    def _could_matter(self, data: bytes) -> bool:
        """A file that mentions a decorator is parsed now only if it may route,
        register, subclass a handler base or re-export; any other file that
        resolution reaches (a helper a handler calls, views a URLconf names) is
        parsed on demand by :meth:`ensure`."""
        if _HINTS.search(data):
            return True
        extra = self._config_hints
        return bool(extra and extra.search(data))

    @functools.cached_property
    def _config_hints(self) -> "Optional[re.Pattern[bytes]]":
        """The configured names, as text that also suggests a module may matter."""
        words = {p.rsplit(".", 1)[-1] for p in self.config.route_decorators +
                 self.config.handler_bases + self.config.handler_decorators}
        words = {w.replace("*", "") for w in words} - {""}
        if not words:
            return None
        return re.compile(b"|".join(re.escape(w.encode()) for w in sorted(words)))

    # -- cache ---------------------------------------------------------------
    def _cache_file(self) -> Optional[str]:
        if not self.config.cache_dir:
            return None
        key = hashlib.sha256(f"{self.root}\0{self.config.key()}".encode()).hexdigest()[:20]
        return os.path.join(self.config.cache_dir, f"index-{key}.json")

    def _cache_header(self) -> Dict[str, object]:
        return {"version": INDEX_VERSION, "python": list(sys.version_info[:2]),
                "root": self.root, "config": self.config.key()}

    def _load_cache(self) -> Dict[str, _Entry]:
        fn = self._cache_file()
        if fn is None or not os.path.isfile(fn):
            return {}
        try:
            with open(fn, encoding="utf-8") as fh:
                data = json.load(fh)
            if data.get("header") != self._cache_header():
                return {}
            out: Dict[str, _Entry] = {}
            prefix = os.path.join(self.root, "")  # relpaths are normalised: join by hand
            for rel, (mtime, size, facts, wrap_text, skipped, names, is_pkg) in \
                    data["files"].items():
                out[prefix + rel] = _Entry(
                    int(mtime), int(size), None, bool(wrap_text), skipped, list(names),
                    bool(is_pkg), raw=facts if isinstance(facts, str) else None)
            self._searched = set(data["searched"])
            self._cached_derived = data.get("derived")
            walk = data.get("walk") or {}
            self._cached_walked = int(walk.get("started", 0))
            self._cached_dirs = {os.path.normpath(os.path.join(self.root, d)): int(m)
                                 for d, m in (walk.get("dirs") or {}).items()}
            return out
        except Exception as exc:  # noqa: BLE001 - a bad cache is rebuilt, never fatal
            LOG.info("hotwrap: ignoring unreadable index cache %s: %s", fn, exc)
            self._searched = set()
            return {}

    def _save_cache(self) -> None:
        fn = self._cache_file()
        if fn is None:
            return
        files = {
            os.path.relpath(p, self.root): [e.mtime, e.size, e.facts_json(),
                                            e.wrap_text, e.skipped, e.names, e.is_pkg]
            for p, e in self.entries.items()
        }
        payload = {"header": self._cache_header(), "searched": sorted(self._searched),
                   "files": files, "derived": self._derived_json(),
                   "walk": {"started": self._walked,
                            "dirs": {os.path.relpath(d, self.root): m
                                     for d, m in self._dirs.items()}}}
        try:
            os.makedirs(os.path.dirname(fn), exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=os.path.dirname(fn), suffix=".tmp")
            try:
                # json.dumps uses the C encoder; json.dump streams through the Python one.
                text = json.dumps(payload, separators=(",", ":"))
                with os.fdopen(fd, "w", encoding="utf-8") as fh:
                    fh.write(text)
                os.replace(tmp, fn)
            except BaseException:
                os.unlink(tmp)
                raise
        except OSError as exc:
            LOG.info("hotwrap: cannot write index cache %s: %s", fn, exc)

    def _derived_json(self) -> Optional[Dict[str, object]]:
        """The resolved answers, so an unchanged project is not resolved again."""
        if self._applications is None or self._per_request is None or self._dirty:
            return None
        rel = self._rel
        return {
            "applications": [[rel(p), key, [list(h) for h in hs]]
                             for (p, key), hs in self._applications.items()],
            "handlers": [[rel(p), q, list(h)] for (p, q), h in self._handlers.items()],
            "per_request": [[rel(p), line, col, [[list(h), how] for h, how in hot]]
                            for (p, line, col), hot in self._per_request.items()],
        }

    def _restore_derived(self, data: Dict[str, Any]) -> None:
        try:
            join = os.path.join
            apps = {(join(self.root, p), key): [HandlerRef(*h) for h in hs]
                    for p, key, hs in data["applications"]}
            handlers = {(join(self.root, p), q): HandlerRef(*h) for p, q, h in data["handlers"]}
            hot = {(join(self.root, p), int(line), int(col)):
                   [(HandlerRef(*h), str(how)) for h, how in pairs]
                   for p, line, col, pairs in data["per_request"]}
        except (KeyError, TypeError, ValueError) as exc:
            LOG.info("hotwrap: ignoring cached answers: %s", exc)
            return
        self._applications, self._handlers, self._per_request = apps, handlers, hot

    # -- resolution ----------------------------------------------------------
    def resolve(self, ref: str, depth: int = 0) -> Target:
        """Follow a reference through imports, re-exports and classes."""
        if depth > _MAX_DEPTH or not ref or ref == UNKNOWN:
            return ("external", "", ref, 0)
        tokens = _split_ref(ref)
        for i in range(len(tokens), 0, -1):
            if any(c for _n, c in tokens[: i]):
                continue
            path = self.modules.get(".".join(n for n, _c in tokens[:i]))
            if path is not None:
                return self._walk(("module", path, "", 0), tokens[i:], depth)
        return ("external", "", strip_calls(ref), tokens[-1][1])

    def _walk(self, state: Target, rest: Sequence[Tuple[str, int]], depth: int) -> Target:
        for idx, (name, calls) in enumerate(rest):
            kind, path, qual, _ = state
            if kind == "module":
                nxt = self._module_attr(path, name, depth)
                if nxt is None:
                    return ("external", "", "", 0)
                if nxt[0] in ("external", "redirect", "alias"):
                    if nxt[0] == "alias":
                        return nxt if idx == len(rest) - 1 else ("external", "", "", 0)
                    tail = _join_ref([(nxt[2] + "()" * nxt[3], calls)] + list(rest[idx + 1:]))
                    if nxt[0] == "external":
                        return ("external", "", strip_calls(tail), 0)
                    return self.resolve(tail, depth + 1)
                state = nxt
            elif kind in ("class", "instance"):
                found = self._class_attr(path, qual, name, depth)
                if found is None:
                    return ("external", "", "", 0)
                state = found
            elif kind == "function" and name == "<locals>" and idx + 1 < len(rest):
                # a def inside a function body (an app factory's local decorator)
                local, lcalls = rest[idx + 1]
                facts = self.ensure(path)
                lqual = f"{qual}.<locals>.{local}"
                is_cls = facts is not None and any(c.qualname == lqual for c in facts.classes)
                state = self._apply_calls(("class" if is_cls else "function", path, lqual, 0),
                                          lcalls)
                return self._walk(state, rest[idx + 2:], depth) if idx + 2 < len(rest) \
                    else state
            else:
                return ("external", "", "", 0)
            state = self._apply_calls(state, calls)
        return state

    def _apply_calls(self, state: Target, calls: int) -> Target:
        kind, path, qual, n = state
        if not calls:
            return state
        if kind == "class":
            return ("instance", path, qual, calls - 1)
        return (kind, path, qual, n + calls)

    def _module_attr(self, path: str, name: str, depth: int) -> Optional[Target]:
        facts = self.ensure(path)
        module = self.canonical.get(path, "")
        sub = self.modules.get(f"{module}.{name}")
        if facts is None:
            return ("module", sub, "", 0) if sub else None
        for alias in facts.aliases:
            if alias.name == name:
                return ("alias", path, name, 0)
        ref = facts.bindings.get(name)
        if ref is None:
            if sub:
                return ("module", sub, "", 0)
            for star in facts.star_imports:
                target = self.resolve(f"{star}.{name}", depth + 1)
                if target[0] != "external" or target[2]:
                    return target
            return None
        if ref == f"{module}.{name}":
            if any(c.qualname == name for c in facts.classes):
                return ("class", path, name, 0)
            return ("function", path, name, 0)
        toks = _split_ref(ref)
        calls = toks[-1][1]
        base = _join_ref(toks[:-1] + [(toks[-1][0], 0)])
        return ("redirect", "", base, calls)

    def _class_attr(self, path: str, cls: str, name: str, depth: int,
                    seen: Optional[Set[Tuple[str, str]]] = None) -> Optional[Target]:
        """Method or nested class ``name`` of ``cls``, searching project bases."""
        seen = seen if seen is not None else set()
        if (path, cls) in seen or len(seen) > _MAX_DEPTH:
            return None
        seen.add((path, cls))
        facts = self.ensure(path)
        if facts is None:
            return None
        for c in facts.classes:
            if c.qualname == f"{cls}.{name}":
                return ("class", path, c.qualname, 0)
            if c.qualname == cls:
                if name in c.methods:
                    return ("function", path, f"{cls}.{name}", 0)
                for base in c.bases:
                    t = self.resolve(base, depth + 1)
                    if t[0] == "class":
                        found = self._class_attr(t[1], t[2], name, depth + 1, seen)
                        if found is not None:
                            return found
        return None

    def _class_facts(self, path: str, qual: str) -> Optional[ClassFacts]:
        facts = self.ensure(path)
        if facts is None:
            return None
        return next((c for c in facts.classes if c.qualname == qual), None)

    def handler_methods(self, path: str, cls: str,
                        seen: Optional[Set[Tuple[str, str]]] = None) -> FrozenSet[str]:
        """Request-handling method names of a class, through project bases."""
        seen = seen if seen is not None else set()
        if (path, cls) in seen or len(seen) > _MAX_DEPTH:
            return frozenset()
        seen.add((path, cls))
        c = self._class_facts(path, cls)
        if c is None:
            return frozenset()
        out: Set[str] = set()
        qualified = f"{self.canonical.get(path, '')}.{cls}"
        if any(fnmatch.fnmatchcase(qualified, p) or fnmatch.fnmatchcase(cls, p)
               for p in self.config.handler_bases):
            out |= fw.DEFAULT_HANDLER_METHODS  # configured: the project's own base
        for base in c.bases:
            t = self.resolve(base)
            if t[0] == "class":
                out |= self.handler_methods(t[1], t[2], seen)
            elif t[0] == "external":
                out |= self._external_base_methods(strip_calls(base) if not t[2] else t[2])
        return frozenset(out)

    def _external_base_methods(self, name: str) -> FrozenSet[str]:
        short = name.rsplit(".", 1)[-1]
        if name in fw.HANDLER_BASES:
            return fw.HANDLER_BASES[name]
        if any(fnmatch.fnmatchcase(name, p) or fnmatch.fnmatchcase(short, p)
               for p in self.config.handler_bases):
            return fw.DEFAULT_HANDLER_METHODS
        if fw.framework_of_module(name) and short.endswith(fw.HANDLER_BASE_SUFFIXES):
            return fw.FRAMEWORK_HANDLER_METHODS
        top = name.split(".", 1)[0]
        if top not in _STDLIB and top not in fw.NON_WEB_PACKAGES and \
                short.endswith(fw.HANDLER_BASE_SUFFIXES):
            return fw.DEFAULT_HANDLER_METHODS
        return frozenset()

    def _is_plain_project_class(self, path: str, cls: str,
                                seen: Optional[Set[Tuple[str, str]]] = None) -> bool:
        """True when every base of ``cls`` is a project class or ``object``."""
        seen = seen if seen is not None else set()
        if (path, cls) in seen:
            return True
        seen.add((path, cls))
        c = self._class_facts(path, cls)
        if c is None:
            return False
        for base in c.bases:
            if base in ("object", "builtins.object"):
                continue
            t = self.resolve(base)
            if t[0] != "class" or not self._is_plain_project_class(t[1], t[2], seen):
                return False
        return True

    def _route_counts(self, receiver: str) -> bool:
        """``@x.route(...)``: x is, or may be, a framework object; not when it
        is provably an instance of a project class unrelated to any framework."""
        if not receiver or receiver == UNKNOWN:
            return True
        t = self.resolve(receiver)
        if t[0] == "instance" and t[3] == 0:
            return not self._is_plain_project_class(t[1], t[2])
        return True

    # -- applications --------------------------------------------------------
    def _decorator_key(self, ref: str) -> Optional[Tuple[str, str, bool]]:
        """(path, qualname, is_class) of the project decorator ``ref`` applies."""
        t = self.resolve(ref)
        if t[0] == "function":
            return (t[1], t[2], False)
        if t[0] in ("class", "instance"):
            return (t[1], t[2], True)
        return None

    def _follow_alias(self, ref: str) -> Tuple[str, Tuple[str, ...]]:
        wrappers: Tuple[str, ...] = ()
        for _ in range(_MAX_DEPTH):
            t = self.resolve(ref)
            if t[0] != "alias":
                break
            facts = self.facts(t[1])
            alias = next((a for a in facts.aliases if a.name == t[2]), None) if facts else None
            if alias is None:
                break
            wrappers += alias.wrappers
            if alias.inner == ref:
                break
            ref = alias.inner
        return ref, wrappers

    def applications(self) -> Dict[Tuple[str, str], List[HandlerRef]]:
        """(path, decorator qualname) -> handlers it is applied to.

        Resolution may parse modules the pre-filter skipped (a base class's
        module, say); their facts can add handlers, so compute to a fixpoint,
        then keep the newly parsed files in the on-disk cache."""
        if self._applications is None:
            for _ in range(_MAX_DEPTH):
                before = self._parses
                self._compute_applications()
                if self._parses == before:
                    break
        assert self._applications is not None
        return self._applications

    def _compute_applications(self) -> None:
        apps: Dict[Tuple[str, str], Dict[Tuple[str, str], HandlerRef]] = {}
        handlers: Dict[Tuple[str, str], HandlerRef] = {}
        registered_fns: Dict[Tuple[str, str], List[Tuple[str, ...]]] = {}
        registered_classes: Set[Tuple[str, str]] = set()
        facts_list = list(self.all_facts())
        # Only what can involve a wraps-using decorator is resolved: resolution
        # parses modules on demand, and most functions and classes are irrelevant.
        relevant = set(self._names_to_search())

        def mentions(refs: Iterable[str]) -> bool:
            # any component: ``auth.Auth.require_token`` is relevant through ``Auth``
            return any(not relevant.isdisjoint(r.replace("()", "").split(".")) for r in refs)

        for path, facts in facts_list:
            for reg in facts.registrations:
                if not mentions((reg.ref,) + reg.wrappers):
                    continue
                ref, wrappers = self._follow_alias(reg.ref)
                t = self.resolve(ref)
                if t[0] == "function":
                    registered_fns.setdefault((t[1], t[2]), []).append(reg.wrappers + wrappers)
                    handler = HandlerRef(self._rel(t[1]), self._line_of(t[1], t[2], reg.line),
                                         t[2].replace(".<locals>", ""))
                    handlers[(t[1], t[2])] = handler
                    self._apply(apps, reg.wrappers + wrappers, handler)
                elif t[0] in ("class", "instance"):
                    registered_classes.add((t[1], t[2]))
                elif reg.wrappers or wrappers:
                    name = ref.rsplit(".", 1)[-1]
                    self._apply(apps, reg.wrappers + wrappers,
                                HandlerRef(self._rel(path), reg.line, name))
        for path, facts in facts_list:
            for fn in facts.functions:
                if (path, fn.qualname) not in registered_fns and not mentions(fn.decorators) \
                        and not mentions(r for r, _ in facts.calls.get(fn.qualname, ())) \
                        and fn.qualname.split(".", 1)[0] not in relevant:
                    continue
                if not self._is_handler(path, facts, fn.qualname, fn.cls, fn.routes,
                                        registered_fns, registered_classes):
                    continue
                handler = HandlerRef(self._rel(path), fn.line, fn.qualname.replace(".<locals>", ""))
                handlers[(path, fn.qualname)] = handler
                self._apply(apps, fn.decorators, handler)
            for c in facts.classes:
                if not c.method_decorators or not mentions(
                        d for _m, decos in c.method_decorators for d in decos):
                    continue
                handles = self.handler_methods(path, c.qualname)
                methods = handles | fw.HTTP_VERBS | {"dispatch"}
                for mname, decos in c.method_decorators:
                    if mname == "*" and handles:
                        self._apply(apps, decos, HandlerRef(self._rel(path), c.line, c.qualname))
                    elif mname in methods:
                        self._apply(apps, decos, HandlerRef(self._rel(path), c.line,
                                                            f"{c.qualname}.{mname}"))
        self._applications = {k: sorted(v.values()) for k, v in apps.items()}
        self._handlers = handlers

    # -- the request path (HWR003) --------------------------------------------
    def per_request(self) -> Dict[Tuple[str, int, int], List[Tuple[HandlerRef, str]]]:
        """Sites whose wraps work runs during a request -> (handler, how) pairs.

        Followed statically: the handler's own body, decorators applied and
        functions called in it (same module or imported from the project), to a
        bounded depth; and wrappers that wrap again on every call."""
        if self._per_request is None:
            for _ in range(_MAX_DEPTH):
                before = self._parses
                self.applications()
                self._compute_per_request()
                if self._parses == before:
                    break
                self._applications = None  # modules parsed meanwhile: answer again
            if not self.overrides:
                self._dirty = False  # every parse so far is in the answers just computed
                self._save_cache()
        assert self._per_request is not None
        return self._per_request

    def _compute_per_request(self) -> None:
        out: Dict[Tuple[str, int, int], Dict[Tuple[str, str], Tuple[HandlerRef, str]]] = {}

        def add(path: str, site: WrapSite, handler: HandlerRef, how: str) -> None:
            out.setdefault((path, site.line, site.col), {}).setdefault(
                (handler.path, handler.name), (handler, how))

        for (hpath, hqual), handler in sorted(self._handlers.items()):
            hscope = hqual.replace(".<locals>", "")
            hfacts = self.facts(hpath)
            for site in hfacts.sites if hfacts else ():
                if site.scope == hscope or site.scope.startswith(hscope + "."):
                    add(hpath, site, handler, "in the handler's body")
            frontier: List[Tuple[str, str, int, str]] = [(hpath, hqual, 0, "")]
            seen = {(hpath, hqual)}
            while frontier:
                path, qual, depth, via = frontier.pop()
                facts = self.ensure(path)
                for ref, _line in facts.calls.get(qual, ()) if facts else ():
                    t = self.resolve(ref)
                    if t[0] not in ("function", "class", "instance") or not t[1]:
                        continue
                    name = t[2].replace(".<locals>", "")
                    how = f"through '{via}'" if via else f"calls '{name}' in its body"
                    tfacts = self.ensure(t[1])
                    for site in tfacts.sites if tfacts else ():
                        if site.per_call or not site.owner:
                            continue
                        if site.owner == t[2] or (t[0] != "function" and
                                                  site.owner.startswith(t[2] + ".")):
                            add(t[1], site, handler, how)
                    if t[0] == "function" and depth < _CALL_DEPTH and (t[1], t[2]) not in seen:
                        seen.add((t[1], t[2]))
                        frontier.append((t[1], t[2], depth + 1, via or name))
        for path, facts in self.all_facts():
            for site in facts.sites:
                if site.per_call:
                    for handler in self.handlers_for(path, site):
                        add(path, site, handler, "wrapper wraps again on every call")
        self._per_request = {k: sorted(v.values()) for k, v in out.items()}

    def method_decorator_findings(self, path: str) -> List[Finding]:
        facts = self.facts(path)
        out: List[Finding] = []
        for use in facts.method_decorator_uses if facts else ():
            methods = self.handler_methods(path, use.cls)
            if use.method not in methods and not (use.method == "dispatch" and methods):
                continue
            handler = HandlerRef(self._rel(path), use.line, f"{use.cls}.{use.method}")
            out.append(make_method_decorator_finding(path, use, handler))
        return out

    def _is_handler(self, path: str, facts: ModuleFacts, qual: str, cls: Optional[str],
                    routes: Sequence[str], registered: Mapping[Tuple[str, str], object],
                    registered_classes: Set[Tuple[str, str]]) -> bool:
        if any(self._route_counts(r) for r in routes) or (path, qual) in registered:
            return True
        if cls is None:
            return False
        method = qual.rsplit(".", 1)[-1]
        if method in self.handler_methods(path, cls):
            return True
        responder = method.startswith(fw.RESPONDER_PREFIXES) and (
            facts.uses_framework or (path, cls) in registered_classes)
        return responder or ((path, cls) in registered_classes and method in fw.HTTP_VERBS)

    def _apply(self, apps: Dict[Tuple[str, str], Dict[Tuple[str, str], HandlerRef]],
               decorators: Iterable[str], handler: HandlerRef, depth: int = 0) -> None:
        for ref in decorators:
            key = self._decorator_key(ref)
            if key is None:
                continue
            path, qual, is_class = key
            targets = [(path, qual)]
            if is_class:
                targets += self._project_bases(path, qual)
            for tpath, tqual in targets:
                apps.setdefault((tpath, ("class:" if is_class else "") + tqual), {})[
                    (handler.path, handler.name)] = handler
            if not is_class and depth < _CALL_DEPTH:
                # A decorator that delegates (``return require_role("admin")``) or
                # composes (``return login_required(audit(f))``) applies what it calls.
                facts = self.facts(path)
                calls = facts.calls.get(qual, ()) if facts else ()
                self._apply(apps, [r for r, _ in calls], handler, depth + 1)

    def _project_bases(self, path: str, cls: str) -> List[Tuple[str, str]]:
        out: List[Tuple[str, str]] = []
        todo = [(path, cls)]
        while todo and len(out) < _MAX_DEPTH:
            c = self._class_facts(*todo.pop())
            for base in c.bases if c is not None else ():
                t = self.resolve(base)
                if t[0] == "class" and (t[1], t[2]) not in out:
                    out.append((t[1], t[2]))
                    todo.append((t[1], t[2]))
        return out

    def _line_of(self, path: str, qual: str, default: int) -> int:
        """Line of the ``def`` of ``qual`` in ``path`` (the handler, not its registration)."""
        facts = self.facts(path)
        return facts.defs.get(qual, default) if facts else default

    def _rel(self, path: str) -> str:
        rel = os.path.relpath(path, self.root)
        return rel.replace(os.sep, "/")

    # -- findings ------------------------------------------------------------
    def is_wraps_target(self, target: str) -> Optional[str]:
        """"wraps"/"update_wrapper" when ``target`` is functools' function."""
        t = self.resolve(target)
        name = t[2] if t[0] == "external" else ""
        if not name and t[0] == "external":
            name = target
        return fw.WRAPS_FUNCTIONS.get(name)

    def handlers_for(self, path: str, site: WrapSite) -> List[HandlerRef]:
        if not site.owner:
            return []
        apps = self.applications()
        found: Dict[Tuple[str, str], HandlerRef] = {}
        parts = site.owner.split(".")
        # A function owner "deco" is keyed as is; "C.m" may be a static method
        # ("C.m" applied as such) or part of a class used as a decorator ("class:C").
        keys = [(path, site.owner)]
        for i in range(1, len(parts)):
            keys.append((path, "class:" + ".".join(parts[:i])))
        # A decorator defined inside a function (an app factory's local helper):
        # "create_app.<locals>.require_key" for a site in create_app.require_key.
        chain = site.scope.split(".")
        owner_len = len(parts)
        for i in range(owner_len + 1, len(chain) + 1):
            keys.append((path, ".<locals>.".join([site.owner] + chain[owner_len:i])))
        for key in keys:
            for h in apps.get(key, ()):
                found[(h.path, h.name)] = h
        return sorted(found.values())

    def decorator_display(self, path: str, site: WrapSite) -> Optional[str]:
        """``require_key`` rather than ``create_app`` for a decorator defined and
        applied inside an app factory (the site's owner is the factory)."""
        if not site.owner or "." not in site.scope:
            return None
        apps = self.applications()
        chain = site.scope.split(".")
        owner_len = len(site.owner.split("."))
        for i in range(len(chain), owner_len, -1):
            key = ".<locals>.".join([site.owner] + chain[owner_len:i])
            if apps.get((path, key)):
                return key.replace(".<locals>", "")
        return None

    def configured(self, path: str, site: WrapSite) -> bool:
        if not site.owner or not self.config.handler_decorators:
            return False
        module = self.canonical.get(path, "")
        names = {site.owner, site.owner.split(".", 1)[0]}
        names |= {f"{module}.{n}" for n in list(names)}
        return any(fnmatch.fnmatchcase(n, p) for n in names
                   for p in self.config.handler_decorators)

    def findings(self, path: str, all_sites: bool = False) -> List[Finding]:
        facts = self.facts(path)
        if facts is None:
            return []
        out: List[Finding] = []
        per_request = self.per_request()
        for site in facts.sites:
            kind = self.is_wraps_target(site.target)
            if kind is None:
                continue
            handlers = self.handlers_for(path, site)
            configured = self.configured(path, site)
            hot = per_request.get((path, site.line, site.col))
            if hot:
                out.append(make_per_request_finding(path, site, kind, hot))
            if site.per_call and hot:
                continue  # its cost is per request, not per decoration
            if handlers or configured or (all_sites and not hot):
                out.append(make_finding(path, site, kind, handlers, configured,
                                        self.decorator_display(path, site)))
        out.extend(self.method_decorator_findings(path))
        return out


_STDLIB = frozenset(getattr(sys, "stdlib_module_names", ())) | {
    "logging", "unittest", "socketserver", "http", "wsgiref", "xmlrpc",
}


#: searched name -> [(module token that must accompany it, package directory)], as bytes
_Encoded = Dict[bytes, List[Tuple[bytes, str]]]


def _encode(names: Dict[str, Set[Tuple[str, str]]]) -> _Encoded:
    return {n.encode(): [(t.encode(), d) for t, d in tokens] for n, tokens in names.items()}


def _uses(data: bytes, name: bytes) -> bool:
    """``name`` occurs other than as the name of a ``def``/``class`` (a module
    defining its own ``async_setup_entry`` does not use another's)."""
    total = len(re.findall(rb"\b" + re.escape(name) + rb"\b", data))
    defs = len(re.findall(rb"\b(?:def|class)[ \t]+" + re.escape(name) + rb"\b", data))
    return total > defs


# One index per (root, config) per process: flake8 calls the plugin once per file.
_INDEXES: Dict[Tuple[str, str, Optional[str]], ProjectIndex] = {}


def build_index(root: str, config: Config,
                overrides: Optional[Dict[str, ModuleFacts]] = None) -> ProjectIndex:
    return ProjectIndex(os.path.abspath(root), config).build(overrides)


def index_for(root: str, config: Config) -> ProjectIndex:
    key = (os.path.abspath(root), config.key(), config.cache_dir)
    index = _INDEXES.get(key)
    if index is None:
        index = _INDEXES[key] = build_index(root, config)
    return index


def lint_file(path: str, tree: ast.Module, lines: Sequence[str], config: Config,
              all_sites: bool = False) -> List[Finding]:
    """Findings of one file whose current content (disk or editor buffer) is ``tree``."""
    path = os.path.abspath(path)
    root = find_root(path)
    facts = analyze_path(path, root, tree, [ln.rstrip("\r\n") for ln in lines], config)
    if not facts.sites and not facts.method_decorator_uses:
        return []
    index = index_for(root, config)
    known = index.ensure(path)
    if known is None or known != facts:
        # The buffer differs from disk (or the file is outside the index):
        # rebuild with its facts in place of the disk content.
        index = index.with_overrides({path: facts})
    return index.findings(path, all_sites)


def iter_python_files(paths: Sequence[str], config: Config) -> Iterator[str]:
    for p in paths:
        ap = os.path.abspath(p)
        if os.path.isdir(ap):
            for path, _st in _Walker(find_root(ap), config.exclude).walk(ap):
                yield path
        else:
            yield ap


def findings_for_paths(paths: Sequence[str], config: Optional[Config] = None,
                       all_sites: bool = False) -> Dict[str, List[Finding]]:
    """Per .py file under ``paths``: its findings (the fixer's entry point)."""
    out: Dict[str, List[Finding]] = {}
    for p in paths:
        ap = os.path.abspath(p)
        root = find_root(ap)
        cfg = config or config_from_files(root)
        index = index_for(root, cfg)
        for path in iter_python_files([ap], cfg):
            if path not in index.entries:
                facts = _facts_outside(path, index)
                if facts is not None:
                    idx = index.with_overrides({path: facts})
                    out[path] = idx.findings(path, all_sites)
                    continue
            out[path] = index.findings(path, all_sites)
    return out


def analyze_path(path: str, root: str, tree: ast.Module, lines: Sequence[str],
                 config: Config) -> ModuleFacts:
    """Facts of a file analysed outside the index (a buffer, an excluded file)."""
    names, is_pkg = module_names(path, root)
    return analyze_module(tree, names[0] if names else "", lines, is_package=is_pkg,
                          route_patterns=config.route_decorators)


def _facts_outside(path: str, index: ProjectIndex) -> Optional[ModuleFacts]:
    try:
        with open(path, "rb") as fh:
            data = fh.read()
        return analyze_path(path, index.root, ast.parse(data),
                            source_lines(data.decode("utf-8-sig", "replace")), index.config)
    except (OSError, SyntaxError, ValueError, RecursionError, MemoryError):
        return None
