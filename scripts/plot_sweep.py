#!/usr/bin/python3
"""Plot a `sieve sweep` file (SWEEP.h5) in the style of the paper's Fig. 12.

    /usr/bin/python3 scripts/plot_sweep.py SWEEP.h5 -o sweep.png [--x AXIS] [--series AXIS[,AXIS...]]
        [--metric best_edp] [--normalize-to LABEL | --absolute]

x is a numeric axis (default: the sweep's only numeric axis; logarithmic when
its values span more than 10x). There is one line per value of the series
axes (default: every other axis; the labels of several are joined with ", "),
in the order the values first appear in /points (the sweep file's order).
y is the metric (a numeric /points field: best_edp, best_energy_pj,
best_cycles, ...) divided, at each x, by the metric of the series named by
--normalize-to (default: the first series), so that series is 1; --absolute
plots the metric itself. Points without a valid mapping are left out of their
line and listed in a note under the plot.

Exit codes: 0 when the plot is written; 2 when SWEEP.h5 is missing or not a
sweep file, or when an axis, metric or series named on the command line does
not exist (the message names it).

As a module (scripts/ on sys.path):
    load_sweep(path) -> Sweep        # .points (DataFrame, strings as str), .axes, .attrs
    load_points(path) -> DataFrame   # /points alone
    sweep_table(path_or_frame, ...) -> DataFrame   # the plotted values: x by series
    plot_sweep(path_or_frame, ...) -> matplotlib.figure.Figure
"""

import argparse
import math
import os
import sys
import textwrap
from dataclasses import dataclass, field

import h5py
import pandas as pd
from matplotlib.figure import Figure

from sieve_h5 import EXIT_BAD_INPUT  # noqa: F401 (plot_sweep.EXIT_BAD_INPUT)
from sieve_h5 import InputError, attributes, new_figure, open_h5, table_frame, wide, write_figure

# /points fields that are not axes (search/sweep_file.hpp).
POINT_FIELDS = ("point", "label", "status", "evaluations", "valid", "front_size", "best_energy_pj",
                "best_cycles", "best_edp", "elapsed_s", "config_sha256")
METRIC_ALIASES = {"edp": "best_edp", "energy": "best_energy_pj", "energy_pj": "best_energy_pj",
                  "cycles": "best_cycles"}
METRIC_LABELS = {"best_edp": "best EDP", "best_energy_pj": "best energy", "best_cycles": "best cycles",
                 "elapsed_s": "time per point", "front_size": "front size"}
METRIC_UNITS = {"best_edp": "J x cycles", "best_energy_pj": "pJ", "elapsed_s": "s"}
NO_VALID_STATUS = "no valid mapping"


class SweepError(InputError):
    """The file or a requested axis/metric/series cannot be plotted; the
    message names it."""


@dataclass
class Sweep:
    path: str
    points: pd.DataFrame
    axes: list
    attrs: dict = field(default_factory=dict)

    @property
    def numeric_axes(self):
        return [a for a in self.axes if self.points[a].dtype.kind in "fiu"]


def load_sweep(path) -> Sweep:
    """Reads a `sieve sweep` file. Raises SweepError naming the file when it
    is missing or not a sweep file."""
    path = os.fspath(path)
    with open_h5(path, SweepError, "a `sieve sweep` file") as f:
        if not isinstance(f.get("points"), h5py.Dataset) or "axes" not in f.attrs:
            if "pareto" in f:
                raise SweepError(f"{path}: a `sieve search` result, not a sweep file "
                                 "(plot it with scripts/plot_pareto.py)")
            raise SweepError(f"{path}: not a `sieve sweep` file (no /points table and `axes` attribute)")
        attrs = attributes(f)
        points = table_frame(f["points"])
    axes = [a.strip() for a in str(attrs["axes"]).split(",") if a.strip()]
    missing = [a for a in axes if a not in points.columns]
    if missing:
        raise SweepError(f"{path}: /points has no field for axis {', '.join(missing)}")
    if "point" in points.columns:
        points = points.sort_values("point", kind="stable").reset_index(drop=True)
    points.attrs["axes"] = list(axes)
    points.attrs["path"] = path
    return Sweep(path, points, axes, attrs)


def load_points(path) -> pd.DataFrame:
    """/points of a sweep file, string fields as str (attrs["axes"] lists the axes)."""
    return load_sweep(path).points


def _as_sweep(source) -> Sweep:
    if isinstance(source, Sweep):
        return source
    if isinstance(source, pd.DataFrame):
        axes = source.attrs.get("axes") or [c for c in source.columns if c not in POINT_FIELDS]
        return Sweep(source.attrs.get("path", ""), source, list(axes), {})
    return load_sweep(source)


def _format_number(value) -> str:
    return f"{value:g}"


def _value_text(sweep: Sweep, axis: str, value) -> str:
    return _format_number(value) if axis in sweep.numeric_axes else str(value)


@dataclass
class Plan:
    sweep: Sweep
    x: str
    series: list          # series axes
    metric: str
    reference: str        # series label the metric is divided by; "" for absolute values
    labels: list          # series labels, in order of first appearance
    raw: pd.DataFrame     # metric by x (rows) and series label (columns), NaN where no valid mapping
    table: pd.DataFrame   # what is plotted: raw, normalized unless absolute
    no_valid: list        # (series label, x value) of the points with no valid mapping
    unnormalized: list    # x values where the reference has no value but another series has
    not_run: int          # points of the sweep not in /points
    notes: list           # other remarks for the note under the plot


def _split_axes(spec):
    if spec is None:
        return None
    if isinstance(spec, str):
        spec = spec.split(",")
    return [a.strip() for a in spec if a.strip()]


def _plan(source, x=None, series=None, metric="best_edp", normalize_to=None, absolute=False) -> Plan:
    sweep = _as_sweep(source)
    where = sweep.path or "the sweep"
    points = sweep.points
    if len(points) == 0:
        raise SweepError(f"{where}: /points is empty (no point has finished yet)")
    axes, numeric = sweep.axes, sweep.numeric_axes
    names = ", ".join(axes) if axes else "none"

    if x is None:
        if len(numeric) == 1:
            x = numeric[0]
        elif not numeric:
            raise SweepError(f"{where}: no numeric axis to put on x (axes: {names})")
        else:
            raise SweepError(f"{where}: several numeric axes ({', '.join(numeric)}); choose one with --x")
    elif x not in axes:
        raise SweepError(f"{where}: --x {x}: no such axis; the axes are {names}")
    elif x not in numeric:
        raise SweepError(f"{where}: --x {x}: not a numeric axis (its values are labels); "
                         f"numeric axes: {', '.join(numeric) or 'none'}")

    series_axes = _split_axes(series)
    if series_axes is None:
        series_axes = [a for a in axes if a != x]
    else:
        for axis in series_axes:
            if axis not in axes:
                raise SweepError(f"{where}: --series {axis}: no such axis; the axes are {names}")
            if axis == x:
                raise SweepError(f"{where}: --series {axis}: it is already the x axis")
        for axis in axes:
            if axis != x and axis not in series_axes and points[axis].nunique() > 1:
                raise SweepError(f"{where}: axis {axis} varies too ({points[axis].nunique()} values): "
                                 "add it to --series")

    metric = METRIC_ALIASES.get(metric, metric)
    metrics = [c for c in points.columns
               if c not in axes and c != "point" and points[c].dtype.kind in "fiub"]
    if metric not in metrics:
        raise SweepError(f"{where}: --metric {metric}: not a numeric /points field; "
                         f"choose one of {', '.join(metrics)}")

    def label_of(row):
        if not series_axes:
            return METRIC_LABELS.get(metric, metric)
        return ", ".join(f"{a}={_format_number(row[a])}" if a in numeric else str(row[a])
                         for a in series_axes)

    def point_style_of(row):  # "design=ReuseAZ density_A=0.01", as in /points labels
        return " ".join(f"{a}={_value_text(sweep, a, row[a])}" for a in series_axes)

    frame = points.copy()
    frame["_series"] = [label_of(row) for _, row in frame.iterrows()]
    aliases = {}
    for (_, row), label in zip(frame.iterrows(), frame["_series"]):
        aliases.setdefault(label, {label, point_style_of(row)})
    labels = list(dict.fromkeys(frame["_series"]))
    values = frame[metric].astype(float)
    invalid = values.isna()
    if metric.startswith("best_"):  # figures of the point's best mappings
        if "status" in frame.columns:
            invalid |= frame["status"] == NO_VALID_STATUS
        if "valid" in frame.columns:
            invalid |= frame["valid"] == 0
    frame["_value"] = values.where(~invalid)
    no_valid = [(s, v) for s, v in zip(frame.loc[invalid, "_series"], frame.loc[invalid, x])]
    duplicated = frame.duplicated(["_series", x])
    if duplicated.any():
        raise SweepError(f"{where}: several points per series and {x}; name the axes that tell them "
                         "apart in --series")
    raw = frame.pivot(index=x, columns="_series", values="_value").reindex(columns=labels).sort_index()
    raw.columns.name = ", ".join(series_axes) if series_axes else None

    if raw.isna().all().all():
        raise SweepError(f"{where}: no point has a valid mapping for {metric}; nothing to plot")
    reference = ""
    unnormalized = []
    notes = []
    table = raw
    if normalize_to is not None and absolute:
        raise SweepError("--normalize-to and --absolute exclude each other")
    if not absolute and (normalize_to is not None or len(labels) > 1):
        if normalize_to is None:
            # The first series, unless it has no value at all (then the first that has one).
            with_values = [s for s in labels if raw[s].notna().any()]
            reference = labels[0] if raw[labels[0]].notna().any() or not with_values else with_values[0]
            if reference != labels[0]:
                notes.append(f"Normalized to {reference}: {labels[0]}, the first series, has no valid mapping "
                             "at any point.")
        else:
            matches = [s for s in labels if normalize_to in aliases[s]]
            if not matches:
                raise SweepError(f"{where}: --normalize-to {normalize_to}: no such series; "
                                 f"the series are {'; '.join(labels)}")
            reference = matches[0]
        base = raw[reference].where(raw[reference] != 0)
        others = raw.drop(columns=[reference])
        unnormalized = [v for v in raw.index if math.isnan(base.loc[v]) and others.loc[v].notna().any()]
        table = raw.div(base, axis=0)
        if table.isna().all().all():
            raise SweepError(f"{where}: nothing to plot: {reference} has no valid mapping at any {x} "
                             "where another series has one; normalize to another series or use --absolute")
    done = len(points)
    total = int(sweep.attrs.get("points_total", done) or done)
    return Plan(sweep, x, series_axes, metric, reference, labels, raw, table, no_valid, unnormalized,
                max(total - done, 0), notes)


def sweep_table(source, x=None, series=None, metric="best_edp", normalize_to=None, absolute=False):
    """The values plot_sweep draws: one row per x value, one column per series
    (in order), the metric normalized to the reference series unless
    absolute; NaN where a point has no valid mapping. Same arguments as
    plot_sweep."""
    return _plan(source, x, series, metric, normalize_to, absolute).table


def _metric_text(metric: str) -> str:
    return METRIC_LABELS.get(metric, metric)


def _notes(plan: Plan) -> str:
    notes = list(plan.notes)
    if plan.no_valid:
        by_series = {}
        for label, value in plan.no_valid:
            by_series.setdefault(label, []).append(value)
        listed = [f"{label} at {plan.x}={', '.join(_format_number(v) for v in sorted(values))}"
                  for label, values in by_series.items()]
        notes.append(f"No valid mapping (left out): {'; '.join(listed)}.")
    if plan.unnormalized:
        xs = ", ".join(_format_number(v) for v in plan.unnormalized)
        notes.append(f"{plan.reference} has no valid mapping at {plan.x}={xs}: "
                     "nothing to normalize to there, those points are left out.")
    if plan.not_run:
        notes.append(f"{plan.not_run} point(s) of the sweep are not in the file yet (unfinished or a shard).")
    return "\n".join(textwrap.fill(n, 110) for n in notes)


def plot_sweep(source, *, x=None, series=None, metric="best_edp", normalize_to=None, absolute=False,
               title=None, ax=None) -> Figure:
    """Lines of the metric over the numeric axis x, one per series.

    source: a SWEEP.h5 path, a Sweep, or a /points DataFrame (load_points).
    series: an axis name, a comma-separated list or a list (default: every
    axis but x). normalize_to: a series label (default: the first series);
    absolute=True plots the metric itself. Draws into `ax` when given, else a
    new figure; returns the figure. Raises SweepError for unknown axes,
    metrics or series."""
    plan = _plan(source, x, series, metric, normalize_to, absolute)
    fig, ax = new_figure((8.0, 5.0), ax)

    markers = "osD^vP*Xh<>"
    for i, label in enumerate(plan.labels):
        column = plan.table[label].dropna()
        is_reference = label == plan.reference
        text = label + (" (reference)" if is_reference else "")
        if column.empty:
            text += ": no valid mapping" if plan.raw[label].isna().all() else ": nothing to normalize to"
        ax.plot(column.index, column.to_numpy(float), marker=markers[i % len(markers)], markersize=5,
                linewidth=2.2 if is_reference else 1.6, linestyle="--" if is_reference else "-",
                label=text)

    xs = plan.table.index.to_numpy(float)
    if wide(xs):
        ax.set_xscale("log")
    if wide(plan.table.to_numpy(float).ravel()):
        ax.set_yscale("log")
    if plan.reference:
        ax.axhline(1.0, color="0.5", linewidth=0.8, zorder=0)

    ax.set_xlabel(plan.x)
    metric_text = _metric_text(plan.metric)
    if plan.reference:
        ax.set_ylabel(f"{metric_text}, normalized to\n{plan.reference} at each {plan.x} (= 1)")
    else:
        unit = METRIC_UNITS.get(plan.metric)
        ax.set_ylabel(f"{metric_text} ({unit})" if unit else metric_text)
    if title is None:
        name = os.path.basename(str(plan.sweep.attrs.get("sweep_path", "")) or plan.sweep.path) or "sweep"
        statuses = set(plan.sweep.points.get("status", pd.Series(dtype=object)))
        how = ("fixed mappings" if statuses == {"fixed mapping"}
               else f"{plan.sweep.attrs.get('strategy', 'searched')} search per point")
        title = (f"{name}: {metric_text} over {plan.x}\n"
                 f"{len(plan.sweep.points)} points, {len(plan.labels)} series, {how}")
    ax.set_title(title, fontsize=10)
    ax.grid(True, which="major", alpha=0.35)
    ax.grid(True, which="minor", alpha=0.12)
    legend_title = ", ".join(plan.series) if plan.series else None
    ax.legend(fontsize=8.5, title=legend_title, title_fontsize=8.5, loc="best")
    note = _notes(plan)
    if note:
        ax.annotate(note, xy=(0, 0), xycoords="axes fraction", xytext=(0, -42), textcoords="offset points",
                    va="top", ha="left", fontsize=8, color="0.25")
    return fig


def main(argv=None) -> int:
    import matplotlib
    matplotlib.use("Agg")
    parser = argparse.ArgumentParser(
        description="Plot a `sieve sweep` file: a metric over a numeric axis, one line per series, "
                    "normalized to one series (the paper's Fig. 12).")
    parser.add_argument("sweep", help="SWEEP.h5 written by `sieve sweep`")
    parser.add_argument("-o", "--output", default=None,
                        help="image to write (default: SWEEP.png beside the input); "
                             "the format follows the suffix (png, pdf, svg)")
    parser.add_argument("--x", default=None, help="numeric axis on x (default: the only numeric axis)")
    parser.add_argument("--series", default=None,
                        help="axis (or comma-separated axes) giving the lines (default: the other axes)")
    parser.add_argument("--metric", default="best_edp",
                        help="/points field on y: best_edp (default), best_energy_pj, best_cycles, ...")
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--normalize-to", default=None, metavar="LABEL",
                       help="series the metric is divided by at each x (default: the first series)")
    group.add_argument("--absolute", action="store_true", help="plot the metric itself, not normalized")
    parser.add_argument("--dpi", type=int, default=150, help="resolution of raster images (default: 150)")
    args = parser.parse_args(argv)
    output = args.output or os.path.splitext(args.sweep)[0] + ".png"
    return write_figure("plot_sweep.py", argv,
                        lambda: plot_sweep(args.sweep, x=args.x, series=args.series, metric=args.metric,
                                           normalize_to=args.normalize_to, absolute=args.absolute),
                        output, args.dpi)


if __name__ == "__main__":
    sys.exit(main())
