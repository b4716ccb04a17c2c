"""``python -m flake8_hotwrap.report [PATHS]``: what rewriting buys, measured.

Every figure is measured when the report runs, on the running interpreter,
with the exact statements the fixer would emit (``rewrite.attribute_statements``).
Nothing is estimated or copied from elsewhere: counts come from the same
project index as the linter, times from :mod:`timeit` (minimum of several runs,
the two forms measured alternately so machine noise hits both alike).
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import timeit
from dataclasses import asdict, dataclass, field
from typing import Dict, List, Optional, Sequence

from .messages import Finding
from .project import findings_for_paths
from .targets import running_interpreter

_SAMPLE = '''
def target(a: int, b: str = "x") -> int:
    """A handler-like function with annotations, a docstring and __dict__ state."""
    return a
target.__dict__["endpoint_flag"] = True
'''
_WRAPS_FORM = '''
@wraps(target)
def wrapper(*args, **kwargs):
    return target(*args, **kwargs)
'''


def _explicit_form() -> str:
    from .rewrite import attribute_statements

    body, _needs_sys = attribute_statements("wrapper", "target", running_interpreter())
    return ("def wrapper(*args, **kwargs):\n    return target(*args, **kwargs)\n" + body)


@dataclass
class Timing:
    python: str
    wraps_us: float  # one decoration with @functools.wraps
    explicit_us: float  # the same with the fixer's explicit assignments
    call_wraps_us: float  # one call of the wrapped function, each form
    call_explicit_us: float
    number: int
    repeat: int

    @property
    def saved_us(self) -> float:
        return self.wraps_us - self.explicit_us


def measure(number: int = 20000, repeat: int = 7) -> Timing:
    """Time one decoration (and one call) in each form, interleaved."""
    setup_common = "import sys\nfrom functools import wraps\n" + _SAMPLE
    explicit = _explicit_form()
    forms = {"wraps": _WRAPS_FORM, "explicit": explicit}
    best: Dict[str, float] = {"wraps": float("inf"), "explicit": float("inf")}
    calls: Dict[str, float] = {"wraps": float("inf"), "explicit": float("inf")}
    timers = {k: timeit.Timer(v, setup=setup_common) for k, v in forms.items()}
    call_timers = {k: timeit.Timer("wrapper(1)", setup=setup_common + v)
                   for k, v in forms.items()}
    for _ in range(repeat):
        for key in ("wraps", "explicit"):
            best[key] = min(best[key], timers[key].timeit(number) / number)
            calls[key] = min(calls[key], call_timers[key].timeit(number) / number)
    return Timing(f"{sys.version_info[0]}.{sys.version_info[1]}.{sys.version_info[2]}",
                  best["wraps"] * 1e6, best["explicit"] * 1e6,
                  calls["wraps"] * 1e6, calls["explicit"] * 1e6, number, repeat)


@dataclass
class DecoratorEntry:
    decorator: str
    site: str  # path:line of the wraps/update_wrapper site
    code: str
    when: str  # "import" | "request"
    handlers: int
    handler_names: List[str] = field(default_factory=list)
    fixable: bool = True


@dataclass
class Report:
    timing: Timing
    entries: List[DecoratorEntry]
    import_decorations: int
    startup_saved_ms: float
    per_request: Dict[str, float]  # "path:line handler" -> us saved per request
    summary: str


def _rel(path: str, base: str) -> str:
    try:
        return os.path.relpath(path, base).replace(os.sep, "/")
    except ValueError:  # pragma: no cover - another drive on Windows
        return path


def build_report(paths: Sequence[str], timing: Timing, base: Optional[str] = None) -> Report:
    base = base or os.getcwd()
    entries: List[DecoratorEntry] = []
    decorations = 0
    per_request: Dict[str, float] = {}
    findings: List[Finding] = [f for fs in findings_for_paths(paths).values() for f in fs]
    for f in sorted(findings, key=lambda f: (f.path, f.site.line, f.code)):
        where = f"{_rel(f.path, base)}:{f.site.line}"
        if f.code == "HWR003":
            names = [f"{h.path}:{h.line} {h.name}" for h in f.handlers]
            entries.append(DecoratorEntry(f.decorator, where, f.code, "request", len(f.handlers),
                                          names, f.fixable))
            if f.fixable:
                for name in names:
                    per_request[name] = per_request.get(name, 0.0) + timing.saved_us
        elif f.on_handler:
            entries.append(DecoratorEntry(f.decorator, where, f.code, "import", len(f.handlers)))
            decorations += len(f.handlers)
    startup_ms = decorations * timing.saved_us / 1000.0
    return Report(timing, entries, decorations, startup_ms, per_request,
                  _summary(decorations, startup_ms, per_request, entries))


def _summary(decorations: int, startup_ms: float, per_request: Dict[str, float],
             entries: Sequence[DecoratorEntry]) -> str:
    parts = [f"saves {startup_ms:.3f} ms of start-up ({decorations} decorations at import)"]
    if per_request:
        worst = max(per_request.values())
        parts.append(f"{worst:.2f} us per request on the worst of {len(per_request)} "
                     f"request paths")
    else:
        parts.append("nothing per request")
    text = "; ".join(parts)
    if startup_ms < 10 and not per_request:
        text += " (negligible)"
    # Paid per request, but outside what the fixer can change: said apart from the savings.
    unfixable = sum(1 for e in entries if not e.fixable)
    if unfixable:
        text += f"; {unfixable} per-request site(s) in third-party code, not fixable"
    return text


def format_text(report: Report) -> str:
    t = report.timing
    out = [f"flake8-hotwrap impact report (CPython {t.python}, measured now: min of "
           f"{t.repeat} x {t.number} runs)",
           f"  one decoration with functools.wraps: {t.wraps_us:.3f} us",
           f"  one decoration rewritten (explicit): {t.explicit_us:.3f} us",
           f"  saved per decoration:                {t.saved_us:.3f} us",
           f"  one call of the wrapped function:    {t.call_wraps_us:.3f} us (wraps) vs "
           f"{t.call_explicit_us:.3f} us (explicit): unchanged by the rewrite",
           ""]
    if not report.entries:
        out.append("No flagged decorators.")
    for e in report.entries:
        if e.when == "import":
            out.append(f"{e.site} {e.code} '{e.decorator}': {e.handlers} handler(s), "
                       f"paid once each at import")
        else:
            fix = "" if e.fixable else " (third-party, not fixable)"
            out.append(f"{e.site} {e.code} '{e.decorator}': paid on every request{fix} of "
                       + ", ".join(e.handler_names))
    if report.per_request:
        out.append("")
        out.append("Per-request saving by request path:")
        for name, us in sorted(report.per_request.items()):
            out.append(f"  {name}: {us:.3f} us per request")
    out += ["", f"Summary: {report.summary}"]
    return "\n".join(out)


def format_json(report: Report) -> str:
    data = asdict(report)
    data["timing"]["saved_us"] = report.timing.saved_us
    return json.dumps(data, indent=2, sort_keys=True)


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m flake8_hotwrap.report",
                                     description=__doc__.split("\n", 1)[0])
    parser.add_argument("paths", nargs="*", default=["."])
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.add_argument("--number", type=int, default=20000, help="timeit loops per run")
    parser.add_argument("--repeat", type=int, default=7, help="runs; the minimum is kept")
    args = parser.parse_args(argv)
    missing = [p for p in args.paths if not os.path.exists(p)]
    if missing:
        for p in missing:
            print(f"{p}: no such file or directory", file=sys.stderr)
        return 2
    timing = measure(max(1, args.number), max(1, args.repeat))
    report = build_report(args.paths, timing)
    print(format_json(report) if args.format == "json" else format_text(report))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
