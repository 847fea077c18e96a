# Shared by the search CLI tests (sourced; needs $PY): fail MESSAGE, and
# same_front A.h5 B.h5, which fails unless both files hold the same counts
# and the same non-empty Pareto front (energy, cycles, mapping id).
fail() { echo "FAIL: $*" >&2; exit 1; }
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
