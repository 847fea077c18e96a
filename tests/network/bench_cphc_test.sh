#!/usr/bin/env bash
# `sieve bench cphc` over the committed design library and its per-layer
# mappings: every cell of the speed table is measured (every mapping loads
# and is valid for its layer). The figures themselves depend on the host and
# are printed, not asserted (README "Whole networks").
# Usage: bench_cphc_test.sh SIEVE SOURCE_DIR
set -euo pipefail
SIEVE="$(realpath "$1")"; SRC="$(realpath "$2")"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/sieve_cphc.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
"$SIEVE" bench cphc --designs-dir "$SRC/configs/designs" --workloads-dir "$SRC/configs/workloads" \
  -o "$WORK/cphc.json" --repeats 3
/usr/bin/python3 - "$WORK/cphc.json" <<'PY'
import json, sys
t = json.load(open(sys.argv[1]))
designs = ["eyeriss", "eyeriss_v2_pe", "scnn"]
networks = ["resnet50", "bert_base", "vgg16", "alexnet"]
assert sorted(t) == sorted(designs), t
for d in designs:
    assert sorted(t[d]) == sorted(networks), t[d]
    for n in networks:
        assert t[d][n] > 0, (d, n, t[d][n])
print("bench cphc: 12 cells measured")
PY
# --cold (the pdf memos cleared before every timed call) measures a cell too.
"$SIEVE" bench cphc --designs-dir "$SRC/configs/designs" --workloads-dir "$SRC/configs/workloads" \
  --designs scnn --networks alexnet -o "$WORK/cold.json" --repeats 3 --cold 2> "$WORK/cold.log"
grep -q "pdf memos: cleared before every timed evaluation" "$WORK/cold.log"
/usr/bin/python3 - "$WORK/cold.json" <<'PY'
import json, sys
t = json.load(open(sys.argv[1]))
assert list(t) == ["scnn"] and list(t["scnn"]) == ["alexnet"] and t["scnn"]["alexnet"] > 0, t
print("bench cphc --cold: measured")
PY
