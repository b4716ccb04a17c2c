"""The impact report: counts exact, times measured, numbers consistent with each other."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import write_project
from flake8_hotwrap import report as report_module

PROJECT = {
    "setup.cfg": "[flake8]\n",
    "app/__init__.py": "",
    "app/deco.py": """
        from functools import wraps, update_wrapper

        def audited(f):
            @wraps(f)
            def w(*a, **k):
                return f(*a, **k)
            return w

        def wrap_callback(cb):
            def inner():
                return cb()
            update_wrapper(inner, cb)
            return inner

        def unused(f):
            @wraps(f)
            def w():
                return f()
            return w
        """,
    "app/api.py": """
        from fastapi import FastAPI
        from .deco import audited, wrap_callback
        app = FastAPI()

        @app.get("/a")
        @audited
        def a():
            return 1

        @app.get("/b")
        @audited
        def b():
            return wrap_callback(lambda: 2)()

        @app.post("/c")
        @audited
        def c():
            return 3
        """,
}


def _report(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "flake8_hotwrap.report", *args],
                          cwd=str(root), capture_output=True, text=True)


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> dict:  # type: ignore[type-arg]
    root = tmp_path_factory.mktemp("svc")
    write_project(root, PROJECT)
    result = _report(root, "--format", "json", "--number", "3000", "--repeat", "5", ".")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def test_counts_are_exact(report: dict) -> None:  # type: ignore[type-arg]
    by_site = {e["site"]: e for e in report["entries"]}
    assert set(by_site) == {"app/deco.py:4", "app/deco.py:12"}
    audited = by_site["app/deco.py:4"]
    assert (audited["code"], audited["when"], audited["handlers"]) == ("HWR001", "import", 3)
    hot = by_site["app/deco.py:12"]
    assert (hot["code"], hot["when"], hot["handlers"]) == ("HWR003", "request", 1)
    assert hot["handler_names"] == ["app/api.py:12 b"]
    assert report["import_decorations"] == 3


def test_times_are_measured_and_consistent(report: dict) -> None:  # type: ignore[type-arg]
    t = report["timing"]
    assert t["wraps_us"] > 0 and t["explicit_us"] > 0
    assert t["wraps_us"] > t["explicit_us"], "wraps must cost more than explicit assignments"
    assert t["saved_us"] == pytest.approx(t["wraps_us"] - t["explicit_us"])
    assert t["call_wraps_us"] > 0 and t["call_explicit_us"] > 0
    assert report["startup_saved_ms"] == pytest.approx(3 * t["saved_us"] / 1000)
    assert report["per_request"] == {"app/api.py:12 b": pytest.approx(t["saved_us"])}
    assert t["python"].startswith(f"{sys.version_info[0]}.{sys.version_info[1]}.")


def test_text_report_states_import_versus_request(tmp_path: Path) -> None:
    write_project(tmp_path, PROJECT)
    out = _report(tmp_path, "--number", "500", "--repeat", "2", ".").stdout
    assert "'audited': 3 handler(s), paid once each at import" in out
    assert "'wrap_callback': paid on every request of app/api.py:12 b" in out
    assert "Summary: saves " in out and "ms of start-up (3 decorations at import)" in out


def test_negligible_saving_is_said_plainly(tmp_path: Path) -> None:
    files = dict(PROJECT)
    files["app/api.py"] = files["app/api.py"].replace("return wrap_callback(lambda: 2)()",
                                                      "return 2")
    write_project(tmp_path, files)
    out = _report(tmp_path, "--number", "500", "--repeat", "2", ".").stdout
    assert "nothing per request (negligible)" in out


def test_missing_path(tmp_path: Path) -> None:
    result = _report(tmp_path, "nope")
    assert result.returncode == 2 and "nope: no such file or directory" in result.stderr


# -- in process: the text report's cases, with a fixed timing --------------------------------

def _timing() -> "report_module.Timing":
    return report_module.Timing("3.11.7", wraps_us=1.5, explicit_us=0.5, call_wraps_us=0.1,
                                call_explicit_us=0.1, number=10, repeat=2)


def test_third_party_per_request_site_is_reported_not_counted(tmp_path: Path) -> None:
    write_project(tmp_path, {"setup.cfg": "[flake8]\n", "app/__init__.py": "", "app/views.py": """
        from django.contrib.auth.decorators import login_required
        from django.utils.decorators import method_decorator
        from django.views.generic import TemplateView

        class Dashboard(TemplateView):
            @method_decorator(login_required)
            def get(self, request, *args, **kwargs):
                return super().get(request, *args, **kwargs)
        """})
    rep = report_module.build_report([str(tmp_path)], _timing(), base=str(tmp_path))
    (entry,) = rep.entries
    assert (entry.site, entry.code, entry.when, entry.fixable) == (
        "app/views.py:6", "HWR003", "request", False)
    assert rep.per_request == {}  # nothing the fixer can save
    assert rep.summary == ("saves 0.000 ms of start-up (0 decorations at import); "
                           "nothing per request (negligible); 1 per-request site(s) in "
                           "third-party code, not fixable")
    text = report_module.format_text(rep)
    assert "app/views.py:6 HWR003 'method_decorator': paid on every request " \
           "(third-party, not fixable) of app/views.py:6 Dashboard.get" in text


def test_project_without_flagged_decorators(tmp_path: Path) -> None:
    write_project(tmp_path, {"setup.cfg": "[flake8]\n", "m.py": "x = 1\n"})
    rep = report_module.build_report([str(tmp_path)], _timing(), base=str(tmp_path))
    text = report_module.format_text(rep)
    assert "No flagged decorators." in text
    assert text.endswith("Summary: saves 0.000 ms of start-up (0 decorations at import); "
                         "nothing per request (negligible)")
    assert "saved per decoration:                1.000 us" in text
