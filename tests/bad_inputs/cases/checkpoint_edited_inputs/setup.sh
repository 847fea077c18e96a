# A real checkpoint of a tiny search, then damaged.
"$SIEVE" search "$CFG/design.yaml" "$CFG/constraints.yaml" -o seed.h5 --max-evaluations 50 \
  --threads 1 --quiet --checkpoint checkpoint.json 2>/dev/null
/usr/bin/python3 - checkpoint.json <<'PY'
import json, sys
j = json.load(open(sys.argv[1]))
j["inputs"][0]["text"] = j["inputs"][0]["text"].replace("depth: 16384", "depth: 8")
json.dump(j, open(sys.argv[1], "w"))
PY
