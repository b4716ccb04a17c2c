"""Target Python versions for the fixer.

The rewrite of ``functools.wraps`` depends on the Python versions the fixed code
must run on: 3.12 added ``__type_params__`` to the attributes ``update_wrapper``
copies, and 3.14 copies ``__annotate__`` instead of ``__annotations__``.  A
target is an inclusive range of minor versions; an open upper bound (the usual
case: ``requires-python = ">=3.9"``) means "every later version too".
"""
from __future__ import annotations

import configparser
import os
import re
import sys
from dataclasses import dataclass
from typing import List, Optional, Tuple

Version = Tuple[int, int]

_VERSION_RE = re.compile(r"^\s*(?:py|cp)?(\d)\.?(\d{1,2})\s*$", re.IGNORECASE)
_SPEC_RE = re.compile(r"^\s*(~=|===|==|!=|<=|>=|<|>)\s*(\d+)(?:\.(\d+|\*))?(?:\.[\d*]+)*\s*$")


class TargetVersionError(ValueError):
    """An unparsable ``--target-version`` or ``requires-python`` value."""


@dataclass(frozen=True)
class TargetVersions:
    """Inclusive range of ``(major, minor)`` versions; ``maximum=None`` is open."""

    minimum: Version
    maximum: Optional[Version] = None

    def includes_below(self, version: Version) -> bool:
        """Whether some target version is older than ``version``."""
        return self.minimum < version

    def includes_at_least(self, version: Version) -> bool:
        """Whether some target version is ``version`` or newer."""
        return self.maximum is None or self.maximum >= version

    def __str__(self) -> str:
        low = "%d.%d" % self.minimum
        if self.maximum is None:
            return low + "+"
        if self.maximum == self.minimum:
            return low
        return "%s-%d.%d" % (low, self.maximum[0], self.maximum[1])


def running_interpreter() -> TargetVersions:
    return TargetVersions((sys.version_info[0], sys.version_info[1]))


def _parse_version(text: str) -> Version:
    m = _VERSION_RE.match(text)
    if not m:
        raise TargetVersionError(
            f"invalid target version {text!r} (expected e.g. py39, 3.9 or 3.9-3.13)"
        )
    return int(m.group(1)), int(m.group(2))


def parse_target_version(text: str) -> TargetVersions:
    """``py39``/``3.9`` (3.9 and newer), ``3.9-3.13``/``py39-py313`` (a closed range)."""
    parts = text.split("-")
    if len(parts) == 1:
        return TargetVersions(_parse_version(parts[0]))
    if len(parts) == 2 and parts[0].strip() and parts[1].strip():
        low, high = _parse_version(parts[0]), _parse_version(parts[1])
        if high < low:
            raise TargetVersionError(f"invalid target version range {text!r}")
        return TargetVersions(low, high)
    raise TargetVersionError(
        f"invalid target version {text!r} (expected e.g. py39, 3.9 or 3.9-3.13)"
    )


def _previous(version: Version) -> Version:
    return (version[0], version[1] - 1) if version[1] > 0 else (version[0] - 1, 99)


def parse_requires_python(spec: str) -> TargetVersions:
    """The version range a PEP 440 ``requires-python`` specifier allows (minor precision)."""
    low: Optional[Version] = None
    high: Optional[Version] = None
    for clause in spec.split(","):
        if not clause.strip():
            continue
        m = _SPEC_RE.match(clause)
        if not m:
            raise TargetVersionError(f"unsupported requires-python clause {clause.strip()!r}")
        op, major, minor_text = m.group(1), int(m.group(2)), m.group(3)
        minor = 0 if minor_text in (None, "*") else int(minor_text)
        ver = (major, minor)
        has_minor = minor_text not in (None, "*")
        new_low: Optional[Version] = None
        new_high: Optional[Version] = None
        if op in (">=", "~="):
            new_low = ver
        elif op == ">":
            new_low = ver  # ">3.9" still allows 3.9.1: conservative is always correct
        elif op in ("==", "==="):
            new_low = ver
            new_high = ver if has_minor else (major, 99)
        elif op == "<":
            # "<3.13" excludes 3.13.0, so the newest allowed minor is 3.12
            new_high = _previous(ver) if clause.count(".") < 2 else ver
        elif op == "<=":
            new_high = ver
        if new_low is not None and (low is None or new_low > low):
            low = new_low
        if new_high is not None and (high is None or new_high < high):
            high = new_high
    if low is None:
        low = (3, 0)
    if high is not None and high < low:
        raise TargetVersionError(f"requires-python {spec!r} allows no version")
    return TargetVersions(low, high)


def _requires_from_pyproject(path: str) -> Optional[str]:
    try:
        with open(path, "rb") as fh:
            raw = fh.read()
    except OSError:
        return None
    text = raw.decode("utf-8", "replace")
    if sys.version_info >= (3, 11):
        import tomllib

        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError:
            return None
        project = data.get("project")
        value = project.get("requires-python") if isinstance(project, dict) else None
        return value if isinstance(value, str) else None
    # 3.9/3.10 have no TOML parser in the standard library: read the one key we need.
    section = None
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith("["):
            section = stripped.strip("[] ")
            continue
        if section == "project":
            m = re.match(r"""requires-python\s*=\s*(["'])(.*?)\1""", stripped)
            if m:
                return m.group(2)
    return None


def _requires_from_setup_cfg(path: str) -> Optional[str]:
    parser = configparser.RawConfigParser()
    try:
        parser.read(path, encoding="utf-8")
    except (configparser.Error, UnicodeDecodeError, OSError):
        return None
    if parser.has_option("options", "python_requires"):
        return parser.get("options", "python_requires").strip() or None
    return None


def target_from_project(root: str) -> Optional[TargetVersions]:
    """``requires-python`` (pyproject.toml) or ``python_requires`` (setup.cfg) of ``root``."""
    candidates: List[Optional[str]] = [
        _requires_from_pyproject(os.path.join(root, "pyproject.toml")),
        _requires_from_setup_cfg(os.path.join(root, "setup.cfg")),
    ]
    for spec in candidates:
        if spec:
            try:
                return parse_requires_python(spec)
            except TargetVersionError:
                continue
    return None


def default_target(root: str) -> TargetVersions:
    """The project's declared Python range, else the running interpreter and newer."""
    return target_from_project(root) or running_interpreter()
