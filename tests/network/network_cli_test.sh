#!/usr/bin/env bash
# End-to-end checks of `sieve network` and `sieve bench cphc` (run by ctest)
# on a small network over the default design:
#   1. the totals are the count-weighted sums of the per-layer rows;
#   2. a layer with the shape and densities of an earlier one is searched
#      once, and its (reused) result equals a fresh search of it alone;
#   3. --write-mappings then --mappings: every layer's fixed mapping
#      evaluates to the energy and cycles its search reported;
#   4. bench cphc over those mappings writes {design: {network: value}};
#   5. bad input: an unknown layer key, a density outside [0, 1].
# Usage: network_cli_test.sh SIEVE SOURCE_DIR
set -euo pipefail
SIEVE="$(realpath "$1")"; SRC="$(realpath "$2")"
PY=/usr/bin/python3
WORK="$(mktemp -d "${TMPDIR:-/tmp}/sieve_network.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
cd "$WORK"
fail() { echo "FAIL: $*" >&2; exit 1; }
CFG="$SRC/configs/default"
DESIGN=("$CFG/design.yaml" "$CFG/sparse.yaml" "$CFG/constraints.yaml")
mkdir wl
cat > wl/tiny.yaml <<'YAML'
network:
  name: tiny
  densities: {Weights: 0.4, Inputs: 0.5}
  layers:
    - {name: conv_a, instance: {C: 64, M: 64, R: 3, S: 3, N: 1, P: 28, Q: 28}}
    - {name: pw, instance: {C: 64, M: 128, R: 1, S: 1, N: 1, P: 28, Q: 28}, count: 2}
    - {name: conv_b, instance: {C: 64, M: 64, R: 3, S: 3, N: 1, P: 28, Q: 28}}
    - {name: fc, instance: {C: 512, M: 100, R: 1, S: 1, N: 1, P: 1, Q: 1}, densities: {Inputs: 1.0}}
YAML
"$SIEVE" network wl/tiny.yaml "${DESIGN[@]}" -o tiny.h5 --max-evaluations 1500 --threads 2 --seed 3 \
  --write-mappings maps >table.txt 2>run.err || { cat run.err >&2; fail "sieve network failed"; }
grep -q "conv_b x1: searched (same as conv_a)" run.err || { cat run.err >&2; fail "conv_b was not reused"; }
grep -q "^total .* 4 of 4 layers valid" table.txt || { cat table.txt >&2; fail "no totals line"; }

echo "1. totals"
"$PY" - tiny.h5 <<'PY'
import sys, h5py, numpy as np
f = h5py.File(sys.argv[1], "r")
L = f["layers"][:]
a = f.attrs
count = L["count"].astype(float)
assert np.isclose(a["total_energy_pj"], (count * L["energy_pj"]).sum(), rtol=1e-12)
assert np.isclose(a["total_cycles"], (count * L["cycles"]).sum(), rtol=1e-12)
assert np.isclose(a["total_edp"], a["total_energy_pj"] * 1e-12 * a["total_cycles"], rtol=1e-12)
macs = L["C"] * L["M"] * L["R"] * L["S"] * L["N"] * L["P"] * L["Q"]
assert (L["macs"] == macs).all() and a["total_macs"] == (L["count"] * macs).sum()
assert [x.decode() for x in L["status"]] == ["searched"] * 4
assert L["same_as"][2] == 0 and L["evaluations"][2] == L["evaluations"][0]
print("totals: ok")
PY

echo "2. the reused layer equals a fresh search"
cat > wl/only_b.yaml <<'YAML'
network:
  name: only_b
  densities: {Weights: 0.4, Inputs: 0.5}
  layers:
    - {name: conv_b, instance: {C: 64, M: 64, R: 3, S: 3, N: 1, P: 28, Q: 28}}
YAML
"$SIEVE" network wl/only_b.yaml "${DESIGN[@]}" -o only_b.h5 --max-evaluations 1500 --threads 1 --seed 3 --quiet
"$PY" - tiny.h5 only_b.h5 <<'PY'
import sys, h5py
a = h5py.File(sys.argv[1], "r")["layers"][2]
b = h5py.File(sys.argv[2], "r")["layers"][0]
for k in ("energy_pj", "cycles", "edp", "mapping"):
    assert a[k] == b[k], (k, a[k], b[k])
print("reuse: ok")
PY

echo "3. fixed mappings reproduce the searched figures"
"$SIEVE" network wl/tiny.yaml "${DESIGN[@]}" -o fixed.h5 --mappings maps --quiet
"$PY" - tiny.h5 fixed.h5 <<'PY'
import sys, h5py, numpy as np
s = h5py.File(sys.argv[1], "r")["layers"][:]
g = h5py.File(sys.argv[2], "r")["layers"][:]
assert [x.decode() for x in g["status"]] == ["fixed mapping"] * 4, g["status"]
for k in ("energy_pj", "cycles"):
    assert np.allclose(s[k], g[k], rtol=1e-12), (k, s[k], g[k])
print("fixed mappings: ok")
PY

echo "4. bench cphc"
mkdir -p lib/def/mappings/tiny
cp "$CFG/design.yaml" lib/def/arch.yaml
cp "$CFG/sparse.yaml" lib/def/sparse.yaml
cp maps/*.map.yaml lib/def/mappings/tiny/
"$SIEVE" bench cphc --designs-dir lib --workloads-dir wl --designs def --networks tiny -o cphc.json \
  --repeats 3 >bench.txt 2>bench.err || { cat bench.err >&2; fail "bench cphc failed"; }
grep -q "TSC\|nanoseconds" bench.err || { cat bench.err >&2; fail "no line on how host cycles are measured"; }
"$PY" -c "import json; v = json.load(open('cphc.json'))['def']['tiny']; assert v > 0, v; print('cphc', round(v))"
rm lib/def/mappings/tiny/fc.map.yaml
set +e; "$SIEVE" bench cphc --designs-dir lib --workloads-dir wl --designs def --networks tiny -o c2.json 2>err.txt; code=$?; set -e
[[ "$code" == 2 ]] && grep -q "no mapping .*fc.map.yaml" err.txt || { cat err.txt >&2; fail "a missing mapping is not named"; }

echo "5. bad input"
sed -e 's/instance: {C: 512/instnace: {C: 512/' wl/tiny.yaml > wl/typo.yaml
set +e; "$SIEVE" network wl/typo.yaml "${DESIGN[@]}" -o bad.h5 2>err.txt; code=$?; set -e
[[ "$code" == 2 ]] && grep -q "typo.yaml:8.*unknown key 'instnace'" err.txt || { cat err.txt >&2; fail "the typo is not named"; }
sed -e 's/Inputs: 1.0}}/Inputs: 1.5}}/' wl/tiny.yaml > wl/dens.yaml
set +e; "$SIEVE" network wl/dens.yaml "${DESIGN[@]}" -o bad.h5 2>err.txt; code=$?; set -e
[[ "$code" == 2 ]] && grep -q "dens.yaml:8.*outside \[0, 1\]" err.txt || { cat err.txt >&2; fail "the bad density is not named"; }
[[ ! -e bad.h5 ]] || fail "a refused network wrote bad.h5"
echo "network: all checks passed"
