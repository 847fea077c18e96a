#!/usr/bin/env bash
# End-to-end checks that `sieve search` refuses bad input before any work
# and never damages what -o points at (run by ctest):
#   1. flag values: --threads outside 1..4096, negative/NaN/inf seconds,
#      negative or out-of-range whole numbers, --max-log-bytes 0: exit 2
#      naming the flag;
#   2. -o a device, a folder, in a missing folder: exit 2, nothing touched;
#   3. a second search on the same -o is refused while the first runs (exit
#      2); two started at the same instant: exactly one runs, the other is
#      refused and the survivor's file is the complete result of a run
#      alone; a lock file left by a dead run is taken over;
#   4. a snapshot that cannot be written (folder removed) stops the search
#      promptly with exit 1;
#   5. --max-log-bytes stops the evaluations log with one warning; the
#      search runs to its budget;
#   6. a design where nothing fits: a warning with the counts by reason, and
#      a file saying no_valid_mapping = 1 with empty tables.
# Usage: search_safety_cli_test.sh SIEVE SOURCE_DIR
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
SIEVE="$(realpath "$1")"; SRC="$(realpath "$2")"
PY=/usr/bin/python3
CFG="$SRC/configs/default"
INPUTS=("$CFG/design.yaml" "$CFG/constraints.yaml" "$CFG/ERT.yaml" "$CFG/ART.yaml")
WORK="$(mktemp -d "${TMPDIR:-/tmp}/sieve_search_safety.XXXXXX")"
BACKGROUND=""
cleanup() {
  if [[ -n "$BACKGROUND" ]]; then kill "$BACKGROUND" 2>/dev/null || true; wait "$BACKGROUND" 2>/dev/null || true; fi
  chmod -R u+w "$WORK" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT
cd "$WORK"

source "$HERE/front_helpers.sh"  # fail, poll, attr, same_front
# expect_exit CODE PATTERN COMMAND...: that exit code and PATTERN on stderr.
expect_exit() {
  local want="$1" pattern="$2"; shift 2
  set +e; "$@" >out.txt 2>err.txt; local code=$?; set -e
  [[ "$code" == "$want" ]] || { cat err.txt >&2; fail "exit code $code, expected $want: $*"; }
  grep -q -- "$pattern" err.txt || { cat err.txt >&2; fail "no '$pattern' in the message of: $*"; }
}
search() { "$SIEVE" search "${INPUTS[@]}" "$@"; }

echo "1. flag values"
for bad in "--threads 0" "--threads -3" "--threads 1000000000" "--max-evaluations -5" \
           "--time-limit -5" "--time-limit nan" "--time-limit inf" "--log-evaluations -1" \
           "--checkpoint-interval nan" "--checkpoint-interval -1" "--checkpoint-interval 0" \
           "--seed -1" "--seed 18446744073709551616" "--victory -1" "--max-log-bytes 0"; do
  read -r flag value <<<"$bad"
  expect_exit 2 "$flag" search -o flags.h5 "$flag" "$value" --quiet
  [[ ! -e flags.h5 ]] || fail "$bad wrote flags.h5"
done
search -o seed.h5 --seed 18446744073709551615 --max-evaluations 20 --threads 1 --quiet 2>/dev/null
[[ "$(attr seed.h5 seed)" == 18446744073709551615 ]] || fail "seed 2^64-1 not kept"

echo "2. -o paths"
expect_exit 2 "/dev/null: exists and is not a regular file" search -o /dev/null --max-evaluations 20 --quiet
[[ -c /dev/null ]] || fail "/dev/null is no longer a device"
mkdir folder
expect_exit 2 "folder: exists and is a folder" search -o folder --max-evaluations 20 --quiet
expect_exit 2 "folder 'missing' does not exist" search -o missing/r.h5 --max-evaluations 20 --quiet
if [[ "$(id -u)" != 0 ]]; then
  mkdir readonly && chmod a-w readonly
  expect_exit 2 "is not writable" search -o readonly/r.h5 --max-evaluations 20 --quiet
fi

echo "3. one search per output"
"$SIEVE" search "${INPUTS[@]}" -o busy.h5 --time-limit 120 --threads 1 --quiet 2>busy.err &
BACKGROUND=$!
poll 60 test -s busy.h5 || fail "the first search wrote no busy.h5"
[[ -f busy.h5.lock ]] || fail "no busy.h5.lock while the search runs"
expect_exit 2 "another sieve search (pid $BACKGROUND) is writing this output" \
  search -o busy.h5 --max-evaluations 20 --quiet
kill -INT "$BACKGROUND"
set +e; wait "$BACKGROUND"; code=$?; set -e
BACKGROUND=""
[[ "$code" == 130 ]] || { cat busy.err >&2; fail "interrupted first search exited $code"; }
[[ ! -e busy.h5.lock ]] || fail "busy.h5.lock left after the search"
[[ "$(attr busy.h5 stop_reason)" != "" ]] || fail "busy.h5 not finished"
# Two searches started back to back on one -o, three times (which one wins
# differs): the budget keeps the winner running well past the loser's start.
RACE=(--max-evaluations 300000 --threads 1 --seed 11 --quiet)
search -o alone.h5 "${RACE[@]}" 2>/dev/null
for round in 1 2 3; do
  mkdir "race$round"
  "$SIEVE" search "${INPUTS[@]}" -o "race$round/r.h5" "${RACE[@]}" 2>"race$round/a.err" &
  a=$!
  "$SIEVE" search "${INPUTS[@]}" -o "race$round/r.h5" "${RACE[@]}" 2>"race$round/b.err" &
  b=$!
  set +e; wait "$a"; code_a=$?; wait "$b"; code_b=$?; set -e
  if [[ "$code_a" == 0 && "$code_b" == 2 ]]; then winner=$a; loser_err="race$round/b.err"
  elif [[ "$code_a" == 2 && "$code_b" == 0 ]]; then winner=$b; loser_err="race$round/a.err"
  else
    cat "race$round"/*.err >&2
    fail "round $round: two searches on one -o exited $code_a and $code_b, expected one 0 and one 2"
  fi
  # The winner writes its pid into the lock right after taking it; a loser
  # that looks in between names no pid.
  grep -Eq "another sieve search( \(pid $winner\))? is writing this output" "$loser_err" ||
    { cat "$loser_err" >&2; fail "round $round: the refused search does not name the lock"; }
  "$PY" "$SRC/tests/search/check_results.py" "race$round/r.h5" --min-rows 1 >/dev/null ||
    fail "round $round: the survivor's file is not a complete result"
  [[ "$(attr "race$round/r.h5" stop_reason)" == "evaluation budget" ]] ||
    fail "round $round: the survivor's file is not that of a finished run"
  same_front alone.h5 "race$round/r.h5"
  [[ ! -e "race$round/r.h5.lock" ]] || fail "round $round: r.h5.lock left after the race"
  ls "race$round"/*.tmp >/dev/null 2>&1 && fail "round $round: temporary snapshot files left"
done
echo 999999999 > stale.h5.lock  # a lock file whose holder is gone
search -o stale.h5 --max-evaluations 20 --threads 1 2>stale.err >/dev/null ||
  { cat stale.err >&2; fail "a stale lock file blocked the search"; }
grep -q "taking over the lock left by pid 999999999" stale.err || fail "no line on the stale lock"
[[ ! -e stale.h5.lock ]] || fail "stale.h5.lock left after the search"
ls ./*.tmp >/dev/null 2>&1 && fail "temporary snapshot files left: $(ls ./*.tmp)"

echo "4. a failed snapshot write stops the search"
mkdir doomed
start=$SECONDS
"$SIEVE" search "${INPUTS[@]}" -o doomed/r.h5 --time-limit 120 --threads 1 --quiet 2>doomed.err &
BACKGROUND=$!
poll 60 test -s doomed/r.h5 || fail "no doomed/r.h5"
rm -rf doomed
set +e; wait "$BACKGROUND"; code=$?; set -e
BACKGROUND=""
[[ "$code" == 1 ]] || { cat doomed.err >&2; fail "exit code $code after the folder was removed, expected 1"; }
grep -q "writing the results to doomed/r.h5 failed, so the search stopped" doomed.err ||
  { cat doomed.err >&2; fail "no clear message on the failed write"; }
(( SECONDS - start < 60 )) || fail "the search ran on for $((SECONDS - start)) s after the write failed"

echo "5. --max-log-bytes"
search -o capped.h5 --log-evaluations 1 --max-log-bytes 100000 --max-evaluations 4000 --threads 2 \
  --quiet 2>capped.err
[[ "$(grep -c "max-log-bytes 100000" capped.err)" == 1 ]] || { cat capped.err >&2; fail "expected one cap warning"; }
[[ "$(attr capped.h5 evaluations)" == 4000 ]] || fail "the capped search did not run to its budget"
[[ "$(attr capped.h5 evaluations_log_capped)" == 1 ]] || fail "evaluations_log_capped is not 1"
"$PY" - capped.h5 <<'PY' || fail "the log was not capped"
import sys, h5py, os
rows = len(h5py.File(sys.argv[1], "r")["evaluations"])
size = os.path.getsize(sys.argv[1] + ".evaluations.h5")
assert 0 < rows < 4000, rows
assert size < 2_000_000, size
PY
search -o uncapped.h5 --log-evaluations 1 --max-evaluations 500 --threads 2 --quiet
[[ "$(attr uncapped.h5 evaluations_log_capped)" == 0 ]] || fail "default cap hit by a small log"

echo "6. no valid mapping"
# A one-word global buffer: no mapping can keep its tiles there.
sed -e 's/depth: 16384/depth: 1/' "$CFG/design.yaml" > tiny_glb.yaml
grep -q "depth: 1$" tiny_glb.yaml || fail "the tiny-buffer design was not made"
"$SIEVE" search tiny_glb.yaml "$CFG/constraints.yaml" -o none.h5 --max-evaluations 300 --threads 2 \
  --quiet 2>none.err >/dev/null || { cat none.err >&2; fail "a search with no valid mapping failed"; }
grep -Eq "no valid mapping found in 300 evaluations \([0-9]+ capacity" none.err ||
  { cat none.err >&2; fail "no warning that nothing was valid"; }
[[ "$(attr none.h5 no_valid_mapping)" == 1 ]] || fail "no_valid_mapping is not 1"
[[ "$(attr none.h5 valid)" == 0 ]] || fail "valid is not 0"
"$PY" -c "import h5py; f = h5py.File('none.h5', 'r'); assert len(f['pareto']) == 0 and len(f['best']) == 0" ||
  fail "the tables of a search with no valid mapping are not empty"
[[ "$(attr capped.h5 no_valid_mapping)" == 0 ]] || fail "no_valid_mapping is 1 on a search that found mappings"
echo "search safety: all checks passed"
