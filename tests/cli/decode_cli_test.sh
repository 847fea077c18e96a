#!/usr/bin/env bash
# End-to-end checks of the evaluations log and `sieve decode` (run by ctest):
#   1. /evaluations rows (--log-evaluations 1): a valid row's per-level
#      energies sum to its energy_pj; an invalid row names its reason
#      (capacity, fanout, constraint, other, as counted in invalid_<reason>)
#      and the model's text, and has no per-level energies (NaN);
#   2. `sieve decode` of the /best edp row's mapping_id gives the map.yaml
#      the search wrote for it, which `sieve model` evaluates to that row's
#      energy and cycles; so does a logged evaluation's id; RESULT.h5 alone
#      (its input_yaml) decodes the same as the input FILES;
#   3. ids that are not decimal or not below the mapspace size, and a
#      RESULT.h5 whose inputs do not give its mapspace, exit 2;
#   4. with the reference designs beside the clone: a design directory's
#      mapping.yaml is read as constraints again when decoding from RESULT.h5.
# Usage: decode_cli_test.sh SIEVE SOURCE_DIR [SHARED_DIR]
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
SIEVE="$(realpath "$1")"; SRC="$(realpath "$2")"; SHARED="${3:+$(realpath -m "$3")}"
PY=/usr/bin/python3
CFG="$SRC/configs/default"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/sieve_decode.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
cd "$WORK"

source "$HERE/front_helpers.sh"  # fail, attr
expect_exit2() {  # expect_exit2 PATTERN COMMAND...: exit code 2, and PATTERN in the message.
  local pattern="$1"; shift
  set +e; "$@" >out.txt 2>err.txt; local code=$?; set -e
  [[ "$code" == 2 ]] || { cat err.txt >&2; fail "exit code $code, expected 2: $*"; }
  grep -q -- "$pattern" err.txt || { cat err.txt >&2; fail "no '$pattern' in the message of: $*"; }
}

echo "1. per-level energies and invalid reasons in /evaluations"
# A 6-word global buffer: some drawn mappings overflow it or the fan-outs
# (the model says why); a utilization constraint rejects others before the
# model runs.
sed -e 's/depth: 16384/depth: 6/' "$CFG/design.yaml" > small_glb.yaml
grep -q "depth: 6$" small_glb.yaml || fail "the small-buffer design was not made"
cp "$CFG/constraints.yaml" utilization.yaml
cat >> utilization.yaml <<'YAML'
    - target: inter_PE_spatial
      type: utilization
      min: 0.5
YAML
SMALL=(small_glb.yaml "$CFG/constraints.yaml")
UTIL=("$CFG/design.yaml" "$CFG/sparse.yaml" utilization.yaml)
"$SIEVE" search "${SMALL[@]}" -o small.h5 --max-evaluations 4000 --seed 5 --threads 2 \
  --log-evaluations 1 --quiet 2>/dev/null
"$SIEVE" search "${UTIL[@]}" -o util.h5 --max-evaluations 4000 --seed 5 --threads 2 \
  --log-evaluations 1 --quiet 2>/dev/null
"$PY" - small.h5 "capacity fanout" util.h5 "constraint" <<'PY' || fail "/evaluations rows are wrong"
import math, sys, h5py
REASONS = ("capacity", "fanout", "constraint", "other")
for path, expected in zip(sys.argv[1::2], sys.argv[2::2]):
    with h5py.File(path, "r") as f:
        rows = f["evaluations"][:]
        levels = ["energy_pj_" + n for n in f.attrs["level_names"].split(",")]
        assert len(rows) == int(f.attrs["evaluations"]), (path, len(rows))
        counts = {r: 0 for r in REASONS}
        for row in rows:
            reason = row["invalid_reason"].decode()
            detail = row["invalid_detail"].decode()
            if row["valid"]:
                assert reason == "" and detail == "", (path, row)
                total = sum(float(row[c]) for c in levels)
                assert all(float(row[c]) >= 0 for c in levels), (path, row)
                assert abs(total - row["energy_pj"]) <= 1e-9 * abs(row["energy_pj"]), (path, total, row)
            else:
                assert reason in REASONS and detail, (path, row)
                assert all(math.isnan(row[c]) for c in levels), (path, row)
                counts[reason] += 1
        for r in REASONS:
            assert counts[r] == int(f.attrs["invalid_" + r]), (path, r, counts, dict(f.attrs))
        valid = sum(1 for row in rows if row["valid"])
        assert valid == int(f.attrs["valid"]) and valid > 0, (path, valid)
        print(f"  {path}: {valid} valid, invalid {counts}")
        for r in expected.split():
            assert counts[r] > 0, (path, "no invalid rows of reason " + r, counts)
        # The model's text starts with its status name.
        statuses = ("capacity", "min_utilization", "fanout", "spatial_without_fanout", "all_bypassed",
                    "mapping_shape", "format_ranks", "compression_support")
        model = [row["invalid_detail"].decode() for row in rows
                 if not row["valid"] and row["invalid_reason"] != b"constraint"]
        assert all(d.split(":")[0] in statuses and len(d) > 20 for d in model), (path, model[:3])
PY

echo "2. decode gives the map.yaml that sieve model evaluates to the row"
best_edp() {  # best_edp FILE.h5: mapping_id energy_pj cycles of the /best edp row
  "$PY" -c "
import sys, h5py
r = [r for r in h5py.File(sys.argv[1], 'r')['best'][:] if r['metric'] == b'edp'][0]
print(r['mapping_id'].decode(), repr(float(r['energy_pj'])), repr(float(r['cycles'])))" "$1"
}
model_matches() {  # model_matches MAP.yaml ENERGY CYCLES FILES...: sieve model gives them
  local map="$1" energy="$2" cycles="$3"; shift 3
  rm -rf model_out
  "$SIEVE" model "$@" "$map" -o model_out --quiet 2>/dev/null
  "$PY" - model_out/sieve.stats.json "$energy" "$cycles" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
energy, cycles = float(sys.argv[2]), float(sys.argv[3])
assert s["valid"], s["invalid_reason"]
assert abs(s["energy_pj"] - energy) <= 1e-9 * energy and s["cycles"] == cycles, (s["energy_pj"], s["cycles"], energy, cycles)
PY
}
read -r ID ENERGY CYCLES < <(best_edp small.h5)
"$SIEVE" decode "${SMALL[@]}" --id "$ID" -o decoded.map.yaml
cmp -s decoded.map.yaml small.best-edp.map.yaml || fail "decode of $ID is not the search's best-edp map.yaml"
model_matches decoded.map.yaml "$ENERGY" "$CYCLES" small_glb.yaml ||
  fail "sieve model does not give the /best edp row's energy and cycles for the decoded $ID"
"$SIEVE" decode small.h5 --id "$ID" > from_result.map.yaml
cmp -s decoded.map.yaml from_result.map.yaml || fail "decode from small.h5 differs from decode from the FILES"
# A logged evaluation (not a front point) of the search with a sparse file.
read -r EID EENERGY ECYCLES < <("$PY" -c "
import sys, h5py
rows = [r for r in h5py.File(sys.argv[1], 'r')['evaluations'][:] if r['valid']]
r = rows[len(rows) // 2]
print(r['mapping_id'].decode(), repr(float(r['energy_pj'])), repr(float(r['cycles'])))" util.h5)
"$SIEVE" decode util.h5 --id "$EID" -o logged.map.yaml
model_matches logged.map.yaml "$EENERGY" "$ECYCLES" "$CFG/design.yaml" "$CFG/sparse.yaml" ||
  fail "sieve model does not give the logged evaluation's energy and cycles for the decoded $EID"

echo "3. bad ids and mismatched inputs exit 2"
SIZE="$(attr small.h5 mapspace_size)"
for bad in abc 12x -1 1e3 "" "$SIZE" "1$SIZE" 340282366920938463463374607431768211456; do
  expect_exit2 "--id" "$SIEVE" decode "${SMALL[@]}" --id "$bad"
  expect_exit2 "--id" "$SIEVE" decode small.h5 --id "$bad"
done
expect_exit2 "no such input file" "$SIEVE" decode missing.yaml --id 0
# input_yaml edited so that it no longer hashes to config_sha256.
"$PY" - small.h5 edited.h5 <<'PY'
import shutil, sys, h5py
shutil.copy(sys.argv[1], sys.argv[2])
with h5py.File(sys.argv[2], "r+") as f:
    f.attrs["input_yaml"] = f.attrs["input_yaml"].replace("depth: 6", "depth: 7")
PY
expect_exit2 "edited.h5: its input_yaml attribute cannot be split back" "$SIEVE" decode edited.h5 --id "$ID"
"$PY" - small.h5 resized.h5 <<'PY'
import shutil, sys, h5py
shutil.copy(sys.argv[1], sys.argv[2])
with h5py.File(sys.argv[2], "r+") as f:
    f.attrs["mapspace_size"] = "12"
PY
expect_exit2 "resized.h5: its inputs give a mapspace of size" "$SIEVE" decode resized.h5 --id "$ID"

DESIGN="$SHARED/reference/frontend/sparseloop/03.2.1-conv1d"
if [[ -n "$SHARED" && -f "$DESIGN/mapping.yaml" ]]; then
  echo "4. design directory decoded from RESULT.h5"
  "$SIEVE" search "$DESIGN" -o dir.h5 --max-evaluations 600 --threads 2 --quiet 2>/dev/null
  read -r DID _ _ < <(best_edp dir.h5)
  "$SIEVE" decode dir.h5 --id "$DID" > dir_from_result.map.yaml
  "$SIEVE" decode "$DESIGN" --id "$DID" > dir_from_files.map.yaml
  cmp -s dir_from_result.map.yaml dir_from_files.map.yaml || fail "design directory: decode from dir.h5 differs"
  cmp -s dir_from_result.map.yaml dir.best-edp.map.yaml || fail "design directory: decode is not the best-edp map.yaml"
else
  echo "4. skipped (no reference designs at '$SHARED')"
fi

echo "decode CLI: all checks passed"
