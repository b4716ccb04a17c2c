"""``python -m flake8_hotwrap.fix [PATHS...]``: rewrite flagged wraps sites in place.

The sites come from the same project index as the flake8 plugin
(:func:`flake8_hotwrap.project.findings_for_paths`), so linter and fixer never
disagree.  Exit status (pre-commit convention, as pyupgrade): 0 nothing to do,
1 files changed (or would change with ``--check``/``--diff``), 2 usage errors,
missing paths or files that could not be read, parsed or written.
"""
from __future__ import annotations

import argparse
import difflib
import os
import sys
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from typing import (
    IO, Callable, Dict, Iterable, List, Optional, Sequence, Set, Tuple,
)

from flake8_hotwrap.config import Config, config_from_files, find_root
from flake8_hotwrap.fileio import FileError, check_syntax, read_source, write_atomic
from flake8_hotwrap.markers import FIX_MARKERS_BYTES, WRAP_NAMES
from flake8_hotwrap.outcomes import RewriteError, Site, SiteResult, Status
from flake8_hotwrap.targets import (
    TargetVersionError, TargetVersions, default_target, parse_target_version,
)

PROG = "flake8-hotwrap-fix"
FIXABLE_KINDS = WRAP_NAMES

#: ``(paths, config, all_sites) -> {absolute file path: [(line, char_col), ...]}``;
#: every Python file under ``paths`` is a key, with an empty list when it has no site.
SiteSelector = Callable[[Sequence[str], Config, bool], Dict[str, List[Site]]]


def index_sites(paths: Sequence[str], config: Config, all_sites: bool) -> Dict[str, List[Site]]:
    """The default selector: the project index's findings (handler sites, or all)."""
    from flake8_hotwrap.project import findings_for_paths

    out: Dict[str, List[Site]] = {}
    for path, findings in findings_for_paths(paths, config, all_sites=all_sites).items():
        sites = {(f.site.line, f.site.char_col) for f in findings
                 if f.site.kind in FIXABLE_KINDS}
        out[path] = sorted(sites)
    return out


@dataclass(frozen=True)
class Options:
    mode: str = "write"  # "write" | "diff" | "check"
    unsafe: bool = False
    all_sites: bool = False
    target: Optional[TargetVersions] = None  # None: from the project's requires-python
    verbosity: int = 0  # -1 quiet, 0 normal, 1 verbose


@dataclass
class FileReport:
    path: str
    display: str
    changed: bool = False
    error: Optional[str] = None
    sites: Tuple[SiteResult, ...] = ()
    diff: str = ""
    target: str = ""


def _display(path: str) -> str:
    try:
        rel = os.path.relpath(path)
    except ValueError:  # pragma: no cover - another drive on Windows
        return path
    return path if rel.startswith(os.pardir + os.sep) or rel == os.pardir else rel


def _resolved(path: str) -> str:
    """The file behind ``path``.  The walker does not follow directory symlinks: only a
    symlinked file needs resolving (realpath on every file cost more than the check)."""
    return os.path.realpath(path) if os.path.islink(path) else path


def process_file(path: str, sites: Sequence[Site], options: Options,
                 target: TargetVersions, tree_top: Optional[str] = None) -> FileReport:
    """Read, rewrite and (in write mode) replace one file. Never raises for file problems."""
    report = FileReport(path, _display(path), target=str(target))
    real = _resolved(path)
    if tree_top is not None and real is not path:
        top = os.path.realpath(tree_top)
        if os.path.commonpath([top, real]) != top:
            report.error = f"symlink points outside the tree ({real}); skipped"
            return report
    try:
        data = read_source(real)
        # A file without a marker has no site: a full syntax check (as costly as a
        # parse) is left to flake8's E999; reading it still reports undecodable bytes.
        if sites or any(m in data for m in FIX_MARKERS_BYTES):
            check_syntax(data, path)  # may hold a site the index could not parse
        if not sites:
            return report
        import libcst as cst  # only files with sites pay for libcst

        from flake8_hotwrap.rewrite import rewrite_source
        try:
            result = rewrite_source(data, sites, target=target, unsafe=options.unsafe,
                                    filename=path)
        except cst.ParserSyntaxError as exc:
            report.error = "syntax error (libcst): " + " ".join(str(exc).split())[:200]
            return report
        report.sites = result.sites
        if not result.changed:
            return report
        report.changed = True
        if options.mode == "diff":
            report.diff = _unified_diff(data, result.source, report.display)
        elif options.mode == "write":
            write_atomic(real, result.source)
    except FileError as exc:
        report.error = str(exc)
        report.changed = False
    except RewriteError as exc:
        report.error = " ".join(str(exc).split())
        report.changed = False
    except RecursionError:
        report.error = "too deeply nested to rewrite"
        report.changed = False
    return report


def _unified_diff(old: bytes, new: bytes, name: str) -> str:
    from flake8_hotwrap.fileio import decode_source

    a, _ = decode_source(old)
    b, _ = decode_source(new)
    return "".join(difflib.unified_diff(
        a.splitlines(keepends=True), b.splitlines(keepends=True),
        fromfile=f"a/{name}", tofile=f"b/{name}",
    ))


class _Progress:
    """A one-line progress bar on stderr, only when stderr is a terminal."""

    def __init__(self, total: int, stream: IO[str], enabled: bool) -> None:
        self.total = total
        self.stream = stream
        self.done = 0
        self.enabled = enabled and total > 1 and _isatty(stream)

    def step(self) -> None:
        self.done += 1
        if not self.enabled:
            return
        width = 30
        filled = width * self.done // max(self.total, 1)
        self.stream.write(f"\r[{'#' * filled}{'.' * (width - filled)}] "
                          f"{self.done}/{self.total} files")
        self.stream.flush()

    def close(self) -> None:
        if self.enabled:
            self.stream.write("\r\x1b[K")
            self.stream.flush()


def _isatty(stream: IO[str]) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


@dataclass
class Summary:
    changed: int = 0
    fixes: int = 0
    skipped_unsafe: int = 0
    unfixable: int = 0
    errors: int = 0
    reports: List[FileReport] = field(default_factory=list)


def _site_message(report: FileReport, result: SiteResult, verbosity: int) -> Optional[str]:
    where = f"{report.display}:{result.line}:{result.column + 1}"
    if result.status is Status.SKIPPED_UNSAFE:
        return f"{where}: unsafe fix not applied: {result.reason} (use --unsafe-fixes)"
    if result.status is Status.FIXED_UNSAFE:
        return f"{where}: applied unsafe fix: {result.reason}"
    if result.status is Status.UNFIXABLE:
        return f"{where}: cannot fix: {result.reason}"
    if result.status is Status.NOT_FOUND and verbosity > 0:
        return f"{where}: cannot fix: {result.reason}"
    if result.status is Status.FIXED and verbosity > 0:
        return f"{where}: fixed"
    return None


def _run_jobs(jobs: List[Tuple[str, List[Site], TargetVersions, Optional[str]]],
              options: Options, n_jobs: int, progress: _Progress) -> List[FileReport]:
    reports: List[FileReport] = []
    # Files without sites only need a cheap syntax check: do them here.
    heavy = [j for j in jobs if j[1]]
    light = [j for j in jobs if not j[1]]
    if n_jobs > 1 and len(heavy) >= 4:
        with ProcessPoolExecutor(max_workers=min(n_jobs, len(heavy))) as pool:
            futures: List[Future[FileReport]] = [
                pool.submit(process_file, p, s, options, t, top) for p, s, t, top in heavy
            ]
            for p, s, t, top in light:
                reports.append(process_file(p, s, options, t, top))
                progress.step()
            for fut in futures:
                reports.append(fut.result())
                progress.step()
    else:
        for p, s, t, top in heavy + light:
            reports.append(process_file(p, s, options, t, top))
            progress.step()
    return reports


def run(paths: Sequence[str], options: Options, *, jobs: int = 1,
        exclude: Sequence[str] = (), selector: Optional[SiteSelector] = None,
        out: Optional[IO[str]] = None, err: Optional[IO[str]] = None) -> int:
    """Fix ``paths``; returns the exit status. ``selector`` is injectable for tests."""
    out = out if out is not None else sys.stdout
    err = err if err is not None else sys.stderr
    select = selector or index_sites
    status = 0
    existing: List[str] = []
    for p in paths:
        if not os.path.exists(p):
            print(f"{p}: error: no such file or directory", file=err)
            status = 2
        elif not os.access(p, os.R_OK) or (os.path.isdir(p) and not os.access(p, os.X_OK)):
            print(f"{p}: error: permission denied", file=err)
            status = 2
        else:
            existing.append(p)

    # Group paths by project root: each root has its own flake8 config and target.
    by_root: Dict[str, List[str]] = {}
    for p in existing:
        by_root.setdefault(find_root(p), []).append(p)

    jobs_list: List[Tuple[str, List[Site], TargetVersions, Optional[str]]] = []
    seen: Set[str] = set()
    for root, root_paths in by_root.items():
        config = config_from_files(root, overrides=list(exclude))
        target = options.target or default_target(root)
        for p in root_paths:
            try:
                selected = select([p], config, options.all_sites)
            except Exception as exc:  # the analysis must not take the run down
                print(f"{p}: error: analysis failed: {type(exc).__name__}: "
                      f"{' '.join(str(exc).split())}", file=err)
                status = 2
                continue
            top = os.path.abspath(p) if os.path.isdir(p) else None
            for path, sites in sorted(selected.items()):
                key = _resolved(path)
                if key in seen:
                    continue
                seen.add(key)
                jobs_list.append((path, list(sites), target, top))

    progress = _Progress(len(jobs_list), err, enabled=options.verbosity >= 0)
    try:
        reports = _run_jobs(jobs_list, options, jobs, progress)
    finally:
        progress.close()
    summary = _report(reports, options, out, err)
    if summary.errors:
        status = 2
    elif summary.changed and status == 0:
        status = 1
    return status


def _report(reports: Iterable[FileReport], options: Options,
            out: IO[str], err: IO[str]) -> Summary:
    summary = Summary()
    for report in sorted(reports, key=lambda r: r.path):
        summary.reports.append(report)
        if report.error:
            summary.errors += 1
            print(f"{report.display}: error: {report.error}", file=err)
            continue
        for result in report.sites:
            summary.fixes += result.applied
            summary.skipped_unsafe += result.status is Status.SKIPPED_UNSAFE
            summary.unfixable += result.status is Status.UNFIXABLE
            if options.verbosity >= 0:
                msg = _site_message(report, result, options.verbosity)
                if msg:
                    print(msg, file=err)
        if report.changed:
            summary.changed += 1
            if options.mode == "diff":
                out.write(report.diff)
            elif options.mode == "check":
                if options.verbosity >= 0:
                    print(f"Would rewrite {report.display}", file=err)
            else:
                print(f"Rewriting {report.display}", file=err)
        elif options.verbosity > 0:
            print(f"{report.display}: nothing to rewrite (target Python {report.target})",
                  file=err)
    if options.verbosity >= 0 and (summary.changed or summary.skipped_unsafe
                                   or summary.unfixable or summary.errors
                                   or options.mode == "check"):
        verb = "rewritten" if options.mode == "write" else "would be rewritten"
        print(f"{PROG}: {summary.changed} file(s) {verb} ({summary.fixes} fix(es)), "
              f"{summary.skipped_unsafe} unsafe fix(es) skipped, "
              f"{summary.unfixable} unfixable, {summary.errors} error(s)", file=err)
    return summary


def _jobs(value: str) -> int:
    if value in ("auto", "0"):
        return os.cpu_count() or 1
    try:
        n = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"invalid jobs value {value!r}") from None
    if n < 0:
        raise argparse.ArgumentTypeError(f"invalid jobs value {value!r}")
    return n


def _target(value: str) -> TargetVersions:
    try:
        return parse_target_version(value)
    except TargetVersionError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Rewrite functools.wraps/update_wrapper in decorators applied to request "
                    "handlers into explicit attribute assignments (same behaviour).",
    )
    parser.add_argument("paths", nargs="*", metavar="PATH", default=["."],
                        help="files or directories (default: .)")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--diff", dest="mode", action="store_const", const="diff",
                      help="print a unified diff instead of writing")
    mode.add_argument("--check", dest="mode", action="store_const", const="check",
                      help="write nothing; exit 1 if something would be rewritten")
    parser.add_argument("--unsafe-fixes", action="store_true",
                        help="also apply fixes that are not provably equivalent")
    parser.add_argument("--all", dest="all_sites", action="store_true",
                        help="rewrite every wraps site, not only those on request handlers")
    parser.add_argument("--target-version", type=_target, metavar="VERSION",
                        help="oldest Python the code must run on (py39, 3.9) or a range "
                             "(3.9-3.13); default: requires-python, else this interpreter")
    parser.add_argument("-j", "--jobs", type=_jobs, default=_jobs("auto"), metavar="N",
                        help="parallel processes (default: auto = CPU count)")
    parser.add_argument("--exclude", action="append", default=[], metavar="PATTERNS",
                        help="comma-separated patterns excluded in addition to flake8's "
                             "exclude/extend-exclude")
    verbosity = parser.add_mutually_exclusive_group()
    verbosity.add_argument("-q", "--quiet", dest="verbosity", action="store_const", const=-1,
                           help="only print errors (and diffs)")
    verbosity.add_argument("-v", "--verbose", dest="verbosity", action="store_const", const=1,
                           help="also print every fixed site and untouched file")
    parser.set_defaults(mode="write", verbosity=0)
    return parser


def main(argv: Optional[Sequence[str]] = None) -> int:
    args = build_parser().parse_args(argv)
    exclude = [e.strip() for item in args.exclude for e in item.split(",") if e.strip()]
    options = Options(mode=args.mode, unsafe=args.unsafe_fixes, all_sites=args.all_sites,
                      target=args.target_version, verbosity=args.verbosity)
    return run(args.paths, options, jobs=args.jobs, exclude=exclude)


if __name__ == "__main__":
    sys.exit(main())
