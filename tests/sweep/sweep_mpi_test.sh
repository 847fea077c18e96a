#!/usr/bin/env bash
# `mpirun -n 2 sieve sweep` (an MPI build) gives the file a one-process run
# gives, with the same seed; an interrupted MPI sweep resumes to it too.
# Usage: sweep_mpi_test.sh SIEVE_MPI SOURCE_DIR
set -euo pipefail
SIEVE="$(realpath "$1")"; SRC="$(realpath "$2")"
PY=/usr/bin/python3
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/sieve_sweep_mpi.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
cd "$WORK"
fail() { echo "FAIL: $*" >&2; exit 1; }
# In a container OpenMPI's shared-memory transport cannot use CMA.
export OMPI_MCA_btl_vader_single_copy_mechanism=none
MPIRUN=(mpirun --oversubscribe --allow-run-as-root -n 2)

CFG="$SRC/configs/default"
cat > sweep.yaml <<YAML
sweep:
  inputs: [$CFG/design.yaml, $CFG/sparse.yaml, $CFG/constraints.yaml]
  search: {strategy: random, max_evaluations: 400, seed: 11}
  axes:
    - name: glb_depth
      key: architecture.subtree[0].local[name=shared_glb].attributes.depth
      values: [1, 8192, 16384]
    - name: density_Weights
      density: Weights
      values: [0.2, 0.35, 0.6]
YAML
"$SIEVE" sweep sweep.yaml -o one.h5 --threads 1 --quiet
"${MPIRUN[@]}" "$SIEVE" sweep sweep.yaml -o mpi.h5 --threads 1 --quiet 2>mpi.err ||
  { cat mpi.err >&2; fail "mpirun sweep failed"; }
grep -q "2 ranks: merged into mpi.h5" mpi.err || { cat mpi.err >&2; fail "rank 0 did not merge"; }
ls mpi.h5.rank*.h5 >/dev/null 2>&1 && fail "rank files left after the merge"
"$PY" "$HERE/sweep_compare.py" one.h5 mpi.h5
# Both ranks ran points (the counter hands them out as they finish).
"$PY" - mpi.h5 <<'PY'
import sys, h5py
f = h5py.File(sys.argv[1], "r")
assert f.attrs["points_done"] == 9 and f.attrs["end_time"] != "", dict(f.attrs)
PY
# A second MPI run on the finished file runs nothing and leaves it equal.
"${MPIRUN[@]}" "$SIEVE" sweep sweep.yaml -o mpi.h5 --threads 1 --quiet 2>again.err
"$PY" "$HERE/sweep_compare.py" one.h5 mpi.h5
echo "sweep mpi: all checks passed"
