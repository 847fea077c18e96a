#!/usr/bin/env bash
# Runs every broken input of cases.tsv (see its header for the columns) and
# checks that sieve refuses it as it should: the expected exit code (2 for
# bad input), every expected substring in its messages, no crash or bare
# library message, and, for a refused search, no results file. Each case
# runs in its own copy of cases/NAME inside one fresh temporary folder,
# removed at the end. Prints one line per failing case and exits 1 if any
# failed.
# Usage: run.sh SIEVE BAD_INPUTS_DIR [NAME...]   (NAME...: only those cases)
set -uo pipefail
SIEVE="$(realpath "$1")"
HERE="$(realpath "$2")"
shift 2
ONLY=("$@")
CFG="$(realpath "$HERE/../../configs/default")"
export SIEVE CFG
WORK="$(mktemp -d "${TMPDIR:-/tmp}/sieve_bad_inputs.XXXXXX")"
trap 'chmod -R u+w "$WORK" 2>/dev/null; rm -rf "$WORK"' EXIT

# Messages that mean an exception escaped without being turned into a
# located error, or the process died.
FORBIDDEN=("terminate called" "what():" "std::" "map::at" "basic_string" "bad_alloc" "Segmentation" "Aborted" "core dumped")

has() {  # has WORD ARRAY...: WORD is one of the array's words
  local word="$1"; shift
  local w
  for w in "$@"; do [[ "$w" == "$word" ]] && return 0; done
  return 1
}

total=0 failed=0
fail() {  # fail MESSAGE: for the current case ($name, $why)
  echo "FAIL $name ($why): $*"
  failed=$((failed + 1))
}
while IFS=$'\t' read -r name want cmdline expected why; do
  [[ -z "$name" || "$name" == \#* ]] && continue
  if (( ${#ONLY[@]} > 0 )) && ! has "$name" "${ONLY[@]}"; then continue; fi
  total=$((total + 1))
  dir="$WORK/$name"
  mkdir -p "$dir"
  [[ -d "$HERE/cases/$name" ]] && cp -R "$HERE/cases/$name/." "$dir/"

  read -r -a words <<<"$cmdline"
  args=()
  for w in "${words[@]}"; do
    if [[ "$w" == @cfg* ]]; then args+=("$CFG${w#@cfg}"); else args+=("$w"); fi
  done
  sub="${args[0]}"
  if [[ "$sub" == model ]]; then
    has -o "${args[@]}" || args+=(-o out)
  elif [[ "$sub" == search ]]; then
    has -o "${args[@]}" || args+=(-o result.h5)
    has --max-evaluations "${args[@]}" || args+=(--max-evaluations 50)
  else
    fail "cases.tsv: the command must start with model or search, not '$sub'"
    continue
  fi

  if [[ -f "$dir/setup.sh" ]]; then
    if ! (cd "$dir" && bash -e setup.sh </dev/null >setup.log 2>&1); then
      fail "setup.sh failed: $(tail -n 3 "$dir/setup.log" | tr '\n' ' ')"
      continue
    fi
  fi

  (cd "$dir" && exec timeout 60 "$SIEVE" "${args[@]}" </dev/null >stdout.txt 2>stderr.txt)
  code=$?
  err="$(cat "$dir/stderr.txt")"
  first="$(grep -m1 -E '\[error\]|^--' "$dir/stderr.txt" || head -n1 "$dir/stderr.txt")"
  if [[ "$code" != "$want" ]]; then
    if [[ "$code" == 124 ]]; then
      fail "no answer within 60 s (expected exit $want)"
    else
      fail "exit code $code, expected $want; stderr: $(head -c 400 "$dir/stderr.txt" | tr '\n' ' ')"
    fi
    continue
  fi
  bad=""
  for f in "${FORBIDDEN[@]}"; do
    if [[ "$err" == *"$f"* ]]; then bad="$f"; break; fi
  done
  if [[ -n "$bad" ]]; then
    fail "the message holds '$bad' (an unlocated library message?): $first"
    continue
  fi
  missing=""
  IFS='|' read -r -a parts <<<"$expected"
  for p in "${parts[@]}"; do
    p="${p#"${p%%[![:space:]]*}"}"  # trim
    p="${p%"${p##*[![:space:]]}"}"
    [[ -z "$p" ]] && continue
    if [[ "$err" != *"$p"* ]]; then missing="$p"; break; fi
  done
  if [[ -n "$missing" ]]; then
    fail "the message lacks '$missing': $first"
    continue
  fi
  if [[ "$sub" == search && "$want" == 2 && -e "$dir/result.h5" ]]; then
    fail "a refused search wrote result.h5"
    continue
  fi
done <"$HERE/cases.tsv"

if (( total == 0 )); then
  echo "FAIL: no case ran (cases.tsv empty, or no NAME matched)"
  exit 1
fi
if (( failed > 0 )); then
  echo "bad inputs: $failed of $total cases failed"
  exit 1
fi
echo "bad inputs: all $total cases ended as expected"
