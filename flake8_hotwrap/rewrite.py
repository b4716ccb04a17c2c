"""Rewrite ``functools.wraps``/``update_wrapper`` sites of one module into explicit attributes.

The emitted statements do exactly what ``functools.update_wrapper(wrapper, wrapped)``
does for a plain function, in the same order (see DESIGN.md section 2)::

    wrapper.__module__ = wrapped.__module__
    wrapper.__name__ = wrapped.__name__
    wrapper.__qualname__ = wrapped.__qualname__
    wrapper.__doc__ = wrapped.__doc__
    if sys.version_info >= (3, 14):                  # PEP 649/749
        wrapper.__annotate__ = wrapped.__annotate__
    else:
        wrapper.__annotations__ = wrapped.__annotations__
    if sys.version_info >= (3, 12):                  # PEP 695
        wrapper.__type_params__ = wrapped.__type_params__
    wrapper.__dict__.update(wrapped.__dict__)
    setattr(wrapper, "__wrapped__", wrapped)

Version guards (design choice).  ``update_wrapper`` copies ``__annotations__`` up to
3.13 and ``__annotate__`` from 3.14 on (reading ``__annotations__`` eagerly on 3.14
would evaluate deferred annotations and can raise ``NameError``); ``__type_params__``
exists from 3.12 on.  When the target range (``--target-version``, default
``requires-python``) lies entirely on one side of a boundary the matching spelling is
emitted unguarded; when it spans a boundary the statement is guarded by
``if sys.version_info >= (3, N):``.  A ``sys.version_info`` comparison (rather than
``hasattr``/``getattr``) is what mypy and pyright evaluate statically, so each checker
only checks the branch of the Python version it is configured for and the fixed code
type-checks as cleanly as the original.  ``import sys`` is added when needed.

``__wrapped__`` is set with ``setattr`` because ``wrapper.__wrapped__ = ...`` is an
error for mypy (attr-defined) and pyright (reportFunctionMemberAccess); the other
assignments are clean in both (tests/test_typecheck.py checks this).

Safety levels (as ruff does it): a *safe* fix is provably equivalent and applied by
default; an *unsafe* fix is applied only with ``unsafe=True`` and reports why it is
not provably equivalent; an *unfixable* site is never touched and reports why.
"""
from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import (
    Collection, Dict, FrozenSet, List, Mapping, Optional, Sequence, Set, Tuple, Union,
)

import libcst as cst
from libcst.codemod import CodemodCommand, CodemodContext
from libcst.codemod.visitors import RemoveImportsVisitor
from libcst.helpers import get_absolute_module_from_package_for_import
from libcst.metadata import (
    Assignment, BaseAssignment, BuiltinAssignment, CodeRange, ImportAssignment, MetadataWrapper,
    ParentNodeProvider, PositionProvider, Scope, ScopeProvider,
)

from flake8_hotwrap.outcomes import RewriteError, RewriteResult, Site, SiteResult, Status
from flake8_hotwrap.targets import TargetVersions

WRAPS_NAMES: FrozenSet[str] = frozenset({"wraps", "update_wrapper"})
_CLASS_ANNOTATIONS: FrozenSet[str] = frozenset({"type", "Type", "typing.Type"})


#: Larger files are refused: libcst's memory grows steeply with file size.
MAX_REWRITE_BYTES = 2 * 1024 * 1024


#: Calls that show the code expects more than plain functions for a parameter.
_INSPECTIONS = frozenset({
    "hasattr", "getattr", "isinstance", "issubclass", "callable", "type",
    "isfunction", "ismethod", "isclass", "isroutine",
})


# --------------------------------------------------------------------------- emission


def attribute_statements(wrapper: str, wrapped: str, target: TargetVersions) -> Tuple[str, bool]:
    """Source lines equivalent to ``update_wrapper(wrapper, wrapped)``; bool: needs ``sys``."""
    w, f = wrapper, wrapped
    lines = [
        f"{w}.__module__ = {f}.__module__",
        f"{w}.__name__ = {f}.__name__",
        f"{w}.__qualname__ = {f}.__qualname__",
        f"{w}.__doc__ = {f}.__doc__",
    ]
    needs_sys = False
    old_ann = f"{w}.__annotations__ = {f}.__annotations__"
    new_ann = f"{w}.__annotate__ = {f}.__annotate__"
    if not target.includes_at_least((3, 14)):
        lines.append(old_ann)
    elif not target.includes_below((3, 14)):
        lines.append(new_ann)
    else:
        needs_sys = True
        lines.append(f"if sys.version_info >= (3, 14):\n    {new_ann}\nelse:\n    {old_ann}")
    if target.includes_at_least((3, 12)):
        tp = f"{w}.__type_params__ = {f}.__type_params__"
        if target.includes_below((3, 12)):
            needs_sys = True
            lines.append(f"if sys.version_info >= (3, 12):\n    {tp}")
        else:
            lines.append(tp)
    lines.append(f"{w}.__dict__.update({f}.__dict__)")
    lines.append(f'setattr({w}, "__wrapped__", {f})')
    return "\n".join(lines) + "\n", needs_sys


def _statements(code: str, config: cst.PartialParserConfig) -> List[cst.BaseStatement]:
    return list(cst.parse_module(code, config=config).body)


# --------------------------------------------------------------------------- planning


@dataclass
class _Plan:
    site: Site
    wrapper: str
    wrapped: str
    unsafe_reason: str = ""
    # decorator form (@wraps is always the outermost decorator)
    funcdef: Optional[cst.FunctionDef] = None
    # statement form
    line: Optional[cst.SimpleStatementLine] = None
    tail: Optional[cst.BaseSmallStatement] = None  # e.g. "return inner" after the attributes
    import_binding: Optional[Tuple[str, Optional[str], Optional[str]]] = None


class _Unfixable(Exception):
    pass


#: Relative imports are named against this made-up package (deep enough for any level a
#: real project uses), both when recording a binding and when removing it: only the two
#: names have to agree, and the file's real package is not known here.
_RELATIVE_BASE = ".".join(f"_hotwrap{i}" for i in range(16))


def _dotted(node: cst.BaseExpression) -> Optional[str]:
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        base = _dotted(node.value)
        return None if base is None else f"{base}.{node.attr.value}"
    return None


class _Planner(cst.CSTVisitor):
    METADATA_DEPENDENCIES = (PositionProvider, ScopeProvider, ParentNodeProvider)

    def __init__(self, sites: Collection[Site]) -> None:
        super().__init__()
        self.wanted: Set[Site] = set(sites)
        self.plans: List[_Plan] = []
        self.results: Dict[Site, SiteResult] = {}

    # -- helpers ---------------------------------------------------------------

    def _parent(self, node: cst.CSTNode) -> cst.CSTNode:
        parent: cst.CSTNode = self.get_metadata(ParentNodeProvider, node)
        return parent

    def _scope(self, node: cst.CSTNode) -> Optional[Scope]:
        scope: Optional[Scope] = self.get_metadata(ScopeProvider, node, None)
        return scope

    def _is_wraps_call(self, call: cst.Call) -> Optional[str]:
        """'wraps' / 'update_wrapper' when ``call`` calls an imported one, else None.

        Accepts every import spelling (``wraps``, ``w`` from ``... import wraps as w``,
        ``functools.wraps``, ``ft.wraps``, a project module re-exporting it); rejects
        local functions and attributes of non-modules (``obj.wraps``).
        """
        func = call.func
        if isinstance(func, cst.Name):
            assignments = self._assignments_of(func)
            if not assignments:
                return None
            found: Optional[str] = None
            for assignment in assignments:
                node = assignment.node if isinstance(assignment, ImportAssignment) else None
                if not isinstance(node, cst.ImportFrom) or isinstance(node.names, cst.ImportStar):
                    return None
                for alias in node.names:
                    if alias.evaluated_alias == func.value or (
                        alias.asname is None and alias.evaluated_name == func.value
                    ):
                        if alias.evaluated_name in WRAPS_NAMES:
                            found = alias.evaluated_name
            return found
        if isinstance(func, cst.Attribute) and func.attr.value in WRAPS_NAMES:
            base: cst.BaseExpression = func.value
            while isinstance(base, cst.Attribute):
                base = base.value
            if not isinstance(base, cst.Name):
                return None
            assignments = self._assignments_of(base)
            if assignments and all(isinstance(a, ImportAssignment)
                                   and isinstance(a.node, cst.Import) for a in assignments):
                return func.attr.value
        return None

    def _assignments_of(self, name: cst.Name) -> Collection[BaseAssignment]:
        scope = self._scope(name)
        if scope is None:
            return ()
        for access in scope.accesses[name]:
            return access.referents
        return scope[name.value]

    def _import_binding(
        self, call: cst.Call
    ) -> Optional[Tuple[str, Optional[str], Optional[str]]]:
        """(module, obj, asname) of the import that binds the called name."""
        node: cst.BaseExpression = call.func
        while isinstance(node, cst.Attribute):
            node = node.value
        if not isinstance(node, cst.Name):
            return None
        scope = self._scope(node)
        if scope is None:
            return None
        assignments = scope[node.value]
        if len(assignments) != 1:
            return None
        (assignment,) = assignments
        if not isinstance(assignment, ImportAssignment):
            return None
        imp = assignment.node
        if isinstance(imp, cst.ImportFrom):
            if isinstance(imp.names, cst.ImportStar):
                return None
            if imp.relative:
                module = get_absolute_module_from_package_for_import(_RELATIVE_BASE, imp)
            else:
                module = _dotted(imp.module) if imp.module is not None else None
            if not module:
                return None
            for alias in imp.names:
                if alias.evaluated_alias == node.value or (
                    alias.asname is None and alias.evaluated_name == node.value
                ):
                    return (module, alias.evaluated_name, alias.evaluated_alias)
        elif isinstance(imp, cst.Import):
            for ialias in imp.names:
                if ialias.asname is not None and ialias.evaluated_alias == node.value:
                    return (ialias.evaluated_name, None, ialias.evaluated_alias)
                if ialias.asname is None and ialias.evaluated_name.split(".")[0] == node.value:
                    return (ialias.evaluated_name, None, None)
        return None

    def _check_builtin(self, at: cst.CSTNode, name: str, module_import: bool) -> None:
        """``name`` must resolve to the builtin / to ``import sys`` where we emit code."""
        scope = self._scope(at)
        if scope is None:
            raise _Unfixable("no scope information")
        for assignment in scope[name]:
            if isinstance(assignment, BuiltinAssignment):
                continue
            if module_import and isinstance(assignment, ImportAssignment) and isinstance(
                assignment.node, cst.Import
            ) and any(a.asname is None and a.evaluated_name == name
                      for a in assignment.node.names):
                continue
            raise _Unfixable(f"the name {name!r} is rebound in this module")

    def _wrapped_expr(self, node: cst.BaseExpression) -> Tuple[str, str]:
        """(code, unsafe reason) of the wrapped expression; raises _Unfixable."""
        if isinstance(node, cst.Lambda):
            raise _Unfixable("the wrapped object is a lambda")
        if isinstance(node, cst.Name):
            return node.value, self._param_reason(node)
        dotted = _dotted(node)
        if dotted is not None:
            return dotted, (
                f"the wrapped object '{dotted}' is an attribute: it is evaluated once per "
                "attribute and may not be a plain function"
            )
        raise _Unfixable(
            "the wrapped expression may have side effects (it would be evaluated several times)"
        )

    def _param_reason(self, name: cst.Name) -> str:
        """'' if ``name`` is a parameter of an enclosing function, never rebound."""
        scope = self._scope(name)
        why = (f"'{name.value}' is not a parameter of the enclosing function, so it may not be "
               "a plain function (a partial, a class or a callable instance)")
        if scope is None:
            return why
        assignments = scope[name.value]
        if len(assignments) != 1:
            if any(isinstance(a, Assignment) and isinstance(a.node, cst.Param)
                   for a in assignments):
                return (f"the parameter '{name.value}' is rebound in the function, so it may "
                        "not be a plain function")
            return why
        (assignment,) = assignments
        if not isinstance(assignment, Assignment) or not isinstance(assignment.node, cst.Param):
            return why
        param = assignment.node
        params = self._parent(param)
        if isinstance(params, cst.Parameters) and (
            params.star_arg is param or params.star_kwarg is param
        ):
            return f"'{name.value}' is a *args/**kwargs parameter"
        if param.annotation is not None:
            ann = param.annotation.annotation
            base = ann.value if isinstance(ann, cst.Subscript) else ann
            dotted = _dotted(base)
            if dotted in _CLASS_ANNOTATIONS:
                return f"the parameter '{name.value}' is annotated as a class"
        inspected = self._inspected_by(assignment)
        if inspected:
            # e.g. Django's method_decorator: ``hasattr(decorator, "__name__")`` says
            # that a partial or a callable object is expected too.
            return (f"the code checks what '{name.value}' is ({inspected}(...)), so it may "
                    "not be a plain function")
        return ""

    def _inspected_by(self, assignment: Assignment) -> str:
        """Name of a type/attribute check applied to the parameter anywhere, or ''."""
        for access in assignment.references:
            node: cst.CSTNode = access.node
            arg = self._parent(node)
            call = self._parent(arg) if isinstance(arg, cst.Arg) else None
            if isinstance(call, cst.Call):
                func = _dotted(call.func) or ""
                if func.rsplit(".", 1)[-1] in _INSPECTIONS:
                    return func
        return ""

    def _wraps_args(self, call: cst.Call, kind: str) -> Tuple[cst.BaseExpression, ...]:
        """The (wrapper, wrapped) / (wrapped,) argument expressions; raises _Unfixable."""
        names = ("wrapper", "wrapped") if kind == "update_wrapper" else ("wrapped",)
        values: Dict[str, cst.BaseExpression] = {}
        positional = 0
        for arg in call.args:
            if arg.star:
                raise _Unfixable("*args/**kwargs in the call")
            if arg.keyword is None:
                if positional >= len(names):
                    raise _Unfixable("custom assigned/updated arguments change the attribute set")
                values[names[positional]] = arg.value
                positional += 1
            elif arg.keyword.value in names and arg.keyword.value not in values:
                values[arg.keyword.value] = arg.value
            elif arg.keyword.value in ("assigned", "updated"):
                raise _Unfixable("custom assigned/updated arguments change the attribute set")
            else:
                raise _Unfixable(f"unexpected argument {arg.keyword.value!r}")
        if len(values) != len(names):
            raise _Unfixable("missing arguments")
        return tuple(values[n] for n in names)

    def _statement_line(self, expr_owner: cst.CSTNode) -> cst.SimpleStatementLine:
        line = self._parent(expr_owner)
        if not isinstance(line, cst.SimpleStatementLine):
            raise _Unfixable("the statement shares its line with a compound statement header")
        if len(line.body) != 1:
            raise _Unfixable("the statement shares its line with other statements (';')")
        return line

    def _wrapper_target(self, node: cst.BaseExpression) -> Tuple[str, str]:
        """(code, unsafe reason) for the wrapper expression of the call forms."""
        if isinstance(node, cst.Lambda):
            raise _Unfixable("the wrapper is a lambda")
        if isinstance(node, cst.Name):
            return node.value, ""
        dotted = _dotted(node)
        if dotted is not None:
            return dotted, (f"the wrapper '{dotted}' is an attribute, evaluated once per "
                            "assignment")
        raise _Unfixable("the wrapper expression may have side effects")

    # -- planning --------------------------------------------------------------

    def visit_Call(self, node: cst.Call) -> None:
        pos: CodeRange = self.get_metadata(PositionProvider, node)
        site = (pos.start.line, pos.start.column)
        if site not in self.wanted or site in self.results:
            return
        kind = self._is_wraps_call(node)
        if kind is None:
            # ``wraps(f)(inner)``: the outer call starts where the inner one does
            return
        try:
            plan = self._plan(node, site, kind)
        except _Unfixable as exc:
            self.results[site] = SiteResult(site[0], site[1], Status.UNFIXABLE, str(exc))
            return
        plan.import_binding = self._import_binding(node)
        self.plans.append(plan)

    def _plan(self, call: cst.Call, site: Site, kind: str) -> _Plan:
        parent = self._parent(call)
        if kind == "wraps":
            (wrapped_node,) = self._wraps_args(call, kind)
            if isinstance(parent, cst.Decorator):
                return self._plan_decorator(call, parent, wrapped_node, site)
            if isinstance(parent, cst.Call) and parent.func is call:
                if len(parent.args) != 1 or parent.args[0].keyword or parent.args[0].star:
                    raise _Unfixable("wraps(...)(...) must take exactly one positional argument")
                return self._plan_statement(parent, parent.args[0].value, wrapped_node, site)
            raise _Unfixable("wraps(...) is used as a value, not applied directly")
        wrapper_node, wrapped_node = self._wraps_args(call, kind)
        return self._plan_statement(call, wrapper_node, wrapped_node, site)

    def _plan_decorator(self, call: cst.Call, dec: cst.Decorator,
                        wrapped_node: cst.BaseExpression, site: Site) -> _Plan:
        owner = self._parent(dec)
        if not isinstance(owner, cst.FunctionDef):
            raise _Unfixable("@wraps on a class: update_wrapper cannot update a class __dict__")
        if owner.decorators[0] is not dec:
            raise _Unfixable(
                "@wraps is not the outermost decorator: the decorators above it would "
                "receive a different object"
            )
        wrapped, reason = self._wrapped_expr(wrapped_node)
        if wrapped.split(".", 1)[0] == owner.name.value:
            raise _Unfixable(
                f"the wrapper '{owner.name.value}' shadows the wrapped name '{wrapped}'"
            )
        self._check_emission(owner)
        return _Plan(site, owner.name.value, wrapped, reason, funcdef=owner)

    def _plan_statement(self, call: cst.Call, wrapper_node: cst.BaseExpression,
                        wrapped_node: cst.BaseExpression, site: Site) -> _Plan:
        """``call`` applies update_wrapper(wrapper, wrapped); it must be a whole statement."""
        owner = self._parent(call)
        tail: Optional[cst.BaseSmallStatement] = None
        wrapper, wreason = self._wrapper_target(wrapper_node)
        wrapped, reason = self._wrapped_expr(wrapped_node)
        if isinstance(owner, cst.Expr):
            stmt: cst.BaseSmallStatement = owner
        elif isinstance(owner, cst.Return):
            stmt = owner
            tail = owner.with_changes(value=wrapper_node)
        elif isinstance(owner, cst.Assign):
            stmt = owner
            tail = owner.with_changes(value=wrapper_node)
        else:
            raise _Unfixable("the result of the call is used inside an expression")
        line = self._statement_line(stmt)
        if wrapper == wrapped:
            raise _Unfixable("wrapper and wrapped are the same object")
        self._check_emission(line)
        return _Plan(site, wrapper, wrapped, reason or wreason, line=line, tail=tail)

    def _check_emission(self, at: cst.CSTNode) -> None:
        self._check_builtin(at, "setattr", module_import=False)
        self._check_builtin(at, "sys", module_import=True)


# --------------------------------------------------------------------------- applying


def _drop_outermost_decorator(fn: cst.FunctionDef) -> cst.FunctionDef:
    """Remove the first decorator, keeping its comments (above it and on its line)."""
    dropped, *decorators = fn.decorators
    carried = list(dropped.leading_lines)
    comment = dropped.trailing_whitespace.comment
    if comment is not None:
        carried.append(cst.EmptyLine(indent=True, comment=comment))
    if decorators:  # the comments go above the next decorator
        nxt = decorators[0]
        decorators[0] = nxt.with_changes(leading_lines=[*carried, *nxt.leading_lines])
        return fn.with_changes(decorators=decorators)
    return fn.with_changes(
        decorators=(),
        leading_lines=[*fn.leading_lines, *carried, *fn.lines_after_decorators],
        lines_after_decorators=(),
    )


class _Applier(cst.CSTTransformer):
    def __init__(self, plans: Sequence[_Plan], target: TargetVersions,
                 config: cst.PartialParserConfig) -> None:
        super().__init__()
        self.by_def: Dict[int, _Plan] = {id(p.funcdef): p for p in plans if p.funcdef}
        self.by_line: Dict[int, _Plan] = {id(p.line): p for p in plans if p.line}
        self.target = target
        self.config = config
        self.needs_sys = False

    def _emit(self, plan: _Plan) -> List[cst.BaseStatement]:
        code, needs_sys = attribute_statements(plan.wrapper, plan.wrapped, self.target)
        self.needs_sys = self.needs_sys or needs_sys
        return _statements(code, self.config)

    def leave_FunctionDef(
        self, original_node: cst.FunctionDef, updated_node: cst.FunctionDef
    ) -> Union[cst.BaseStatement, cst.FlattenSentinel[cst.BaseStatement]]:
        plan = self.by_def.get(id(original_node))
        if plan is None:
            return updated_node
        new_def = _drop_outermost_decorator(updated_node)
        return cst.FlattenSentinel([new_def, *self._emit(plan)])

    def leave_SimpleStatementLine(
        self, original_node: cst.SimpleStatementLine, updated_node: cst.SimpleStatementLine
    ) -> Union[cst.BaseStatement, cst.FlattenSentinel[cst.BaseStatement],
               cst.RemovalSentinel]:
        plan = self.by_line.get(id(original_node))
        if plan is None:
            return updated_node
        stmts = self._emit(plan)
        if plan.tail is not None:
            stmts.append(cst.SimpleStatementLine(body=[plan.tail]))
        first = stmts[0]
        assert isinstance(first, cst.SimpleStatementLine)
        stmts[0] = first.with_changes(
            leading_lines=updated_node.leading_lines,
            trailing_whitespace=updated_node.trailing_whitespace,
        )
        return cst.FlattenSentinel(stmts)


def _imports_sys(stmt: cst.BaseStatement) -> bool:
    if not isinstance(stmt, cst.SimpleStatementLine):
        return False
    return any(isinstance(small, cst.Import) and any(
        a.asname is None and a.evaluated_name == "sys" for a in small.names)
        for small in stmt.body)


def _import_kind(stmt: cst.BaseStatement) -> Optional[cst.BaseSmallStatement]:
    if isinstance(stmt, cst.SimpleStatementLine) and len(stmt.body) == 1 and isinstance(
            stmt.body[0], (cst.Import, cst.ImportFrom)):
        return stmt.body[0]
    return None


def _add_import_sys(tree: cst.Module, command: CodemodCommand) -> cst.Module:
    """Add ``import sys`` where isort would put it in the first import block.

    That is before the first ``from`` import or the first ``import x`` sorting after
    ``sys`` in the module's first run of import lines (``from __future__`` skipped);
    a blank line ends the run.  Without top-level imports, AddImportsVisitor decides.
    """
    body = list(tree.body)
    if any(_imports_sys(stmt) for stmt in body):
        return tree
    n = len(body)
    i = 0
    while i < n:
        small = _import_kind(body[i])
        if small is not None and not (isinstance(small, cst.ImportFrom) and small.module
                                      is not None and _dotted(small.module) == "__future__"):
            break
        i += 1
    if i == n:
        command.add_needed_import("sys")
        return tree
    new_import = cst.SimpleStatementLine(
        body=[cst.Import(names=[cst.ImportAlias(name=cst.Name("sys"))])])
    j = i
    while j < n:
        stmt = body[j]
        small = _import_kind(stmt)
        if small is None or (j > i and any(
                isinstance(ln, cst.EmptyLine) and ln.comment is None
                for ln in stmt.leading_lines)):
            break
        if isinstance(small, cst.ImportFrom) or (isinstance(small, cst.Import) and any(
                a.evaluated_name > "sys" for a in small.names)):
            body[j] = stmt.with_changes(leading_lines=())
            body.insert(j, new_import.with_changes(leading_lines=stmt.leading_lines))
            return tree.with_changes(body=body)
        j += 1
    body.insert(j, new_import)
    return tree.with_changes(body=body)


# --------------------------------------------------------------------------- entry points


class WrapsRewriteCommand(CodemodCommand):
    """Codemod rewriting the wraps/update_wrapper calls at ``sites`` (see module doc)."""

    DESCRIPTION: str = "Rewrite functools.wraps/update_wrapper into explicit attribute assignments."
    METADATA_DEPENDENCIES = (PositionProvider, ScopeProvider, ParentNodeProvider)

    def __init__(self, context: CodemodContext, sites: Collection[Site],
                 target: TargetVersions, unsafe: bool = False) -> None:
        super().__init__(context)
        self.sites: Collection[Site] = sites
        self.target = target
        self.unsafe = unsafe
        self.results: Tuple[SiteResult, ...] = ()
        self.import_bindings: List[Tuple[str, Optional[str], Optional[str]]] = []

    def transform_module_impl(self, tree: cst.Module) -> cst.Module:
        planner = _Planner(self.sites)
        wrapper = self.context.wrapper
        if wrapper is None or wrapper.module is not tree:
            wrapper = MetadataWrapper(tree, unsafe_skip_copy=True)
        wrapper.visit(planner)
        results = dict(planner.results)
        chosen: List[_Plan] = []
        for plan in planner.plans:
            line, col = plan.site
            if plan.unsafe_reason and not self.unsafe:
                results[plan.site] = SiteResult(line, col, Status.SKIPPED_UNSAFE,
                                                plan.unsafe_reason)
                continue
            status = Status.FIXED_UNSAFE if plan.unsafe_reason else Status.FIXED
            results[plan.site] = SiteResult(line, col, status, plan.unsafe_reason)
            chosen.append(plan)
        for site in self.sites:
            if site not in results:
                results[site] = SiteResult(site[0], site[1], Status.NOT_FOUND,
                                           "no wraps/update_wrapper call at this position")
        self.results = tuple(results[s] for s in sorted(results))
        if not chosen:
            return tree
        applier = _Applier(chosen, self.target, tree.config_for_parsing)
        new_tree = tree.visit(applier)
        if applier.needs_sys:
            new_tree = _add_import_sys(new_tree, self)
        self.import_bindings = sorted(
            {p.import_binding for p in chosen if p.import_binding}, key=repr)
        return new_tree

    def transform_module(self, tree: cst.Module) -> cst.Module:
        self.import_bindings = []
        new_tree = super().transform_module(tree)
        # One RemoveImportsVisitor per binding: given ``import functools`` and
        # ``import functools as ft`` together, one visitor removes only one of them.
        before_removal = new_tree
        removal = CodemodContext(filename=self.context.filename,
                                 full_package_name=_RELATIVE_BASE)
        for binding in self.import_bindings:
            new_tree = RemoveImportsVisitor(removal, [binding]).transform_module(new_tree)
        new_tree = _keep_comments_of_removed(before_removal, new_tree)
        # When the module's first statement was an import that is now gone, the
        # blank lines that separated it from the code would open the file.
        if (tree.body and new_tree.body and _import_kind(tree.body[0]) is not None
                and not new_tree.body[0].deep_equals(tree.body[0])
                and not new_tree.header):
            first = new_tree.body[0]
            lines = list(first.leading_lines)
            while lines and lines[0].comment is None:
                lines.pop(0)
            if len(lines) != len(first.leading_lines):
                new_tree = new_tree.with_changes(
                    body=[first.with_changes(leading_lines=lines), *new_tree.body[1:]])
        return new_tree


def _keep_comments_of_removed(before: cst.Module, after: cst.Module) -> cst.Module:
    """Move the comments above an import statement that was removed onto the
    statement that now follows them (libcst drops them with the statement), and
    keep a blank line that separated import groups (``from __future__ ...``)."""
    if len(after.body) >= len(before.body):
        return after
    body = list(after.body)
    j = 0
    carry: List[cst.EmptyLine] = []
    for stmt in before.body:
        kept = j < len(body) and (body[j].deep_equals(stmt) or (
            _import_kind(stmt) is not None and _import_kind(body[j]) is not None
            and isinstance(stmt, cst.SimpleStatementLine)
            and isinstance(body[j], cst.SimpleStatementLine)
            and body[j].leading_lines == stmt.leading_lines))
        if kept:
            node = body[j]
            if any(line.comment is not None for line in carry) or (
                    carry and not node.leading_lines):
                body[j] = node.with_changes(leading_lines=[*carry, *node.leading_lines])
            carry = []
            j += 1
        elif isinstance(stmt, cst.SimpleStatementLine):
            carry += stmt.leading_lines  # with the blank lines around a comment
    if any(line.comment is not None for line in carry):  # after the last statement
        after = after.with_changes(footer=[*carry, *after.footer])
    return after.with_changes(body=body)


def rewrite_module(
    module: cst.Module, sites: Collection[Site], target: TargetVersions,
    *, unsafe: bool = False, filename: Optional[str] = None,
) -> Tuple[cst.Module, Tuple[SiteResult, ...]]:
    """Rewrite the sites of a parsed module (no verification, no I/O)."""
    command = WrapsRewriteCommand(CodemodContext(filename=filename), sites, target, unsafe)
    new_module = command.transform_module(module)
    return new_module, command.results


def verify_source(source: bytes, filename: str = "<rewritten>") -> None:
    """Raise RewriteError unless ``source`` parses with libcst and ast and compiles."""
    try:
        cst.parse_module(source)
        tree = ast.parse(source, filename=filename)
        compile(tree, filename, "exec", dont_inherit=True)
    except (cst.ParserSyntaxError, SyntaxError, ValueError) as exc:
        raise RewriteError(f"rewritten code does not compile: {exc}") from exc


def rewrite_source(
    source: bytes, sites: Collection[Site], *, target: TargetVersions,
    unsafe: bool = False, filename: str = "<unknown>",
) -> RewriteResult:
    """Rewrite the wraps/update_wrapper calls at ``sites`` of one module.

    ``source`` is the file's bytes (BOM, encoding cookie and line endings are kept).
    Raises ``libcst.ParserSyntaxError`` if the input does not parse and
    :class:`RewriteError` if the output would not compile.
    """
    if len(source) > MAX_REWRITE_BYTES:
        raise RewriteError(f"{len(source) // 1024} KiB is more than the fixer rewrites "
                           f"({MAX_REWRITE_BYTES // 1024} KiB): libcst needs about a GiB of "
                           "memory per MiB of source; not rewritten")
    try:
        module = cst.parse_module(source)
    except ValueError as exc:  # e.g. a form feed in an indentation libcst rejects
        raise RewriteError(f"libcst cannot parse this file ({exc}); not rewritten") from exc
    if module.bytes != source:
        # libcst drops a few bytes it cannot represent (a form feed before a
        # statement); rewriting would change code outside the sites.
        raise RewriteError("libcst cannot reproduce this file byte for byte (e.g. a form "
                           "feed before a statement); not rewritten")
    try:
        new_module, results = rewrite_module(module, sites, target, unsafe=unsafe,
                                             filename=filename)
    except ValueError as exc:  # libcst rejects the file's indentation for new code
        raise RewriteError(f"libcst cannot parse this file ({exc}); not rewritten") from exc
    if not any(r.applied for r in results):
        return RewriteResult(source, False, results)
    new_source = new_module.bytes
    verify_source(new_source, filename)
    return RewriteResult(new_source, new_source != source, results)


def find_wraps_calls(source: Union[bytes, str]) -> List[Site]:
    """Positions of every call of a name spelled wraps/update_wrapper (any import).

    A stand-in for the project index's ``WrapSite`` positions (used by tests and
    by ``--all`` without an index): it includes aliases imported from functools.
    """
    module = cst.parse_module(source)
    wrapper = MetadataWrapper(module, unsafe_skip_copy=True)
    collector = _Collector()
    wrapper.visit(collector)
    return collector.sites


class _Collector(_Planner):
    def __init__(self) -> None:
        super().__init__(())
        self.sites: List[Site] = []

    def visit_Call(self, node: cst.Call) -> None:
        if self._is_wraps_call(node):
            pos: CodeRange = self.get_metadata(PositionProvider, node)
            self.sites.append((pos.start.line, pos.start.column))


def results_by_site(results: Sequence[SiteResult]) -> Mapping[Site, SiteResult]:
    return {(r.line, r.column): r for r in results}


__all__ = [
    "RewriteError", "RewriteResult", "Site", "SiteResult", "Status", "WrapsRewriteCommand",
    "attribute_statements", "find_wraps_calls", "results_by_site", "rewrite_module",
    "rewrite_source", "verify_source",
]
