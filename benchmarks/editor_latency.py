#!/usr/bin/env python3
"""Editor latency: linting one buffer through stdin in a large project, with and without
flake8-hotwrap, measured side by side in one run (issue 5's budget: at most 10% more).

Editors lint the unsaved buffer as python-lsp-server does: ``flake8
--stdin-display-name <path relative to the root> -`` with the buffer on stdin, run in the
project root.  This times exactly that command, per scenario:

* ``wraps, saved``   a module whose decorators use ``wraps`` and are applied to request
  handlers across the project, buffer == disk (the plugin consults the project index);
* ``wraps, edited``  the same module with an unsaved edit (buffer != disk: the index is
  rebuilt with the buffer's facts in place of the file's);
* ``no wraps``       an ordinary module (the plugin returns after a text scan).

Fairness: flake8 runs every installed plugin whatever ``--select`` says, so "without"
uses a second virtualenv holding exactly the same flake8, pycodestyle, pyflakes and mccabe
versions and not flake8-hotwrap (``lint_bench.ensure_baseline``, shared with
``benchmarks/lint_bench.py`` under ``benchmarks/.cache/venvs``).  Both sides get the same
interpreter version, command line, working directory, config (``--append-config`` with
the Home Assistant settings below, which the baseline ignores) and stdin; runs alternate
A/B after one unmeasured warm-up each, which also warms the plugin's on-disk index
cache; medians are compared, wall time and child CPU time.

The project is Home Assistant 2024.3.3 (~6,700 .py files), unpacked by lint_bench.py's
``fetch_tree`` into ``benchmarks/.cache/src`` (downloaded from PyPI on first use).

Usage::

    python benchmarks/editor_latency.py                 # 7 pairs per scenario
    python benchmarks/editor_latency.py --repeat 15
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Dict, List, Sequence, Tuple

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from lint_bench import (  # noqa: E402 - the sibling benchmark's helpers
    CACHE_ENV, DEFAULT_CACHE, children_cpu, ensure_baseline, ensure_plugin_venv, fetch_tree,
    flake8_cmd,
)

BUDGET = 1.10
PROJECT = "homeassistant==2024.3.3"
SCENARIOS: Tuple[Tuple[str, str, bool], ...] = (
    ("wraps, saved", "homeassistant/components/http/decorators.py", False),
    ("wraps, edited", "homeassistant/components/http/decorators.py", True),
    ("no wraps", "homeassistant/components/light/__init__.py", False),
)
HA_CONFIG = """\
[flake8]
hotwrap-handler-bases = HomeAssistantView
hotwrap-route-decorators = *.websocket_command
"""


def lint_stdin(python: Path, root: Path, rel: str, buffer: bytes, config: Path,
               index_cache: Path) -> Tuple[float, float, int, str]:
    """(wall s, child CPU s, exit status, stdout) of one editor-style lint."""
    env = dict(os.environ)
    env[CACHE_ENV] = str(index_cache)
    cmd = [*flake8_cmd(python), "--append-config", str(config),
           "--stdin-display-name", rel, "-"]
    cpu = children_cpu()
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=str(root), input=buffer, capture_output=True, env=env)
    wall = time.perf_counter() - start
    if proc.returncode not in (0, 1):
        raise RuntimeError(f"{' '.join(cmd)}: exit {proc.returncode}: "
                           f"{proc.stderr.decode(errors='replace')[-800:]}")
    return wall, children_cpu() - cpu, proc.returncode, proc.stdout.decode(errors="replace")


def median(xs: Sequence[float]) -> float:
    return statistics.median(xs)


def main(argv: Sequence[str] = ()) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=7, help="measured pairs per scenario")
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE)
    args = parser.parse_args(list(argv) or None)

    tree = fetch_tree(PROJECT, args.cache)
    if tree is None:
        print(f"cannot get {PROJECT}", file=sys.stderr)
        return 2
    work = args.cache / "editor-latency"
    work.mkdir(parents=True, exist_ok=True)
    config = work / "homeassistant.cfg"
    config.write_text(HA_CONFIG)
    index_cache = work / "index"
    with_py, detail = ensure_plugin_venv(Path(sys.executable), args.cache)
    if with_py is None:
        print(f"no plugin virtualenv: {detail}", file=sys.stderr)
        return 2
    base_py, pins = ensure_baseline(Path(sys.executable), args.cache)
    if base_py is None:
        print(f"no baseline virtualenv: {pins}", file=sys.stderr)
        return 2
    print(f"project: {PROJECT}, {len(tree.files)} .py files, root {tree.root}")
    print(f"with:    {with_py} ({detail})")
    print(f"without: {base_py} ({pins})")
    print(f"pairs per scenario: {args.repeat}, alternating, after one warm-up each "
          f"(index cache {index_cache})\n")

    rows: List[Dict[str, object]] = []
    for name, rel, edited in SCENARIOS:
        buffer = (tree.root / rel).read_bytes()
        if edited:
            buffer += b"\n# an unsaved edit\n"
        sides = {"with": with_py, "without": base_py}
        walls: Dict[str, List[float]] = {"with": [], "without": []}
        cpus: Dict[str, List[float]] = {"with": [], "without": []}
        hwr = 0
        for side, py in sides.items():  # warm-up: imports, page cache, the index cache
            lint_stdin(py, tree.root, rel, buffer, config, index_cache)
        for i in range(args.repeat):
            order = ("with", "without") if i % 2 == 0 else ("without", "with")
            for side in order:
                wall, cpu, _status, out = lint_stdin(sides[side], tree.root, rel, buffer,
                                                     config, index_cache)
                walls[side].append(wall)
                cpus[side].append(cpu)
                if side == "with":
                    hwr = sum(1 for line in out.splitlines() if ": HWR" in line)
        w, wo = median(walls["with"]), median(walls["without"])
        cw, cwo = median(cpus["with"]), median(cpus["without"])
        rows.append({"scenario": name, "file": rel, "with": w, "without": wo,
                     "ratio": w / wo, "cpu_ratio": cw / cwo if cwo else float("nan"),
                     "hwr": hwr})

    print(f"{'scenario':<15} {'with (s)':>9} {'without (s)':>12} {'ratio':>7} "
          f"{'CPU ratio':>10} {'HWR':>4}  budget {BUDGET:.2f}")
    ok = True
    for r in rows:
        within = float(r["ratio"]) <= BUDGET  # type: ignore[arg-type]
        ok &= within
        print(f"{r['scenario']:<15} {r['with']:>9.3f} {r['without']:>12.3f} "
              f"{r['ratio']:>7.2f} {r['cpu_ratio']:>10.2f} {r['hwr']:>4}  "
              f"{'ok' if within else 'OVER'}   {r['file']}")
    print(f"\nbudget (<= {BUDGET:.2f}x flake8 without the plugin): "
          f"{'met' if ok else 'NOT met'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
