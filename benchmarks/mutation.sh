#!/usr/bin/env bash
# Mutation testing of flake8_hotwrap/analysis.py and flake8_hotwrap/rewrite.py with mutmut 3.
#
#   pip install mutmut && benchmarks/mutation.sh        # JOBS=N for N parallel children
#
# Optional: MUTMUT=/path/to/mutmut, NICE=10 (run niced on a shared machine; default 10),
# KEEP=dir (run in dir and keep it, e.g. to inspect survivors with `mutmut show`).
#
# The configuration is the [mutmut] section of setup.cfg (added to the copy below
# if the checkout does not have it yet).  The runner is a fast in-process subset:
# tests/test_rewrite.py (the rewrite), tests/test_analysis_facts.py (the facts the
# analysis records) and tests/test_spec_inprocess.py (the shape and framework
# specifications through the project index, in-process so mutants are seen).
# Coverage (addopts in setup.cfg) is switched off with --no-cov, and hypothesis's
# pytest plugin with -p no:hypothesispytest: the subset does not use hypothesis, but
# the plugin imports it at the end of every session, i.e. once per mutant (~1-3 s).
# mutmut writes a mutants/ tree, so the run happens in a temporary copy of the checkout.
set -euo pipefail
cd "$(dirname "$0")/.."
MUTMUT="${MUTMUT:-mutmut}"
if [ -n "${KEEP:-}" ]; then
    work="$KEEP"; rm -rf "$work"; mkdir -p "$work"
else
    work="$(mktemp -d "${TMPDIR:-/tmp}/hotwrap-mutation.XXXXXX")"
    trap 'rm -rf "$work"' EXIT
fi
cp -r flake8_hotwrap tests setup.cfg pyproject.toml README.md "$work"/
cd "$work"
if ! grep -q '^\[mutmut\]' setup.cfg; then
    cat >> setup.cfg <<'CFG'

[mutmut]
source_paths = flake8_hotwrap
only_mutate =
    flake8_hotwrap/analysis.py
    flake8_hotwrap/rewrite.py
pytest_add_cli_args_test_selection =
    tests/test_rewrite.py
    tests/test_analysis_facts.py
    tests/test_spec_inprocess.py
pytest_add_cli_args =
    -x
    --no-cov
    -p
    no:hypothesispytest
use_git_change_detection = False
CFG
fi
nice -n "${NICE:-10}" "$MUTMUT" run --max-children "${JOBS:-2}" > mutmut-run.log 2>&1 || true
"$MUTMUT" results --all true > "${OLDPWD}/benchmarks/.mutation-results.txt" 2>&1 || \
    "$MUTMUT" results > "${OLDPWD}/benchmarks/.mutation-results.txt" 2>&1 || true
"$MUTMUT" export-cicd-stats >/dev/null 2>&1 || true
python - <<'PY'
import json
s = json.load(open("mutants/mutmut-cicd-stats.json"))
total, killed, survived = s["total"], s["killed"], s["survived"]
timeout, no_tests, skipped = s.get("timeout", 0), s.get("no_tests", 0), s.get("skipped", 0)
other = s.get("suspicious", 0) + s.get("segfault", 0)
not_run = total - killed - survived - timeout - no_tests - skipped - other
run = total - skipped - not_run
print(f"mutants: {total}, run {run}, killed {killed}, timeout {timeout}, survived {survived}, "
      f"no tests {no_tests}, suspicious/segfault {other}, skipped {skipped}, not run {not_run}")
score = 100.0 * (killed + timeout) / max(total - skipped, 1)
print(f"mutation score: {score:.1f}% of all {total - skipped} mutants "
      f"(killed + timeout; not-run mutants count as not killed)")
if not_run:
    print(f"INCOMPLETE RUN: {not_run} mutants were not run; "
          f"{100.0 * (killed + timeout) / max(run, 1):.1f}% of the {run} that were")
PY
