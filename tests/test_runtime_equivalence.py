"""The rewritten decorators behave exactly like the originals, on the running interpreter.

tests/fixtures/fix/decorators.py holds every decorator shape; it is rewritten with the
real fixer (for the default 3.9+ target, whose version guards are evaluated here, and
for exactly this interpreter), both versions are imported, applied to the same sample
functions, and every attribute update_wrapper sets is compared, plus
``inspect.signature``, ``typing.get_type_hints`` and the call results.  Runs under
every interpreter 3.9-3.13 (tox); PEP 695 samples only on 3.12+.
"""
from __future__ import annotations

import asyncio
import importlib.util
import inspect
import sys
import typing
from pathlib import Path
from types import ModuleType
from typing import Any, Callable, Dict, List, Tuple

import pytest

from flake8_hotwrap.rewrite import Status, find_wraps_calls, rewrite_source
from flake8_hotwrap.targets import TargetVersions

FIXTURES = Path(__file__).parent / "fixtures" / "fix"
HERE = (sys.version_info[0], sys.version_info[1])
TARGETS = {"py39-plus": TargetVersions((3, 9)), "this-interpreter": TargetVersions(HERE, HERE)}
ATTRS = ["__module__", "__name__", "__qualname__", "__doc__", "__annotations__"]
if sys.version_info >= (3, 12):
    ATTRS.append("__type_params__")


def load(path: Path, name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, str(path))
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module", params=sorted(TARGETS))
def modules(request: pytest.FixtureRequest,
            tmp_path_factory: pytest.TempPathFactory) -> Tuple[ModuleType, ModuleType]:
    source = (FIXTURES / "decorators.py").read_bytes()
    result = rewrite_source(source, find_wraps_calls(source), target=TARGETS[request.param],
                            unsafe=True)
    assert result.changed
    assert {r.status for r in result.sites} <= {Status.FIXED, Status.FIXED_UNSAFE}
    assert [r.status for r in result.sites].count(Status.FIXED_UNSAFE) == 1  # Bound
    fixed = tmp_path_factory.mktemp("fixed") / "decorators_fixed.py"
    fixed.write_bytes(result.source)
    text = result.source.decode()
    assert find_wraps_calls(result.source) == []
    assert "import functools" not in text and "from functools" not in text
    if request.param == "this-interpreter":
        assert "sys.version_info" not in text
    before = load(FIXTURES / "decorators.py", "hotwrap_fix_before")
    after = load(fixed, f"hotwrap_fix_after_{request.param.replace('-', '_')}")
    return before, after


def samples() -> ModuleType:
    return load(FIXTURES / "samples.py", "hotwrap_fix_samples")


def _hints(obj: object) -> object:
    try:
        return typing.get_type_hints(obj)
    except Exception as exc:  # both sides must fail the same way
        return type(exc).__name__


def _signature(obj: Any) -> object:
    try:
        return str(inspect.signature(obj))
    except Exception as exc:
        return type(exc).__name__


def assert_same_wrapper(a: Any, b: Any, wrapped: Callable[..., Any]) -> None:
    for attr in ATTRS:
        assert getattr(a, attr) == getattr(b, attr), attr
    assert a.__wrapped__ is wrapped and b.__wrapped__ is wrapped
    # same keys, same order (__wrapped__ last), same values
    assert list(vars(a)) == list(vars(b))
    for key, value in vars(a).items():
        assert vars(b)[key] == value or (callable(value) and key != "__wrapped__"), key
    assert list(vars(a))[-1] in ("__wrapped__", "view")
    assert _signature(a) == _signature(b)
    assert _hints(a) == _hints(b)
    assert inspect.iscoroutinefunction(a) == inspect.iscoroutinefunction(b)


def _pairs(before: ModuleType, after: ModuleType, name: str) -> List[Tuple[Any, Any]]:
    return list(zip(getattr(before, name), getattr(after, name)))


def test_sync_decorators_are_equivalent(modules: Tuple[ModuleType, ModuleType]) -> None:
    before, after = modules
    s = samples()
    for deco_a, deco_b in _pairs(before, after, "SYNC"):
        for func, (args, kwargs) in s.CALLS.items():
            a, b = deco_a(func), deco_b(func)
            assert_same_wrapper(a, b, func)
            assert a(*args, **kwargs) == b(*args, **kwargs)


def test_async_decorators_are_equivalent(modules: Tuple[ModuleType, ModuleType]) -> None:
    before, after = modules
    s = samples()
    for deco_a, deco_b in _pairs(before, after, "ASYNC"):
        for func, (args, kwargs) in s.ASYNC_CALLS.items():
            a, b = deco_a(func), deco_b(func)
            assert_same_wrapper(a, b, func)
            assert asyncio.run(a(*args, **kwargs)) == asyncio.run(b(*args, **kwargs))


def test_sample_dict_entries_are_copied(modules: Tuple[ModuleType, ModuleType]) -> None:
    _, after = modules
    s = samples()
    wrapped = after.plain(s.handler)
    assert wrapped.flag == "kept" and wrapped.registry is s.handler.registry
    stacked = after.stacked(s.handler)
    assert stacked.marked is True and stacked.flag == "kept"
    assert after.per_call(s.bare)(3)[2:] == ("bare", True)


def test_class_based_wrapper_is_equivalent(modules: Tuple[ModuleType, ModuleType]) -> None:
    before, after = modules
    s = samples()
    a, b = before.cached_view(s.handler), after.cached_view(s.handler)
    assert_same_wrapper(a, b, s.handler)
    assert vars(a).keys() == vars(b).keys()


@pytest.mark.skipif(sys.version_info < (3, 12), reason="PEP 695 needs Python 3.12+")
def test_pep695_type_params_are_copied(modules: Tuple[ModuleType, ModuleType]) -> None:
    before, after = modules
    s = load(FIXTURES / "samples_pep695.py", "hotwrap_fix_samples_pep695")
    assert s.first.__type_params__  # the samples do have type parameters
    for deco_a, deco_b in _pairs(before, after, "SYNC"):
        for func, (args, kwargs) in s.CALLS.items():
            a, b = deco_a(func), deco_b(func)
            assert_same_wrapper(a, b, func)
            assert a.__type_params__ == func.__type_params__ == b.__type_params__
            assert a(*args, **kwargs) == b(*args, **kwargs)


def test_wrapper_of_non_function_differs_which_is_why_it_is_unsafe() -> None:
    """Documents the safety rule: explicit reads raise where wraps skips silently."""
    import functools

    partial = functools.partial(print, "x")
    source = (FIXTURES / "decorators.py").read_bytes()
    result = rewrite_source(source, find_wraps_calls(source), target=TargetVersions(HERE))
    ns: Dict[str, Any] = {}
    exec(compile(result.source, "fixed", "exec"), ns)
    functools.wraps(partial)(lambda: None)  # fine: missing attributes are skipped
    with pytest.raises(AttributeError):
        ns["plain"](partial)
