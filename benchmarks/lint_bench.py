#!/usr/bin/env python3
"""Measure what flake8-hotwrap costs on real code.

One command downloads pinned packages from PyPI into ``benchmarks/.cache``
(git-ignored), unpacks their ``.py`` files, and prints side by side, per package:

* the number of ``.py`` files;
* flake8's wall time without and with the plugin, and their ratio (plus the
  ratio of the flake8 process's CPU time, which other load on the machine
  disturbs far less than wall time: when the two disagree, the machine was busy);
* the project index's cold build (empty cache directory) and warm build
  (second build on the cache the first one wrote);
* reading and ``ast.parse`` of the same files, as the physical yardstick;

then judges the budgets of issue 2 on the largest tree.

Fairness of the flake8 comparison: flake8 runs *every* installed plugin and only
filters the results by ``--select``, so selecting or deselecting ``HWR`` does not
switch the plugin off.  The "without" run therefore uses a second virtualenv
(created once under the cache directory) holding exactly the same versions of
flake8, pycodestyle, pyflakes and mccabe but not flake8-hotwrap.  Both runs use
the same interpreter version, the same command line (``-j 1 --select
E,F,W,C90,HWR``), the same working directory and the same config file; they
alternate in ABBA order after one unmeasured warm-up run each, and the medians are
compared.  The plugin's on-disk index cache is warm for the measured runs, as it is
for a developer running flake8 repeatedly; the cold index is timed separately.

Usage::

    python benchmarks/lint_bench.py
    python benchmarks/lint_bench.py --packages Django==5.0.3 --repeat 5
    python benchmarks/lint_bench.py --skip-flake8        # index and ast.parse only
"""
from __future__ import annotations

import argparse
import ast
import hashlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
import zipfile
from dataclasses import asdict, dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any, Dict, List, Optional, Sequence, Tuple

HERE = Path(__file__).resolve().parent
DEFAULT_CACHE = HERE / ".cache"
DEFAULT_PACKAGES: Tuple[str, ...] = (
    "homeassistant==2024.3.3",
    "Django==5.0.3",
    "inference-core==1.8.3",
)
DEFAULT_SELECT = "E,F,W,C90,HWR"
#: Distributions that make up flake8 with its default plugins: the baseline
#: virtualenv gets exactly the versions installed next to the plugin.
BASELINE_DISTS: Tuple[str, ...] = ("flake8", "pycodestyle", "pyflakes", "mccabe")
PLUGIN_DIST = "flake8-hotwrap"
CACHE_ENV = "FLAKE8_HOTWRAP_CACHE_DIR"
MARKER_TEXT = (
    "# Written by benchmarks/lint_bench.py: marks this unpacked package as its own\n"
    "# project root, so flake8-hotwrap indexes this tree and nothing above it.\n"
    "[flake8]\n"
)

#: Budgets from issue 2.
BUDGET_FLAKE8_RATIO = 1.02
BUDGET_INDEX_COLD_S = 1.0
BUDGET_INDEX_WARM_S = 0.2
BUDGET_TREE_FILES = 6700  # the budgets are stated for a tree of ~6,700 files


# --------------------------------------------------------------------------- helpers

def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def venv_python(venv: Path) -> Path:
    return venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def median(values: Sequence[float]) -> Optional[float]:
    return statistics.median(values) if values else None


def fmt_s(value: Optional[float]) -> str:
    if value is None:
        return "-"
    return f"{value:.3f} s" if value < 10 else f"{value:.1f} s"


def normalize(name: str) -> str:
    return name.lower().replace("-", "_").replace(".", "_")


# --------------------------------------------------------------------------- sources

@dataclass
class Tree:
    spec: str
    root: Path
    files: List[Path]


def parse_spec(spec: str) -> Tuple[str, str]:
    name, sep, version = spec.partition("==")
    if not sep or not name.strip() or not version.strip():
        raise ValueError(f"{spec!r}: pin an exact version, e.g. Django==5.0.3")
    return name.strip(), version.strip()


def pip_download(spec: str, dest: Path, binary: bool) -> Tuple[bool, str]:
    """Download one distribution of ``spec`` (a wheel, else an sdist) into ``dest``."""
    fmt = ["--only-binary=:all:"] if binary else ["--no-binary=:all:"]
    cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "--ignore-requires-python",
           "--disable-pip-version-check", *fmt, "-d", str(dest), spec]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    lines = (proc.stderr or proc.stdout).strip().splitlines()
    return proc.returncode == 0, lines[-1] if lines else ""


def safe_relpath(name: str) -> Optional[PurePosixPath]:
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or not path.parts:
        return None
    return path


def unpack_py_files(archive: Path, dest: Path) -> int:
    """Extract the ``.py`` files of a wheel or sdist into ``dest``; return their count."""
    count = 0
    if archive.suffix in (".whl", ".zip"):
        with zipfile.ZipFile(archive) as zf:
            strip = archive.suffix == ".zip"  # a zip sdist has one top-level directory
            for info in zf.infolist():
                rel = safe_relpath(info.filename)
                if rel is None or info.is_dir() or rel.suffix != ".py":
                    continue
                if any(p.endswith(".dist-info") for p in rel.parts):
                    continue
                if strip:
                    if len(rel.parts) < 2:
                        continue
                    rel = PurePosixPath(*rel.parts[1:])
                target = dest.joinpath(*rel.parts)
                target.parent.mkdir(parents=True, exist_ok=True)
                with zf.open(info) as src, open(target, "wb") as out:
                    shutil.copyfileobj(src, out)
                count += 1
    elif archive.name.endswith((".tar.gz", ".tgz", ".tar.bz2", ".tar")):
        with tarfile.open(archive) as tf:
            for member in tf.getmembers():
                rel = safe_relpath(member.name)
                if rel is None or not member.isfile() or rel.suffix != ".py" or len(rel.parts) < 2:
                    continue
                rel = PurePosixPath(*rel.parts[1:])  # sdists have one top-level directory
                fobj = tf.extractfile(member)
                if fobj is None:
                    continue
                target = dest.joinpath(*rel.parts)
                target.parent.mkdir(parents=True, exist_ok=True)
                with fobj, open(target, "wb") as out:
                    shutil.copyfileobj(fobj, out)
                count += 1
    else:
        raise ValueError(f"unknown archive format: {archive.name}")
    return count


def fetch_tree(spec: str, cache: Path) -> Optional[Tree]:
    """The unpacked ``.py`` tree of ``spec``, downloading it on first use; None if unavailable."""
    try:
        name, version = parse_spec(spec)
    except ValueError as exc:
        log(f"skip {spec}: {exc}")
        return None
    key = f"{normalize(name)}-{version}"
    root = cache / "src" / key
    done = root / ".complete"
    if not done.exists():
        dist_dir = cache / "dist" / key
        archives = sorted(dist_dir.glob("*")) if dist_dir.is_dir() else []
        if not archives:
            dist_dir.mkdir(parents=True, exist_ok=True)
            log(f"downloading {spec} ...")
            ok, err = pip_download(spec, dist_dir, binary=True)
            if not ok:
                log(f"  no wheel for {spec} ({err}); trying the sdist")
                ok, err = pip_download(spec, dist_dir, binary=False)
            archives = sorted(dist_dir.glob("*"))
            if not ok or not archives:
                log(f"skip {spec}: not available from the package index ({err})")
                shutil.rmtree(dist_dir, ignore_errors=True)
                return None
        if root.exists():
            shutil.rmtree(root)
        root.mkdir(parents=True)
        n = unpack_py_files(archives[0], root)
        (root / ".flake8").write_text(MARKER_TEXT)
        done.write_text(f"{archives[0].name}\n{n}\n")
        log(f"unpacked {n} .py files of {archives[0].name} into {root}")
    files = sorted(p for p in root.rglob("*.py") if p.is_file())
    return Tree(spec=spec, root=root, files=files)


# --------------------------------------------------------------------------- environments

def run_capture(cmd: Sequence[str],
                cwd: Optional[Path] = None) -> "subprocess.CompletedProcess[str]":
    return subprocess.run(list(cmd), capture_output=True, text=True, cwd=cwd)


def flake8_cmd(python: Path) -> List[str]:
    """flake8's console script next to ``python``.

    Preferred to ``python -m flake8``, which puts the working directory on
    ``sys.path``: a checkout with ``flake8_hotwrap.egg-info`` in it would then
    register the plugin in the baseline environment too.
    """
    script = python.parent / ("flake8.exe" if os.name == "nt" else "flake8")
    return [str(script)] if script.exists() else [str(python), "-m", "flake8"]


def flake8_version(python: Path, cwd: Path) -> Tuple[bool, str]:
    proc = run_capture([*flake8_cmd(python), "--version"], cwd=cwd)
    text = (proc.stdout + proc.stderr).strip()
    return proc.returncode == 0, text


def plugins_of(version_text: str) -> Dict[str, str]:
    """``flake8 --version`` -> {plugin: version}, e.g. {'pycodestyle': '2.14.0', ...}."""
    text = " ".join(version_text.split())  # argparse wraps the line at the terminal width
    inside = text[text.find("(") + 1:text.find(")")] if "(" in text else ""
    result: Dict[str, str] = {}
    for item in inside.split(","):
        name, _, ver = item.strip().partition(":")
        if name:
            result[name.strip()] = ver.strip()
    return result


def dist_versions(python: Path, dists: Sequence[str], cwd: Path) -> Dict[str, Optional[str]]:
    code = (
        "import importlib.metadata as m, json, sys\n"
        "out = {}\n"
        "for d in sys.argv[1:]:\n"
        "    try: out[d] = m.version(d)\n"
        "    except m.PackageNotFoundError: out[d] = None\n"
        "print(json.dumps(out))\n"
    )
    proc = run_capture([str(python), "-I", "-c", code, *dists], cwd=cwd)
    if proc.returncode != 0:
        raise RuntimeError(f"{python}: {proc.stderr.strip()}")
    result: Dict[str, Optional[str]] = json.loads(proc.stdout)
    return result


def python_tag(python: Path) -> str:
    proc = run_capture([str(python), "-c",
                        "import sys; print('%d.%d' % sys.version_info[:2])"])
    return proc.stdout.strip()


def ensure_baseline(with_python: Path, cache: Path) -> Tuple[Optional[Path], str]:
    """A virtualenv with the same flake8 stack as ``with_python`` but without the plugin."""
    versions = dist_versions(with_python, BASELINE_DISTS, cache)
    missing = [d for d, v in versions.items() if v is None]
    if missing:
        return None, f"{with_python} lacks {', '.join(missing)}"
    pins = [f"{d}=={v}" for d, v in versions.items()]
    digest = hashlib.sha256(" ".join(pins).encode()).hexdigest()[:10]
    venv = cache / "venvs" / f"baseline-py{python_tag(with_python)}-{digest}"
    py = venv_python(venv)
    if not (venv / ".complete").exists():
        log(f"creating the baseline virtualenv {venv} ({' '.join(pins)}) ...")
        shutil.rmtree(venv, ignore_errors=True)
        proc = run_capture([str(with_python), "-m", "venv", str(venv)])
        if proc.returncode != 0:
            return None, f"venv creation failed: {proc.stderr.strip()}"
        proc = run_capture([str(py), "-m", "pip", "install", "-q",
                            "--disable-pip-version-check", *pins])
        if proc.returncode != 0:
            return None, f"pip install {' '.join(pins)} failed: {proc.stderr.strip()[-500:]}"
        (venv / ".complete").write_text(" ".join(pins) + "\n")
    return py, " ".join(pins)


def ensure_plugin_venv(with_python: Path, cache: Path) -> Tuple[Optional[Path], str]:
    """A virtualenv with the baseline's flake8 stack plus this checkout installed the way
    users get it (a wheel, not editable: an editable install's import hook costs every
    Python start-up ~40 ms, which users never pay).  Rebuilt when the package changes."""
    pins_of = dist_versions(with_python, BASELINE_DISTS + ("libcst",), cache)
    missing = [d for d, v in pins_of.items() if v is None]
    if missing:
        return None, f"{with_python} lacks {', '.join(missing)}"
    pins = [f"{d}=={v}" for d, v in pins_of.items()]
    repo = HERE.parent
    digest = hashlib.sha256(" ".join(pins).encode())
    for src in sorted([repo / "setup.cfg", *(repo / "flake8_hotwrap").glob("*.py")]):
        digest.update(src.name.encode() + b"\0" + src.read_bytes())
    venv = cache / "venvs" / f"plugin-py{python_tag(with_python)}-{digest.hexdigest()[:10]}"
    py = venv_python(venv)
    if not (venv / ".complete").exists():
        log(f"creating the plugin virtualenv {venv} ({' '.join(pins)} + this checkout) ...")
        for old in (cache / "venvs").glob(f"plugin-py{python_tag(with_python)}-*"):
            shutil.rmtree(old, ignore_errors=True)  # earlier versions of the package
        proc = run_capture([str(with_python), "-m", "venv", str(venv)])
        if proc.returncode != 0:
            return None, f"venv creation failed: {proc.stderr.strip()}"
        proc = run_capture([str(py), "-m", "pip", "install", "-q", "--disable-pip-version-check",
                            *pins, str(repo)])
        if proc.returncode != 0:
            return None, f"pip install of the checkout failed: {proc.stderr.strip()[-500:]}"
        (venv / ".complete").write_text(" ".join(pins) + "\n")
    return py, " ".join(pins) + " + flake8-hotwrap (wheel of this checkout)"


# --------------------------------------------------------------------------- flake8 runs

@dataclass
class Flake8Run:
    seconds: float
    cpu: float
    lines: int
    hwr: int


def children_cpu() -> float:
    """User+system CPU seconds of all waited-for child processes (0 where unknown)."""
    try:
        import resource
    except ImportError:  # Windows
        return 0.0
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_flake8(python: Path, tree: Tree, select: str, jobs: int,
               index_cache: Path) -> Flake8Run:
    env = dict(os.environ)
    env[CACHE_ENV] = str(index_cache)
    cmd = [*flake8_cmd(python), "-j", str(jobs), "--select", select, "."]
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        cpu_before = children_cpu()
        start = time.perf_counter()
        proc = subprocess.run(cmd, cwd=tree.root, stdout=out, stderr=err, env=env)
        seconds = time.perf_counter() - start
        cpu = children_cpu() - cpu_before
        out.seek(0)
        lines = out.read().splitlines()
        err.seek(0)
        errors = err.read()
    if proc.returncode not in (0, 1):
        raise RuntimeError(f"{' '.join(cmd)} exited {proc.returncode}: {errors.strip()[-800:]}")
    hwr = sum(1 for line in lines if ": HWR" in line)
    return Flake8Run(seconds=seconds, cpu=cpu, lines=len(lines), hwr=hwr)


# --------------------------------------------------------------------------- workers
# Index builds and ast.parse run in fresh processes, so no in-memory state of one
# measurement helps the next: "warm" means only the on-disk cache is warm.

def worker_index(root: str, cache_dir: str) -> int:
    try:
        from flake8_hotwrap.config import Config
        from flake8_hotwrap.project import build_index
    except Exception as exc:  # noqa: BLE001 - report any import problem and skip
        print(json.dumps({"error": f"{type(exc).__name__}: {exc}"}))
        return 3
    config = Config(cache_dir=cache_dir)
    start = time.perf_counter()
    index = build_index(root, config)
    seconds = time.perf_counter() - start
    modules: Optional[int] = None
    for attr in ("entries", "files", "modules"):
        value = getattr(index, attr, None)
        if value is not None:
            try:
                modules = len(value)
                break
            except TypeError:
                pass
    print(json.dumps({"seconds": seconds, "modules": modules}))
    return 0


def worker_parse(root: str) -> int:
    paths = sorted(p for p in Path(root).rglob("*.py") if p.is_file())
    start = time.perf_counter()
    sources = [p.read_bytes() for p in paths]
    read_s = time.perf_counter() - start
    failed = 0
    for path, src in zip(paths, sources):
        try:
            ast.parse(src, filename=str(path))
        except (SyntaxError, ValueError):
            failed += 1
    total_s = time.perf_counter() - start
    print(json.dumps({"read": read_s, "parse": total_s, "failed": failed}))
    return 0


def call_worker(python: Path, *args: str) -> Dict[str, Any]:
    proc = run_capture([str(python), str(Path(__file__).resolve()), *args])
    try:
        result: Dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
        return result
    except (IndexError, json.JSONDecodeError):
        return {"error": f"worker exited {proc.returncode}: {proc.stderr.strip()[-800:]}"}


# --------------------------------------------------------------------------- results

@dataclass
class Result:
    spec: str
    files: int
    flake8_without: List[float] = field(default_factory=list)
    flake8_with: List[float] = field(default_factory=list)
    flake8_without_cpu: List[float] = field(default_factory=list)
    flake8_with_cpu: List[float] = field(default_factory=list)
    flake8_lines: Optional[int] = None
    hwr_findings: Optional[int] = None
    index_cold: List[float] = field(default_factory=list)
    index_warm: List[float] = field(default_factory=list)
    index_modules: Optional[int] = None
    read: List[float] = field(default_factory=list)
    parse: List[float] = field(default_factory=list)
    parse_failed: int = 0
    notes: List[str] = field(default_factory=list)

    @property
    def ratio(self) -> Optional[float]:
        a, b = median(self.flake8_without), median(self.flake8_with)
        return b / a if a and b else None

    @property
    def cpu_ratio(self) -> Optional[float]:
        a, b = median(self.flake8_without_cpu), median(self.flake8_with_cpu)
        return b / a if a and b else None


def bench_flake8(res: Result, tree: Tree, with_py: Path, base_py: Path, args: argparse.Namespace,
                 cache: Path) -> None:
    index_cache = cache / "hotwrap-index" / tree.root.name
    shutil.rmtree(index_cache, ignore_errors=True)
    runs = {"without": (base_py, res.flake8_without, res.flake8_without_cpu),
            "with": (with_py, res.flake8_with, res.flake8_with_cpu)}
    log(f"{tree.spec}: flake8 warm-up runs (not measured) ...")
    for label in ("without", "with"):
        run = run_flake8(runs[label][0], tree, args.select, args.jobs, index_cache)
        log(f"  {label:7} {run.seconds:8.2f} s  ({run.lines} findings)")
    for i in range(args.repeat):
        order = ("without", "with") if i % 2 == 0 else ("with", "without")
        for label in order:
            python, times, cpu_times = runs[label]
            run = run_flake8(python, tree, args.select, args.jobs, index_cache)
            times.append(run.seconds)
            cpu_times.append(run.cpu)
            if label == "with":
                res.flake8_lines, res.hwr_findings = run.lines, run.hwr
            log(f"  run {i + 1}/{args.repeat} {label:7} {run.seconds:8.2f} s"
                f"  (cpu {run.cpu:.2f} s)")


def bench_index(res: Result, tree: Tree, with_py: Path, args: argparse.Namespace,
                cache: Path) -> bool:
    """False when the index API is not importable (the rest of the benchmark goes on)."""
    base = cache / "index-bench"
    for i in range(args.repeat):
        cache_dir = base / f"{tree.root.name}-{i}"
        shutil.rmtree(cache_dir, ignore_errors=True)
        cache_dir.mkdir(parents=True)
        for label, times in (("cold", res.index_cold), ("warm", res.index_warm)):
            out = call_worker(with_py, "--worker-index", str(tree.root), str(cache_dir))
            if "error" in out:
                res.notes.append(f"index: {out['error']}")
                log(f"{tree.spec}: index build skipped: {out['error']}")
                return False
            times.append(float(out["seconds"]))
            if out.get("modules") is not None:
                res.index_modules = int(out["modules"])
            log(f"  index {label} {i + 1}/{args.repeat}: {times[-1]:.3f} s")
        shutil.rmtree(cache_dir, ignore_errors=True)
    return True


def bench_parse(res: Result, tree: Tree, with_py: Path, args: argparse.Namespace) -> None:
    for i in range(args.repeat):
        out = call_worker(with_py, "--worker-parse", str(tree.root))
        if "error" in out:
            res.notes.append(f"ast.parse: {out['error']}")
            return
        res.read.append(float(out["read"]))
        res.parse.append(float(out["parse"]))
        res.parse_failed = int(out["failed"])
        log(f"  ast.parse {i + 1}/{args.repeat}: {res.parse[-1]:.3f} s")


def print_table(results: List[Result]) -> None:
    headers = ("package", "files", "flake8 w/o", "flake8 with", "ratio", "cpu ratio", "HWR",
               "index cold", "index warm", "read", "ast.parse")
    rows = []
    for r in results:
        ratio, cpu_ratio = r.ratio, r.cpu_ratio
        rows.append((
            r.spec, str(r.files), fmt_s(median(r.flake8_without)), fmt_s(median(r.flake8_with)),
            f"{ratio:.3f}" if ratio else "-", f"{cpu_ratio:.3f}" if cpu_ratio else "-",
            "-" if r.hwr_findings is None else str(r.hwr_findings),
            fmt_s(median(r.index_cold)), fmt_s(median(r.index_warm)),
            fmt_s(median(r.read)), fmt_s(median(r.parse)),
        ))
    widths = [max(len(h), *(len(row[i]) for row in rows)) for i, h in enumerate(headers)]
    line = "  ".join(h.ljust(w) if i == 0 else h.rjust(w) for i, (h, w) in
                     enumerate(zip(headers, widths)))
    print(line)
    print("-" * len(line))
    for row in rows:
        print("  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in
                        enumerate(zip(row, widths))))
    for r in results:
        spread = []
        if r.flake8_without:
            spread.append(f"flake8 w/o {min(r.flake8_without):.2f}-{max(r.flake8_without):.2f} s")
        if r.flake8_with:
            spread.append(f"with {min(r.flake8_with):.2f}-{max(r.flake8_with):.2f} s")
        if r.parse_failed:
            spread.append(f"{r.parse_failed} files do not parse on this Python")
        if r.index_modules is not None:
            spread.append(f"index holds {r.index_modules} files")
        for note in [", ".join(spread)] + r.notes:
            if note:
                print(f"  {r.spec}: {note}")


def judge(results: List[Result]) -> bool:
    """Print the budgets of issue 2 with PASS/FAIL; True when none failed."""
    if not results:
        return True
    big = max(results, key=lambda r: r.files)
    print()
    print(f"budgets (issue 2), judged on the largest tree: {big.spec}, {big.files} files")
    if big.files < BUDGET_TREE_FILES * 0.8:
        print(f"  note: the budgets are stated for ~{BUDGET_TREE_FILES:,} files; "
              "this tree is smaller, so the verdict is only indicative")
    ok = True
    checks: List[Tuple[str, Optional[float], str, bool]] = []
    ratio = big.ratio
    checks.append(("plugin adds <= 2% to flake8 wall time", ratio,
                   f"{(ratio - 1) * 100:+.1f}%" if ratio else "-",
                   bool(ratio and ratio <= BUDGET_FLAKE8_RATIO)))
    cold, warm = median(big.index_cold), median(big.index_warm)
    checks.append((f"cold index < {BUDGET_INDEX_COLD_S:g} s", cold, fmt_s(cold),
                   bool(cold is not None and cold < BUDGET_INDEX_COLD_S)))
    checks.append((f"warm index < {BUDGET_INDEX_WARM_S:g} s", warm, fmt_s(warm),
                   bool(warm is not None and warm < BUDGET_INDEX_WARM_S)))
    for label, value, shown, passed in checks:
        verdict = "SKIP" if value is None else ("PASS" if passed else "FAIL")
        ok = ok and verdict != "FAIL"
        print(f"  {label:42} {shown:>10}  {verdict}")
    cpu_ratio = big.cpu_ratio
    if cpu_ratio is not None:
        print(f"  {'(cross-check) same, in CPU time':42} {(cpu_ratio - 1) * 100:>+9.1f}%  "
              f"{'PASS' if cpu_ratio <= BUDGET_FLAKE8_RATIO else 'FAIL'}")
        if ratio is not None and abs(ratio - cpu_ratio) > 0.05:
            print("  note: wall and CPU ratios differ by more than 5 points: other load on "
                  "the machine disturbed the wall times; rerun on an idle machine")
    return ok


# --------------------------------------------------------------------------- main

def parse_args(argv: Optional[Sequence[str]] = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(
        description="flake8 with/without flake8-hotwrap, index build and ast.parse "
                    "on pinned PyPI packages.")
    p.add_argument("--packages", nargs="+", default=list(DEFAULT_PACKAGES), metavar="NAME==VER",
                   help="pinned distributions to measure (default: %(default)s)")
    p.add_argument("--repeat", type=int, default=3, help="measured runs per variant (default 3)")
    p.add_argument("--jobs", type=int, default=1, help="flake8 -j (default 1: one core)")
    p.add_argument("--select", default=DEFAULT_SELECT,
                   help="flake8 --select for both runs (default %(default)s)")
    p.add_argument("--cache-dir", type=Path, default=DEFAULT_CACHE,
                   help="downloads, unpacked trees and the baseline venv (default %(default)s)")
    p.add_argument("--python", type=Path, default=None,
                   help="interpreter with flake8 and flake8-hotwrap installed (default: a "
                        "virtualenv under the cache directory with this checkout installed "
                        "as a wheel and this interpreter's flake8 versions)")
    p.add_argument("--baseline-python", type=Path, default=None,
                   help="interpreter with the same flake8 but without the plugin "
                        "(default: a virtualenv created under the cache directory)")
    p.add_argument("--skip-flake8", action="store_true", help="do not time flake8")
    p.add_argument("--skip-index", action="store_true", help="do not time the index build")
    p.add_argument("--json", type=Path, default=None, help="also write the raw figures here")
    p.add_argument("--check", action="store_true", help="exit 1 when a budget fails")
    args = p.parse_args(argv)
    if args.repeat < 1 or args.jobs < 1:
        p.error("--repeat and --jobs must be at least 1")
    return args


def main(argv: Optional[Sequence[str]] = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["--worker-index"] and len(argv) == 3:
        return worker_index(argv[1], argv[2])
    if argv[:1] == ["--worker-parse"] and len(argv) == 2:
        return worker_parse(argv[1])
    args = parse_args(argv)
    cache: Path = args.cache_dir.resolve()
    cache.mkdir(parents=True, exist_ok=True)
    if args.python is None:
        plugin_py, detail = ensure_plugin_venv(Path(sys.executable), cache)
        if plugin_py is None:
            log(f"cannot create the plugin virtualenv: {detail}")
            return 2
        args.python = plugin_py
    with_py: Path = args.python

    ok, version_text = flake8_version(with_py, cache)
    log(f"with plugin:    {with_py}: {' '.join(version_text.split()) if ok else 'flake8 fails'}")
    plugin_ok = ok and PLUGIN_DIST in plugins_of(version_text)
    base_py: Optional[Path] = None
    if args.skip_flake8:
        pass
    elif not ok:
        log(f"flake8 comparison skipped: `{with_py} -m flake8 --version` failed:\n"
            f"  {version_text.strip().splitlines()[-1] if version_text.strip() else ''}")
    else:
        if not plugin_ok:
            log(f"note: {PLUGIN_DIST} is not listed by `flake8 --version`; the 'with' run "
                "measures flake8 alone")
        if args.baseline_python:
            base_py = args.baseline_python
        else:
            base_py, detail = ensure_baseline(with_py, cache)
            if base_py is None:
                log(f"flake8 comparison skipped: {detail}")
        if base_py is not None:
            b_ok, b_text = flake8_version(base_py, cache)
            b_plugins = plugins_of(b_text) if b_ok else {}
            w_plugins = {k: v for k, v in plugins_of(version_text).items() if k != PLUGIN_DIST}
            shown = " ".join(b_text.split()) if b_ok else "flake8 fails"
            log(f"without plugin: {base_py}: {shown}")
            if not b_ok or PLUGIN_DIST in b_plugins:
                log("flake8 comparison skipped: the baseline has no working flake8 "
                    "or has the plugin")
                base_py = None
            elif b_plugins != w_plugins:
                log(f"warning: other plugins differ: with={w_plugins} without={b_plugins}")

    results: List[Result] = []
    index_available = not args.skip_index
    for spec in args.packages:
        tree = fetch_tree(spec, cache)
        if tree is None:
            continue
        res = Result(spec=spec, files=len(tree.files))
        log(f"{spec}: {res.files} .py files in {tree.root}")
        if base_py is not None:
            try:
                bench_flake8(res, tree, with_py, base_py, args, cache)
            except RuntimeError as exc:
                res.notes.append(f"flake8: {exc}")
                log(f"{spec}: flake8 failed: {exc}")
        if index_available:
            index_available = bench_index(res, tree, with_py, args, cache)
        bench_parse(res, tree, with_py, args)
        results.append(res)

    print()
    print(f"flake8 -j {args.jobs} --select {args.select}; medians of {args.repeat} runs "
          f"(ABBA order, warm plugin cache); Python {python_tag(with_py)}")
    print_table(results)
    passed = judge(results)
    if args.json:
        payload = [dict(asdict(r), ratio=r.ratio, cpu_ratio=r.cpu_ratio) for r in results]
        args.json.write_text(json.dumps(payload, indent=2) + "\n")
    return 1 if args.check and not passed else 0


if __name__ == "__main__":
    sys.exit(main())
