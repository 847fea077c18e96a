#!/usr/bin/env bash
# End-to-end checks of the rules `sieve search` follows (run by ctest):
#   1. stop rules: a command-line budget or time limit is not cut short by
#      the mapper block's victory_condition/search_size; --victory always
#      applies; without command-line stop rules the mapper block's apply;
#   2. /best breaks ties on the other objectives (checked against every
#      logged evaluation), identically on 1 and 2 threads;
#   3. --resume needs no input files and keeps the saved stop rules; other
#      input files or settings, and bad checkpoints, are refused (exit 2);
#   4. with the reference designs beside the clone: a design directory's
#      mapping.yaml is still read as constraints after a resume.
# Usage: search_rules_cli_test.sh SIEVE SOURCE_DIR [SHARED_DIR]
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
SIEVE="$(realpath "$1")"; SRC="$(realpath "$2")"; SHARED="${3:+$(realpath -m "$3")}"
PY=/usr/bin/python3
CFG="$SRC/configs/default"
INPUTS=("$CFG/design.yaml" "$CFG/constraints.yaml" "$CFG/ERT.yaml" "$CFG/ART.yaml")
WORK="$(mktemp -d "${TMPDIR:-/tmp}/sieve_search_rules.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
cd "$WORK"

source "$HERE/front_helpers.sh"  # fail, attr, same_front
expect_attr() {  # expect_attr FILE.h5 NAME VALUE
  local got; got="$(attr "$1" "$2")"
  [[ "$got" == "$3" ]] || fail "$1: $2 is '$got', expected '$3'"
}
# expect_exit2 PATTERN COMMAND...: exit code 2, and PATTERN in the message.
expect_exit2() {
  local pattern="$1"; shift
  set +e; "$@" >out.txt 2>err.txt; local code=$?; set -e
  [[ "$code" == 2 ]] || { cat err.txt >&2; fail "exit code $code, expected 2: $*"; }
  grep -q -- "$pattern" err.txt || { cat err.txt >&2; fail "no '$pattern' in the message of: $*"; }
}

echo "1. stop rules: command line over the mapper block"
cat > mapper.yaml <<'YAML'
mapper:
  algorithm: random
  search_size: 1000
  victory_condition: 5
YAML
WITH_MAPPER=("${INPUTS[@]}" mapper.yaml)
"$SIEVE" search "${WITH_MAPPER[@]}" -o budget.h5 --max-evaluations 3000 --threads 2 --quiet 2>err.txt
expect_attr budget.h5 evaluations 3000
expect_attr budget.h5 stop_reason "evaluation budget"
grep -q "victory_condition 5 ignored: the command line gives --max-evaluations" err.txt ||
  fail "no info line saying the mapper's victory_condition was ignored"
grep -q "search_size 1000 ignored" err.txt || fail "no info line saying search_size was ignored"
"$SIEVE" search "${WITH_MAPPER[@]}" -o timed.h5 --time-limit 2 --threads 2 --quiet 2>/dev/null
expect_attr timed.h5 stop_reason "time limit"
"$SIEVE" search "${WITH_MAPPER[@]}" -o victory.h5 --max-evaluations 3000 --victory 1 --threads 2 --quiet
expect_attr victory.h5 stop_reason "victory condition"
"$SIEVE" search "${WITH_MAPPER[@]}" -o mapper.h5 --threads 2 --quiet 2>/dev/null
"$PY" - mapper.h5 <<'PY' || fail "the mapper block's stop rules did not apply without command-line ones"
import sys, h5py
a = h5py.File(sys.argv[1], "r").attrs
reason, n = a["stop_reason"], int(a["evaluations"])
assert reason in ("victory condition", "evaluation budget") and n <= 1000, (reason, n)
PY

echo "2. /best ties broken on the other objectives"
for t in 1 2; do
  "$SIEVE" search "${INPUTS[@]}" -o ties$t.h5 --max-evaluations 20000 --seed 3 --threads $t \
    --log-evaluations 1 --quiet
done
"$PY" - ties1.h5 ties2.h5 <<'PY' || fail "/best does not follow the tie-break rule"
import sys, h5py
# The rule (README, Outputs): best by one metric, then the others in this
# order, then the lower mapping id, then the lower eval_index.
order = {"energy": ("energy_pj", "cycles", "edp"),
         "cycles": ("cycles", "energy_pj", "edp"),
         "edp": ("edp", "energy_pj", "cycles")}
def bests(path):
    with h5py.File(path, "r") as f:
        evals = [r for r in f["evaluations"][:] if r["valid"]]
        assert len(evals) == int(f.attrs["valid"]), (len(evals), int(f.attrs["valid"]))
        got = {r["metric"].decode(): (r["mapping_id"].decode(), int(r["eval_index"])) for r in f["best"][:]}
    want = {}
    for metric, fields in order.items():
        key = lambda r: tuple(float(r[k]) for k in fields) + (int(r["mapping_id"]), int(r["eval_index"]))
        b = min(evals, key=key)
        want[metric] = (b["mapping_id"].decode(), int(b["eval_index"]))
    assert got == want, (path, got, want)
    return got
assert bests(sys.argv[1]) == bests(sys.argv[2])
PY

echo "3. resume from the checkpoint alone"
"$SIEVE" search "${INPUTS[@]}" -o whole.h5 --max-evaluations 30000 --threads 2 --seed 7 --quiet
"$SIEVE" search "${INPUTS[@]}" -o half.h5 --max-evaluations 15000 --threads 2 --seed 7 \
  --checkpoint half.ckpt --quiet
# The saved budget is kept: reached already, the resumed run stops at once.
cp half.ckpt again.ckpt
"$SIEVE" search --resume again.ckpt -o again.h5 --threads 2 >/dev/null 2>err.txt
expect_attr again.h5 evaluations 15000
expect_attr again.h5 stop_reason "evaluation budget"
grep -q "settings saved in again.ckpt: --strategy random --seed 7 --objectives energy,cycles --max-evaluations 15000" err.txt ||
  { cat err.txt >&2; fail "the restored settings are not logged"; }
# The checkpoint of the same run interrupted at 15000 of a 30000 budget
# differs only in its saved budget: resumed with no FILES and no flags, it
# ends where the uninterrupted run does.
"$PY" - half.ckpt interrupted.ckpt <<'PY'
import json, sys
j = json.load(open(sys.argv[1]))
j["stop_rules"]["max_evaluations"] = 30000
json.dump(j, open(sys.argv[2], "w"))
PY
"$SIEVE" search --resume interrupted.ckpt -o resumed.h5 --threads 1 --quiet
same_front whole.h5 resumed.h5
# A budget given again overrides the saved one; identical FILES are accepted.
cp half.ckpt override.ckpt
"$SIEVE" search "${INPUTS[@]}" --resume override.ckpt -o override.h5 --max-evaluations 30000 --quiet
same_front whole.h5 override.h5
# A time limit counts the whole search too: used up, the resumed run stops at once.
"$SIEVE" search "${INPUTS[@]}" -o timed_half.h5 --time-limit 1 --threads 2 --checkpoint timed.ckpt \
  --quiet 2>/dev/null
"$SIEVE" search --resume timed.ckpt -o timed_again.h5 --threads 2 --quiet 2>/dev/null
expect_attr timed_again.h5 stop_reason "time limit"
expect_attr timed_again.h5 evaluations "$(attr timed_half.h5 evaluations)"
# Refused, exit 2, naming the checkpoint.
cp half.ckpt other.ckpt
expect_exit2 "other.ckpt: the search was saved with other input files" \
  "$SIEVE" search "$CFG/design.yaml" "$CFG/constraints.yaml" --resume other.ckpt -o x.h5
expect_exit2 "other.ckpt: was saved with --seed 7, not 8" \
  "$SIEVE" search --resume other.ckpt -o x.h5 --seed 8
head -c 200 half.ckpt > truncated.ckpt
expect_exit2 "truncated.ckpt: not a sieve checkpoint" "$SIEVE" search --resume truncated.ckpt -o x.h5
"$PY" -c "import json; j = json.load(open('half.ckpt')); j['valid'] += 1; json.dump(j, open('edited.ckpt', 'w'))"
expect_exit2 "edited.ckpt: inconsistent checkpoint" "$SIEVE" search --resume edited.ckpt -o x.h5
expect_exit2 "missing.ckpt: cannot read checkpoint" "$SIEVE" search --resume missing.ckpt -o x.h5
expect_exit2 "no input files" "$SIEVE" search -o x.h5

DESIGN="$SHARED/reference/frontend/sparseloop/03.2.1-conv1d"
if [[ -n "$SHARED" && -f "$DESIGN/mapping.yaml" ]]; then
  echo "4. design directory resumed without FILES"
  "$SIEVE" search "$DESIGN" -o dir_whole.h5 --max-evaluations 600 --threads 2 --quiet 2>/dev/null
  "$SIEVE" search "$DESIGN" -o dir_half.h5 --max-evaluations 300 --threads 2 --checkpoint dir.ckpt \
    --quiet 2>/dev/null
  "$SIEVE" search --resume dir.ckpt -o dir_resumed.h5 --max-evaluations 600 --quiet 2>/dev/null
  # mapping.yaml read as a mapping instead of constraints would give another mapspace.
  expect_attr dir_resumed.h5 mapspace_size "$(attr dir_whole.h5 mapspace_size)"
  same_front dir_whole.h5 dir_resumed.h5
else
  echo "4. skipped (no reference designs at '$SHARED')"
fi

echo "5. a checkpoint whose indices are outside the mapspace is refused"
"$SIEVE" search "${INPUTS[@]}" -o idx.h5 --max-evaluations 2000 --checkpoint idx.ckpt --quiet 2>/dev/null
"$PY" - <<'PY'
import json
j = json.load(open("idx.ckpt"))
j["front"][0]["choice"]["fact"][0] = 4000000000
json.dump(j, open("idx_bad.ckpt", "w"))
PY
expect_exit2 "outside this mapspace" "$SIEVE" search --resume idx_bad.ckpt -o idx2.h5

echo "search rules CLI: all checks passed"
