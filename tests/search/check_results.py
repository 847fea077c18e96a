#!/usr/bin/python3
"""Checks that a `sieve search` results file reads the way a notebook reads it.

Usage: /usr/bin/python3 tests/search/check_results.py OUT.h5 [--min-rows N]
                                                     [--expect-evaluations]

Opens OUT.h5 with h5py, loads /pareto (and /best, and /evaluations when
asked) into pandas DataFrames, checks the required columns and root
attributes, prints a short summary and exits 0. Any failure prints
"check_results: FAIL: ..." to stderr and exits 1.

Run it with /usr/bin/python3: the Debian h5py and pandas live there.
"""

import argparse
import sys

REQUIRED_COLUMNS = ["energy_pj", "cycles", "edp", "area_um2", "utilization", "mapping"]
REQUIRED_ATTRIBUTES = ["tool_version", "seed", "strategy", "threads", "input_yaml",
                       "config_sha256", "start_time", "evaluations", "valid", "stop_reason"]


class CheckError(Exception):
    pass


def load_table(h5file, name, path):
    """Reads dataset `name` exactly as the notebook one-liner does."""
    import pandas
    if name not in h5file:
        raise CheckError(f"{path}: no /{name} dataset")
    try:
        return pandas.DataFrame(h5file[name][:])
    except Exception as e:  # h5py/pandas raise many types; all mean "unreadable"
        raise CheckError(f"{path}: /{name} is not readable as a DataFrame: {e}") from e


def check_columns(frame, name, path):
    missing = [c for c in REQUIRED_COLUMNS if c not in frame.columns]
    if missing:
        raise CheckError(f"{path}: /{name} lacks columns {missing}; has {list(frame.columns)}")


def check(path, min_rows, expect_evaluations):
    try:
        import h5py
        import pandas  # noqa: F401  (fail here, clearly, if it is missing)
    except ImportError as e:
        raise CheckError(f"{e} (run this script with /usr/bin/python3)") from e

    try:
        h5file = h5py.File(path, "r")
    except Exception as e:
        raise CheckError(f"{path}: cannot open as HDF5: {e}") from e

    with h5file:
        attrs = h5file.attrs
        missing = [a for a in REQUIRED_ATTRIBUTES if a not in attrs]
        if missing:
            raise CheckError(f"{path}: missing root attributes {missing}")

        pareto = load_table(h5file, "pareto", path)
        check_columns(pareto, "pareto", path)
        if len(pareto) < min_rows:
            raise CheckError(f"{path}: /pareto has {len(pareto)} rows, expected >= {min_rows}")

        best = load_table(h5file, "best", path)
        check_columns(best, "best", path)
        if "metric" not in best.columns:
            raise CheckError(f"{path}: /best lacks the metric column")

        evaluations = None
        if expect_evaluations:
            if "evaluations" not in h5file:
                raise CheckError(f"{path}: no /evaluations link (was logging on?)")
            evaluations = load_table(h5file, "evaluations", path)
            check_columns(evaluations, "evaluations", path)

        print(f"{path}: ok")
        print(f"  tool_version={text(attrs['tool_version'])} strategy={text(attrs['strategy'])} "
              f"seed={int(attrs['seed'])} threads={int(attrs['threads'])}")
        print(f"  evaluations={int(attrs['evaluations'])} valid={int(attrs['valid'])} "
              f"stop_reason={text(attrs['stop_reason']) or '(running)'}")
        print(f"  /pareto: {len(pareto)} rows x {len(pareto.columns)} columns"
              + (f", min energy_pj={pareto['energy_pj'].min():.6g}" if len(pareto) else ""))
        print(f"  /best: {', '.join(text(m) for m in best['metric'])}")
        if evaluations is not None:
            print(f"  /evaluations: {len(evaluations)} rows")


def text(value):
    """h5py gives str for attributes but bytes inside compound rows."""
    return value.decode("utf-8") if isinstance(value, bytes) else str(value)


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", help="results file written by sieve search")
    parser.add_argument("--min-rows", type=int, default=0, help="minimum /pareto rows")
    parser.add_argument("--expect-evaluations", action="store_true",
                        help="require a readable /evaluations log")
    args = parser.parse_args(argv)
    try:
        check(args.path, args.min_rows, args.expect_evaluations)
    except CheckError as e:
        print(f"check_results: FAIL: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
