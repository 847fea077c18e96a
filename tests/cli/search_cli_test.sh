#!/usr/bin/env bash
# End-to-end checks of `sieve search` (run by ctest):
#   1. a budgeted search writes an HDF5 file that h5py/pandas read in one line;
#   2. the best mappings, written as map.yaml, evaluate to the same numbers
#      with `sieve model` (round trip);
#   3. the same seed and budget give the same front on 1 and 2 threads;
#   4. an interrupted + resumed search ends with the same front as one run;
#   5. SIGINT ends the run quickly with exit 130 and a complete file;
#   6. SIGKILL leaves a readable file holding the front of the last write
#      before the kill (at least the evaluations seen then).
# Works in a fresh temporary folder (under $TMPDIR, else /tmp), removed at
# the end. Usage: search_cli_test.sh SIEVE SOURCE_DIR
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
SIEVE="$(realpath "$1")"; SRC="$(realpath "$2")"
PY=/usr/bin/python3
CHECK="$SRC/tests/search/check_results.py"
CFG="$SRC/configs/default"
INPUTS=("$CFG/design.yaml" "$CFG/constraints.yaml" "$CFG/ERT.yaml" "$CFG/ART.yaml")
WORK="$(mktemp -d "${TMPDIR:-/tmp}/sieve_search_cli.XXXXXX")"
BACKGROUND=""
cleanup() {
  if [[ -n "$BACKGROUND" ]]; then kill -KILL "$BACKGROUND" 2>/dev/null || true; wait "$BACKGROUND" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT
cd "$WORK"

source "$HERE/front_helpers.sh"

echo "1. budgeted search + notebook read"
"$SIEVE" search "${INPUTS[@]}" -o budget.h5 --max-evaluations 30000 --threads 2 --seed 7 \
  --log-evaluations 10 --quiet
"$PY" "$CHECK" budget.h5 --min-rows 1 --expect-evaluations

echo "2. best map.yaml round trip"
"$SIEVE" model "$CFG/design.yaml" "$CFG/ERT.yaml" "$CFG/ART.yaml" budget.best-edp.map.yaml \
  -o roundtrip -q
"$PY" - <<'PY' || fail "round trip differs"
import json, h5py
stats = json.load(open("roundtrip/sieve.stats.json"))
with h5py.File("budget.h5", "r") as f:
    best = {r["metric"].decode(): r for r in f["best"][:]}["edp"]
assert stats["valid"], stats["invalid_reason"]
assert stats["cycles"] == best["cycles"], (stats["cycles"], best["cycles"])
assert abs(stats["energy_pj"] - best["energy_pj"]) <= 1e-9 * best["energy_pj"], (stats["energy_pj"], best["energy_pj"])
PY

echo "3. determinism across thread counts"
"$SIEVE" search "${INPUTS[@]}" -o t1.h5 --max-evaluations 30000 --threads 1 --seed 7 --quiet
same_front budget.h5 t1.h5

echo "4. checkpoint + resume"
"$SIEVE" search "${INPUTS[@]}" -o half.h5 --max-evaluations 15000 --threads 2 --seed 7 \
  --checkpoint half.ckpt --quiet
"$SIEVE" search "${INPUTS[@]}" -o resumed.h5 --max-evaluations 30000 --threads 2 \
  --resume half.ckpt --quiet
same_front budget.h5 resumed.h5

echo "5. SIGINT"
"$SIEVE" search "${INPUTS[@]}" -o sigint.h5 --time-limit 120 --threads 2 --quiet &
BACKGROUND=$!
poll 60 has_front sigint.h5 || fail "no front in sigint.h5 after 60 s"
start=$(date +%s.%N)
kill -INT "$BACKGROUND"
set +e; wait "$BACKGROUND"; code=$?; set -e
BACKGROUND=""
end=$(date +%s.%N)
[[ "$code" == 130 ]] || fail "exit code after SIGINT was $code, expected 130"
"$PY" -c "import sys; d=$end-$start; sys.exit(0 if d < 5 else 'SIGINT took %.1f s' % d)"
"$PY" "$CHECK" sigint.h5 --min-rows 1
[[ "$(attr sigint.h5 stop_reason)" == interrupted ]] || fail "stop_reason after SIGINT: $(attr sigint.h5 stop_reason)"

echo "6. SIGKILL"
"$SIEVE" search "${INPUTS[@]}" -o killed.h5 --time-limit 120 --threads 2 --quiet &
BACKGROUND=$!
poll 60 has_front killed.h5 || fail "no front in killed.h5 after 60 s"
# Kill just after a later write, while the search keeps replacing the file.
first="$(attr killed.h5 evaluations)"
poll 60 evaluations_above killed.h5 "$first" || fail "killed.h5 not rewritten within 60 s"
before="$(attr killed.h5 evaluations)"  # the last write seen before the kill
kill -KILL "$BACKGROUND"
set +e; wait "$BACKGROUND"; code=$?; set -e
BACKGROUND=""
[[ "$code" == 137 ]] || fail "exit code after SIGKILL was $code, expected 137"
"$PY" "$CHECK" killed.h5 --min-rows 1
"$PY" - killed.h5 "$before" <<'PY' || fail "killed.h5 does not hold the front written before the kill"
import sys, h5py
with h5py.File(sys.argv[1], "r") as f:
    evaluations = int(f.attrs["evaluations"])
    assert evaluations >= int(sys.argv[2]), (evaluations, "evaluations before the kill:", sys.argv[2])
    assert len(f["pareto"]) > 0, "empty /pareto"
    assert len(f["best"]) > 0, "empty /best"
    stop = f.attrs["stop_reason"]
    assert (stop.decode() if isinstance(stop, bytes) else stop) == "", ("a finished run's stop_reason", stop)
PY

echo "search CLI: all checks passed"
