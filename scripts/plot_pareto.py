#!/usr/bin/python3
"""Plot the Pareto front of a `sieve search` result (RESULT.h5).

    /usr/bin/python3 scripts/plot_pareto.py RESULT.h5 -o front.png [--x cycles --y energy_pj]

Draws every /pareto mapping as a point, the front as a step line (both
quantities minimized) and marks the best-EDP mapping (/best, metric "edp").
An axis is logarithmic when its values span more than 10x. The title gives
the search's strategy and evaluation counts (root attributes).

Exit codes: 0 when the plot is written; 2 when RESULT.h5 is missing, is not
a sieve search result (a sweep file, another HDF5 file, not HDF5), holds no
valid mapping (root attribute no_valid_mapping = 1) or has an empty front,
or when --x/--y name no /pareto column. The message names the file.

As a module (scripts/ on sys.path):
    load_result(path) -> SearchResult      # .pareto, .best (DataFrames, strings as str), .attrs
    plot_pareto(path_or_frame, ...) -> matplotlib.figure.Figure
"""

import argparse
import math
import os
import sys
from dataclasses import dataclass, field

import h5py
import pandas as pd
from matplotlib.figure import Figure

from sieve_h5 import EXIT_BAD_INPUT  # noqa: F401 (plot_pareto.EXIT_BAD_INPUT)
from sieve_h5 import InputError, attributes, new_figure, open_h5, table_frame, wide, write_figure

AXIS_LABELS = {
    "cycles": "cycles",
    "energy_pj": "energy (pJ)",
    "edp": "EDP (J x cycles)",
    "area_um2": "area (um^2)",
    "utilization": "utilization",
    "last_level_accesses": "last-level accesses",
}


def axis_label(column: str) -> str:
    if column in AXIS_LABELS:
        return AXIS_LABELS[column]
    if column.startswith("energy_pj_"):
        return f"energy at {column[len('energy_pj_'):]} (pJ)"
    return column


class ResultError(InputError):
    """The file cannot be plotted; the message names it."""


@dataclass
class SearchResult:
    path: str
    pareto: pd.DataFrame
    best: pd.DataFrame
    attrs: dict = field(default_factory=dict)


def load_result(path) -> SearchResult:
    """Reads a `sieve search` RESULT.h5. Raises ResultError naming the file
    when it is missing or not a search result."""
    path = os.fspath(path)
    with open_h5(path, ResultError, "a `sieve search` result") as f:
        if "points" in f and "axes" in f.attrs:
            raise ResultError(
                f"{path}: a `sieve sweep` file, not a search result "
                "(plot it with scripts/plot_sweep.py)")
        missing = [name for name in ("pareto", "best") if not isinstance(f.get(name), h5py.Dataset)]
        if missing or "strategy" not in f.attrs or "evaluations" not in f.attrs:
            raise ResultError(
                f"{path}: not a `sieve search` result (no /pareto and /best tables "
                "with the search's root attributes)")
        return SearchResult(path, table_frame(f["pareto"]), table_frame(f["best"]), attributes(f))


def _empty_front_message(result: SearchResult) -> str:
    attrs = result.attrs
    evaluations = attrs.get("evaluations", 0)
    if int(attrs.get("no_valid_mapping", 0)) == 1:
        reasons = [f"{attrs[key]} {key[len('invalid_'):]}" for key in sorted(attrs)
                   if key.startswith("invalid_") and isinstance(attrs[key], int) and attrs[key] > 0]
        detail = f" ({', '.join(reasons)})" if reasons else ""
        return (f"{result.path}: no valid mapping: the search evaluated {evaluations} mappings "
                f"and none was valid{detail}; the front is empty, nothing to plot")
    return f"{result.path}: the front is empty ({evaluations} evaluations); nothing to plot"


def front_2d(frame: pd.DataFrame, x: str, y: str) -> pd.DataFrame:
    """The rows of `frame` not dominated in (x, y), both minimized, by x."""
    ordered = frame.sort_values([x, y], kind="stable")
    keep, lowest = [], math.inf
    for index, value in zip(ordered.index, ordered[y]):
        if value < lowest:
            keep.append(index)
            lowest = value
    return ordered.loc[keep]


def _best_edp_row(pareto: pd.DataFrame, best):
    if best is not None and len(best) and "metric" in best.columns:
        rows = best[best["metric"] == "edp"]
        if len(rows):
            return rows.iloc[0]
    if "edp" in pareto.columns and len(pareto):
        return pareto.loc[pareto["edp"].idxmin()]
    return None


def _title(result: SearchResult, shown: int) -> str:
    attrs = result.attrs
    if not attrs:
        return f"Pareto front ({shown} mappings)"
    name = os.path.basename(result.path) if result.path else "search"
    first = (f"{name}: {attrs.get('strategy', '?')} search, "
             f"{int(attrs.get('evaluations', 0)):,} evaluations ({int(attrs.get('valid', 0)):,} valid)")
    second = f"{shown} non-dominated mappings (objectives {attrs.get('objectives', '?')})"
    if int(attrs.get("optimal", 0)) == 1:
        second += ", the exact front"
    elif attrs.get("stop_reason"):
        second += f", stopped: {attrs['stop_reason']}"
    return first + "\n" + second


def plot_pareto(source, *, x="cycles", y="energy_pj", best=None, title=None, ax=None) -> Figure:
    """Scatter of /pareto in (x, y), the 2-D front as a step line and the
    best-EDP mapping marked.

    source: a RESULT.h5 path, a SearchResult, or a DataFrame with the /pareto
    columns (e.g. sieve.search(...)["pareto"]; then `best` may be its "best"
    DataFrame, else the lowest-EDP row is marked). Draws into `ax` when given,
    else into a new figure; returns the figure. Raises ResultError when the
    front is empty or x/y is not a column."""
    if isinstance(source, SearchResult):
        result = source
    elif isinstance(source, pd.DataFrame):
        result = SearchResult("", source, best if best is not None else pd.DataFrame(), {})
    else:
        result = load_result(source)
    if best is not None:
        result.best = best
    where = result.path or "the front"

    pareto = result.pareto
    if "valid" in pareto.columns:
        pareto = pareto[pareto["valid"].astype(bool)]
    if len(pareto) == 0:
        if result.attrs:
            raise ResultError(_empty_front_message(result))
        raise ResultError(f"{where}: the front is empty; nothing to plot")
    numeric = [c for c in pareto.columns if pareto[c].dtype.kind in "fiu" and c not in ("eval_index", "valid")]
    for flag, column in (("--x", x), ("--y", y)):
        if column not in numeric:
            raise ResultError(f"{where}: {flag} {column}: not a numeric /pareto column; "
                              f"choose one of {', '.join(numeric)}")

    fig, ax = new_figure((7.5, 5.0), ax)

    front = front_2d(pareto, x, y)
    off_front = pareto.drop(index=front.index)
    front_label = (f"non-dominated in {x}, {y} ({len(front)})" if len(off_front)
                   else f"non-dominated mappings ({len(front)})")
    ax.scatter(front[x], front[y], s=36, color="tab:blue", zorder=3, label=front_label)
    if len(off_front):
        ax.scatter(off_front[x], off_front[y], s=36, facecolors="none", edgecolors="tab:blue",
                   zorder=3, label=f"on the {result.attrs.get('objectives', 'search')} front only "
                                   f"({len(off_front)})")
    ax.step(front[x], front[y], where="post", color="tab:blue", alpha=0.6, linewidth=1.5,
            label=f"front in {x}, {y}")

    chosen = _best_edp_row(pareto, result.best)
    if chosen is not None and x in chosen.index and y in chosen.index:
        bx, by = float(chosen[x]), float(chosen[y])
        ax.scatter([bx], [by], marker="*", s=320, color="tab:red", edgecolors="black",
                   linewidths=0.6, zorder=4, label="best EDP (/best)")
        lines = [f"best EDP: {float(chosen['edp']):.4g} J x cycles" if "edp" in chosen.index else "best EDP"]
        lines += [f"{axis_label(c)}: {v:.4g}" for c, v in ((y, by), (x, bx)) if c != "edp"]
        if "mapping_id" in chosen.index:
            mapping_id = str(chosen["mapping_id"])
            if len(mapping_id) > 28:
                mapping_id = mapping_id[:25] + "..."
            lines.append(f"mapping_id {mapping_id}")
        ax.annotate("\n".join(lines), xy=(bx, by), xytext=(28, 28), textcoords="offset points",
                    fontsize=8.5, va="bottom",
                    bbox=dict(boxstyle="round", facecolor="white", edgecolor="0.6", alpha=0.9),
                    arrowprops=dict(arrowstyle="->", color="0.3"))

    xs, ys = pareto[x].to_numpy(float), pareto[y].to_numpy(float)
    if wide(xs):
        ax.set_xscale("log")
    if wide(ys):
        ax.set_yscale("log")
    ax.margins(0.12)
    ax.set_xlabel(axis_label(x))
    ax.set_ylabel(axis_label(y))
    ax.set_title(title if title is not None else _title(result, len(pareto)), fontsize=10)
    ax.grid(True, which="major", alpha=0.35)
    ax.grid(True, which="minor", alpha=0.12)
    ax.legend(fontsize=8.5, loc="upper right")
    return fig


def main(argv=None) -> int:
    import matplotlib
    matplotlib.use("Agg")
    parser = argparse.ArgumentParser(
        description="Plot the Pareto front of a `sieve search` RESULT.h5 (energy vs cycles).")
    parser.add_argument("result", help="RESULT.h5 written by `sieve search`")
    parser.add_argument("-o", "--output", default=None,
                        help="image to write (default: RESULT.png beside the input); "
                             "the format follows the suffix (png, pdf, svg)")
    parser.add_argument("--x", default="cycles", help="/pareto column on x (default: cycles)")
    parser.add_argument("--y", default="energy_pj", help="/pareto column on y (default: energy_pj)")
    parser.add_argument("--dpi", type=int, default=150, help="resolution of raster images (default: 150)")
    args = parser.parse_args(argv)
    output = args.output or os.path.splitext(args.result)[0] + ".png"
    return write_figure("plot_pareto.py", argv, lambda: plot_pareto(args.result, x=args.x, y=args.y),
                        output, args.dpi)


if __name__ == "__main__":
    sys.exit(main())
