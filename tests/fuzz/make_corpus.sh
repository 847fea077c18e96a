#!/usr/bin/env bash
# Writes the fuzzers' seed corpora: every bundled design and every golden
# input set (when ../shared is beside the clone) as one input of spec_fuzz
# (its files joined by `#@file` lines), and a few byte strings for
# evaluate_fuzz. Usage: make_corpus.sh OUT_DIR [SHARED_DIR]
set -euo pipefail
OUT="$1"; SHARED="${2:-}"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
mkdir -p "$OUT/spec" "$OUT/evaluate"

# join NAME FILE...: one seed from several YAML files.
join() {
  local name="$1"; shift
  local first=1
  for f in "$@"; do
    [[ -f "$f" ]] || continue
    if [[ $first -eq 0 ]]; then printf '#@file\n'; fi
    cat "$f"; printf '\n'
    first=0
  done > "$OUT/spec/$name"
}

C="$ROOT/configs"
join default "$C/default/design.yaml" "$C/default/sparse.yaml" "$C/default/map.yaml" "$C/default/ERT.yaml" "$C/default/ART.yaml"
join default_constraints "$C/default/design.yaml" "$C/default/constraints.yaml"
join fig1_bitmask "$C/paper/fig1/design.yaml" "$C/paper/fig1/bitmask.yaml" "$C/paper/fig1/map.yaml" "$C/paper/fig1/ERT.yaml"
join fig1_coordinates "$C/paper/fig1/design.yaml" "$C/paper/fig1/coordinate_list.yaml" "$C/paper/fig1/map.yaml"
join table7_abz "$C/paper/table7/design.yaml" "$C/paper/table7/innermost_skip.yaml" "$C/paper/table7/reuse_abz.map.yaml" "$C/paper/table7/ERT.yaml"
join table7_az "$C/paper/table7/design.yaml" "$C/paper/table7/hierarchical_skip.yaml" "$C/paper/table7/reuse_az.map.yaml"

if [[ -n "$SHARED" && -d "$SHARED/reference/golden" ]]; then
  for d in "$SHARED"/reference/golden/*/; do
    name="$(basename "$d")"
    join "golden_$name" "$d/input.yaml" "$d/map.yaml" "$d/ERT.yaml" "$d/ART.yaml"
  done
fi

for i in $(seq 0 15); do
  head -c 64 /dev/urandom > "$OUT/evaluate/seed$i"
done
echo "make_corpus: $(ls "$OUT/spec" | wc -l) spec seeds, $(ls "$OUT/evaluate" | wc -l) evaluate seeds in $OUT"
