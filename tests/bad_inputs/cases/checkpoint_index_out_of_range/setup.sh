# A real checkpoint of a tiny search, then damaged.
"$SIEVE" search "$CFG/design.yaml" "$CFG/constraints.yaml" -o seed.h5 --max-evaluations 50 \
  --threads 1 --quiet --checkpoint checkpoint.json 2>/dev/null
/usr/bin/python3 - checkpoint.json <<'PY'
import json, sys
j = json.load(open(sys.argv[1]))
j["front"][0]["choice"]["fact"][0] = 10**9
json.dump(j, open(sys.argv[1], "w"))
PY
