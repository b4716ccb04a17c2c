"""What the rewrite buys, measured: ``python benchmarks/wraps_cost.py [--python EXE ...]``.

In one run, per interpreter: the time to decorate one function with a ``@wraps``
decorator and with the same decorator as the fixer rewrites it (the rewrite is
produced by flake8_hotwrap itself, for exactly that interpreter's version), a bare
decorator that copies nothing (the cost of creating the closure), and the per-call
time of the wrapped function in both forms.  Timings are the minimum over several
repeats of ``timeit`` (the least disturbed run).  Ratios matter, not absolute numbers.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from typing import Dict, List

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))

from flake8_hotwrap.rewrite import find_wraps_calls, rewrite_source  # noqa: E402
from flake8_hotwrap.targets import TargetVersions  # noqa: E402

ORIGINAL = '''\
from functools import wraps


def target(a: int, b: int = 1) -> int:
    """A handler."""
    return a + b


target.flag = 1


def deco(f):
    @wraps(f)
    def wrapper(*args, **kwargs):
        return f(*args, **kwargs)
    return wrapper


def bare(f):
    def wrapper(*args, **kwargs):
        return f(*args, **kwargs)
    return wrapper
'''

CHILD = r'''
import json, sys, timeit
spec = json.load(sys.stdin)
out = {"python": "%d.%d.%d" % sys.version_info[:3]}
envs = {}
for name, source in (("wraps", spec["original"]), ("rewritten", spec["rewritten"])):
    ns = {}
    exec(compile(source, name, "exec"), ns)
    ns["wrapped"] = ns["deco"](ns["target"])
    assert ns["wrapped"].__wrapped__ is ns["target"] and ns["wrapped"].flag == 1
    envs[name] = ns
cases = [("wraps_decorate", "wraps", "deco(target)", spec["n_decorate"]),
         ("rewritten_decorate", "rewritten", "deco(target)", spec["n_decorate"]),
         ("bare_decorate", "wraps", "bare(target)", spec["n_decorate"]),
         ("wraps_call", "wraps", "wrapped(1)", spec["n_call"]),
         ("rewritten_call", "rewritten", "wrapped(1)", spec["n_call"])]
best = {key: float("inf") for key, _, _, _ in cases}
for _ in range(spec["repeat"]):  # interleaved, so drift hits every case alike
    for key, env, stmt, number in cases:
        t = timeit.timeit(stmt, globals=envs[env], number=number) / number
        best[key] = min(best[key], t)
out.update(best)
json.dump(out, sys.stdout)
'''


def rewritten_for(version: List[int]) -> str:
    data = ORIGINAL.encode()
    exact = TargetVersions((version[0], version[1]), (version[0], version[1]))
    return rewrite_source(data, find_wraps_calls(data), target=exact).source.decode()


def measure(python: str, repeat: int, n_decorate: int, n_call: int) -> Dict[str, object]:
    code = "import sys, json; print(json.dumps(sys.version_info[:2]))"
    probe = subprocess.run([python, "-c", code], capture_output=True, text=True, check=True)
    version = json.loads(probe.stdout)
    spec = {"original": ORIGINAL, "rewritten": rewritten_for(version), "repeat": repeat,
            "n_decorate": n_decorate, "n_call": n_call}
    run = subprocess.run([python, "-c", CHILD], input=json.dumps(spec), capture_output=True,
                         text=True, check=True)
    result: Dict[str, object] = json.loads(run.stdout)
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--python", action="append", default=[],
                        help="interpreter to measure (repeatable; default: this one)")
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--decorations", type=int, default=100_000)
    parser.add_argument("--calls", type=int, default=1_000_000)
    parser.add_argument("--json", action="store_true", help="print raw results as JSON")
    args = parser.parse_args()
    pythons = args.python or [sys.executable]
    rows = [measure(p, args.repeat, args.decorations, args.calls) for p in pythons]
    if args.json:
        print(json.dumps(rows, indent=2))
        return 0
    us = 1e6
    ns = 1e9
    print("per decoration (us): @wraps | rewritten | bare closure | saved | wraps/rewritten"
          "   per call (ns): @wraps | rewritten | ratio")
    for r in rows:
        w, f, b = (float(r[k]) * us for k in ("wraps_decorate", "rewritten_decorate",
                                              "bare_decorate"))
        cw, cf = (float(r[k]) * ns for k in ("wraps_call", "rewritten_call"))
        print(f"Python {r['python']:<8}  {w:6.3f} | {f:9.3f} | {b:12.3f} | {w - f:5.3f} | "
              f"{w / f:15.2f}x   {cw:21.1f} | {cf:9.1f} | {cw / cf:5.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
