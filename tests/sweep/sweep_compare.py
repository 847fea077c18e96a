#!/usr/bin/python3
"""Compares two `sieve sweep` files: the same points (every /points field but
elapsed_s) and the same fronts (every field of /fronts/<i>/pareto and best).
Exits 0 when equal, 1 with the first difference otherwise.

Usage: /usr/bin/python3 tests/sweep/sweep_compare.py A.h5 B.h5
"""
import sys

import h5py
import numpy as np


def rows(dataset, skip=()):
    names = [n for n in dataset.dtype.names if n not in skip]
    out = []
    for r in dataset[:]:
        out.append(tuple(r[n].decode() if isinstance(r[n], bytes) else
                         (None if isinstance(r[n], float) and np.isnan(r[n]) else r[n]) for n in names))
    return names, out


def main():
    a, b = h5py.File(sys.argv[1], "r"), h5py.File(sys.argv[2], "r")
    if a.attrs["sweep_sha256"] != b.attrs["sweep_sha256"]:
        sys.exit("differ: sweep_sha256")
    na, ra = rows(a["points"], skip=("elapsed_s",))
    nb, rb = rows(b["points"], skip=("elapsed_s",))
    if na != nb or ra != rb:
        sys.exit(f"differ: /points\n{ra}\n{rb}")
    if sorted(a["fronts"].keys()) != sorted(b["fronts"].keys()):
        sys.exit("differ: /fronts groups")
    for g in a["fronts"]:
        for t in ("pareto", "best"):
            if rows(a["fronts"][g][t]) != rows(b["fronts"][g][t]):
                sys.exit(f"differ: /fronts/{g}/{t}")
    print(f"sweep_compare: {len(ra)} points, fronts equal")


if __name__ == "__main__":
    main()
