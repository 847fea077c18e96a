#!/usr/bin/env bash
# Runs each libFuzzer target for SECONDS on its seed corpus; exits non-zero
# on the first crash, leaving the reproducer (crash-*) in OUT_DIR.
# Usage: run_fuzz.sh FUZZ_BUILD_DIR SECONDS OUT_DIR [SHARED_DIR]
set -euo pipefail
BUILD="$(cd "$1" && pwd)"; SECONDS_EACH="$2"; OUT="$3"; SHARED="${4:-}"
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
mkdir -p "$OUT"
OUT="$(cd "$OUT" && pwd)"
bash "$HERE/make_corpus.sh" "$OUT/seeds" "$SHARED"
for target in spec evaluate; do
  mkdir -p "$OUT/corpus_$target"
  echo "fuzz: ${target}_fuzz for ${SECONDS_EACH} s"
  (cd "$OUT" && "$BUILD/tests/fuzz/${target}_fuzz" -max_total_time="$SECONDS_EACH" \
      -max_len=65536 -timeout=20 -rss_limit_mb=4096 -print_final_stats=1 \
      "$OUT/corpus_$target" "$OUT/seeds/$target" 2>"$OUT/${target}.log") || {
    tail -60 "$OUT/${target}.log" >&2
    echo "fuzz: ${target}_fuzz found a failure; reproducer in $OUT" >&2
    exit 1
  }
  grep -E "stat::number_of_executed_units|stat::peak_rss_mb" "$OUT/${target}.log" | sed "s/^/fuzz: ${target}: /"
done
