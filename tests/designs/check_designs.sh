#!/usr/bin/env bash
# Checks of the design library in configs/designs (run by ctest):
#   1. `sieve model` on each design's arch, problem, sparse and map files
#      exits 0, prints no warning and reports a valid mapping;
#   2. a short (100-evaluation) mapspace search on each design (arch, sparse and
#      constraints files) finds at least one valid mapping for the design's
#      own problem.yaml and for four other layer shapes written below: a 1x1
#      convolution, a 3x3 convolution, a fully connected layer and a GEMM
#      (1x1 convolution with one output column). The constraints of a design
#      are meant for whole networks, so every shape must map.
# Works in a fresh temporary folder (under $TMPDIR, else /tmp), removed at
# the end. Usage: check_designs.sh SIEVE SOURCE_DIR
set -euo pipefail
SIEVE="$(realpath "$1")"; SRC="$(realpath "$2")"
PY=/usr/bin/python3
LIB="$SRC/configs/designs"
DESIGNS=(eyeriss eyeriss_v2_pe scnn dstc)
EVALS="${SIEVE_DESIGN_EVALS:-100}"  # enough for valid-first sampling to find valid mappings
WORK="$(mktemp -d "${TMPDIR:-/tmp}/sieve_designs.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
cd "$WORK"

FAILURES=0
fail() { echo "FAIL: $*" >&2; FAILURES=$((FAILURES + 1)); }

# A problem in the 7-D CONV form of the designs' problem.yaml files.
# Usage: shape NAME C M R S P Q
shape() {
  cat > "$1.yaml" <<EOF
problem:
  version: '0.4'
  shape:
    name: conv2D
    dimensions: [C, M, R, S, N, P, Q]
    coefficients:
      - {name: Wstride, default: 1}
      - {name: Hstride, default: 1}
      - {name: Wdilation, default: 1}
      - {name: Hdilation, default: 1}
    data_spaces:
      - name: Weights
        projection: [[[C]], [[M]], [[R]], [[S]]]
      - name: Inputs
        projection: [[[N]], [[C]], [[R, Wdilation], [P, Wstride]], [[S, Hdilation], [Q, Hstride]]]
      - name: Outputs
        projection: [[[N]], [[M]], [[Q]], [[P]]]
        read_write: true
  instance:
    C: $2
    M: $3
    R: $4
    S: $5
    N: 1
    P: $6
    Q: $7
    Wstride: 1
    Hstride: 1
    Wdilation: 1
    Hdilation: 1
    densities:
      Inputs: {distribution: hypergeometric, density: 0.4}
      Weights: {distribution: hypergeometric, density: 0.5}
EOF
}
shape conv1x1 256 64 1 1 56 56
shape conv3x3 64 64 3 3 56 56
shape fc 2048 1000 1 1 1 1
shape gemm 768 768 1 1 128 1
SHAPES=(conv1x1 conv3x3 fc gemm)

for d in "${DESIGNS[@]}"; do
  D="$LIB/$d"
  for f in arch.yaml problem.yaml sparse.yaml constraints.yaml map.yaml README.md; do
    [[ -f "$D/$f" ]] || fail "$d: missing $f"
  done

  echo "== $d: model"
  if "$SIEVE" model "$D/arch.yaml" "$D/problem.yaml" "$D/sparse.yaml" "$D/map.yaml" \
       -o "model-$d" > "model-$d.log" 2>&1; then
    if grep -q '\[warning\]' "model-$d.log"; then
      fail "$d: sieve model printed warnings"; grep '\[warning\]' "model-$d.log" >&2
    fi
    "$PY" - "model-$d/sieve.stats.json" <<'PY' || fail "$d: map.yaml is not a valid mapping"
import json, sys
s = json.load(open(sys.argv[1]))
if not s["valid"]:
    sys.exit(f"invalid: {s['invalid_reason']}")
print(f"   valid, cycles {s['cycles']}, energy {s['energy_pj']:.6g} pJ, EDP {s['edp']:.6g}")
PY
  else
    fail "$d: sieve model exited $?"; tail -5 "model-$d.log" >&2
  fi

  for p in problem "${SHAPES[@]}"; do
    P="$WORK/$p.yaml"; [[ "$p" == problem ]] && P="$D/problem.yaml"
    out="search-$d-$p.h5"
    if "$SIEVE" search "$D/arch.yaml" "$P" "$D/sparse.yaml" "$D/constraints.yaml" \
         --max-evaluations "$EVALS" --threads 2 --seed 1 -o "$out" --quiet \
         > "search-$d-$p.log" 2>&1; then
      "$PY" - "$out" "$d" "$p" <<'PY' || fail "$d: no valid mapping for $p"
import sys, h5py
with h5py.File(sys.argv[1], "r") as f:
    a = f.attrs
    valid, evals = int(a["valid"]), int(a["evaluations"])
    none_valid = int(a["no_valid_mapping"]) != 0
    best = [r for r in f["best"][:] if r["metric"] == b"edp"] if "best" in f else []
    edp = best[0]["edp"] if best else float("nan")
print(f"   search {sys.argv[3]:8s} {valid}/{evals} valid, best EDP {edp:.6g}")
if valid < 1 or none_valid:
    sys.exit(1)
PY
    else
      fail "$d: sieve search on $p exited $?"; tail -5 "search-$d-$p.log" >&2
    fi
  done
done

if (( FAILURES > 0 )); then
  echo "$FAILURES check(s) failed" >&2
  exit 1
fi
echo "all design checks passed"
