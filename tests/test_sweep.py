"""Real-code sweep: the linter and the fixer on pinned releases of real services.

Opt-in (downloads ~250 MB once, then ~8 minutes on 2 cores)::

    HOTWRAP_SWEEP=1 python -m pytest -m sweep tests/test_sweep.py -s

Without ``HOTWRAP_SWEEP=1`` the sweep tests are skipped, so the default test run
never downloads anything (the tests of the AST comparator at the end of this
file always run: they need no download).  Wheels (or sdists) are fetched with ``pip download``
into ``benchmarks/.cache`` (git-ignored) by the helpers of
``benchmarks/lint_bench.py`` and unpacked once; a package that cannot be
downloaded is skipped with a message.

For every package, on a copy of its tree, with a fresh index cache:

1. flake8 with the plugin (``--select HWR -j 2``) exits 0 or 1 and its stderr
   (``-v``, so the plugin's own "internal error" log records are shown) holds no
   traceback, no "internal error" and no "critical error".  flake8 is run on the
   files holding ``wraps``/``update_wrapper``/``method_decorator`` (the plugin
   returns before any analysis on every other file, and the project index it
   builds covers the whole tree either way); ``HOTWRAP_SWEEP_FULL_FLAKE8=1`` runs
   it on the whole tree instead (pycodestyle then dominates the time).
2. ``python -m flake8_hotwrap.fix --all --unsafe-fixes -v -j 2 .`` rewrites what
   it can.  Exit 0/1, or 2 only for files that do not compile on this interpreter
   to begin with; no "not found" sites (linter/fixer disagreement).
3. Exactly the files it names ("Rewriting ...") changed; each compiles; and its
   ``ast`` equals the original's once both are normalised (see
   :func:`normalise`): every reported site in the original becomes a marker
   call ``__hotwrap_site__(wrapper, wrapped)`` (plus the ``return``/assignment
   of the wrapper for the statement forms), every emitted attribute block in
   the fixed file -- checked attribute by attribute, including the version
   guards expected for this interpreter -- becomes the same marker, and the
   import bookkeeping the fixer may do (dropping an import of the wraps name
   that is no longer referenced, adding ``import sys``) is factored out.
   Anything else that differs anywhere in the module fails the test.
4. A second ``--all --unsafe-fixes`` run changes nothing and applies nothing.
5. ``python -m flake8_hotwrap.fix --check`` (handler sites, safe fixes) exits 0,
   and flake8 on the fixed copy reports HWR001/HWR002 (and HWR003 for wraps
   sites) only where the second run says "cannot fix".

The last test prints the table (package, files, findings, sites rewritten,
unsafe/unfixable by reason, seconds) and writes it to
``benchmarks/.cache/sweep/latest.txt`` (and ``latest.json``).
"""
from __future__ import annotations

import ast
import copy
import difflib
import hashlib
import importlib.util
import json
import os
import re
import shutil
import subprocess
import symtable
import sys
import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Dict, Iterable, List, Optional, Sequence, Set, Tuple

import pytest

REPO = Path(__file__).resolve().parents[1]
#: Downloads and unpacked trees (``HOTWRAP_SWEEP_CACHE`` overrides, e.g. to time a cold run).
CACHE = Path(os.environ.get("HOTWRAP_SWEEP_CACHE") or REPO / "benchmarks" / ".cache")
ENABLED = os.environ.get("HOTWRAP_SWEEP") == "1"
FULL_FLAKE8 = os.environ.get("HOTWRAP_SWEEP_FULL_FLAKE8") == "1"

#: The sweep tests (the comparator's own tests at the end of the file always run).
sweep = pytest.mark.skipif(not ENABLED, reason="real-code sweep: set HOTWRAP_SWEEP=1 to run")

#: Pinned releases of real services (wheels, else sdists), ~10,800 .py files in all.
PACKAGES: Tuple[str, ...] = (
    "homeassistant==2024.3.3",
    "Django==5.0.3",
    "apache-superset==3.1.1",
    "apache-airflow==2.8.3",
    "mlflow-skinny==2.11.1",
    "inference-core==1.8.3",
    "label-studio==1.11.0",
    "jupyter-server==2.13.0",
    "open-webui==0.3.10",
    "Flask-AppBuilder==4.4.1",
    "datasette==0.64.6",
)
MIN_PACKAGES = 10
MIN_FILES = 10_000
MARKERS = (b"wraps", b"update_wrapper", b"method_decorator")
CRASH_SIGNS = ("Traceback (most recent call last)", "internal error", "critical error",
               "PluginExecutionFailed", "analysis failed")
SITE_LINE = re.compile(r"^(?P<path>.+?):(?P<line>\d+):(?P<col>\d+): (?P<msg>.*)$")
FLAKE8_LINE = re.compile(r"^\.?/?(?P<path>[^:]+):(?P<line>\d+):(?P<col>\d+): "
                         r"(?P<code>HWR\d{3}) (?P<msg>.*)$")
MARKER_NAME = "__hotwrap_site__"


# --------------------------------------------------------------------------- downloads

def _lint_bench() -> ModuleType:
    """benchmarks/lint_bench.py, for its pinned download/unpack helpers."""
    spec = importlib.util.spec_from_file_location("hotwrap_lint_bench",
                                                  REPO / "benchmarks" / "lint_bench.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


# --------------------------------------------------------------------------- results

@dataclass
class Row:
    package: str
    files: int = 0
    findings: Dict[str, int] = field(default_factory=dict)
    files_rewritten: int = 0
    fixed: int = 0
    fixed_unsafe: int = 0
    unsafe_reasons: Dict[str, int] = field(default_factory=dict)
    unfixable_reasons: Dict[str, int] = field(default_factory=dict)
    not_compiling: int = 0
    seconds: float = 0.0
    steps: Dict[str, float] = field(default_factory=dict)
    status: str = "ok"


ROWS: Dict[str, Row] = {}
SKIPPED: Dict[str, str] = {}


# --------------------------------------------------------------------------- processes

def _env(cache_dir: Path) -> Dict[str, str]:
    env = dict(os.environ)
    env["FLAKE8_HOTWRAP_CACHE_DIR"] = str(cache_dir)
    env.pop("PYTHONPATH", None)
    return env


def _run(cmd: Sequence[str], cwd: Path, env: Dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(list(cmd), cwd=cwd, env=env, capture_output=True, text=True,
                          errors="replace")


def _flake8_cmd() -> List[str]:
    script = Path(sys.executable).parent / ("flake8.exe" if os.name == "nt" else "flake8")
    # The console script, not ``-m flake8``: the latter puts the (copied) tree on sys.path.
    return [str(script)] if script.exists() else [sys.executable, "-m", "flake8"]


def _fix_cmd(*args: str) -> List[str]:
    return [sys.executable, "-I", "-m", "flake8_hotwrap.fix", *args]


def _crash_lines(stderr: str) -> List[str]:
    return [ln for ln in stderr.splitlines() if any(s in ln for s in CRASH_SIGNS)]


def _tail(text: str, n: int = 40) -> str:
    return "\n".join(text.splitlines()[-n:])


# --------------------------------------------------------------------------- trees

def _digests(root: Path) -> Dict[str, str]:
    out = {}
    for p in root.rglob("*.py"):
        if p.is_file():
            out[p.relative_to(root).as_posix()] = hashlib.sha256(p.read_bytes()).hexdigest()
    return out


def _marker_files(root: Path) -> List[str]:
    out = []
    for p in sorted(root.rglob("*.py")):
        if p.is_file():
            data = p.read_bytes()
            if any(m in data for m in MARKERS):
                out.append(p.relative_to(root).as_posix())
    return out


def _compiles(data: bytes, name: str) -> bool:
    try:
        compile(data, name, "exec", dont_inherit=True)
        return True
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return False


# --------------------------------------------------------------------------- fixer output

@dataclass
class FixOutput:
    sites: Dict[str, List[Tuple[int, int, str, str]]]  # path -> (line, col1, status, reason)
    rewritten: Set[str]
    errors: Dict[str, str]
    other: List[str]


def _parse_fix_stderr(stderr: str) -> FixOutput:
    out = FixOutput({}, set(), {}, [])
    for raw in stderr.splitlines():
        line = raw.rstrip()
        if not line or line.startswith("flake8-hotwrap-fix: "):
            continue
        if line.startswith(("Rewriting ", "Would rewrite ")):
            out.rewritten.add(line.split(" ", 2)[-1] if line.startswith("Would")
                              else line[len("Rewriting "):])
            continue
        m = SITE_LINE.match(line)
        if m:
            msg = m["msg"]
            for prefix, status in (("fixed", "fixed"), ("applied unsafe fix: ", "fixed-unsafe"),
                                   ("cannot fix: ", "unfixable"),
                                   ("unsafe fix not applied: ", "skipped-unsafe")):
                if msg == prefix or (prefix.endswith(": ") and msg.startswith(prefix)):
                    reason = msg[len(prefix):] if prefix.endswith(": ") else ""
                    if status == "skipped-unsafe":
                        reason = reason.replace(" (use --unsafe-fixes)", "")
                    out.sites.setdefault(m["path"], []).append(
                        (int(m["line"]), int(m["col"]), status, reason))
                    break
            else:
                out.other.append(line)
            continue
        path, sep, rest = line.partition(": ")
        if sep and rest.startswith("error: "):
            out.errors[path] = rest[len("error: "):]
        elif sep and rest.startswith("nothing to rewrite"):
            continue
        else:
            out.other.append(line)
    return out


def _reason_key(reason: str) -> str:
    """A reason with the names taken out, so that reasons can be counted."""
    return re.sub(r"'[^']*'", "'…'", reason)


# --------------------------------------------------------------------------- ast comparison

def _lines(text: str) -> List[str]:
    return re.split(r"\r\n|\r|\n", text)


def _decode(data: bytes) -> str:
    return importlib.util.decode_source(data)


def _byte_col(lines: List[str], line: int, char_col: int) -> int:
    return len(lines[line - 1][:char_col].encode("utf-8"))


def _call_args(call: ast.Call, names: Sequence[str]) -> Optional[List[ast.expr]]:
    values: Dict[str, ast.expr] = {}
    for name, arg in zip(names, call.args):
        values[name] = arg
    for kw in call.keywords:
        if kw.arg in names and kw.arg not in values:
            values[kw.arg] = kw.value
    if len(call.args) > len(names) or len(values) != len(names):
        return None
    return [values[n] for n in names]


def _marker(wrapper: ast.expr, wrapped: ast.expr) -> ast.stmt:
    def load(e: ast.expr) -> ast.expr:
        e = copy.deepcopy(e)
        for n in ast.walk(e):
            if hasattr(n, "ctx"):
                n.ctx = ast.Load()  # type: ignore[attr-defined]
        return e

    return ast.Expr(ast.Call(ast.Name(MARKER_NAME, ast.Load()),
                             [load(wrapper), load(wrapped)], []))


STMT_LISTS = ("body", "orelse", "finalbody")


def _map_bodies(node: ast.AST, fn) -> None:  # fn: (stmt) -> List[stmt]
    """Rebuild every statement list under ``node`` (depth first) with ``fn``."""
    for child in ast.iter_child_nodes(node):
        _map_bodies(child, fn)
    for name in STMT_LISTS:
        stmts = getattr(node, name, None)
        if isinstance(stmts, list) and (not stmts or isinstance(stmts[0], ast.stmt)):
            setattr(node, name, fn(stmts))


class _SiteReplacer:
    """Original module: each reported site -> marker (+ the statement's remainder)."""

    def __init__(self, sites: Set[Tuple[int, int]]) -> None:
        self.sites = sites  # (line, byte col) of the wraps/update_wrapper Call
        self.used: Set[Tuple[int, int]] = set()

    def _at(self, node: ast.AST) -> bool:
        key = (getattr(node, "lineno", -1), getattr(node, "col_offset", -1))
        if key in self.sites:
            self.used.add(key)
            return True
        return False

    def __call__(self, stmts: List[ast.stmt]) -> List[ast.stmt]:
        out: List[ast.stmt] = []
        for s in stmts:
            out.extend(self._one(s))
        return out

    def _one(self, s: ast.stmt) -> List[ast.stmt]:
        if isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef)) and s.decorator_list:
            dec = s.decorator_list[0]
            if isinstance(dec, ast.Call) and self._at(dec):
                args = _call_args(dec, ("wrapped",))
                assert args is not None, f"line {s.lineno}: unexpected @wraps arguments"
                s.decorator_list = s.decorator_list[1:]
                return [s, _marker(ast.Name(s.name, ast.Load()), args[0])]
        value = getattr(s, "value", None)
        if isinstance(s, (ast.Expr, ast.Return, ast.Assign)) and isinstance(value, ast.Call):
            pair: Optional[List[ast.expr]] = None
            if isinstance(value.func, ast.Call) and self._at(value.func):  # wraps(f)(w)
                wrapped = _call_args(value.func, ("wrapped",))
                assert wrapped is not None and len(value.args) == 1, ast.dump(value)
                pair = [value.args[0], wrapped[0]]
            elif self._at(value):  # update_wrapper(w, f)
                pair = _call_args(value, ("wrapper", "wrapped"))
                assert pair is not None, ast.dump(value)
            if pair is not None:
                rest: List[ast.stmt] = []
                if isinstance(s, ast.Return):
                    rest = [ast.Return(pair[0])]
                elif isinstance(s, ast.Assign):
                    rest = [ast.Assign(s.targets, pair[0], s.type_comment)]
                return [_marker(pair[0], pair[1]), *rest]
        return [s]


def _attr_copy(s: ast.stmt, attr: str) -> Optional[Tuple[str, str]]:
    """``W.attr = F.attr`` -> (dump(W), dump(F))."""
    if (isinstance(s, ast.Assign) and len(s.targets) == 1
            and isinstance(s.targets[0], ast.Attribute) and s.targets[0].attr == attr
            and isinstance(s.value, ast.Attribute) and s.value.attr == attr):
        return _dump_load(s.targets[0].value), _dump_load(s.value.value)
    return None


def _dump_load(e: ast.expr) -> str:
    return ast.dump(_marker(e, e))


def _version_guard(s: ast.stmt, minor: int) -> bool:
    """``if sys.version_info >= (3, minor):``"""
    if not isinstance(s, ast.If):
        return False
    t = s.test
    return (isinstance(t, ast.Compare) and len(t.ops) == 1 and isinstance(t.ops[0], ast.GtE)
            and ast.dump(t.left) == ast.dump(ast.Attribute(ast.Name("sys", ast.Load()),
                                                           "version_info", ast.Load()))
            and isinstance(t.comparators[0], ast.Tuple)
            and [getattr(e, "value", None) for e in t.comparators[0].elts] == [3, minor])


def _block_at(stmts: List[ast.stmt], i: int) -> Optional[Tuple[int, ast.stmt]]:
    """The attribute block the fixer emits, starting at ``stmts[i]``: (length, marker).

    The expected spelling is derived here, independently of the fixer: the target
    is this interpreter's version and newer (the swept trees declare none), so the
    ``__annotate__``/``__annotations__`` choice is guarded below 3.14 and the
    ``__type_params__`` copy is guarded below 3.12.
    """
    first = _attr_copy(stmts[i], "__module__")
    if first is None:
        return None
    w, f = first
    j = i + 1

    def take(attr: str) -> bool:
        nonlocal j
        if j < len(stmts) and _attr_copy(stmts[j], attr) == (w, f):
            j += 1
            return True
        return False

    if not (take("__name__") and take("__qualname__") and take("__doc__")):
        return None
    here = sys.version_info[:2]
    if here >= (3, 14):
        if not take("__annotate__"):
            return None
    else:
        g = stmts[j] if j < len(stmts) else None
        if not (g is not None and _version_guard(g, 14) and len(g.body) == 1
                and len(g.orelse) == 1 and _attr_copy(g.body[0], "__annotate__") == (w, f)
                and _attr_copy(g.orelse[0], "__annotations__") == (w, f)):
            return None
        j += 1
    if here >= (3, 12):
        if not take("__type_params__"):
            return None
    else:
        g = stmts[j] if j < len(stmts) else None
        if not (g is not None and _version_guard(g, 12) and len(g.body) == 1
                and not g.orelse and _attr_copy(g.body[0], "__type_params__") == (w, f)):
            return None
        j += 1
    # W.__dict__.update(F.__dict__)
    s = stmts[j] if j < len(stmts) else None
    if not (isinstance(s, ast.Expr) and isinstance(s.value, ast.Call)
            and isinstance(s.value.func, ast.Attribute) and s.value.func.attr == "update"
            and isinstance(s.value.func.value, ast.Attribute)
            and s.value.func.value.attr == "__dict__"
            and _dump_load(s.value.func.value.value) == w
            and len(s.value.args) == 1 and not s.value.keywords
            and isinstance(s.value.args[0], ast.Attribute)
            and s.value.args[0].attr == "__dict__"
            and _dump_load(s.value.args[0].value) == f):
        return None
    j += 1
    # setattr(W, "__wrapped__", F)
    s = stmts[j] if j < len(stmts) else None
    if not (isinstance(s, ast.Expr) and isinstance(s.value, ast.Call)
            and isinstance(s.value.func, ast.Name) and s.value.func.id == "setattr"
            and len(s.value.args) == 3 and not s.value.keywords
            and _dump_load(s.value.args[0]) == w
            and isinstance(s.value.args[1], ast.Constant)
            and s.value.args[1].value == "__wrapped__"
            and _dump_load(s.value.args[2]) == f):
        return None
    j += 1
    assert isinstance(stmts[i], ast.Assign)
    target = stmts[i].targets[0]
    value = stmts[i].value
    assert isinstance(target, ast.Attribute) and isinstance(value, ast.Attribute)
    return j - i, _marker(target.value, value.value)


def _blocks_to_markers(counter: List[int]):
    def fn(stmts: List[ast.stmt]) -> List[ast.stmt]:
        out: List[ast.stmt] = []
        i = 0
        while i < len(stmts):
            found = _block_at(stmts, i)
            if found is None:
                out.append(stmts[i])
                i += 1
            else:
                out.append(found[1])
                counter[0] += 1
                i += found[0]
        return out
    return fn


def _bound(alias: ast.alias, from_import: bool) -> str:
    return alias.asname or (alias.name if from_import else alias.name.split(".")[0])


def _strip_imports(tree: ast.Module, names: Set[str]) -> None:
    """Drop import aliases binding ``names`` and every ``import sys``; then ``pass``."""
    def fn(stmts: List[ast.stmt]) -> List[ast.stmt]:
        out: List[ast.stmt] = []
        for s in stmts:
            if isinstance(s, (ast.Import, ast.ImportFrom)):
                frm = isinstance(s, ast.ImportFrom)
                keep = [a for a in s.names if _bound(a, frm) not in names
                        and not (not frm and a.name == "sys" and a.asname is None)]
                if not keep:
                    continue
                s.names = keep
            if isinstance(s, ast.Pass):
                continue
            out.append(s)
        return out
    _map_bodies(tree, fn)


def _import_sys_count(tree: ast.Module) -> int:
    return sum(1 for n in ast.walk(tree) if isinstance(n, ast.Import)
               for a in n.names if a.name == "sys" and a.asname is None)


def _referenced(tree: ast.Module) -> Set[str]:
    return {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}


def _global_refs(source: str, name: str) -> Set[str]:
    """Names whose references (anywhere in the module) resolve to module-level bindings."""
    out: Set[str] = set()
    stack = [symtable.symtable(source, name, "exec")]
    while stack:
        table = stack.pop()
        module = table.get_type() == "module"
        for sym in table.get_symbols():
            if sym.is_referenced() and (module or sym.is_global()):
                out.add(sym.get_name())
        stack.extend(table.get_children())
    return out


def _still_needed(otree: ast.Module, fixed: bytes, name: str) -> Set[str]:
    """Names the fixed module still reads through an import binding.

    For a name imported only at module level, a scope-aware answer (``symtable``):
    a local function that happens to be called ``wraps`` does not need the import.
    Otherwise, conservatively, every name read anywhere.
    """
    ftree = ast.parse(fixed, name)
    everywhere = _referenced(ftree)
    nested_imports = {_bound(a, isinstance(n, ast.ImportFrom))
                      for n in ast.walk(otree) if isinstance(n, (ast.Import, ast.ImportFrom))
                      and n not in otree.body for a in n.names}
    module_level = _global_refs(_decode(fixed), name)
    return {n for n in everywhere if n in nested_imports or n in module_level}


def _site_binding(call: ast.expr) -> Optional[str]:
    """The name a wraps/update_wrapper call is spelled through (``wraps``, ``functools``)."""
    func = call.func if isinstance(call, ast.Call) else None
    while isinstance(func, ast.Attribute):
        func = func.value
    return func.id if isinstance(func, ast.Name) else None


def compare_fixed(original: bytes, fixed: bytes, fixed_sites: Iterable[Tuple[int, int]],
                  name: str) -> Optional[str]:
    """None when ``fixed`` is ``original`` with exactly ``fixed_sites`` rewritten."""
    otext = _decode(original)
    olines = _lines(otext)
    sites = {(line, _byte_col(olines, line, col1 - 1)) for line, col1 in fixed_sites}
    try:
        otree = ast.parse(original, name)
        ftree = ast.parse(fixed, name)
    except SyntaxError as exc:
        return f"does not parse: {exc}"
    # Which names did the sites call through (candidates for import removal)?
    bindings = {b for n in ast.walk(otree) if isinstance(n, ast.Call)
                and (n.lineno, n.col_offset) in sites for b in [_site_binding(n)] if b}
    replacer = _SiteReplacer(sites)
    _map_bodies(otree, replacer)
    if replacer.used != sites:
        return f"reported sites not found in the original: {sorted(sites - replacer.used)}"
    n_orig, n_fixed = [0], [0]
    _map_bodies(otree, _blocks_to_markers(n_orig))
    _map_bodies(ftree, _blocks_to_markers(n_fixed))
    if n_fixed[0] != n_orig[0] + len(sites):
        return (f"{len(sites)} site(s) reported fixed, {n_fixed[0] - n_orig[0]} emitted "
                "attribute block(s) found")
    s_orig, s_fixed = _import_sys_count(otree), _import_sys_count(ftree)
    if not s_orig <= s_fixed <= s_orig + 1:
        return f"'import sys' count went from {s_orig} to {s_fixed}"
    removable = bindings - _still_needed(otree, fixed, name)
    _strip_imports(otree, removable)
    _strip_imports(ftree, removable)
    a, b = ast.dump(otree, indent=1), ast.dump(ftree, indent=1)
    if a == b:
        return None
    diff = difflib.unified_diff(a.splitlines(), b.splitlines(), "original (normalised)",
                                "fixed (normalised)", lineterm="", n=2)
    return "ast differs outside the rewritten sites:\n" + "\n".join(list(diff)[:60])


# --------------------------------------------------------------------------- the sweep

@pytest.fixture(scope="module")
def lint_bench() -> ModuleType:
    return _lint_bench()


@pytest.mark.sweep
@sweep
@pytest.mark.parametrize("spec", PACKAGES)
def test_sweep_package(spec: str, lint_bench: ModuleType, tmp_path: Path) -> None:
    start = time.perf_counter()
    row = Row(spec)
    steps = row.steps

    def step(label: str, t0: float) -> float:
        now = time.perf_counter()
        steps[label] = round(now - t0, 2)
        return now

    t = time.perf_counter()
    tree = lint_bench.fetch_tree(spec, CACHE)
    if tree is None:
        SKIPPED[spec] = "not downloadable"
        pytest.skip(f"{spec}: not downloadable from the package index")
    t = step("download", t)
    ROWS[spec] = row
    row.status = "FAILED"
    try:
        _sweep(row, tree.root, tmp_path, t, step)
        row.status = "ok"
    finally:
        row.seconds = round(time.perf_counter() - start, 1)


def _sweep(row: Row, root: Path, tmp_path: Path, t: float, step) -> None:
    work = tmp_path / "tree"
    shutil.copytree(root, work, symlinks=True)
    before = _digests(work)
    originals = {rel: (work / rel).read_bytes() for rel in _marker_files(work)}
    row.files = len(before)
    t = step("copy", t)

    # 1. flake8 with the plugin -----------------------------------------------------
    targets = ["."] if FULL_FLAKE8 else sorted(originals)
    proc = _run([*_flake8_cmd(), "-v", "-j", "2", "--select", "HWR", *targets], work,
                _env(tmp_path / "cache-lint"))
    assert proc.returncode in (0, 1), f"flake8 exited {proc.returncode}:\n{_tail(proc.stderr)}"
    assert not _crash_lines(proc.stderr), "\n".join(_crash_lines(proc.stderr)[:20])
    lint_before = [m for m in map(FLAKE8_LINE.match, proc.stdout.splitlines()) if m]
    assert len(lint_before) == len(proc.stdout.splitlines()), _tail(proc.stdout)
    row.findings = dict(sorted(Counter(m["code"] for m in lint_before).items()))
    t = step("flake8", t)

    # 2. fixer, everything it can ------------------------------------------------------
    fix_env = _env(tmp_path / "cache-fix")
    proc = _run(_fix_cmd("--all", "--unsafe-fixes", "-v", "-j", "2", "."), work, fix_env)
    out = _parse_fix_stderr(proc.stderr)
    assert not _crash_lines(proc.stderr), "\n".join(_crash_lines(proc.stderr)[:20])
    assert not out.other, "unexpected fixer output:\n" + "\n".join(out.other[:20])
    # Errors are excused only for files that do not compile here to begin with.
    not_compiling = {rel for rel in out.errors
                     if rel in before and not _compiles((work / rel).read_bytes(), rel)}
    row.not_compiling = len(not_compiling)
    bad_errors = {p: e for p, e in out.errors.items() if p not in not_compiling}
    assert not bad_errors, f"fixer errors on files that compile: {bad_errors}"
    assert proc.returncode in ((0, 1) if not out.errors else (2,)), _tail(proc.stderr)
    t = step("fix", t)

    results = [(p, *s) for p, sites in out.sites.items() for s in sites]
    not_found = [r for r in results if r[4].startswith("no wraps/update_wrapper call")]
    assert not not_found, f"sites the index reports but the rewriter cannot find: {not_found}"
    row.fixed = sum(1 for r in results if r[3] == "fixed")
    row.fixed_unsafe = sum(1 for r in results if r[3] == "fixed-unsafe")
    row.unsafe_reasons = dict(Counter(_reason_key(r[4]) for r in results
                                      if r[3] == "fixed-unsafe").most_common())
    row.unfixable_reasons = dict(Counter(_reason_key(r[4]) for r in results
                                         if r[3] == "unfixable").most_common())
    assert not [r for r in results if r[3] == "skipped-unsafe"], "--unsafe-fixes skipped a fix"

    # 3. exactly the named files changed, and only at the sites --------------------------
    after = _digests(work)
    assert set(after) == set(before), "files appeared or disappeared"
    changed = {rel for rel in before if before[rel] != after[rel]}
    assert changed == out.rewritten, (sorted(changed ^ out.rewritten)[:20])
    row.files_rewritten = len(changed)
    problems = []
    for rel in sorted(changed):
        new = (work / rel).read_bytes()
        if not _compiles(new, rel):
            problems.append(f"{rel}: does not compile after the rewrite")
            continue
        applied = [(ln, col) for ln, col, status, _ in out.sites.get(rel, ())
                   if status in ("fixed", "fixed-unsafe")]
        why = compare_fixed(originals[rel], new, applied, rel)
        if why:
            problems.append(f"{rel}: {why}")
    assert not problems, "\n".join(problems[:10])
    t = step("verify", t)

    # 4. a second run changes nothing ----------------------------------------------------
    proc = _run(_fix_cmd("--all", "--unsafe-fixes", "-v", "-j", "2", "."), work, fix_env)
    again = _parse_fix_stderr(proc.stderr)
    assert not _crash_lines(proc.stderr), "\n".join(_crash_lines(proc.stderr)[:20])
    assert not again.other and not again.rewritten, _tail(proc.stderr)
    applied_again = [(p, s) for p, ss in again.sites.items() for s in ss if s[2] != "unfixable"]
    assert not applied_again, f"second run applied fixes: {applied_again[:10]}"
    assert proc.returncode == (2 if again.errors else 0), _tail(proc.stderr)
    assert set(again.errors) <= not_compiling
    assert _digests(work) == after, "the second run changed files"
    unfixable_after = {(p, s[0]) for p, ss in again.sites.items() for s in ss}
    t = step("fix again", t)

    # 5. nothing safely fixable is left ----------------------------------------------------
    proc = _run(_fix_cmd("--check", "-j", "2", "."), work, fix_env)
    check = _parse_fix_stderr(proc.stderr)
    assert not check.rewritten and not _crash_lines(proc.stderr), _tail(proc.stderr)
    assert proc.returncode == (2 if check.errors else 0), _tail(proc.stderr)
    targets = ["."] if FULL_FLAKE8 else sorted(set(_marker_files(work)) | changed)
    proc = _run([*_flake8_cmd(), "-v", "-j", "2", "--select", "HWR", *targets], work,
                _env(tmp_path / "cache-lint-after"))
    assert proc.returncode in (0, 1), f"flake8 exited {proc.returncode}:\n{_tail(proc.stderr)}"
    assert not _crash_lines(proc.stderr), "\n".join(_crash_lines(proc.stderr)[:20])
    left = [m for m in map(FLAKE8_LINE.match, proc.stdout.splitlines()) if m]
    fixable_left = [m.group(0) for m in left
                    if "method_decorator re-wraps" not in m["msg"]
                    and (m["path"], int(m["line"])) not in unfixable_after]
    assert not fixable_left, "linter reports sites the fixer did not call unfixable:\n" + \
        "\n".join(fixable_left[:10])
    step("check", t)


def _fmt_reasons(reasons: Dict[str, int]) -> str:
    return "; ".join(f"{n}x {r}" for r, n in reasons.items()) or "-"


def format_table(rows: Sequence[Row]) -> str:
    headers = ("package", "files", "findings", "rewritten (files/sites)", "unsafe applied",
               "unfixable", "seconds", "status")
    body = []
    for r in rows:
        findings = " ".join(f"{c}:{n}" for c, n in r.findings.items()) or "0"
        body.append((r.package, str(r.files), findings,
                     f"{r.files_rewritten}/{r.fixed + r.fixed_unsafe}",
                     str(r.fixed_unsafe), str(sum(r.unfixable_reasons.values())),
                     f"{r.seconds:.1f}", r.status))
    widths = [max(len(h), *(len(b[i]) for b in body)) if body else len(h)
              for i, h in enumerate(headers)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(headers, widths))]
    lines.append("-" * len(lines[0]))
    for b in body:
        lines.append("  ".join(c.ljust(w) for c, w in zip(b, widths)))
    total_files = sum(r.files for r in rows)
    lines.append(f"total: {len(rows)} packages, {total_files} .py files, "
                 f"{sum(r.files_rewritten for r in rows)} files / "
                 f"{sum(r.fixed + r.fixed_unsafe for r in rows)} sites rewritten, "
                 f"{sum(r.seconds for r in rows):.0f} s")
    lines.append("")
    lines.append("unsafe fixes applied (--unsafe-fixes) and unfixable sites, by reason:")
    for r in rows:
        if r.unsafe_reasons or r.unfixable_reasons:
            lines.append(f"  {r.package}")
            for reason, n in r.unsafe_reasons.items():
                lines.append(f"    unsafe     {n:4d}  {reason}")
            for reason, n in r.unfixable_reasons.items():
                lines.append(f"    unfixable  {n:4d}  {reason}")
    notc = [f"{r.package}: {r.not_compiling}" for r in rows if r.not_compiling]
    if notc:
        lines.append(f"files that do not compile on Python {sys.version.split()[0]} "
                     f"(left alone): {', '.join(notc)}")
    for spec, why in SKIPPED.items():
        lines.append(f"skipped {spec}: {why}")
    return "\n".join(lines)


@pytest.mark.sweep
@sweep
def test_sweep_table(capsys: pytest.CaptureFixture[str]) -> None:
    """Runs last: prints and stores the table, and checks the sweep's size."""
    rows = [ROWS[s] for s in PACKAGES if s in ROWS]
    if not rows:
        pytest.skip("no package was swept")
    table = format_table(rows)
    out_dir = CACHE / "sweep"
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "latest.txt").write_text(table + "\n")
    (out_dir / "latest.json").write_text(json.dumps(
        {"python": sys.version.split()[0], "rows": [asdict(r) for r in rows],
         "skipped": SKIPPED}, indent=2) + "\n")
    with capsys.disabled():
        print("\n" + table)
    if len(rows) == len(PACKAGES):  # everything downloadable: the sweep is big enough
        assert len(rows) >= MIN_PACKAGES
        assert sum(r.files for r in rows) > MIN_FILES


# --------------------------------------------------------------------------- the comparator
# These run in every test run (no download): the sweep's verdicts are only as good as
# compare_fixed, so it must accept the fixer's real output and reject any other change.

SAMPLE = '''\
"""A module with every rewritable form."""
import functools
from functools import partial, update_wrapper, wraps


def deco(f):
    @wraps(f)  # the decorator form
    def inner(*a, **k):
        return f(*a, **k)
    return inner


def by_call(f):
    def inner(*a, **k):
        return f(*a, **k)
    update_wrapper(inner, f)
    return inner


def returned(f):
    def inner(*a, **k):
        return f(*a, **k)
    return functools.wraps(f)(inner)


def assigned(f):
    def inner(*a, **k):
        return f(*a, **k)
    result = update_wrapper(wrapper=inner, wrapped=f)
    return result


class Meter:
    def __init__(self, f):
        self.f = f

    def __call__(self, g):
        @wraps(g)
        def inner(*a):
            return g(*a)
        return inner


x = partial(print, "unrelated")
'''


def _fixed_sample() -> Tuple[bytes, bytes, List[Tuple[int, int]]]:
    from flake8_hotwrap.rewrite import find_wraps_calls, rewrite_source
    from flake8_hotwrap.targets import running_interpreter

    src = SAMPLE.encode()
    sites = find_wraps_calls(src)
    result = rewrite_source(src, sites, target=running_interpreter(), unsafe=True)
    assert result.changed and all(r.applied for r in result.sites)
    return src, result.source, [(line, col + 1) for line, col in sites]


def test_compare_accepts_the_fixers_output() -> None:
    src, fixed, sites = _fixed_sample()
    assert len(sites) == 5
    assert compare_fixed(src, fixed, sites, "sample.py") is None
    assert compare_fixed(src, src, [], "sample.py") is None


@pytest.mark.parametrize("old, new", [
    ('"unrelated"', '"changed"'),  # a change outside the sites
    ("    inner.__dict__.update(f.__dict__)\n", ""),  # an attribute left out
    ("(3, 14)", "(3, 13)"),  # the wrong version guard
    ('setattr(inner, "__wrapped__", f)', 'setattr(inner, "__wrapped__", inner)'),
    ("from functools import partial", "from functools import reduce"),  # import bookkeeping
    ("    return result\n", "    return inner\n"),
])
def test_compare_rejects_other_changes(old: str, new: str) -> None:
    src, fixed, sites = _fixed_sample()
    text = fixed.decode()
    assert old in text
    tampered = text.replace(old, new, 1).encode()
    assert compare_fixed(src, tampered, sites, "sample.py") is not None


def test_compare_rejects_unreported_or_missing_sites() -> None:
    src, fixed, sites = _fixed_sample()
    assert compare_fixed(src, fixed, sites[1:], "sample.py") is not None  # one unreported
    assert compare_fixed(src, src, sites[:1], "sample.py") is not None  # reported, not done


def test_compare_handles_non_ascii_columns() -> None:
    from flake8_hotwrap.rewrite import find_wraps_calls, rewrite_source
    from flake8_hotwrap.targets import running_interpreter

    src = ("from functools import update_wrapper\n"
           "def d(f):\n"
           "    def w(): pass\n"
           "    ü = 1; update_wrapper(w, f)\n").encode()
    # ';' makes it unfixable: the site must stay, and comparing with no sites passes.
    sites = find_wraps_calls(src)
    result = rewrite_source(src, sites, target=running_interpreter(), unsafe=True)
    assert not result.changed
    assert compare_fixed(src, src, [], "u.py") is None
    assert _byte_col(["    ü = 1; x"], 1, 11) == 12


SHADOWED = '''\
import functools
from functools import wraps


def has_access(f):
    def wraps(self, *args):  # a local function that happens to be called wraps
        return f(self, *args)
    return functools.update_wrapper(wraps, f)


def deco(f):
    @wraps(f)
    def inner(*a):
        return f(*a)
    return inner
'''


def test_compare_is_scope_aware_about_removed_imports() -> None:
    from flake8_hotwrap.rewrite import find_wraps_calls, rewrite_source
    from flake8_hotwrap.targets import running_interpreter

    src = SHADOWED.encode()
    sites = find_wraps_calls(src)
    result = rewrite_source(src, sites, target=running_interpreter())
    fixed = result.source.decode()
    assert "from functools import wraps" not in fixed  # only the local 'wraps' is left
    reported = [(line, col + 1) for line, col in sites]
    assert compare_fixed(src, result.source, reported, "s.py") is None
    # Removing an import that is still read at module level is caught.
    still_used = SHADOWED + "ALIAS = wraps\n"
    result = rewrite_source(still_used.encode(), sites, target=running_interpreter())
    assert "from functools import wraps" in result.source.decode()
    assert compare_fixed(still_used.encode(), result.source, reported, "s.py") is None
    broken = result.source.replace(b"from functools import wraps\n", b"")
    assert compare_fixed(still_used.encode(), broken, reported, "s.py") is not None
