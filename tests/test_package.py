"""The package itself: type-checks under mypy --strict, and the plugin is registered."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_package_passes_mypy() -> None:
    result = subprocess.run([sys.executable, "-m", "mypy", "--config-file",
                             str(ROOT / "setup.cfg"), str(ROOT / "flake8_hotwrap")],
                            capture_output=True, text=True, cwd=str(ROOT))
    assert result.returncode == 0, result.stdout + result.stderr


def test_entry_point_registered() -> None:
    from importlib.metadata import entry_points

    eps = entry_points()
    group = eps.select(group="flake8.extension") if hasattr(eps, "select") else \
        eps.get("flake8.extension", [])  # type: ignore[attr-defined]
    assert any(ep.name == "HWR" and ep.value == "flake8_hotwrap.plugin:HotwrapChecker"
               for ep in group)
