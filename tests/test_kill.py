"""Kill test: SIGKILL the fixer at random moments while it rewrites a large tree.

A tree of 300 modules, each with a fixable ``@wraps`` site, is fixed once on a
copy to learn every file's fixed version.  Then, repeatedly, a fresh copy is
handed to ``python -m flake8_hotwrap.fix --all -j 2`` and the fixer's whole
process group (the command and its worker processes) gets SIGKILL after a random
delay.  The delays adapt towards the write phase (a kill before it leaves every
file original, a kill after it every file fixed), so most runs land mid-rewrite.

Afterwards every file must be byte-identical to its original or to its fixed
version -- never truncated, empty or mixed -- and whatever the run left behind
(``write_atomic``'s temporary files) must not look like a Python module that a
linter or the next fixer run would pick up.
"""
from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Dict, List, Tuple

import pytest

N_FILES = 300
RUNS = int(os.environ.get("HOTWRAP_KILL_RUNS", "10"))

MODULE = '''\
"""Module {i}: a decorator with a fixable wraps site, and some bulk."""
from functools import wraps


def deco_{i}(f):
    @wraps(f)
    def wrapper(*args, **kwargs):
        return f(*args, **kwargs)
    return wrapper

{bulk}
'''


def make_tree(root: Path) -> None:
    root.mkdir(parents=True, exist_ok=True)
    (root / "setup.cfg").write_text("[options]\npython_requires = >=3.9\n\n[flake8]\n"
                                    "hotwrap-no-cache = true\n")
    for pkg in range(N_FILES // 50):
        d = root / f"pkg{pkg}"
        d.mkdir(parents=True)
        (d / "__init__.py").write_bytes(b"")
    for i in range(N_FILES):
        bulk = "\n".join(f"CONST_{i}_{k} = {k} * {i}  # padding line {k}" for k in range(60))
        (root / f"pkg{i // 50}" / f"mod{i}.py").write_text(MODULE.format(i=i, bulk=bulk))


def tree_bytes(root: Path) -> Dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes()
            for p in sorted(root.rglob("*")) if p.is_file()}


def fixer(root: Path) -> subprocess.Popen:  # type: ignore[type-arg]
    return subprocess.Popen(
        [sys.executable, "-m", "flake8_hotwrap.fix", "--all", "-j", "2", "-q", "."],
        cwd=str(root), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        start_new_session=True,  # its own process group: the workers die with it
    )


@pytest.fixture(scope="module")
def trees(
        tmp_path_factory: pytest.TempPathFactory
) -> Tuple[Path, Dict[str, bytes], Dict[str, bytes], float]:
    base = tmp_path_factory.mktemp("kill")
    original = base / "original"
    make_tree(original)
    clean = base / "clean"
    shutil.copytree(original, clean, symlinks=True)
    started = time.monotonic()
    proc = fixer(clean)
    _, err = proc.communicate(timeout=600)
    elapsed = time.monotonic() - started
    assert proc.returncode == 1, err
    before, after = tree_bytes(original), tree_bytes(clean)
    assert before.keys() == after.keys()
    changed = [p for p in before if before[p] != after[p]]
    assert len(changed) == N_FILES
    return original, before, after, elapsed


def test_sigkill_leaves_every_file_original_or_fixed(
        trees: Tuple[Path, Dict[str, bytes], Dict[str, bytes], float],
        tmp_path: Path) -> None:
    original, before, fixed, elapsed = trees
    rng = random.Random(int(os.environ.get("HOTWRAP_KILL_SEED", "20240304")))
    lo, hi = 0.05, elapsed * 1.1
    outcomes: List[Tuple[float, int, int, List[str]]] = []
    for run in range(RUNS):
        root = tmp_path / f"run{run}"
        shutil.copytree(original, root, symlinks=True)
        delay = rng.uniform(lo, hi)
        proc = fixer(root)
        time.sleep(delay)
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)  # the group we started, by its id
        proc.communicate(timeout=60)
        now = tree_bytes(root)
        leftovers = sorted(set(now) - set(before))
        n_orig = n_fixed = 0
        for path, data in before.items():
            got = now.get(path)
            assert got is not None, f"run {run}: {path} disappeared"
            if got == data:
                n_orig += 1
            elif got == fixed[path]:
                n_fixed += 1
            else:
                pytest.fail(f"run {run} (killed after {delay:.2f}s): {path} is neither its "
                            f"original nor its fixed version ({len(got)} bytes)")
        for name in leftovers:
            assert not name.endswith((".py", ".pyi", ".pyw")), \
                f"run {run}: leftover {name} would be linted as a module"
            assert Path(name).name.startswith("."), f"run {run}: leftover {name} is not hidden"
        outcomes.append((delay, n_orig, n_fixed, leftovers))
        # adapt towards the write window
        if n_fixed == 0:
            lo = max(lo, delay)
        elif n_orig == 0:
            hi = min(hi, delay)
        if hi - lo < 0.05:
            lo, hi = max(0.05, lo - 0.5), hi + 0.5
        # the interrupted tree is still fixable: a rerun completes it
        if run == 0:
            rerun = fixer(root)
            _, err = rerun.communicate(timeout=600)
            assert rerun.returncode in (0, 1), err
            assert {p: d for p, d in tree_bytes(root).items() if p in before} == fixed
    print(f"\nclean run {elapsed:.2f}s; kills (delay s, original, fixed, leftovers):")
    for delay, n_orig, n_fixed, leftovers in outcomes:
        print(f"  {delay:6.2f}  {n_orig:4d}  {n_fixed:4d}  {leftovers}")
