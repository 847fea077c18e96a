#!/usr/bin/env bash
# End-to-end checks of `sieve search` (run by ctest):
#   1. a budgeted search writes an HDF5 file that h5py/pandas read in one line;
#   2. the best mappings, written as map.yaml, evaluate to the same numbers
#      with `sieve model` (round trip);
#   3. the same seed and budget give the same front on 1 and 2 threads;
#   4. an interrupted + resumed search ends with the same front as one run;
#   5. SIGINT ends the run quickly with exit 130 and a complete file;
#   6. SIGKILL leaves a readable file holding the front of a few seconds before.
# Usage: search_cli_test.sh SIEVE SOURCE_DIR WORK_DIR
set -euo pipefail
SIEVE="$1"; SRC="$2"; WORK="$3"
PY=/usr/bin/python3
CHECK="$SRC/tests/search/check_results.py"
CFG="$SRC/configs/default"
INPUTS=("$CFG/design.yaml" "$CFG/constraints.yaml" "$CFG/ERT.yaml" "$CFG/ART.yaml")
rm -rf "$WORK"; mkdir -p "$WORK"; cd "$WORK"

source "$(dirname "${BASH_SOURCE[0]}")/front_helpers.sh"

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
pid=$!
sleep 3
start=$(date +%s.%N)
kill -INT "$pid"
set +e; wait "$pid"; code=$?; set -e
end=$(date +%s.%N)
[[ "$code" == 130 ]] || fail "exit code after SIGINT was $code, expected 130"
"$PY" -c "import sys; d=$end-$start; sys.exit(0 if d < 5 else 'SIGINT took %.1f s' % d)"
"$PY" "$CHECK" sigint.h5 --min-rows 1
"$PY" -c "import h5py; r=h5py.File('sigint.h5')['/'].attrs['stop_reason']; assert r=='interrupted', r"

echo "6. SIGKILL"
"$SIEVE" search "${INPUTS[@]}" -o killed.h5 --time-limit 120 --threads 2 --quiet &
pid=$!
sleep 6
kill -KILL "$pid"
set +e; wait "$pid"; set -e
"$PY" "$CHECK" killed.h5 --min-rows 1

echo "search CLI: all checks passed"
