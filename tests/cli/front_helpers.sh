# Shared by the search CLI tests (sourced; needs $PY, the Debian
# /usr/bin/python3 that has h5py):
#   fail MESSAGE           prints it and exits 1;
#   poll SECONDS COMMAND   runs COMMAND until it succeeds, at most SECONDS
#                          (returns 1 when time runs out);
#   attr FILE.h5 NAME      prints a root attribute;
#   has_front FILE.h5      succeeds when FILE.h5 opens and /pareto is non-empty;
#   evaluations_above FILE.h5 N
#                          succeeds when FILE.h5 opens and its `evaluations`
#                          attribute exceeds N;
#   same_front A.h5 B.h5   fails unless both files hold the same counts and
#                          the same non-empty Pareto front (energy, cycles,
#                          mapping id).
fail() { echo "FAIL: $*" >&2; exit 1; }
poll() {
  local deadline=$((SECONDS + $1)); shift
  until "$@"; do
    (( SECONDS < deadline )) || return 1
    sleep 0.05
  done
}
attr() {
  "$PY" -c "import sys, h5py; v = h5py.File(sys.argv[1], 'r').attrs[sys.argv[2]]; print(v.decode() if isinstance(v, bytes) else v)" "$1" "$2"
}
has_front() {
  [[ -s "$1" ]] || return 1
  "$PY" - "$1" 2>/dev/null <<'PY'
import sys, h5py
with h5py.File(sys.argv[1], "r") as f:
    sys.exit(0 if "pareto" in f and len(f["pareto"]) > 0 else 1)
PY
}
evaluations_above() {
  [[ -s "$1" ]] || return 1
  "$PY" - "$1" "$2" 2>/dev/null <<'PY'
import sys, h5py
with h5py.File(sys.argv[1], "r") as f:
    sys.exit(0 if int(f.attrs["evaluations"]) > int(sys.argv[2]) else 1)
PY
}
same_front() {
  "$PY" - "$1" "$2" <<'PY' || fail "fronts of $1 and $2 differ"
import sys, h5py
def front(path):
    with h5py.File(path, "r") as f:
        rows = f["pareto"][:]
        counts = (int(f.attrs["evaluations"]), int(f.attrs["valid"]))
        return counts, sorted((float(r["energy_pj"]), float(r["cycles"]), r["mapping_id"]) for r in rows)
a, b = front(sys.argv[1]), front(sys.argv[2])
assert a[1] and a == b, (a, b)
PY
}
