#!/usr/bin/env bash
# Mutation testing of flake8_hotwrap/analysis.py and flake8_hotwrap/rewrite.py with mutmut 3.
#
#   pip install mutmut && benchmarks/mutation.sh        # JOBS=N for N parallel children
#
# The configuration is the [mutmut] section of setup.cfg (added to the copy below
# if the checkout does not have it yet).  The runner is a fast in-process subset:
# tests/test_rewrite.py (the rewrite) and tests/test_spec_inprocess.py (the shape and
# framework specifications through the project index, in-process so mutants are seen).
# mutmut writes a mutants/ tree, so the run happens in a temporary copy of the checkout.
set -euo pipefail
cd "$(dirname "$0")/.."
MUTMUT="${MUTMUT:-mutmut}"
work="$(mktemp -d "${TMPDIR:-/tmp}/hotwrap-mutation.XXXXXX")"
trap 'rm -rf "$work"' EXIT
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
    tests/test_spec_inprocess.py
pytest_add_cli_args = -x
use_git_change_detection = False
CFG
fi
"$MUTMUT" run --max-children "${JOBS:-2}" > mutmut-run.log 2>&1 || true
"$MUTMUT" results --all true > "${OLDPWD}/benchmarks/.mutation-results.txt" 2>&1 || \
    "$MUTMUT" results > "${OLDPWD}/benchmarks/.mutation-results.txt" 2>&1 || true
"$MUTMUT" export-cicd-stats >/dev/null 2>&1 || true
python - <<'PY'
import json
s = json.load(open("mutants/mutmut-cicd-stats.json"))
tested = s["total"] - s.get("skipped", 0)
score = 100.0 * (s["killed"] + s.get("timeout", 0)) / max(tested, 1)
covered = tested - s.get("no_tests", 0)
score_cov = 100.0 * (s["killed"] + s.get("timeout", 0)) / max(covered, 1)
print(f"mutants: {s['total']}, killed {s['killed']}, survived {s['survived']}, "
      f"no tests {s.get('no_tests', 0)}, timeout {s.get('timeout', 0)}")
print(f"mutation score: {score:.1f}% of all mutants, {score_cov:.1f}% of mutants reached "
      f"by the runner subset")
PY
