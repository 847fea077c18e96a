# A real checkpoint of a tiny search, then damaged.
"$SIEVE" search "$CFG/design.yaml" "$CFG/constraints.yaml" -o seed.h5 --max-evaluations 50 \
  --threads 1 --quiet --checkpoint checkpoint.json 2>/dev/null
head -c 300 checkpoint.json > cut.json && mv cut.json checkpoint.json
