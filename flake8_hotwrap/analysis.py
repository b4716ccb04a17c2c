"""Per-module facts: wraps sites, handler candidates, registrations, classes.

One walk over a module's ``ast`` records what the project index needs, with
every name resolved as far as this module alone allows.  Names are written as
*references*: dotted names where ``()`` marks a call result, so
``app = Flask(__name__)`` binds ``app`` to ``flask.Flask()``, ``c = Meter()``
binds ``c`` to ``pkg.metering.Meter()`` and ``@c("x")`` applies
``pkg.metering.Meter()()``.  Cross-module resolution happens in
:mod:`flake8_hotwrap.project`; nothing here knows about other files.
"""
from __future__ import annotations

import ast
import fnmatch
import re
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Sequence, Tuple, Union

from . import frameworks as fw
from .markers import WRAP_NAMES

#: A binding that shadows everything and resolves to nothing (a parameter, a
#: loop variable, ``x = 1``).
UNKNOWN = "?"
FuncDef = Union[ast.FunctionDef, ast.AsyncFunctionDef]


@dataclass(frozen=True)
class WrapSite:
    line: int
    col: int  # ast col_offset: UTF-8 bytes, what flake8 reports
    char_col: int  # characters: what libcst's PositionProvider reports
    kind: str  # "wraps" | "update_wrapper"
    form: str  # "decorator" | "call"
    target: str  # reference of the callee, e.g. "functools.wraps"
    owner: Optional[str]  # decorator the site belongs to: "deco", "Meter.__call__"
    scope: str  # qualified name of the innermost enclosing function ("" at module level)
    #: inside a wrapper's body: runs on every call of the decorated function
    per_call: bool = False


@dataclass(frozen=True)
class MethodDecoratorUse:
    """``@method_decorator(...)`` on a method (or on a class with ``name=``)."""

    line: int
    col: int
    cls: str
    method: str
    decorators: Tuple[str, ...]


@dataclass(frozen=True)
class FunctionFacts:
    qualname: str
    line: int
    decorators: Tuple[str, ...]  # references of applied non-route decorators
    routes: Tuple[str, ...]  # receivers of route decorators ("" when certain)
    cls: Optional[str]  # qualname of the class when this is a method


@dataclass(frozen=True)
class ClassFacts:
    qualname: str
    line: int
    bases: Tuple[str, ...]
    methods: Tuple[str, ...]
    #: ``@method_decorator(deco, name="get")`` on the class: method -> decorators
    method_decorators: Tuple[Tuple[str, Tuple[str, ...]], ...] = ()


@dataclass(frozen=True)
class RegistrationFacts:
    ref: str  # what is registered: a function, a class, ``Cls()`` (instance)
    line: int
    wrappers: Tuple[str, ...]  # decorators applied inline: ``path("x", deco(view))``


@dataclass(frozen=True)
class AliasFacts:
    """``view = deco(view)`` at module level: ``name`` is ``inner`` wrapped."""

    name: str
    inner: str
    wrappers: Tuple[str, ...]


@dataclass
class ModuleFacts:
    module: str
    bindings: Dict[str, str] = field(default_factory=dict)
    star_imports: List[str] = field(default_factory=list)
    sites: List[WrapSite] = field(default_factory=list)
    functions: List[FunctionFacts] = field(default_factory=list)
    classes: List[ClassFacts] = field(default_factory=list)
    registrations: List[RegistrationFacts] = field(default_factory=list)
    aliases: List[AliasFacts] = field(default_factory=list)
    #: the module imports a known web framework (Falcon responders need it)
    uses_framework: bool = False
    #: function qualname -> project calls it makes (and decorators it applies
    #: inside its body), for following a request's path (HWR003)
    calls: Dict[str, List[Tuple[str, int]]] = field(default_factory=dict)
    method_decorator_uses: List[MethodDecoratorUse] = field(default_factory=list)
    #: qualname -> line of every ``def`` (to name a registered handler's location)
    defs: Dict[str, int] = field(default_factory=dict)

    def to_json(self) -> Dict[str, Any]:
        # Fields are flat (strings, numbers, tuples of them) or lists of such
        # dataclasses; dataclasses.asdict's deep copy cost more than the parse.
        out: Dict[str, Any] = {}
        for name in self.__dataclass_fields__:
            value = getattr(self, name)
            if isinstance(value, list) and value and hasattr(value[0], "__dataclass_fields__"):
                value = [{f: getattr(item, f) for f in item.__dataclass_fields__}
                         for item in value]
            out[name] = value
        return out

    @classmethod
    def from_json(cls, data: Dict[str, Any]) -> "ModuleFacts":
        return cls(
            module=data["module"],
            bindings=dict(data["bindings"]),
            star_imports=list(data["star_imports"]),
            sites=[WrapSite(**s) for s in data["sites"]],
            functions=[FunctionFacts(f["qualname"], f["line"], tuple(f["decorators"]),
                                     tuple(f["routes"]), f["cls"]) for f in data["functions"]],
            classes=[ClassFacts(c["qualname"], c["line"], tuple(c["bases"]), tuple(c["methods"]),
                                tuple((m, tuple(d)) for m, d in c["method_decorators"]))
                     for c in data["classes"]],
            registrations=[RegistrationFacts(r["ref"], r["line"], tuple(r["wrappers"]))
                           for r in data["registrations"]],
            aliases=[AliasFacts(a["name"], a["inner"], tuple(a["wrappers"]))
                     for a in data["aliases"]],
            uses_framework=bool(data["uses_framework"]),
            calls={k: [(r, int(n)) for r, n in v] for k, v in data["calls"].items()},
            method_decorator_uses=[MethodDecoratorUse(m["line"], m["col"], m["cls"], m["method"],
                                                      tuple(m["decorators"]))
                                   for m in data["method_decorator_uses"]],
            defs={k: int(v) for k, v in data["defs"].items()},
        )


def resolve_relative(module: str, is_package: bool, level: int, target: Optional[str]) -> str:
    """``from ..x import y`` inside ``module`` -> absolute ``pkg.x``."""
    parts = module.split(".") if module else []
    if not is_package:
        parts = parts[:-1]
    parts = parts[: max(len(parts) - (level - 1), 0)]  # beyond the root: the root
    if target:
        parts.append(target)
    return ".".join(parts)


def strip_calls(ref: str) -> str:
    while ref.endswith("()"):
        ref = ref[:-2]
    return ref


def dotted_text(node: ast.expr) -> Optional[str]:
    """``a.b.c`` for Name/Attribute chains, ignoring calls (``a.b()`` -> ``a.b``)."""
    if isinstance(node, ast.Call):
        return dotted_text(node.func)
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        base = dotted_text(node.value)
        return f"{base}.{node.attr}" if base else None
    return None


class _Binding:
    """One name bound in a scope, resolved lazily (uses may precede the binding)."""

    __slots__ = ("value", "node", "scope")

    def __init__(self, value: str = UNKNOWN, node: Optional[ast.expr] = None,
                 scope: Optional["_Scope"] = None) -> None:
        self.value = value  # the reference when resolved ("?" for unknown) ...
        self.node = node  # ... or the assigned expression, resolved in ``scope`` on use
        self.scope = scope


class _Scope:
    __slots__ = ("kind", "qualname", "names", "parent")

    def __init__(self, kind: str, qualname: str, parent: Optional["_Scope"]) -> None:
        self.kind = kind  # "module" | "class" | "function"
        self.qualname = qualname
        self.names: Dict[str, _Binding] = {}
        self.parent = parent


def _first_str(call: ast.Call) -> Optional[str]:
    if call.args and isinstance(call.args[0], ast.Constant) and isinstance(call.args[0].value, str):
        return call.args[0].value
    return None


class ModuleAnalyzer:
    """Walks one module; see :func:`analyze_module`."""

    def __init__(self, module: str, is_package: bool, lines: Sequence[str],
                 route_patterns: Sequence[str] = ()) -> None:
        self.module = module
        self.is_package = is_package
        self.lines = lines
        self.route_patterns = tuple(route_patterns)
        self.facts = ModuleFacts(module=module)
        self.scope = _Scope("module", "", None)
        self.owners: List[Tuple[str, str]] = []  # (kind, name) enclosing defs
        self._functions: List[str] = []  # qualnames of enclosing functions
        self._wrappers = 0  # enclosing functions that are wraps-decorated wrappers
        self._resolving: set[int] = set()

    # -- bindings ------------------------------------------------------------
    def _qual(self, name: str) -> str:
        q = self.scope.qualname
        return f"{q}.{name}" if q else name

    def _symbol(self, qualname: str) -> str:
        return f"{self.module}.{qualname}" if self.module else qualname

    def _bind_imports(self, node: Union[ast.Import, ast.ImportFrom], scope: _Scope) -> None:
        if isinstance(node, ast.Import):
            for a in node.names:
                if a.asname:
                    scope.names[a.asname] = _Binding(a.name)
                else:
                    top = a.name.split(".")[0]
                    scope.names[top] = _Binding(top)
                if fw.framework_of_module(a.name):
                    self.facts.uses_framework = True
            return
        base = node.module or ""
        if node.level:
            base = resolve_relative(self.module, self.is_package, node.level, node.module)
        if fw.framework_of_module(base):
            self.facts.uses_framework = True
        for a in node.names:
            if a.name == "*":
                if scope.kind == "module":
                    self.facts.star_imports.append(base)
                continue
            target = f"{base}.{a.name}" if base else a.name
            scope.names[a.asname or a.name] = _Binding(target)

    def _collect(self, body: Sequence[ast.stmt], scope: _Scope) -> None:
        """Bindings made directly in ``body`` (not in nested scopes)."""
        for stmt in body:
            self._collect_stmt(stmt, scope)

    def _collect_stmt(self, stmt: ast.stmt, scope: _Scope) -> None:
        names = scope.names
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            q = f"{scope.qualname}.{stmt.name}" if scope.qualname else stmt.name
            if scope.kind == "function":
                q = f"{scope.qualname}.<locals>.{stmt.name}"
            names[stmt.name] = _Binding(self._symbol(q))
            return  # a nested scope: its bindings are its own
        if isinstance(stmt, (ast.Import, ast.ImportFrom)):
            self._bind_imports(stmt, scope)
        elif isinstance(stmt, ast.Assign):
            for t in stmt.targets:
                self._bind_target(t, stmt.value if len(stmt.targets) == 1 else None, scope)
        elif isinstance(stmt, ast.AnnAssign):
            self._bind_target(stmt.target, stmt.value, scope)
        elif isinstance(stmt, ast.AugAssign):
            self._bind_target(stmt.target, None, scope)
        elif isinstance(stmt, (ast.For, ast.AsyncFor)):
            self._bind_target(stmt.target, None, scope)
        elif isinstance(stmt, (ast.With, ast.AsyncWith)):
            for item in stmt.items:
                if item.optional_vars is not None:
                    self._bind_target(item.optional_vars, None, scope)
        elif isinstance(stmt, (ast.Global, ast.Nonlocal)):
            for n in stmt.names:
                names.pop(n, None)
            return
        for child in ast.iter_child_nodes(stmt):
            if isinstance(child, ast.stmt):
                self._collect_stmt(child, scope)
            elif isinstance(child, ast.ExceptHandler):
                if child.name:
                    names[child.name] = _Binding()
                for s in child.body:
                    self._collect_stmt(s, scope)
            elif type(child).__name__ == "match_case":
                for s in getattr(child, "body", []):
                    self._collect_stmt(s, scope)

    def _bind_target(self, target: ast.expr, value: Optional[ast.expr], scope: _Scope) -> None:
        if isinstance(target, ast.Name):
            scope.names[target.id] = _Binding(node=value, scope=scope)
        elif isinstance(target, (ast.Tuple, ast.List)):
            for elt in target.elts:
                self._bind_target(elt, None, scope)
        elif isinstance(target, ast.Starred):
            self._bind_target(target.value, None, scope)

    def lookup(self, name: str, scope: Optional[_Scope] = None) -> str:
        """Reference a name resolves to from ``scope`` (Python's LEGB, classes skipped)."""
        s: Optional[_Scope] = scope or self.scope
        first = True
        while s is not None:
            if s.kind != "class" or first:
                b = s.names.get(name)
                if b is not None:
                    return self._value(b)
            first = False
            s = s.parent
        return name if name in _BUILTINS else UNKNOWN

    def _value(self, b: _Binding) -> str:
        if b.node is None:
            return b.value
        key = id(b)
        if key in self._resolving:
            return UNKNOWN
        self._resolving.add(key)
        try:
            return self.ref(b.node, b.scope)
        finally:
            self._resolving.discard(key)

    def ref(self, node: ast.expr, scope: Optional[_Scope] = None) -> str:
        """Reference of an expression, or UNKNOWN."""
        if isinstance(node, ast.Name):
            return self.lookup(node.id, scope)
        if isinstance(node, ast.Attribute):
            base = self.ref(node.value, scope)
            return UNKNOWN if base == UNKNOWN else f"{base}.{node.attr}"
        if isinstance(node, ast.Call):
            base = self.ref(node.func, scope)
            return UNKNOWN if base == UNKNOWN else f"{base}()"
        return UNKNOWN

    # -- classification ------------------------------------------------------
    def _wrap_kind(self, call: ast.Call) -> Optional[Tuple[str, str]]:
        func = call.func
        if isinstance(func, ast.Attribute):
            if func.attr not in WRAP_NAMES:
                return None
        elif not isinstance(func, ast.Name):
            return None
        target = self.ref(func)
        last = target.rsplit(".", 1)[-1]
        if last not in WRAP_NAMES or "." not in target:  # ``wraps()`` ends in "()"
            return None
        return last, target

    def _route_receiver(self, deco: ast.expr) -> Optional[str]:
        """Receiver reference when ``deco`` is a route decorator ("" if certain)."""
        text = dotted_text(deco)
        if text and self.route_patterns:
            resolved = strip_calls(self.ref(deco))
            if any(fnmatch.fnmatchcase(text, p) or fnmatch.fnmatchcase(resolved, p)
                   for p in self.route_patterns):
                return ""
        target = deco.func if isinstance(deco, ast.Call) else deco
        resolved = self.ref(target)
        if strip_calls(resolved) in fw.ROUTE_FUNCTIONS:
            return ""
        url = isinstance(deco, ast.Call) and fw.is_url_path(_first_str(deco))
        if isinstance(target, ast.Attribute) and (target.attr in fw.ROUTE_METHODS or url):
            if not isinstance(deco, ast.Call):
                return None
            receiver = self.ref(target.value)
            if _external_module(receiver) and not fw.framework_of_module(receiver):
                return None
            return receiver
        if url and isinstance(target, ast.Name) and not _external_module(resolved):
            return ""
        return None

    def _decorator_refs(self, deco: ast.expr) -> List[str]:
        """What a (non-route) decorator applies; ``method_decorator(d)`` applies ``d``."""
        if isinstance(deco, ast.Call) and strip_calls(self.ref(deco.func)) == fw.METHOD_DECORATOR:
            if not deco.args:
                return []
            arg = deco.args[0]
            elts = arg.elts if isinstance(arg, (ast.List, ast.Tuple)) else [arg]
            return [r for r in (self.ref(e) for e in elts) if r != UNKNOWN]
        r = self.ref(deco)
        return [] if r == UNKNOWN else [r]

    # -- walking -------------------------------------------------------------
    def run(self, tree: ast.Module) -> ModuleFacts:
        self._collect(tree.body, self.scope)
        self._body(tree.body)
        for name, b in self.scope.names.items():
            value = self._value(b)
            if value != UNKNOWN:
                self.facts.bindings[name] = value
        return self.facts

    def _body(self, body: Sequence[ast.stmt]) -> None:
        for stmt in body:
            self._stmt(stmt)

    def _stmt(self, stmt: ast.stmt) -> None:
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
            self._function(stmt)
        elif isinstance(stmt, ast.ClassDef):
            self._class(stmt)
        else:
            if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1:
                self._maybe_alias(stmt.targets[0], stmt.value)
            for child in ast.iter_child_nodes(stmt):
                if isinstance(child, ast.stmt):
                    self._stmt(child)
                elif isinstance(child, ast.expr):
                    self._expr(child)
                else:
                    for sub in ast.iter_child_nodes(child):
                        if isinstance(sub, ast.stmt):
                            self._stmt(sub)
                        elif isinstance(sub, ast.expr):
                            self._expr(sub)

    def _owner(self) -> Optional[str]:
        names: List[str] = []
        for kind, name in self.owners:
            names.append(name)
            if kind == "function":
                return ".".join(names)
        return None

    def _site(self, call: ast.Call, kind: str, target: str, form: str) -> None:
        line = call.lineno
        text = self.lines[line - 1] if line <= len(self.lines) else ""
        try:
            char_col = len(text.encode("utf-8")[: call.col_offset].decode("utf-8"))
        except UnicodeDecodeError:
            char_col = call.col_offset
        scope = ".".join(n for _k, n in self.owners)
        self.facts.sites.append(WrapSite(line, call.col_offset, char_col, kind, form, target,
                                         self._owner(), scope, self._wrappers > 0))

    def _record_call(self, ref: str, line: int) -> None:
        """A call made while the enclosing function runs (only qualified refs)."""
        if self._functions and ref != UNKNOWN and "." in ref:
            self.facts.calls.setdefault(self._functions[-1], []).append((ref, line))

    def _function(self, node: FuncDef) -> None:
        decorators: List[str] = []
        routes: List[str] = []
        is_wrapper = False
        for deco in node.decorator_list:
            if isinstance(deco, ast.Call):
                wk = self._wrap_kind(deco)
                if wk is not None:
                    self._site(deco, wk[0], wk[1], "decorator")
                    self._visit_args(deco)
                    is_wrapper = True
                    continue
                if self.scope.kind == "class" and \
                        strip_calls(self.ref(deco.func)) == fw.METHOD_DECORATOR:
                    self.facts.method_decorator_uses.append(MethodDecoratorUse(
                        deco.lineno, deco.col_offset, self.scope.qualname, node.name,
                        tuple(self._decorator_refs(deco))))
            receiver = self._route_receiver(deco)
            if receiver is not None:
                routes.append(receiver)
            # A project's own route decorator may itself use wraps: keep it too.
            decorators.extend(self._decorator_refs(deco))
            self._visit_args(deco)
        cls = self.scope.qualname if self.scope.kind == "class" else None
        qual = self._qual(node.name) if self.scope.kind != "function" else \
            f"{self.scope.qualname}.<locals>.{node.name}"
        self.facts.defs[qual] = node.lineno
        for ref in decorators:  # a def inside a function is decorated when it runs
            self._record_call(ref, node.lineno)
        if decorators or routes or cls is not None:
            self.facts.functions.append(FunctionFacts(qual, node.lineno, tuple(decorators),
                                                      tuple(routes), cls))
        for d in node.args.defaults + [d for d in node.args.kw_defaults if d is not None]:
            self._expr(d)
        outer = self.scope
        fscope = _Scope("function", qual, outer)
        args = node.args
        params = [a.arg for a in args.posonlyargs] + [a.arg for a in args.args]
        params += [a.arg for a in args.kwonlyargs]
        for extra in (args.vararg, args.kwarg):
            if extra is not None:
                params.append(extra.arg)
        for p in params:
            fscope.names[p] = _Binding()
        if cls is not None and params:
            is_static = any(dotted_text(d) == "staticmethod" for d in node.decorator_list)
            if not is_static:
                self_ref = self._symbol(cls)
                is_cls = any(dotted_text(d) == "classmethod" for d in node.decorator_list)
                fscope.names[params[0]] = _Binding(self_ref if is_cls else self_ref + "()")
        self._collect(node.body, fscope)
        self.scope = fscope
        self.owners.append(("function", node.name))
        self._functions.append(qual)
        self._wrappers += is_wrapper
        try:
            self._body(node.body)
        finally:
            self._wrappers -= is_wrapper
            self._functions.pop()
            self.owners.pop()
            self.scope = outer

    def _class(self, node: ast.ClassDef) -> None:
        bases = tuple(r for r in (self.ref(b) for b in node.bases) if r != UNKNOWN)
        for b in node.bases:
            self._expr(b)
        for kw in node.keywords:
            self._expr(kw.value)
        qual = self._qual(node.name) if self.scope.kind != "function" else \
            f"{self.scope.qualname}.<locals>.{node.name}"
        method_decos: List[Tuple[str, Tuple[str, ...]]] = []
        for stmt in node.body:
            # Flask/Quart: ``decorators = [deco]`` decorates the view in as_view().
            if isinstance(stmt, ast.Assign) and isinstance(stmt.value, (ast.List, ast.Tuple)) \
                    and any(isinstance(t, ast.Name) and t.id == fw.VIEW_DECORATORS_ATTRIBUTE
                            for t in stmt.targets):
                refs = tuple(r for r in (self.ref(e) for e in stmt.value.elts) if r != UNKNOWN)
                if refs:
                    method_decos.append(("*", refs))
        for deco in node.decorator_list:
            if isinstance(deco, ast.Call) and \
                    strip_calls(self.ref(deco.func)) == fw.METHOD_DECORATOR:
                name = next((kw.value.value for kw in deco.keywords if kw.arg == "name"
                             and isinstance(kw.value, ast.Constant)), None)
                if isinstance(name, str):
                    method_decos.append((name, tuple(self._decorator_refs(deco))))
                    self.facts.method_decorator_uses.append(MethodDecoratorUse(
                        deco.lineno, deco.col_offset, qual, name, method_decos[-1][1]))
            else:
                wk = self._wrap_kind(deco) if isinstance(deco, ast.Call) else None
                if wk is not None and isinstance(deco, ast.Call):
                    self._site(deco, wk[0], wk[1], "decorator")
            self._visit_args(deco)
        methods = tuple(s.name for s in node.body
                        if isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef)))
        self.facts.classes.append(ClassFacts(qual, node.lineno, bases, methods,
                                             tuple(method_decos)))
        outer = self.scope
        cscope = _Scope("class", qual, outer)
        self._collect(node.body, cscope)
        self.scope = cscope
        self.owners.append(("class", node.name))
        try:
            self._body(node.body)
        finally:
            self.owners.pop()
            self.scope = outer

    def _visit_args(self, deco: ast.expr) -> None:
        if isinstance(deco, ast.Call):
            for a in deco.args:
                self._expr(a)
            for kw in deco.keywords:
                self._expr(kw.value)

    def _expr(self, node: ast.expr) -> None:
        # Iterative walk: deep expressions must not hit the recursion limit.
        stack: List[ast.AST] = [node]
        while stack:
            cur = stack.pop()
            kind = type(cur)
            if kind in _LEAVES:
                continue
            if kind is ast.Call:
                self._call(cur)  # type: ignore[arg-type]
            elif kind is ast.Tuple or kind is ast.List:
                self._tuple_routes(cur)  # type: ignore[arg-type]
            for fname in cur._fields:
                value = getattr(cur, fname, None)
                if isinstance(value, list):
                    stack.extend(v for v in value if isinstance(v, ast.AST))
                elif isinstance(value, ast.AST):
                    stack.append(value)

    def _call(self, call: ast.Call) -> None:
        wk = self._wrap_kind(call)
        if wk is not None:
            self._site(call, wk[0], wk[1], "call")
            return
        if self._functions:
            self._record_call(self.ref(call.func), call.lineno)
        func = call.func
        name = func.id if isinstance(func, ast.Name) else (
            func.attr if isinstance(func, ast.Attribute) else None)
        if name is None:
            return
        views: List[ast.expr] = []
        reg = fw.REGISTRATIONS.get(name)
        if reg is not None and self._registration_callee(call, func):
            views = [call.args[i] for i in reg.positions if i < len(call.args)]
            views += [kw.value for kw in call.keywords if kw.arg in reg.keywords]
        elif isinstance(func, ast.Attribute) and name in fw.ROUTE_METHODS:
            receiver = self.ref(func.value)
            if (fw.framework_of_module(receiver) or fw.is_url_path(_first_str(call))) and not (
                    _external_module(receiver) and not fw.framework_of_module(receiver)):
                views = list(call.args[1:]) + [kw.value for kw in call.keywords
                                               if kw.arg in ("callback", "handler", "view")]
        for view in views:  # literals (``"app.views.home"``) resolve to nothing
            self._register(view, call.lineno)

    def _registration_callee(self, call: ast.Call, func: ast.expr) -> bool:
        if isinstance(func, ast.Attribute):
            receiver = self.ref(func.value)
            return not (_external_module(receiver) and not fw.framework_of_module(receiver))
        resolved = self.ref(func)
        return fw.framework_of_module(resolved) or (
            resolved == UNKNOWN and _first_str(call) is not None)

    def _tuple_routes(self, node: Union[ast.List, ast.Tuple]) -> None:
        """Tornado's ``(r"/path", Handler)`` tuples in an application's route list."""
        if isinstance(node, ast.Tuple) and len(node.elts) >= 2:
            first = node.elts[0]
            if isinstance(first, ast.Constant) and fw.is_url_path(first.value) and \
                    isinstance(node.elts[1], (ast.Name, ast.Attribute)):
                self._register(node.elts[1], node.lineno)

    def _unwrap(self, node: ast.expr) -> Tuple[ast.expr, List[str]]:
        """``deco(arg)(view)`` -> (``view``, [refs of the decorators around it])."""
        wrappers: List[str] = []
        depth = 0
        while isinstance(node, ast.Call) and node.args and depth < 20:
            depth += 1
            if isinstance(node.func, ast.Attribute) and node.func.attr == fw.AS_VIEW:
                return node.func.value, wrappers
            r = self.ref(node.func)
            if r != UNKNOWN:
                wrappers.append(r)
            node = node.args[0]
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and \
                node.func.attr == fw.AS_VIEW:
            node = node.func.value
        return node, wrappers

    def _register(self, view: ast.expr, line: int) -> None:
        inner, wrappers = self._unwrap(view)
        r = self.ref(inner)
        if isinstance(inner, ast.Name):
            alias = self._local_alias(inner.id)
            if alias is not None:
                r, extra = alias
                wrappers = wrappers + extra
        if r != UNKNOWN:
            self.facts.registrations.append(RegistrationFacts(r, line, tuple(wrappers)))

    def _local_alias(self, name: str) -> Optional[Tuple[str, List[str]]]:
        """``name = deco(view)`` in an enclosing scope -> (ref of view, [deco])."""
        s: Optional[_Scope] = self.scope
        while s is not None:
            b = s.names.get(name)
            if b is not None:
                if b.node is not None:  # ``name = <expr>``: unwrap the calls around a view
                    inner, wrappers = self._unwrap(b.node)
                    if isinstance(inner, (ast.Name, ast.Attribute)) and wrappers:
                        return self._alias_ref(inner, name, b.scope), wrappers
                return None
            s = s.parent
        return None

    def _alias_ref(self, inner: ast.expr, name: str, scope: Optional[_Scope]) -> str:
        # ``view = deco(view)``: the inner ``view`` is the def, not the alias itself.
        if isinstance(inner, ast.Name) and inner.id == name and scope is not None:
            q = f"{scope.qualname}.<locals>.{name}" if scope.kind == "function" else (
                f"{scope.qualname}.{name}" if scope.qualname else name)
            return self._symbol(q)
        return self.ref(inner, scope)

    def _maybe_alias(self, target: ast.expr, value: ast.expr) -> None:
        if self.scope.kind != "module" or not isinstance(target, ast.Name):
            return
        inner, wrappers = self._unwrap(value)
        if isinstance(inner, (ast.Name, ast.Attribute)) and wrappers:
            r = self._alias_ref(inner, target.id, self.scope)
            if r != UNKNOWN:
                self.facts.aliases.append(AliasFacts(target.id, r, tuple(wrappers)))


def _external_module(ref: str) -> bool:
    """True for a reference into a well-known non-project module (stdlib, mocks)."""
    return ref.partition(".")[0] in _NON_FRAMEWORK_MODULES


_NON_FRAMEWORK_MODULES = frozenset({
    "unittest", "mock", "pytest", "requests", "httpx", "os", "sys", "functools",
    "itertools", "collections", "json", "re", "typing", "logging", "asyncio", "contextlib",
    "dataclasses", "abc", "enum", "pathlib", "subprocess", "urllib", "http", "socket",
    "click", "typer", "celery", "sqlalchemy", "redis", "boto3", "aiofiles",
})
#: Nodes that cannot contain a call (a lambda's body is its own business).
_LEAVES = frozenset({ast.Name, ast.Constant, ast.Load, ast.Store, ast.Del, ast.Lambda,
                     ast.operator, ast.cmpop, ast.unaryop, ast.boolop} |
                    {type(op()) for op in (ast.Add, ast.Sub, ast.Mult, ast.Div, ast.Mod,
                                           ast.Eq, ast.NotEq, ast.Lt, ast.Gt, ast.And, ast.Or,
                                           ast.Not, ast.Is, ast.IsNot, ast.In, ast.NotIn,
                                           ast.USub, ast.LtE, ast.GtE, ast.BitOr, ast.BitAnd,
                                           ast.FloorDiv, ast.Pow, ast.MatMult, ast.LShift,
                                           ast.RShift, ast.BitXor, ast.Invert, ast.UAdd)})
_BUILTINS = frozenset({"staticmethod", "classmethod", "property", "object", "type",
                       "super", "print", "len", "dict", "list", "set", "tuple"})


_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def source_lines(text: str) -> List[str]:
    """Lines as Python numbers them: str.splitlines also splits at form feeds,
    \x1c-\x1e, \x85 and \u2028, which would shift every later line's columns."""
    return _LINE_BREAK.split(text)


def analyze_module(tree: ast.Module, module: str, lines: Sequence[str], *,
                   is_package: bool = False, route_patterns: Sequence[str] = ()) -> ModuleFacts:
    """Facts of one module; never raises on valid ``ast`` input."""
    return ModuleAnalyzer(module, is_package, lines, route_patterns).run(tree)


def analyze_source(source: Union[str, bytes], module: str = "", *, is_package: bool = False,
                   route_patterns: Sequence[str] = ()) -> ModuleFacts:
    """Parse and analyse; raises SyntaxError/ValueError on unparsable input."""
    tree = ast.parse(source)
    text = source.decode("utf-8", "replace") if isinstance(source, bytes) else source
    return analyze_module(tree, module, source_lines(text), is_package=is_package,
                          route_patterns=route_patterns)
