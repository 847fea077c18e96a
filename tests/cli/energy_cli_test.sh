#!/usr/bin/env bash
# End-to-end checks of `sieve energy` and the built-in estimator (ctest):
#   1. configs/default without its ERT/ART: `sieve model` runs on the
#      estimator and says which components it estimated;
#   2. `sieve energy` writes ERT.yaml/ART.yaml that, given back to `sieve
#      model`, reproduce the estimator-only run exactly;
#   3. those files are valid input for the reference timeloop-model (when
#      SHARED_DIR holds the oracle and a golden case): same total energy;
#   4. bad input: an unknown component class exits 2 naming file and class.
# Works in a fresh temporary folder (under $TMPDIR, else /tmp), removed at
# the end. Usage: energy_cli_test.sh SIEVE SOURCE_DIR [SHARED_DIR]
set -euo pipefail
SIEVE="$(realpath "$1")"; SRC="$(realpath "$2")"; SHARED="${3:+$(realpath -m "$3")}"
PY=/usr/bin/python3
CFG="$SRC/configs/default"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/sieve_energy_cli.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
cd "$WORK"
fail() { echo "FAIL: $*" >&2; exit 1; }
energy_of() { "$PY" -c 'import json,sys; print(json.load(open(sys.argv[1]))["energy_pj"])' "$1"; }
same() {  # same A B TOL: |A-B| <= TOL*|B|
  "$PY" -c 'import sys; a,b,t=map(float,sys.argv[1:]); sys.exit(0 if abs(a-b)<=t*abs(b) else 1)' "$1" "$2" "$3" \
    || fail "$4: $1 vs $2"
}

echo "1. configs/default on the estimator"
"$SIEVE" model "$CFG/design.yaml" "$CFG/map.yaml" -o est > est.out
grep -q "note: energy estimated for 'shared_glb' from class smartbuffer_SRAM" est.out \
  || fail "no estimation note for shared_glb:\n$(cat est.out)"
grep -q "energy estimated for 'mac'" est/sieve.stats.json || fail "stats JSON lacks the estimation notes"
E_EST=$(energy_of est/sieve.stats.json)

echo "2. sieve energy -> ERT/ART -> sieve model"
"$SIEVE" energy "$CFG/design.yaml" "$CFG/map.yaml" -o tables -q
[[ -s tables/ERT.yaml && -s tables/ART.yaml ]] || fail "ERT.yaml/ART.yaml not written"
grep -q "^    - name: system.shared_glb\[1..1\]$" tables/ERT.yaml || fail "ERT names not block-style plain:\n$(head tables/ERT.yaml)"
"$SIEVE" model "$CFG/design.yaml" "$CFG/map.yaml" tables/ERT.yaml tables/ART.yaml -o given -q
same "$(energy_of given/sieve.stats.json)" "$E_EST" 1e-9 "energy with the written ERT"
if grep -q "energy estimated" given/sieve.stats.json; then fail "components still estimated with a full ERT"; fi

echo "3. the reference timeloop-model reads the written tables"
ORACLE="$SHARED/oracle/timeloop/timeloop-model"
CASE="$SHARED/reference/golden/dense_eyeriss_like"
if [[ -n "$SHARED" && -x "$ORACLE" && -d "$CASE" ]]; then
  "$SIEVE" energy "$CASE/input.yaml" -o golden_tables -q
  mkdir -p oracle
  "$ORACLE" "$CASE/input.yaml" "$CASE/map.yaml" golden_tables/ERT.yaml golden_tables/ART.yaml -o oracle \
    > oracle/log 2>&1 || fail "timeloop-model rejected the tables:\n$(tail -20 oracle/log)"
  "$SIEVE" model "$CASE/input.yaml" "$CASE/map.yaml" golden_tables/ERT.yaml golden_tables/ART.yaml -o s -q
  # The reference prints fJ per compute to 2 decimals: total = that x computes.
  REF=$("$PY" - oracle/timeloop-model.stats.txt s/sieve.stats.json <<'PYEOF'
import json, re, sys
text = open(sys.argv[1]).read()
fj = float(re.findall(r"Total\s*=\s*([0-9.]+)", text.split("fJ/Compute")[-1])[0])
print(fj * json.load(open(sys.argv[2]))["computes"]["actual"] / 1000.0)
PYEOF
)
  same "$(energy_of s/sieve.stats.json)" "$REF" 1e-5 "sieve vs timeloop-model on the written tables"
else
  echo "   (skipped: no oracle or golden case under '$SHARED')"
fi

echo "4. unknown class"
sed 's/class: smartbuffer_SRAM/class: teapot_sram/' "$CFG/design.yaml" > bad.yaml
set +e
"$SIEVE" energy bad.yaml -o bad 2> bad.err; rc=$?
set -e
[[ $rc == 2 ]] || fail "unknown class exited $rc, expected 2"
grep -q "bad.yaml:[0-9]*:.*teapot_sram" bad.err || fail "error does not name file:line and class:\n$(cat bad.err)"
echo "energy_cli_test: ok"
