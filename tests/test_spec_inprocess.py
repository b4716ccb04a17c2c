"""The shape and framework specifications, run in-process through the project index.

tests/test_shapes.py and tests/test_frameworks.py run the real flake8 in a
subprocess, which is what a user runs but which a mutation tester cannot see
into: mutmut swaps mutants in through the importing process only.  These tests
feed the very same case tables (the same ``# expect:`` markers) to
:func:`flake8_hotwrap.project.findings_for_paths` in this process, so that the
mutation run (``benchmarks/mutation.sh``) measures how well the specification
pins down ``analysis.py``.  They also agree with flake8 by construction: the
plugin reports exactly the findings that are ``on_handler``.
"""
from __future__ import annotations

import ast
import dataclasses
import json
import textwrap
from pathlib import Path
from typing import Dict, Set

import pytest

from conftest import expected, write_project
from flake8_hotwrap.analysis import ModuleFacts, analyze_module, analyze_source
from flake8_hotwrap.config import config_from_files
from flake8_hotwrap.project import findings_for_paths

import test_frameworks
import test_shapes


def reported_inprocess(root: Path, files: Dict[str, str]) -> Set[str]:
    write_project(root, files)
    if not (root / "setup.cfg").exists():
        (root / "setup.cfg").write_text("[flake8]\n")
    config = dataclasses.replace(config_from_files(str(root)), cache_dir=None)
    got: Set[str] = set()
    for path, findings in findings_for_paths([str(root)], config).items():
        rel = Path(path).relative_to(root).as_posix()
        for f in findings:
            if f.on_handler:
                got.add(f"{rel}:{f.site.line}:{f.code}")
    want = expected(root)
    return {f"+{x}" for x in got - want} | {f"-{x}" for x in want - got}


@pytest.mark.parametrize("files", test_shapes.SHAPES + test_shapes.STACKING_AND_APPLICATION
                         + test_shapes.SPELLINGS + test_shapes.NOT_WRAPS)
def test_shape_inprocess(tmp_path: Path, files: Dict[str, str]) -> None:
    assert reported_inprocess(tmp_path, files) == set()


@pytest.mark.parametrize("files", test_frameworks.CASES)
def test_framework_inprocess(tmp_path: Path, files: Dict[str, str]) -> None:
    assert reported_inprocess(tmp_path, files) == set()


ALL_CASES = (test_shapes.SHAPES + test_shapes.STACKING_AND_APPLICATION + test_shapes.SPELLINGS
             + test_shapes.NOT_WRAPS + test_frameworks.CASES)


@pytest.mark.parametrize("files", ALL_CASES)
def test_facts_survive_the_cache_format(files: Dict[str, str]) -> None:
    """What the on-disk index cache stores (JSON) reads back as the very same facts,
    and ``analyze_source`` agrees with the index's ``analyze_module`` path."""
    for name, text in files.items():
        if not name.endswith(".py"):
            continue
        src = textwrap.dedent(text).lstrip("\n")
        is_pkg = name.endswith("__init__.py")
        module = name[:-3].replace("/", ".").replace(".__init__", "")
        facts = analyze_source(src, module, is_package=is_pkg)
        assert analyze_source(src.encode(), module, is_package=is_pkg) == facts
        assert facts == analyze_module(ast.parse(src), module, src.splitlines(),
                                       is_package=is_pkg)
        data = json.loads(json.dumps(facts.to_json()))
        assert ModuleFacts.from_json(data) == facts
        if is_pkg:
            assert analyze_source(src, module) == analyze_module(ast.parse(src), module,
                                                                 src.splitlines())
