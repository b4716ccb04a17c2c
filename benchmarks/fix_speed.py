#!/usr/bin/env python3
"""The fixer's speed budget (issue 6): ``fix --check`` at most 2x ``ruff check --select UP``.

Runs ``python -m flake8_hotwrap.fix --check`` and ``ruff check --select UP --no-cache``
over the same unpacked tree (default: Home Assistant 2024.3.3, downloaded once into
``benchmarks/.cache`` by the helpers of ``lint_bench.py``), alternately (ABBA order)
after one unmeasured warm-up run of each, and compares the medians of the wall times.
The fixer's on-disk index cache is warm for the measured runs (as for a developer or a
pre-commit hook running it repeatedly); ``--cold`` empties it before every fixer run.
Both tools use their default parallelism (the fixer ``-j auto``, ruff all cores) unless
``--jobs`` is given.  ruff comes from PyPI (``benchmarks/requirements.txt``).

Usage::

    python benchmarks/fix_speed.py                      # HA 2024.3.3, 5 repeats
    python benchmarks/fix_speed.py --repeat 9 --cold
    python benchmarks/fix_speed.py --profile /tmp/fix.prof   # also one cProfile'd run
    python benchmarks/fix_speed.py --package Django==5.0.3 --check   # exit 1 over budget
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Tuple

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from lint_bench import children_cpu, fetch_tree  # noqa: E402 - the sibling benchmark's helpers
DEFAULT_PACKAGE = "homeassistant==2024.3.3"
BUDGET_RATIO = 2.0


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def ruff_exe() -> Optional[str]:
    near = Path(sys.executable).parent / ("ruff.exe" if os.name == "nt" else "ruff")
    return str(near) if near.exists() else shutil.which("ruff")


def timed(cmd: Sequence[str], cwd: Path, env: Dict[str, str],
          ok_codes: Tuple[int, ...]) -> Tuple[float, float]:
    """(wall, cpu of the process tree) of one run; raises on an unexpected exit."""
    cpu0 = children_cpu()
    t0 = time.perf_counter()
    proc = subprocess.run(list(cmd), cwd=cwd, env=env, stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE, text=True, errors="replace")
    wall = time.perf_counter() - t0
    if proc.returncode not in ok_codes:
        raise RuntimeError(f"{' '.join(cmd)} exited {proc.returncode}:\n"
                           + "\n".join(proc.stderr.splitlines()[-20:]))
    return wall, children_cpu() - cpu0


def main(argv: Optional[Sequence[str]] = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--package", default=DEFAULT_PACKAGE, metavar="NAME==VER")
    p.add_argument("--repeat", type=int, default=5, help="measured runs per tool (default 5)")
    p.add_argument("--jobs", default=None,
                   help="the fixer's -j and ruff's RAYON_NUM_THREADS (default: both auto)")
    p.add_argument("--cold", action="store_true",
                   help="empty the fixer's index cache before every fixer run")
    p.add_argument("--cache-dir", type=Path, default=HERE / ".cache")
    p.add_argument("--profile", type=Path, default=None,
                   help="after the measurements, write a cProfile of one fixer run here "
                        "and print its top functions")
    p.add_argument("--check", action="store_true", help="exit 1 when over budget")
    args = p.parse_args(argv)

    ruff = ruff_exe()
    if ruff is None:
        log("ruff not found: pip install -r benchmarks/requirements.txt")
        return 2
    tree = fetch_tree(args.package, args.cache_dir.resolve())
    if tree is None:
        return 2
    root: Path = tree.root
    index_cache = Path(tempfile.mkdtemp(prefix="hotwrap-fix-speed-"))
    env = dict(os.environ, FLAKE8_HOTWRAP_CACHE_DIR=str(index_cache))
    fix_cmd = [sys.executable, "-I", "-m", "flake8_hotwrap.fix", "--check", "-q", "."]
    if args.jobs:
        fix_cmd[-1:-1] = ["-j", str(args.jobs)]
        env["RAYON_NUM_THREADS"] = str(args.jobs)
    ruff_cmd = [ruff, "check", "--select", "UP", "--no-cache", "--quiet", "--isolated", "."]
    version = subprocess.run([ruff, "--version"], capture_output=True, text=True).stdout.strip()
    log(f"{args.package}: {len(tree.files)} .py files in {root}")
    log(f"fixer: {' '.join(fix_cmd[1:])}")
    log(f"ruff:  {version}: {' '.join(ruff_cmd[1:])}")

    def run_fix() -> Tuple[float, float]:
        if args.cold:
            shutil.rmtree(index_cache, ignore_errors=True)
            index_cache.mkdir()
        return timed(fix_cmd, root, env, (0, 1))

    def run_ruff() -> Tuple[float, float]:
        return timed(ruff_cmd, root, env, (0, 1))

    runners = {"fix": run_fix, "ruff": run_ruff}
    walls: Dict[str, List[float]] = {"fix": [], "ruff": []}
    cpus: Dict[str, List[float]] = {"fix": [], "ruff": []}
    try:
        for name in ("fix", "ruff"):
            wall, cpu = runners[name]()
            log(f"  warm-up {name:4} {wall:7.2f} s (cpu {cpu:.2f} s)")
        for i in range(args.repeat):
            for name in (("fix", "ruff") if i % 2 == 0 else ("ruff", "fix")):
                wall, cpu = runners[name]()
                walls[name].append(wall)
                cpus[name].append(cpu)
                log(f"  run {i + 1}/{args.repeat} {name:4} {wall:7.2f} s (cpu {cpu:.2f} s)")
        if args.profile:
            prof_cmd = [sys.executable, "-I", "-m", "cProfile", "-o", str(args.profile),
                        "-m", "flake8_hotwrap.fix", *fix_cmd[4:]]
            timed(prof_cmd, root, env, (0, 1))
    finally:
        shutil.rmtree(index_cache, ignore_errors=True)

    fix_med, ruff_med = statistics.median(walls["fix"]), statistics.median(walls["ruff"])
    ratio = fix_med / ruff_med
    cpu_ratio = statistics.median(cpus["fix"]) / max(statistics.median(cpus["ruff"]), 1e-9)
    print(f"{args.package}, {len(tree.files)} files, {args.repeat} alternating runs each, "
          f"{'cold' if args.cold else 'warm'} fixer index cache, "
          f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs")
    print(f"  flake8_hotwrap.fix --check   median {fix_med:7.2f} s  "
          f"(min {min(walls['fix']):.2f}, max {max(walls['fix']):.2f}; "
          f"cpu {statistics.median(cpus['fix']):.2f} s)")
    print(f"  ruff check --select UP       median {ruff_med:7.2f} s  "
          f"(min {min(walls['ruff']):.2f}, max {max(walls['ruff']):.2f}; "
          f"cpu {statistics.median(cpus['ruff']):.2f} s)")
    verdict = "PASS" if ratio <= BUDGET_RATIO else "FAIL"
    print(f"  ratio (wall) {ratio:.2f}x against the {BUDGET_RATIO:g}x budget: {verdict}"
          f"   (cpu ratio {cpu_ratio:.2f}x)")
    if args.profile:
        import pstats

        print(f"\ncProfile of one fixer run ({args.profile}), top 25 by cumulative time:")
        stats = pstats.Stats(str(args.profile), stream=sys.stdout)
        stats.sort_stats("cumulative").print_stats(25)
        print("top 20 by own time:")
        stats.sort_stats("tottime").print_stats(20)
    return 1 if args.check and ratio > BUDGET_RATIO else 0


if __name__ == "__main__":
    sys.exit(main())
