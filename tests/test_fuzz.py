"""Property tests: the analysis never raises; the fixer never breaks or loses code.

Two sources of programs:

* hypothesmith: arbitrary syntactically valid Python (``from_grammar`` for the
  grammar, ``from_node`` for libcst-built trees), optionally with a wraps
  decorator appended so that the rewrite has something to do;
* :func:`modules`: decorator/handler modules built from the shapes the project
  supports -- every import spelling of ``wraps``/``update_wrapper``; plain,
  factory, callable-instance and class-based decorators; the statement forms of
  ``update_wrapper``; async wrappers; unsafe and unfixable variants; decorators
  nested in decorators; FastAPI/Flask/Django/aiohttp registrations in either
  stacking order; random indentation (spaces or tabs), comments, blank lines and
  line endings (LF, CRLF, mixed).

Properties (for every target-version range and with/without ``unsafe``):

* ``analyze_source`` never raises on a program ``ast`` accepts;
* the rewrite's output parses (libcst and ast) and compiles;
* it is idempotent: rewriting the output at its remaining wraps sites with the
  same options changes nothing, and no remaining site is safely fixable (so a
  linter run afterwards finds nothing the fixer would fix);
* nothing outside the rewritten sites changes: every non-blank line outside the
  site statements and import lines survives, in order, byte for byte; and the
  ``ast`` of the output equals the original's once the sites are normalised;
* on a real temporary project, ``python -m flake8_hotwrap.fix``'s engine
  (``fix.run``: project index + rewrite + atomic write) followed by a ``--check``
  run reports nothing left to rewrite.

Example counts depend on ``HOTWRAP_FUZZ_PROFILE``: ``ci`` (the default: 75 for
the analysis property and each of the three rewrite properties, 15 for each of
the three slow ones, 345 in all; a rewrite example costs several libcst parses
with scope metadata, ~0.3 s) or ``long`` (1,000 + 3 x 2,700 + 3 x 300 = 10,000)::

    HOTWRAP_FUZZ_PROFILE=long python -m pytest tests/test_fuzz.py -q --no-cov \
        --hypothesis-show-statistics

(properties are independent: ``-k`` splits the run across processes).
"""
from __future__ import annotations

import ast
import io
import os
import re
import tempfile
from pathlib import Path
from typing import Collection, Dict, List, Optional, Sequence, Set, Tuple

import hypothesmith
import libcst as cst
import pytest
from hypothesis import HealthCheck, Phase, assume, given, note, settings
from hypothesis import strategies as st

from flake8_hotwrap import fix, project
from flake8_hotwrap.analysis import analyze_source, source_lines
from flake8_hotwrap.rewrite import (
    RewriteError, RewriteResult, Site, Status, find_wraps_calls, rewrite_source,
)
from flake8_hotwrap.targets import TargetVersions, parse_target_version

# --------------------------------------------------------------------------- profiles

_COMMON = dict(
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                           HealthCheck.filter_too_much, HealthCheck.large_base_example,
                           HealthCheck.function_scoped_fixture],
    print_blob=True,
    database=None,  # keep .hypothesis/ out of the repository
    phases=[Phase.explicit, Phase.generate, Phase.target, Phase.shrink],  # no slow "explain"
)
#: examples per property by cost: analysis only (one property), rewrite (three; several
#: libcst parses with scope metadata each), slow (three: hypothesmith, on-disk projects)
_COUNTS = {"ci": {"analysis": 75, "rewrite": 75, "slow": 15},
           "long": {"analysis": 1_000, "rewrite": 2_700, "slow": 300}}
PROFILE = os.environ.get("HOTWRAP_FUZZ_PROFILE", "ci")
if PROFILE not in _COUNTS:
    raise RuntimeError(f"HOTWRAP_FUZZ_PROFILE must be one of {sorted(_COUNTS)}")
ANALYSIS, REWRITE, SLOW = (settings(max_examples=_COUNTS[PROFILE][tier], **_COMMON)
                           for tier in ("analysis", "rewrite", "slow"))

TARGETS = [parse_target_version(t) for t in ("3.9", "3.9-3.13", "3.12", "3.12-3.13", "3.14",
                                             "3.11-3.14")]

# --------------------------------------------------------------------------- checks


def compiles(source: bytes) -> None:
    cst.parse_module(source)
    compile(ast.parse(source), "<fuzz>", "exec", dont_inherit=True)


def _node_at(tree: ast.AST, line: int, col: int) -> Optional[ast.Call]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and node.lineno == line and node.col_offset == col:
            return node
    return None


def site_lines(source: bytes, sites: Collection[Site]) -> Set[int]:
    """Lines of the statements (or decorators) holding ``sites``, and of import statements."""
    text = source.decode("utf-8-sig")
    tree = ast.parse(text)
    lines = source_lines(text)
    spans: Set[int] = set()
    parents: Dict[int, ast.AST] = {}
    for node in ast.walk(tree):
        for child in ast.iter_child_nodes(node):
            parents[id(child)] = node
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            spans.update(range(node.lineno, (node.end_lineno or node.lineno) + 1))
            # Removing the now-unused import also removes the blank lines above it
            # (comments above it are kept: test_comment_above_removed_import_is_kept).
            above = node.lineno - 1
            while above >= 1 and not lines[above - 1].strip():
                spans.add(above)
                above -= 1
    for line, char_col in sites:
        byte_col = len(lines[line - 1][:char_col].encode())
        node: Optional[ast.AST] = _node_at(tree, line, byte_col)
        assert node is not None, (line, char_col)
        while node is not None and not isinstance(node, ast.stmt):
            parent = parents.get(id(node))
            if isinstance(parent, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and \
                    node in parent.decorator_list:
                break
            node = parent
        assert node is not None
        spans.update(range(node.lineno, (node.end_lineno or node.lineno) + 1))
    return spans


def assert_outside_unchanged(before: bytes, after: bytes, sites: Collection[Site]) -> None:
    """Every non-blank line outside the sites/imports survives, in order, byte for byte."""
    skip = site_lines(before, sites)
    bom = b"\xef\xbb\xbf"

    def lines(data: bytes) -> List[bytes]:  # the BOM moves to whatever line comes first
        return [ln[3:] if i == 0 and ln.startswith(bom) else ln
                for i, ln in enumerate(data.splitlines(keepends=True))]

    kept = [ln for i, ln in enumerate(lines(before), 1) if i not in skip and ln.strip()]
    out = iter(ln for ln in lines(after) if ln.strip())
    for ln in kept:
        for candidate in out:
            if candidate == ln:
                break
        else:
            raise AssertionError(f"line lost or changed outside the sites: {ln!r}")


_ATTR = re.compile(r"^__(module|name|qualname|doc|annotations|annotate|type_params)__$")


class _Normalise(ast.NodeTransformer):
    """Erase what a rewrite may change: imports, the sites, the emitted blocks."""

    def __init__(self, calls: Set[Tuple[int, int]]) -> None:
        self.calls = calls

    def _is_site(self, node: ast.expr) -> bool:
        return isinstance(node, ast.Call) and (node.lineno, node.col_offset) in self.calls

    def _site_call(self, node: Optional[ast.expr]) -> Optional[ast.expr]:
        """``update_wrapper(w, f)`` -> ``w``; ``wraps(f)(g)`` -> ``g``."""
        if node is None:
            return None
        if isinstance(node, ast.Call) and self._is_site(node.func):
            return node.args[0] if node.args else node.keywords[0].value
        if self._is_site(node):
            assert isinstance(node, ast.Call)
            args = [*node.args, *[k.value for k in node.keywords]]
            return args[0]
        return None

    def visit_Import(self, node: ast.AST) -> None:
        return None

    visit_ImportFrom = visit_Import

    def _body(self, body: List[ast.stmt]) -> List[ast.stmt]:
        out: List[ast.stmt] = []
        for stmt in body:
            if isinstance(stmt, ast.Expr) and self._site_call(stmt.value) is not None:
                continue
            if _emitted(stmt):
                continue
            if isinstance(stmt, (ast.Return, ast.Assign)):
                repl = self._site_call(stmt.value)
                if repl is not None:
                    stmt.value = repl
            new = self.visit(stmt)
            if new is not None:
                out.append(new)
        return out or [ast.Pass()]

    def generic_visit(self, node: ast.AST) -> ast.AST:
        for field in ("body", "orelse", "finalbody"):
            value = getattr(node, field, None)
            if isinstance(value, list) and value and isinstance(value[0], ast.stmt):
                setattr(node, field, self._body(value))
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            node.decorator_list = [d for d in node.decorator_list if not self._is_site(d)]
        for field, value in ast.iter_fields(node):
            if field in ("body", "orelse", "finalbody", "decorator_list"):
                continue
            if isinstance(value, ast.AST):
                setattr(node, field, self.visit(value))
            elif isinstance(value, list):
                setattr(node, field, [self.visit(v) if isinstance(v, ast.AST) else v
                                      for v in value])
        for handler in getattr(node, "handlers", []) or []:
            handler.body = self._body(handler.body)
        return node


def _emitted(stmt: ast.stmt) -> bool:
    """A statement of an emitted attribute block (see rewrite.attribute_statements)."""
    if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1:
        t, v = stmt.targets[0], stmt.value
        return (isinstance(t, ast.Attribute) and _ATTR.match(t.attr) is not None
                and isinstance(v, ast.Attribute) and v.attr == t.attr)
    if isinstance(stmt, ast.If) and "sys.version_info" in ast.unparse(stmt.test):
        return all(_emitted(s) for s in stmt.body + stmt.orelse)
    if isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call):
        code = ast.unparse(stmt.value)
        return bool(re.fullmatch(r"[\w.]+\.__dict__\.update\([\w.]+\.__dict__\)", code)
                    or re.fullmatch(r"setattr\([\w.]+, '__wrapped__', [\w.]+\)", code))
    return False


def normalised(source: bytes, sites: Collection[Site]) -> str:
    text = source.decode("utf-8-sig")
    tree = ast.parse(text)
    lines = source_lines(text)
    calls = {(ln, len(lines[ln - 1][:c].encode())) for ln, c in sites}
    return ast.dump(_Normalise(calls).visit(tree))


def check_rewrite(source: bytes, target: TargetVersions, unsafe: bool,
                  sites: Optional[Sequence[Site]] = None) -> RewriteResult:
    """All rewrite properties for one module; returns the first rewrite's result."""
    every = find_wraps_calls(source)
    sites = every if sites is None else sites
    try:
        result = rewrite_source(source, sites, target=target, unsafe=unsafe)
    except RewriteError as exc:
        # Refused, not rewritten: only when libcst itself cannot round-trip the input.
        if "cannot parse this file" in str(exc):
            assert "libcst" in str(exc)  # libcst's own ValueError (e.g. a form feed indent)
        else:
            assert "byte for byte" in str(exc) and cst.parse_module(source).bytes != source
        return RewriteResult(source, False, ())
    note(f"output:\n{result.source.decode('utf-8-sig', 'replace')}")
    applied = [(r.line, r.column) for r in result.sites if r.applied]
    assert result.changed == bool(applied) or result.source == source
    if not result.changed:
        assert result.source == source
        return result
    compiles(result.source)
    # Outside the sites: lines and AST.
    assert_outside_unchanged(source, result.source, applied)
    assert normalised(source, applied) == normalised(result.source, ())
    if set(sites) != set(every):
        return result  # a subset was rewritten: the others remain, by design
    # Idempotent, and nothing safely fixable is left.
    again_sites = find_wraps_calls(result.source)
    again = rewrite_source(result.source, again_sites, target=target, unsafe=unsafe)
    assert not again.changed, [r for r in again.sites if r.applied]
    assert again.source == result.source
    safe_left = rewrite_source(result.source, again_sites, target=target, unsafe=False)
    assert not any(r.status is Status.FIXED for r in safe_left.sites)
    return result


# --------------------------------------------------------------------------- the generator

IMPORT_STYLES = {
    # style: (import lines, wraps spelling, update_wrapper spelling)
    "from": (["from functools import update_wrapper, wraps"], "wraps", "update_wrapper"),
    "from-as": (["from functools import update_wrapper as uw, wraps as w"], "w", "uw"),
    "from-paren": (["from functools import (", "    partial,", "    update_wrapper,",
                    "    wraps,", ")"], "wraps", "update_wrapper"),
    "import": (["import functools"], "functools.wraps", "functools.update_wrapper"),
    "import-as": (["import functools as ft"], "ft.wraps", "ft.update_wrapper"),
    "mixed": (["import functools", "from functools import wraps"], "wraps",
              "functools.update_wrapper"),
    "with-sys": (["import os", "import sys", "from functools import wraps, update_wrapper"],
                 "wraps", "update_wrapper"),
    "future": (["from __future__ import annotations", "", "import functools as ft",
                "from typing import Any"], "ft.wraps", "ft.update_wrapper"),
}

Line = Tuple[int, str]  # (indent level, text)


def _wrapper_fn(W: str, f: str, inner: str, is_async: bool, level: int,
                variant: str) -> List[Line]:
    """``@W(f)`` + ``def inner`` at ``level``; ``variant`` picks unsafe/unfixable forms."""
    a = "async " if is_async else ""
    aw = "await " if is_async else ""
    dec = {
        "plain": f"@{W}({f})",
        "kw": f"@{W}(wrapped={f})",
        "attr": f"@{W}({f}.__call__)",
        "global": f"@{W}(print)",
        "assigned": f"@{W}({f}, assigned=())",
        "lambda": f"@{W}(lambda: None)",
        "side-effect": f"@{W}(pick({f}))",
    }[variant if variant in ("kw", "attr", "global", "assigned", "lambda", "side-effect")
      else "plain"]
    lines: List[Line] = []
    if variant == "not-outermost":
        lines.append((level, "@staticmethod"))
    lines.append((level, dec))
    if variant == "stacked-inner":
        lines.append((level, "@staticmethod"))
    lines += [(level, f"{a}def {inner}(*args, **kwargs):"),
              (level + 1, '"""Wrapper docstring."""'),
              (level + 1, f"return {aw}{f}(*args, **kwargs)")]
    return lines


@st.composite
def decorator_block(draw: st.DrawFn, name: str, W: str, UW: str) -> List[Line]:
    """One decorator definition called ``name`` (usable as ``@name``)."""
    shape = draw(st.sampled_from(["plain", "factory", "callable-instance", "class-based",
                                  "uw-expr", "uw-return", "uw-assign", "wraps-call",
                                  "nested", "method-deco"]))
    variant = draw(st.sampled_from(["plain"] * 6 + ["kw", "attr", "global", "assigned",
                                                    "lambda", "side-effect", "not-outermost",
                                                    "stacked-inner"]))
    is_async = draw(st.booleans())
    f = draw(st.sampled_from(["func", "f", "view", "handler"]))
    inner = draw(st.sampled_from(["wrapper", "inner", "_wrapped", "decorated"]))
    a = "async " if is_async else ""
    aw = "await " if is_async else ""
    if shape == "plain":
        return [(0, f"def {name}({f}):"), *_wrapper_fn(W, f, inner, is_async, 1, variant),
                (1, f"return {inner}")]
    if shape == "factory":
        return [(0, f"def {name}(*roles):"), (1, f"def decorator({f}):"),
                *_wrapper_fn(W, f, inner, is_async, 2, variant), (2, f"return {inner}"),
                (1, "return decorator")]
    if shape == "callable-instance":
        cls = name.title().replace("_", "") + "Deco"
        return [(0, f"class {cls}:"), (1, "def __init__(self, tag):"), (2, "self.tag = tag"),
                (1, f"def __call__(self, {f}):"),
                *_wrapper_fn(W, f, inner, is_async, 2, variant), (2, f"return {inner}"),
                (0, f"{name} = {cls}('tag')")]
    if shape == "class-based":
        return [(0, f"class {name}:"), (1, f"def __init__(self, {f}):"),
                (2, f"self.{f} = {f}"), (2, f"{UW}(self, {f})"),
                (1, "def __call__(self, *args, **kwargs):"),
                (2, f"return self.{f}(*args, **kwargs)")]
    if shape in ("uw-expr", "uw-return", "uw-assign"):
        body = [(0, f"def {name}({f}):"), (1, f"{a}def {inner}(*args, **kwargs):"),
                (2, f"return {aw}{f}(*args, **kwargs)")]
        wrapped = f if variant == "plain" else draw(st.sampled_from([f, f"{f}.__func__"]))
        call = f"{UW}({inner}, {wrapped})"
        if shape == "uw-expr":
            return body + [(1, call), (1, f"return {inner}")]
        if shape == "uw-return":
            return body + [(1, f"return {call}")]
        return body + [(1, f"{inner} = {call}"), (1, f"return {inner}")]
    if shape == "wraps-call":
        return [(0, f"def {name}({f}):"), (1, f"{a}def {inner}(*args, **kwargs):"),
                (2, f"return {aw}{f}(*args, **kwargs)"), (1, f"return {W}({f})({inner})")]
    if shape == "nested":
        # a wrapper that wraps again on every call (per-request wrapping)
        return [(0, f"def {name}({f}):"), (1, f"@{W}({f})"),
                (1, "def outer(*args, **kwargs):"), (2, f"@{W}({f})"),
                (2, f"def {inner}(*a, **k):"), (3, f"return {f}(*a, **k)"),
                (2, f"return {inner}(*args, **kwargs)"), (1, "return outer")]
    # method-deco: a decorator defined as a static method of a registry class
    return [(0, "class Registry:"), (1, "@staticmethod"), (1, f"def {name}({f}):"),
            *_wrapper_fn(W, f, inner, is_async, 2, variant), (2, f"return {inner}"),
            (0, f"{name} = Registry.{name}")]


FRAMEWORKS = {
    "fastapi": (["from fastapi import FastAPI", "app = FastAPI()"],
                lambda i: [f'@app.get("/items/{i}")']),
    "flask": (["from flask import Flask", "app = Flask(__name__)"],
              lambda i: [f'@app.route("/p{i}", methods=["GET"])']),
    "aiohttp": (["from aiohttp import web", "routes = web.RouteTableDef()"],
                lambda i: [f'@routes.get("/a{i}")']),
    "django": (["from django.urls import path"], lambda i: []),
}


@st.composite
def handler_block(draw: st.DrawFn, framework: str, decos: Sequence[str], i: int) -> List[Line]:
    routes = FRAMEWORKS[framework][1](i)
    applied = [f"@{d}" if not d.endswith("()") else f"@{d}"
               for d in draw(st.lists(st.sampled_from(list(decos)), min_size=1, max_size=2,
                                      unique=True))]
    stack = routes + applied
    if draw(st.booleans()):
        stack = applied + routes  # the other stacking order
    is_async = draw(st.booleans())
    lines: List[Line] = [(0, s) for s in stack]
    lines += [(0, f"{'async ' if is_async else ''}def handler_{i}(request=None):"),
              (1, f"return {{'handler': {i}}}")]
    if framework == "django":
        lines.append((0, f"urlpatterns_{i} = [path('h{i}/', {applied[0][1:]}(handler_{i}))]"))
    return lines


@st.composite
def modules(draw: st.DrawFn) -> bytes:
    """A module with decorators built from the supported shapes, and handlers using them."""
    style = draw(st.sampled_from(sorted(IMPORT_STYLES)))
    imports, W, UW = IMPORT_STYLES[style]
    framework = draw(st.sampled_from(sorted(FRAMEWORKS)))
    n = draw(st.integers(1, 3))
    names = [f"deco_{k}" for k in range(n)]
    blocks: List[List[Line]] = [[(0, ln) for ln in imports],
                                [(0, ln) for ln in FRAMEWORKS[framework][0]]]
    if draw(st.booleans()):
        blocks.append([(0, "def pick(x):"), (1, "return x")])
    for name in names:
        blocks.append(draw(decorator_block(name, W, UW)))
    # factories are applied as name(...), everything else as name: both are valid
    # calls of a plain decorator too only when shapes agree, so apply by shape-free form.
    applied = [f"{nm}" for nm in names]
    for i in range(draw(st.integers(0, 3))):
        blocks.append(draw(handler_block(framework, applied, i)))
    if draw(st.booleans()):  # a decorator nested inside a function (app factory)
        inner = draw(decorator_block("local_deco", W, UW))
        blocks.append([(0, "def create_app():"), *[(lv + 1, t) for lv, t in inner],
                       (1, "return None")])
    return render(draw, blocks)


def render(draw: st.DrawFn, blocks: List[List[Line]]) -> bytes:
    indent = draw(st.sampled_from(["    ", "  ", "\t", "        "]))
    comment = st.sampled_from(["# note", "# wraps(f) in a comment", "#", "# noqa: HWR001",
                               "# type: ignore", "# -*- not a cookie -*-"])
    out: List[str] = []
    for block in blocks:
        for level, text in block:
            if draw(st.integers(0, 9)) == 0:
                out.append(indent * level + draw(comment))
            if draw(st.integers(0, 7)) == 0:
                text = text + "  " + draw(comment)
            if text == "":
                out.append("")
            else:
                out.append(indent * level + text)
            if draw(st.integers(0, 15)) == 0:
                out.append(draw(st.sampled_from(["", "   ", "\f"])) if level == 0 else "")
        out.extend([""] * draw(st.integers(0, 2)))
    newline = draw(st.sampled_from(["\n", "\n", "\r\n", "mixed"]))
    if newline == "mixed":
        text = "".join(ln + draw(st.sampled_from(["\n", "\r\n"])) for ln in out)
    else:
        text = newline.join(out) + newline
    data = text.encode()
    if draw(st.integers(0, 9)) == 0:
        data = b"\xef\xbb\xbf" + data
    return data


# --------------------------------------------------------------------------- properties


@REWRITE
@given(src=modules(), target=st.sampled_from(TARGETS), unsafe=st.booleans())
def test_generated_modules(src: bytes, target: TargetVersions, unsafe: bool) -> None:
    note(src.decode("utf-8-sig"))
    compiles(src)  # the generator's own invariant
    analyze_source(src, "app")
    check_rewrite(src, target, unsafe)


@REWRITE
@given(src=modules(), target=st.sampled_from(TARGETS), unsafe=st.booleans(),
       data=st.data())
def test_generated_modules_subset_of_sites(src: bytes, target: TargetVersions, unsafe: bool,
                                           data: st.DataObject) -> None:
    """Rewriting only some of the sites (as the index selects) leaves the others alone."""
    sites = find_wraps_calls(src)
    assume(sites)
    chosen = data.draw(st.lists(st.sampled_from(sites), unique=True, max_size=len(sites)))
    result = check_rewrite(src, target, unsafe, sites=chosen)
    untouched = [s for s in sites if s not in chosen]
    # every site not asked for is still a call at the same text
    before = src.splitlines()
    for line, _col in untouched:
        assert before[line - 1] in result.source.splitlines()


def _with_deco(code: str, W: str = "wraps") -> bytes:
    return (code + "\n\nfrom functools import wraps, update_wrapper\n\n"
            "def deco(fn):\n    @wraps(fn)\n    def inner(*a, **k):\n"
            "        return fn(*a, **k)\n    return inner\n").encode()


def _valid(code: str) -> bool:
    try:
        compile(code, "<fuzz>", "exec", dont_inherit=True)
        cst.parse_module(code)
    except (SyntaxError, ValueError, cst.ParserSyntaxError, RecursionError, MemoryError):
        return False
    return True


@SLOW
@given(code=hypothesmith.from_grammar(), target=st.sampled_from(TARGETS),
       unsafe=st.booleans())
def test_grammar_programs(code: str, target: TargetVersions, unsafe: bool) -> None:
    assume(_valid(code))
    analyze_source(code, "fuzzed")
    analyze_source(code.encode(), "pkg.fuzzed", is_package=True)
    src = _with_deco(code)
    assume(_valid(src.decode()))
    analyze_source(src, "fuzzed")
    check_rewrite(src, target, unsafe)
    check_rewrite(code.encode(), target, unsafe)


@SLOW
@given(code=hypothesmith.from_node(), target=st.sampled_from(TARGETS), unsafe=st.booleans())
def test_node_programs(code: str, target: TargetVersions, unsafe: bool) -> None:
    assume(_valid(code))
    analyze_source(code, "fuzzed")
    check_rewrite(code.encode(), target, unsafe)
    src = _with_deco(code)
    assume(_valid(src.decode()))
    check_rewrite(src, target, unsafe)


@REWRITE
@given(src=modules(), sites=st.lists(st.tuples(st.integers(-2, 80), st.integers(-2, 60)),
                                     max_size=6))
def test_arbitrary_positions_are_harmless(src: bytes, sites: List[Site]) -> None:
    """Positions that are not wraps calls are reported NOT_FOUND and change nothing."""
    real = set(find_wraps_calls(src))
    bogus = [s for s in sites if s not in real]
    result = rewrite_source(src, bogus, target=TARGETS[0], unsafe=True)
    assert not result.changed and result.source == src
    assert {(r.line, r.column) for r in result.sites} == set(bogus)
    assert all(r.status is Status.NOT_FOUND for r in result.sites)


@ANALYSIS
@given(text=st.text(max_size=300))
def test_analysis_of_arbitrary_text(text: str) -> None:
    """Arbitrary text: only ast's own SyntaxError/ValueError may come out."""
    try:
        ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return
    analyze_source(text, "x")


# --------------------------------------------------------------------------- real projects

HANDLERS = {
    "fastapi": "from fastapi import FastAPI\nfrom pkg.decorators import {names}\n"
               "app = FastAPI()\n\n{handlers}",
    "flask": "from flask import Flask\nfrom pkg.decorators import {names}\n"
             "app = Flask(__name__)\n\n{handlers}",
}


@SLOW
@given(deco=modules(), framework=st.sampled_from(sorted(HANDLERS)),
       target=st.sampled_from(["3.9", "3.12", "3.9-3.13", "3.14"]), unsafe=st.booleans(),
       all_sites=st.booleans())
def test_fix_then_lint_on_a_project(deco: bytes, framework: str, target: str, unsafe: bool,
                                    all_sites: bool) -> None:
    """The fixer's engine on a two-module project, then a --check run: nothing left."""
    names = sorted(set(re.findall(rb"^(deco_\d)\b", deco, re.M)
                       + re.findall(rb"^def (deco_\d)\(", deco, re.M)
                       + re.findall(rb"^class (deco_\d)\b", deco, re.M)))
    assume(names)
    name_list = ", ".join(n.decode() for n in names)
    route = "@app.get" if framework == "fastapi" else "@app.route"
    handlers = "".join(f'{route}("/h{i}")\n@{n.decode()}\ndef h{i}():\n    return {i}\n\n\n'
                       for i, n in enumerate(names))
    views = HANDLERS[framework].format(names=name_list, handlers=handlers).encode()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "setup.cfg").write_text("[flake8]\nhotwrap-no-cache = true\n")
        (root / "pkg").mkdir()
        (root / "pkg" / "__init__.py").write_bytes(b"")
        (root / "pkg" / "decorators.py").write_bytes(deco)
        (root / "pkg" / "views.py").write_bytes(views)
        opts = fix.Options(mode="write", unsafe=unsafe, all_sites=all_sites,
                           target=parse_target_version(target), verbosity=-1)
        err = io.StringIO()
        project._INDEXES.clear()
        status = fix.run([str(root)], opts, jobs=1, out=io.StringIO(), err=err)
        assert status in (0, 1), err.getvalue()
        assert (root / "pkg" / "views.py").read_bytes() == views
        fixed = (root / "pkg" / "decorators.py").read_bytes()
        note(fixed.decode("utf-8-sig"))
        compiles(fixed)
        if status == 0:
            assert fixed == deco
        project._INDEXES.clear()
        check = fix.Options(mode="check", unsafe=unsafe, all_sites=all_sites,
                            target=parse_target_version(target), verbosity=-1)
        err = io.StringIO()
        again = fix.run([str(root)], check, jobs=1, out=io.StringIO(), err=err)
        assert again == 0, err.getvalue()
        project._INDEXES.clear()


# --------------------------------------------------------------------------- pinned examples

def test_outside_check_detects_a_change() -> None:
    """The 'nothing outside the sites' check is not vacuous."""
    before = b"import functools\nx = 1  # keep\n\n@functools.wraps(f)\ndef g():\n    pass\n"
    after = b"x = 1  # changed\n\ndef g():\n    pass\n"
    with pytest.raises(AssertionError):
        assert_outside_unchanged(before, after, [(4, 1)])
    assert normalised(before, [(4, 1)]) == normalised(b"x = 1\ndef g():\n    pass\n", ())
    assert normalised(before, [(4, 1)]) != normalised(b"x = 2\ndef g():\n    pass\n", ())


def test_comment_above_removed_import_is_kept() -> None:
    src = (b"import os\n\n# stdlib helpers\nfrom functools import wraps\n\n\n"
           b"def deco(f):\n    @wraps(f)\n    def w(*a, **k):\n        return f(*a, **k)\n"
           b"    return w\n")
    result = rewrite_source(src, find_wraps_calls(src), target=parse_target_version("3.14"))
    assert result.changed
    assert b"# stdlib helpers" in result.source
