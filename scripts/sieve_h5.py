"""What scripts/plot_pareto.py and scripts/plot_sweep.py share: reading the
HDF5 files `sieve` writes into pandas with strings as str, the error for a
file that cannot be plotted, and writing the figure with the scripts' exit
codes.

As a module (scripts/ on sys.path):
    open_h5(path, error, expected)       # context manager: the h5py.File, errors as `error`
    table_frame(dataset) -> DataFrame    # a compound dataset, string fields as str
    attributes(node) -> dict             # HDF5 attributes as str, int, float
    new_figure(figsize, ax) -> (Figure, Axes)
    write_figure(prog, argv, make_figure, output, dpi) -> exit code
"""

import contextlib
import os
import sys

import h5py
import numpy as np
import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

EXIT_BAD_INPUT = 2


class InputError(Exception):
    """A file or a requested column/axis cannot be plotted; the message names it."""


@contextlib.contextmanager
def open_h5(path, error, expected):
    """The HDF5 file `path`, open for reading. Raises `error` (an InputError
    class) naming the file when it is missing, is not HDF5 (the message says
    `expected`) or cannot be read, also while the block reads it."""
    if not os.path.isfile(path):
        raise error(f"{path}: no such file")
    if not h5py.is_hdf5(path):
        raise error(f"{path}: not an HDF5 file (expected {expected})")
    try:
        with h5py.File(path, "r") as f:
            yield f
    except OSError as err:
        raise error(f"{path}: cannot read it as HDF5: {err}") from None


def decode(value):
    """An HDF5 value as a plain Python value: bytes as str, numpy scalars as
    int/float, arrays as lists."""
    if isinstance(value, bytes):
        return value.decode("utf-8")
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, np.ndarray):
        return [decode(v) for v in value.tolist()]
    return value


def table_frame(dataset) -> pd.DataFrame:
    """A compound HDF5 dataset as a DataFrame, string fields decoded to str."""
    frame = pd.DataFrame(dataset[()])
    for column in frame.columns:
        if frame[column].dtype.kind in "OS":
            frame[column] = pd.Series([decode(v) for v in frame[column]], index=frame.index, dtype=object)
    return frame


def attributes(node) -> dict:
    """HDF5 attributes as plain Python values (str, int, float)."""
    return {key: decode(value) for key, value in node.attrs.items()}


def wide(values) -> bool:
    """Whether the positive finite values span more than 10x (then the axis is logarithmic)."""
    values = np.asarray(values, dtype=float)
    values = values[np.isfinite(values)]
    return values.size > 0 and values.min() > 0 and values.max() / values.min() > 10


def new_figure(figsize, ax=None):
    """(figure, axes): `ax` and its figure when given, else a new Agg figure of `figsize` inches."""
    if ax is not None:
        return ax.figure, ax
    fig = Figure(figsize=figsize, dpi=100, layout="constrained")
    FigureCanvasAgg(fig)
    return fig, fig.add_subplot()


def write_figure(prog, argv, make_figure, output, dpi) -> int:
    """The end of a script's main(): make_figure() and save it to `output`.
    Returns 0 when written ("wrote OUTPUT"), EXIT_BAD_INPUT when make_figure
    raises InputError and 1 when the image cannot be written; errors go to
    stderr as "PROG: error: ...", PROG being the script run (or `prog` when
    main() is called with argv)."""
    prog = os.path.basename(sys.argv[0]) if argv is None else prog
    try:
        fig = make_figure()
    except InputError as err:
        print(f"{prog}: error: {err}", file=sys.stderr)
        return EXIT_BAD_INPUT
    try:
        fig.savefig(output, dpi=dpi, bbox_inches="tight")
    except OSError as err:
        print(f"{prog}: error: {output}: cannot write the image: {err}", file=sys.stderr)
        return 1
    print(f"wrote {output}")
    return 0
