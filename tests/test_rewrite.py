"""Before/after pairs for every shape the rewrite handles (flake8_hotwrap.rewrite).

Sites are found with ``find_wraps_calls`` (the positions the project index reports
for the same calls), so these tests exercise the rewrite alone.  In an expected
text, a line ``@@attrs W F@@`` stands for the attribute block of
``update_wrapper(W, F)`` at that line's indentation for the default target
(3.9 and newer); the block itself is pinned literally in ``test_attribute_block_*``.
"""
from __future__ import annotations

import ast
import re
import textwrap
from typing import List, Optional, Sequence, Tuple

import libcst as cst
import pytest

from libcst.codemod import CodemodContext

from flake8_hotwrap.rewrite import (
    MAX_REWRITE_BYTES, RewriteError, SiteResult, Status, WrapsRewriteCommand,
    attribute_statements, find_wraps_calls, rewrite_source, verify_source,
)
from flake8_hotwrap.targets import TargetVersions, parse_requires_python, parse_target_version

PY39_PLUS = TargetVersions((3, 9))
PLACEHOLDER = re.compile(r"^(?P<indent>[ \t]*)@@attrs (?P<w>\S+) (?P<f>\S+)@@$", re.M)


def expand(text: str, target: TargetVersions = PY39_PLUS) -> str:
    def block(m: "re.Match[str]") -> str:
        code, _ = attribute_statements(m["w"], m["f"], target)
        return textwrap.indent(code, m["indent"]).rstrip("\n")
    return PLACEHOLDER.sub(block, textwrap.dedent(text).lstrip("\n"))


def fix(source: str, target: TargetVersions = PY39_PLUS, unsafe: bool = False,
        sites: Optional[Sequence[Tuple[int, int]]] = None) -> Tuple[str, List[SiteResult]]:
    data = textwrap.dedent(source).lstrip("\n").encode()
    found = find_wraps_calls(data) if sites is None else sites
    result = rewrite_source(data, found, target=target, unsafe=unsafe)
    return result.source.decode(), list(result.sites)


# --------------------------------------------------------------------- the attribute block

def test_attribute_block_spanning_312_and_314_uses_version_guards() -> None:
    code, needs_sys = attribute_statements("w", "f", TargetVersions((3, 9)))
    assert needs_sys
    assert code == textwrap.dedent("""\
        w.__module__ = f.__module__
        w.__name__ = f.__name__
        w.__qualname__ = f.__qualname__
        w.__doc__ = f.__doc__
        if sys.version_info >= (3, 14):
            w.__annotate__ = f.__annotate__
        else:
            w.__annotations__ = f.__annotations__
        if sys.version_info >= (3, 12):
            w.__type_params__ = f.__type_params__
        w.__dict__.update(f.__dict__)
        setattr(w, "__wrapped__", f)
        """)


@pytest.mark.parametrize("target, middle, needs_sys", [
    ("3.9-3.11", ["w.__annotations__ = f.__annotations__"], False),
    ("3.12-3.13", ["w.__annotations__ = f.__annotations__",
                   "w.__type_params__ = f.__type_params__"], False),
    ("py314", ["w.__annotate__ = f.__annotate__", "w.__type_params__ = f.__type_params__"],
     False),
    ("3.10-3.12", ["w.__annotations__ = f.__annotations__",
                   "if sys.version_info >= (3, 12):",
                   "    w.__type_params__ = f.__type_params__"], True),
    ("3.12", ["if sys.version_info >= (3, 14):", "    w.__annotate__ = f.__annotate__",
              "else:", "    w.__annotations__ = f.__annotations__",
              "w.__type_params__ = f.__type_params__"], True),
    ("3.13-3.14", ["if sys.version_info >= (3, 14):", "    w.__annotate__ = f.__annotate__",
                   "else:", "    w.__annotations__ = f.__annotations__",
                   "w.__type_params__ = f.__type_params__"], True),
])
def test_attribute_block_per_target(target: str, middle: List[str], needs_sys: bool) -> None:
    code, sys_needed = attribute_statements("w", "f", parse_target_version(target))
    lines = code.splitlines()
    assert lines[:4] == ["w.__module__ = f.__module__", "w.__name__ = f.__name__",
                         "w.__qualname__ = f.__qualname__", "w.__doc__ = f.__doc__"]
    assert lines[4:-2] == middle
    assert lines[-2:] == ["w.__dict__.update(f.__dict__)", 'setattr(w, "__wrapped__", f)']
    assert sys_needed is needs_sys


@pytest.mark.parametrize("spec, expected", [
    (">=3.9", TargetVersions((3, 9))),
    (">=3.8, <3.12", TargetVersions((3, 8), (3, 11))),
    (">=3.10,<=3.13", TargetVersions((3, 10), (3, 13))),
    ("~=3.11", TargetVersions((3, 11))),
    ("==3.12.*", TargetVersions((3, 12), (3, 12))),
    (">3.9, !=3.10.1", TargetVersions((3, 9))),
])
def test_requires_python(spec: str, expected: TargetVersions) -> None:
    assert parse_requires_python(spec) == expected


@pytest.mark.parametrize("text, expected", [
    ("py39", TargetVersions((3, 9))), ("3.13", TargetVersions((3, 13))),
    ("PY312", TargetVersions((3, 12))), ("3.9-3.13", TargetVersions((3, 9), (3, 13))),
    ("py310-py311", TargetVersions((3, 10), (3, 11))),
])
def test_target_version_syntax(text: str, expected: TargetVersions) -> None:
    assert parse_target_version(text) == expected


@pytest.mark.parametrize("text", ["python3", "3.13-3.9", "3.x", ""])
def test_target_version_rejects(text: str) -> None:
    with pytest.raises(ValueError):
        parse_target_version(text)


# --------------------------------------------------------------------- safe fixes: shapes

SAFE = [
    pytest.param("""
        from functools import wraps


        def with_route_exceptions(route):
            @wraps(route)
            def wrapped_route(*args, **kwargs):
                return route(*args, **kwargs)

            return wrapped_route
        """, """
        import sys


        def with_route_exceptions(route):
            def wrapped_route(*args, **kwargs):
                return route(*args, **kwargs)
            @@attrs wrapped_route route@@

            return wrapped_route
        """, id="plain"),
    pytest.param("""
        import functools
        import logging


        def retry(times):
            def decorator(func):
                @functools.wraps(func)
                async def wrapper(*args, **kwargs):
                    for _ in range(times):
                        try:
                            return await func(*args, **kwargs)
                        except OSError:
                            logging.warning("retrying")
                    return await func(*args, **kwargs)
                return wrapper
            return decorator
        """, """
        import logging
        import sys


        def retry(times):
            def decorator(func):
                async def wrapper(*args, **kwargs):
                    for _ in range(times):
                        try:
                            return await func(*args, **kwargs)
                        except OSError:
                            logging.warning("retrying")
                    return await func(*args, **kwargs)
                @@attrs wrapper func@@
                return wrapper
            return decorator
        """, id="factory-async-import-functools"),
    pytest.param("""
        import functools as ft
        from collections import Counter


        class Meter:
            def __init__(self):
                self.counts = Counter()

            def __call__(self, bucket="default"):
                def decorator(handler):
                    @ft.wraps(handler)
                    def wrapper(*args, **kwargs):
                        self.counts[bucket] += 1
                        return handler(*args, **kwargs)

                    return wrapper

                return decorator


        meter = Meter()
        """, """
        import sys
        from collections import Counter


        class Meter:
            def __init__(self):
                self.counts = Counter()

            def __call__(self, bucket="default"):
                def decorator(handler):
                    def wrapper(*args, **kwargs):
                        self.counts[bucket] += 1
                        return handler(*args, **kwargs)
                    @@attrs wrapper handler@@

                    return wrapper

                return decorator


        meter = Meter()
        """, id="callable-instance-import-as"),
    pytest.param("""
        import functools


        class cached_view:
            def __init__(self, view):
                functools.update_wrapper(self, view)  # look like the view
                self.view = view

            def __call__(self, *args):
                return self.view(*args)
        """, """
        import sys


        class cached_view:
            def __init__(self, view):
                self.__module__ = view.__module__  # look like the view
                self.__name__ = view.__name__
                self.__qualname__ = view.__qualname__
                self.__doc__ = view.__doc__
                if sys.version_info >= (3, 14):
                    self.__annotate__ = view.__annotate__
                else:
                    self.__annotations__ = view.__annotations__
                if sys.version_info >= (3, 12):
                    self.__type_params__ = view.__type_params__
                self.__dict__.update(view.__dict__)
                setattr(self, "__wrapped__", view)
                self.view = view

            def __call__(self, *args):
                return self.view(*args)
        """, id="class-based-update_wrapper"),
    pytest.param("""
        from functools import wraps


        def per_call(f):
            @wraps(f)
            def outer(*args):
                @wraps(f)
                def inner():
                    return f(*args)
                return inner()
            return outer
        """, """
        import sys


        def per_call(f):
            def outer(*args):
                def inner():
                    return f(*args)
                @@attrs inner f@@
                return inner()
            @@attrs outer f@@
            return outer
        """, id="nested"),
    pytest.param("""
        from functools import wraps


        class Auth:
            @staticmethod
            def require_admin(view):
                @wraps(view)
                def checked(*args, **kwargs):
                    return view(*args, **kwargs)
                return checked

            def audited(self, view):
                @wraps(view)
                def logged(*args, **kwargs):
                    return view(*args, **kwargs)
                return logged
        """, """
        import sys


        class Auth:
            @staticmethod
            def require_admin(view):
                def checked(*args, **kwargs):
                    return view(*args, **kwargs)
                @@attrs checked view@@
                return checked

            def audited(self, view):
                def logged(*args, **kwargs):
                    return view(*args, **kwargs)
                @@attrs logged view@@
                return logged
        """, id="methods"),
    pytest.param("""
        from functools import wraps
        from contextlib import contextmanager


        def deco(f):
            # keep this comment
            @wraps(f)  # and this one
            # and the one between
            @contextmanager
            def cm(*args):
                yield f(*args)
            return cm
        """, """
        import sys
        from contextlib import contextmanager


        def deco(f):
            # keep this comment
            # and this one
            # and the one between
            @contextmanager
            def cm(*args):
                yield f(*args)
            @@attrs cm f@@
            return cm
        """, id="stacked-wraps-outermost-comments-between"),
    pytest.param("""
        from functools import wraps as _wraps, partial


        def deco(f):
            @_wraps(f)
            def w():
                return partial(f)()
            return w
        """, """
        import sys
        from functools import partial


        def deco(f):
            def w():
                return partial(f)()
            @@attrs w f@@
            return w
        """, id="import-as-with-other-names"),
    pytest.param("""
        import sys
        from functools import wraps


        def deco(f):
            @wraps(f)
            def w():
                return f()
            return w


        KEEP = wraps
        """, """
        import sys
        from functools import wraps


        def deco(f):
            def w():
                return f()
            @@attrs w f@@
            return w


        KEEP = wraps
        """, id="import-kept-when-still-used"),
    pytest.param("""
        from functools import update_wrapper, wraps


        def a(f):
            def w():
                return f()
            return update_wrapper(w, f)


        def b(f):
            def w():
                return f()
            wrapped = wraps(f)(w)
            return wrapped


        def c(f):
            def w():
                return f()
            wraps(f)(w)
            return w


        def d(f):
            def w():
                return f()
            return wraps(wrapped=f)(w)


        def e(f):
            def w():
                return f()
            update_wrapper(wrapper=w, wrapped=f)
            return w
        """, """
        import sys


        def a(f):
            def w():
                return f()
            @@attrs w f@@
            return w


        def b(f):
            def w():
                return f()
            @@attrs w f@@
            wrapped = w
            return wrapped


        def c(f):
            def w():
                return f()
            @@attrs w f@@
            return w


        def d(f):
            def w():
                return f()
            @@attrs w f@@
            return w


        def e(f):
            def w():
                return f()
            @@attrs w f@@
            return w
        """, id="call-forms"),
    pytest.param('''
        """Module docstring."""
        from __future__ import annotations

        from functools import wraps
        from typing import Any, Callable


        def deco(f: Callable[..., Any]) -> Callable[..., Any]:
            @wraps(f)
            def w(*args: Any) -> Any:
                return f(*args)
            return w
        ''', '''
        """Module docstring."""
        from __future__ import annotations

        import sys
        from typing import Any, Callable


        def deco(f: Callable[..., Any]) -> Callable[..., Any]:
            def w(*args: Any) -> Any:
                return f(*args)
            @@attrs w f@@
            return w
        ''', id="docstring-future-import"),
    pytest.param("""
        import functools
        import os


        def deco(f):
            @functools.wraps(f)
            def w():
                return f()
            return w
        """, """
        import os
        import sys


        def deco(f):
            def w():
                return f()
            @@attrs w f@@
            return w
        """, id="sys-sorted-after-os"),
]


@pytest.mark.parametrize("before, after", SAFE)
def test_safe_rewrites(before: str, after: str) -> None:
    out, results = fix(before)
    assert out == expand(after)
    assert results and all(r.status is Status.FIXED for r in results), results
    # idempotent: nothing left to rewrite, so a second run changes nothing
    assert find_wraps_calls(out) == []
    assert fix(out)[0] == out
    ast.parse(out)


def test_target_312_plus_emits_no_guard_and_no_import() -> None:
    before = """
        from functools import wraps


        def deco(f):
            @wraps(f)
            def w():
                return f()
            return w
        """
    target = parse_target_version("3.12-3.13")
    out, _ = fix(before, target=target)
    assert out == expand("""
        def deco(f):
            def w():
                return f()
            @@attrs w f@@
            return w
        """, target)
    assert "sys" not in out and "__type_params__" in out


def test_crlf_bom_and_coding_cookie_are_preserved() -> None:
    text = ("# -*- coding: utf-8 -*-\r\n"
            "from functools import wraps\r\n"
            "\r\n"
            "\r\n"
            "def deco(f):  # d\u00e9co\r\n"
            "    @wraps(f)\r\n"
            "    def w():\r\n"
            "        return f()\r\n"
            "\r\n"
            "    return w\r\n")
    data = b"\xef\xbb\xbf" + text.encode("utf-8")
    result = rewrite_source(data, find_wraps_calls(data), target=PY39_PLUS)
    assert result.changed
    assert result.source.startswith(b"\xef\xbb\xbf# -*- coding: utf-8 -*-\r\nimport sys\r\n")
    body = result.source[3:].decode("utf-8")
    assert "\n" not in body.replace("\r\n", "")
    assert body.replace("\r\n", "\n") == expand("""
        # -*- coding: utf-8 -*-
        import sys


        def deco(f):  # d\u00e9co
            def w():
                return f()
            @@attrs w f@@

            return w
        """)


def test_latin1_cookie_round_trips() -> None:
    text = ("# -*- coding: latin-1 -*-\n"
            "import functools\n"
            "def deco(f):\n"
            "    '''caf\u00e9'''\n"
            "    @functools.wraps(f)\n"
            "    def w():\n"
            "        return f()\n"
            "    return w\n")
    data = text.encode("latin-1")
    result = rewrite_source(data, find_wraps_calls(data), target=parse_target_version("3.9-3.11"))
    assert result.source.startswith(b"# -*- coding: latin-1 -*-\ndef deco(f):\n")  # no sys
    assert "caf\u00e9".encode("latin-1") in result.source
    verify_source(result.source)


def test_tabs_indentation_is_kept() -> None:
    out, _ = fix("from functools import wraps\ndef deco(f):\n\t@wraps(f)\n\tdef w():\n"
                 "\t\treturn f()\n\treturn w\n", target=parse_target_version("3.9-3.11"))
    assert "\n\tw.__module__ = f.__module__\n" in out
    assert "\n\tsetattr(w, \"__wrapped__\", f)\n\treturn w\n" in out


# --------------------------------------------------------------------- unsafe and unfixable

NOT_A_PARAMETER = ("'{}' is not a parameter of the enclosing function, so it may not be a plain "
                   "function (a partial, a class or a callable instance)")

#: (source, the exact reason reported for the site: the fixer prints it to users)
UNSAFE = [
    pytest.param("""
        from functools import wraps


        class Meter:
            def __init__(self, func):
                self.func = func

            def wrap(self):
                @wraps(self.func)
                def w():
                    return self.func()
                return w
        """, ("the wrapped object 'self.func' is an attribute: it is evaluated once per attribute "
              "and may not be a plain function"), id="wrapped-attribute"),
    pytest.param("""
        from functools import wraps


        def target():
            pass


        @wraps(target)
        def w():
            return target()
        """, NOT_A_PARAMETER.format("target"), id="module-global"),
    pytest.param("""
        from functools import wraps


        def deco(f):
            f = getattr(f, "__func__", f)

            @wraps(f)
            def w():
                return f()
            return w
        """, ("the parameter 'f' is rebound in the function, so it may not be a plain "
              "function"), id="param-rebound"),
    pytest.param("""
        from functools import wraps


        def deco(cls: type):
            @wraps(cls)
            def w():
                return cls()
            return w
        """, "the parameter 'cls' is annotated as a class", id="annotated-class"),
    pytest.param("""
        from functools import partial, wraps


        def deco(f):
            g = partial(f)

            @wraps(g)
            def w():
                return g()
            return w
        """, NOT_A_PARAMETER.format("g"), id="partial"),
    pytest.param("""
        from functools import partial, wraps


        def deco(f):
            g = partial(f)
            g = partial(g)

            @wraps(g)
            def w():
                return g()
            return w
        """, NOT_A_PARAMETER.format("g"), id="local-assigned-twice"),
    pytest.param("""
        from functools import wraps


        def deco(*funcs):
            @wraps(funcs)
            def w():
                return funcs[0]()
            return w
        """, "'funcs' is a *args/**kwargs parameter", id="star-args"),
    pytest.param("""
        from functools import wraps


        def deco(**options):
            @wraps(options)
            def w():
                return options
            return w
        """, "'options' is a *args/**kwargs parameter", id="star-kwargs"),
    pytest.param("""
        from functools import wraps
        from typing import Type


        def deco(view: Type[object]):
            @wraps(view)
            def w():
                return view()
            return w
        """, "the parameter 'view' is annotated as a class", id="annotated-Type-subscript"),
    pytest.param("""
        import typing
        from functools import wraps


        def deco(view: typing.Type):
            @wraps(view)
            def w():
                return view()
            return w
        """, "the parameter 'view' is annotated as a class", id="annotated-typing-Type"),
    pytest.param("""
        from functools import wraps


        def method_decorator(decorator):
            if not hasattr(decorator, "__name__"):
                pass

            @wraps(decorator)
            def w():
                return decorator
            return w
        """, ("the code checks what 'decorator' is (hasattr(...)), so it may not be a plain "
              "function"), id="inspected-hasattr"),
    pytest.param("""
        import inspect
        from functools import wraps


        def deco(view):
            @wraps(view)
            def w():
                if inspect.isclass(view):
                    return view()
                return view
            return w
        """, ("the code checks what 'view' is (inspect.isclass(...)), so it may not be a plain "
              "function"), id="inspected-inspect-isclass"),
    pytest.param("""
        from functools import update_wrapper


        class Holder:
            def __init__(self, f):
                def w():
                    return f()
                self.w = w
                update_wrapper(self.w, f)
        """, ("the wrapper 'self.w' is an attribute, evaluated once per "
              "assignment"), id="wrapper-attribute"),
    pytest.param("""
        from functools import update_wrapper


        class Holder:
            def __init__(self, f):
                def w():
                    return f()
                self.w = w
                update_wrapper(self.w, self.f)
        """, ("the wrapped object 'self.f' is an attribute: it is evaluated once per attribute "
              "and may not be a plain function"), id="both-attributes-wrapped-reason-first"),
]


@pytest.mark.parametrize("before, why", UNSAFE)
def test_unsafe_sites_are_skipped_unless_asked(before: str, why: str) -> None:
    out, results = fix(before)
    assert out == textwrap.dedent(before).lstrip("\n")
    assert [(r.status, r.reason) for r in results] == [(Status.SKIPPED_UNSAFE, why)]
    fixed, results = fix(before, unsafe=True)
    assert [(r.status, r.reason) for r in results] == [(Status.FIXED_UNSAFE, why)]
    assert "wraps" not in fixed and "update_wrapper" not in fixed
    assert re.search(r'\n *setattr\([\w.]+, "__wrapped__", [\w.]+\)\n', fixed)
    verify_source(fixed.encode())


#: (source, the exact reason reported for the site)
UNFIXABLE = [
    pytest.param("""
        import functools


        def deco(f):
            @functools.wraps(f, assigned=("__name__",))
            def w():
                return f()
            return w
        """, "custom assigned/updated arguments change the attribute set", id="custom-assigned"),
    pytest.param("""
        import functools


        def deco(f):
            def w():
                return f()
            return functools.update_wrapper(w, f, (), ())
        """, "custom assigned/updated arguments change the attribute set", id="custom-positional"),
    pytest.param("""
        from functools import wraps


        def deco(f):
            return wraps(f)(lambda *a: f(*a))
        """, "the wrapper is a lambda", id="lambda"),
    pytest.param("""
        from functools import wraps


        def deco(get):
            @wraps(get())
            def w():
                return 1
            return w
        """, ("the wrapped expression may have side effects (it would be evaluated several "
              "times)"), id="side-effects"),
    pytest.param("""
        from functools import wraps


        def deco(f):
            @other
            @wraps(f)
            def w():
                return f()
            return w
        """, ("@wraps is not the outermost decorator: the decorators above it would receive a "
              "different object"), id="not-outermost"),
    pytest.param("""
        from functools import wraps


        def deco(f):
            decorate = wraps(f)

            @decorate
            def w():
                return f()
            return w
        """, "wraps(...) is used as a value, not applied directly", id="wraps-as-value"),
    pytest.param("""
        from functools import wraps


        def deco(f):
            @wraps(f)
            class W:
                pass
            return W
        """, "@wraps on a class: update_wrapper cannot update a class __dict__", id="class"),
    pytest.param("""
        from functools import update_wrapper


        def deco(f):
            def w():
                return f()
            update_wrapper(w, f); return w
        """, "the statement shares its line with other statements (';')", id="semicolon"),
    pytest.param("""
        from functools import wraps


        def deco(f):
            @wraps(f)
            def f():
                return 1
            return f
        """, "the wrapper 'f' shadows the wrapped name 'f'", id="wrapper-shadows-wrapped"),
    pytest.param("""
        from functools import wraps


        def deco(view):
            @wraps(view.handler.func)
            def view():
                return 1
            return view
        """, ("the wrapper 'view' shadows the wrapped name "
              "'view.handler.func'"), id="wrapper-shadows-wrapped-attribute"),
    pytest.param("""
        from functools import wraps


        def deco(f):
            @wraps(lambda: None)
            def w():
                return f()
            return w
        """, "the wrapped object is a lambda", id="wrapped-lambda"),
    pytest.param("""
        from functools import wraps


        def deco(make):
            @wraps(make().view)
            def w():
                return 1
            return w
        """, ("the wrapped expression may have side effects (it would be evaluated several "
              "times)"), id="attribute-of-a-call"),
    pytest.param("""
        import os, json as sys
        from functools import wraps


        def deco(f):
            @wraps(f)
            def w():
                return f()
            return w
        """, "the name 'sys' is rebound in this module", id="sys-bound-beside-a-plain-import"),
    pytest.param("""
        from functools import wraps


        def deco(f, sys):
            @wraps(f)
            def w():
                return f()
            return w
        """, "the name 'sys' is rebound in this module", id="sys-shadowed"),
    pytest.param("""
        from functools import wraps


        def deco(f):
            def w():
                return f()
            register(wraps(f)(w))
            return w
        """, "the result of the call is used inside an expression", id="used-in-expression"),
    pytest.param("""
        from functools import wraps


        def deco(*args):
            @wraps(*args)
            def w():
                return 1
            return w
        """, "*args/**kwargs in the call", id="star-args-in-call"),
    pytest.param("""
        from functools import update_wrapper


        def deco(f, kw):
            def w():
                return f()
            update_wrapper(w, **kw)
            return w
        """, "*args/**kwargs in the call", id="star-kwargs-in-call"),
    pytest.param("""
        import functools


        def deco(f):
            @functools.wraps(f, updated=())
            def w():
                return f()
            return w
        """, "custom assigned/updated arguments change the attribute set", id="custom-updated"),
    pytest.param("""
        import functools


        def deco(f):
            @functools.wraps(f, typed=True)
            def w():
                return f()
            return w
        """, "unexpected argument 'typed'", id="unexpected-keyword"),
    pytest.param("""
        import functools


        def deco(f):
            @functools.wraps(f, wrapped=f)
            def w():
                return f()
            return w
        """, "unexpected argument 'wrapped'", id="argument-given-twice"),
    pytest.param("""
        import functools


        def deco(f):
            def w():
                return f()
            functools.update_wrapper(w)
            return w
        """, "missing arguments", id="missing-wrapped"),
    pytest.param("""
        import functools


        def deco(f):
            @functools.wraps()
            def w():
                return f()
            return w
        """, "missing arguments", id="wraps-without-arguments"),
    pytest.param("""
        from functools import update_wrapper


        def deco(f, flag):
            def w():
                return f()
            if flag: update_wrapper(w, f)
            return w
        """, ("the statement shares its line with a compound statement "
              "header"), id="compound-statement-line"),
    pytest.param("""
        from functools import update_wrapper


        def deco(f):
            return update_wrapper(lambda: f(), f)
        """, "the wrapper is a lambda", id="update_wrapper-lambda"),
    pytest.param("""
        from functools import update_wrapper


        def deco(f, make):
            return update_wrapper(make(), f)
        """, "the wrapper expression may have side effects", id="wrapper-side-effects"),
    pytest.param("""
        from functools import update_wrapper


        def deco(f):
            update_wrapper(f, f)
            return f
        """, "wrapper and wrapped are the same object", id="same-object"),
    pytest.param("""
        from functools import wraps


        def deco(f):
            def w():
                return f()
            return wraps(f)(w, f)
        """, "wraps(...)(...) must take exactly one positional argument", id="applied-to-two"),
    pytest.param("""
        from functools import wraps


        def deco(f):
            def w():
                return f()
            return wraps(f)(wrapper=w)
        """, "wraps(...)(...) must take exactly one positional argument", id="applied-by-keyword"),
    pytest.param("""
        from functools import wraps


        def deco(f, ws):
            return wraps(f)(*ws)
        """, "wraps(...)(...) must take exactly one positional argument", id="applied-to-star"),
    pytest.param("""
        from functools import wraps


        def deco(f):
            @wraps(f)
            def w():
                return f()
            return w


        def setattr(obj, name, value):
            pass
        """, "the name 'setattr' is rebound in this module", id="setattr-shadowed"),
    pytest.param("""
        from os import sys
        from functools import wraps


        def deco(f):
            @wraps(f)
            def w():
                return f()
            return w
        """, "the name 'sys' is rebound in this module", id="sys-from-import"),
    pytest.param("""
        import os.path as sys
        from functools import wraps


        def deco(f):
            @wraps(f)
            def w():
                return f()
            return w
        """, "the name 'sys' is rebound in this module", id="sys-import-as"),
    pytest.param("""
        from functools import wraps


        def deco(f):
            @wraps(f)
            def w():
                return f()
            return w


        sys = None
        """, "the name 'sys' is rebound in this module", id="sys-assigned"),
]


@pytest.mark.parametrize("before, why", UNFIXABLE)
def test_unfixable_sites_are_never_touched(before: str, why: str) -> None:
    (site,) = find_wraps_calls(textwrap.dedent(before).lstrip("\n"))
    for unsafe in (False, True):
        out, results = fix(before, unsafe=unsafe)
        assert out == textwrap.dedent(before).lstrip("\n")
        assert [(r.line, r.column, r.status, r.reason) for r in results] == [
            (*site, Status.UNFIXABLE, why)]


def test_only_requested_sites_are_rewritten() -> None:
    before = """
        from functools import wraps


        def a(f):
            @wraps(f)
            def w():
                return f()
            return w


        def b(f):
            @wraps(f)
            def w():
                return f()
            return w
        """
    sites = find_wraps_calls(textwrap.dedent(before).lstrip("\n"))
    out, results = fix(before, sites=sites[1:])
    assert out.count("@wraps(f)") == 1 and "from functools import wraps" in out
    assert [(r.line, r.status) for r in results] == [(sites[1][0], Status.FIXED)]


def test_position_without_call_is_not_found() -> None:
    out, results = fix("x = 1\n", sites=[(1, 0)])
    assert out == "x = 1\n"
    assert [(r.status, r.reason) for r in results] == [
        (Status.NOT_FOUND, "no wraps/update_wrapper call at this position")]


# --------------------------------------------------------------------- imports

def test_import_sys_without_top_level_imports() -> None:
    out, results = fix("""
        def deco(f):
            from functools import wraps

            @wraps(f)
            def w():
                return f()
            return w
        """)
    assert [r.status for r in results] == [Status.FIXED]
    assert out.startswith("import sys\n") and "from functools" not in out
    verify_source(out.encode())


def test_import_sys_joins_imports_at_the_bottom() -> None:
    out, results = fix("""
        def deco(f):
            @functools.wraps(f)
            def w():
                return f()
            return w


        import functools
        import os
        """)
    assert [r.status for r in results] == [Status.FIXED]
    assert out.startswith("def deco(f):\n") and out.endswith("\n\n\nimport os\nimport sys\n")


def test_comments_around_the_only_decorator_are_kept() -> None:
    out, results = fix("""
        from functools import wraps


        def deco(f):
            # above
            @wraps(f)  # trailing
            # between
            def w():
                return f()
            return w
        """)
    assert [r.status for r in results] == [Status.FIXED]
    assert out == expand("""
        import sys


        def deco(f):
            # above
            # trailing
            # between
            def w():
                return f()
            @@attrs w f@@
            return w
        """)


WRAPS_DEF = "\n\ndef deco(f):\n    @wraps(f)\n    def w():\n        return f()\n    return w\n"


@pytest.mark.parametrize("before, after", [
    ("from functools import wraps\n", "import sys\n"),
    ("from __future__ import annotations\nfrom functools import wraps\n",
     "from __future__ import annotations\nimport sys\n"),
    ('"""Doc."""\nfrom functools import wraps\n', '"""Doc."""\nimport sys\n'),
    ("# header comment\n\nfrom functools import wraps\n", "# header comment\n\nimport sys\n"),
    # isort's place in the first run of imports: after the plain imports sorting
    # before it, before the first one sorting after it or the first from-import
    ("import os\nimport re\nfrom functools import wraps\n", "import os\nimport re\nimport sys\n"),
    ("import abc\nimport typing\nfrom functools import wraps\n",
     "import abc\nimport sys\nimport typing\n"),
    ("import os, zlib\nfrom functools import wraps\n", "import sys\nimport os, zlib\n"),
    ("from functools import wraps\nimport os\n", "import sys\nimport os\n"),
    ("import os; import re\nfrom functools import wraps\n",
     "import os; import re\nimport sys\n"),
    ("if True:\n    import os\nfrom functools import wraps\n",
     "if True:\n    import os\nimport sys\n"),
    # a blank line ends the run
    ("import os\n\nimport zlib\nfrom functools import wraps\n",
     "import os\nimport sys\n\nimport zlib\n"),
    # already there (only a plain ``import sys`` counts)
    ("import os\nimport sys\nfrom functools import wraps\n", "import os\nimport sys\n"),
    ("import sys as system\nfrom functools import wraps\n",
     "import sys as system\nimport sys\n"),
])
def test_import_sys_placement(before: str, after: str) -> None:
    out, results = fix(before + WRAPS_DEF)
    assert [r.status for r in results] == [Status.FIXED]
    assert out[: out.index("\ndef deco")].rstrip("\n") + "\n" == after


@pytest.mark.parametrize("imports, spelling, kept", [
    # an import binding the name twice (a fallback) is left alone
    ("try:\n    from functools import wraps\nexcept ImportError:\n"
     "    from compat import wraps\n", "wraps",
     "try:\n    from functools import wraps\nexcept ImportError:\n"
     "    from compat import wraps\n"),
    # only the binding used goes
    ("import functools as ft, os\n", "ft.wraps", "import os\n"),
    ("import os as o, functools as ft\n", "ft.wraps", "import os as o\n"),
    ("import os, functools\n", "functools.wraps", "import os\n"),
    ("import myproject.compat\n", "myproject.compat.wraps", ""),
    # relative imports of a project's re-export go too, and only the name used
    ("from .compat import wraps\n", "wraps", ""),
    ("from ..compat import wraps as keep, other\n", "keep", "from ..compat import other\n"),
])
def test_import_removal(imports: str, spelling: str, kept: str) -> None:
    src = imports + WRAPS_DEF.replace("@wraps(f)", f"@{spelling}(f)")
    out, results = fix(src, target=parse_target_version("3.9-3.11"))
    assert [r.status for r in results] == [Status.FIXED]
    assert out[: out.index("def deco")].strip("\n") == kept.strip("\n")


@pytest.mark.parametrize("before, after", [
    ("# the decorator helper\nfrom functools import wraps\n", "# the decorator helper\n"),
    ("import os\n# the decorator helper\nfrom functools import wraps\n",
     "import os\n# the decorator helper\n"),
    ("from __future__ import annotations\n\n# helpers\nfrom functools import wraps\n\n"
     "import os\n", "from __future__ import annotations\n\n# helpers\n\nimport os\n"),
    ("import os\n\n# helpers\nfrom functools import wraps\nimport re\n",
     "import os\n\n# helpers\nimport re\n"),
])
def test_comments_above_a_removed_import_are_kept(before: str, after: str) -> None:
    out, results = fix(before + WRAPS_DEF, target=parse_target_version("3.9-3.11"))
    assert [r.status for r in results] == [Status.FIXED]
    assert out[: out.index("def deco")] == after + "\n\n"


def test_comment_above_an_import_after_the_code_is_kept() -> None:
    out, _ = fix("from functools import wraps" + WRAPS_DEF
                 + "\n\n# the end\nfrom functools import wraps as later\n",
                 target=parse_target_version("3.9-3.11"))
    assert out.startswith("def deco(f):\n")
    assert out.endswith("    return w\n\n\n# the end\nfrom functools import wraps as later\n")


def test_statement_form_keeps_its_comments() -> None:
    out, results = fix("""
        from functools import update_wrapper


        def deco(f):
            def w():
                return f()
            # look like f
            update_wrapper(w, f)  # all of it
            return w
        """, target=parse_target_version("3.9-3.11"))
    assert [r.status for r in results] == [Status.FIXED]
    assert out == textwrap.dedent("""\
        def deco(f):
            def w():
                return f()
            # look like f
            w.__module__ = f.__module__  # all of it
            w.__name__ = f.__name__
            w.__qualname__ = f.__qualname__
            w.__doc__ = f.__doc__
            w.__annotations__ = f.__annotations__
            w.__dict__.update(f.__dict__)
            setattr(w, "__wrapped__", f)
            return w
        """)


def test_the_codemod_command_applies_safe_fixes_only_by_default() -> None:
    source = textwrap.dedent(UNSAFE[0].values[0]).lstrip("\n")
    module = cst.parse_module(source)
    sites = find_wraps_calls(source)
    command = WrapsRewriteCommand(CodemodContext(), sites, PY39_PLUS)
    assert command.transform_module(module).code == source
    assert [r.status for r in command.results] == [Status.SKIPPED_UNSAFE]


def test_files_the_fixer_refuses() -> None:
    big = b"x = 1\n" * (MAX_REWRITE_BYTES // 6 + 1)
    with pytest.raises(RewriteError) as exc:
        rewrite_source(big, [(1, 0)], target=PY39_PLUS)
    assert str(exc.value) == ("2048 KiB is more than the fixer rewrites (2048 KiB): libcst "
                              "needs about a GiB of memory per MiB of source; not rewritten")
    with pytest.raises(RewriteError) as exc:
        rewrite_source(b"import functools\n\x0cdef f():\n    pass\n", [(1, 0)],
                       target=PY39_PLUS)
    assert str(exc.value) == ("libcst cannot reproduce this file byte for byte (e.g. a form "
                              "feed before a statement); not rewritten")


def test_verify_source_names_the_file() -> None:
    with pytest.raises(RewriteError) as exc:
        verify_source(b"return 1\n", "pkg/mod.py")
    assert str(exc.value) == ("rewritten code does not compile: 'return' outside function "
                              "(mod.py, line 1)")
    assert isinstance(exc.value.__cause__, SyntaxError)
    with pytest.raises(RewriteError) as exc:
        verify_source(b"return 1\n")
    assert str(exc.value).endswith("(<rewritten>, line 1)")


def test_names_that_are_not_functools_wraps_are_ignored() -> None:
    source = textwrap.dedent("""
        from mylib import helper


        def wraps(f):
            return f


        def deco(f, obj):
            @wraps(f)
            def w():
                return f()
            obj.wraps(f)
            return w
        """)
    assert find_wraps_calls(source) == []


def test_reexported_wraps_from_project_module_is_rewritten() -> None:
    out, results = fix("""
        from myproject.compat import wraps


        def deco(f):
            @wraps(f)
            def w():
                return f()
            return w
        """, target=parse_target_version("3.9-3.11"))
    assert [r.status for r in results] == [Status.FIXED]
    assert "compat" not in out


def test_syntax_error_input_raises_parser_error() -> None:
    with pytest.raises(cst.ParserSyntaxError):
        rewrite_source(b"def f(:\n", [(1, 0)], target=PY39_PLUS)


def test_verify_source_rejects_broken_output() -> None:
    with pytest.raises(RewriteError):
        verify_source(b"def f(:\n")
    with pytest.raises(RewriteError):
        verify_source(b"def f():\n    return\nreturn 1\n" + b"nonlocal x\n")
