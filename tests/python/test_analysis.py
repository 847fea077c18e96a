"""Checks of the analysis scripts (scripts/plot_pareto.py, scripts/plot_sweep.py)
and the notebook (scripts/analysis.ipynb) on results the built `sieve` writes.

In a temporary folder (removed at the end) it runs
  - a search of configs/default (3000 evaluations), front.h5;
  - a search where nothing fits (the global buffer one word deep), none.h5;
  - the paper's Fig. 12 sweep (configs/paper/fig12-sweep.yaml), fig12.h5;
  - a searched sweep over the global buffer depth (1, where nothing fits, and
    16384) and the input density, mixed.h5;
and checks that
  - both scripts write PNGs that are PNGs (signature), of at least 10 kB and
    not blank (pixel standard deviation);
  - the scripts' DataFrames hold HDF5 strings as str;
  - plot_sweep's series follow the sweep file's order, its values are
    normalized to the reference series, points without a valid mapping are
    left out and listed under the plot;
  - bad input exits 2 with a message naming the file (or the axis, metric or
    series): plot_pareto.py on a sweep file, a non-HDF5 file, a missing file
    and a result without a valid mapping; plot_sweep.py on a search result and
    with unknown --x, --series, --metric, --normalize-to;
  - the notebook is nbformat 4 JSON whose code cells run in order (with
    nbconvert when it is installed, else exec'd in one namespace) from a folder
    laid out like the repository root; the cells tagged `sieve-module` are left
    out when the `sieve` module cannot be imported.

Usage: test_analysis.py SIEVE SOURCE_DIR [--build BUILD_DIR] [--no-module]
Exits 0 when every check passes, 1 otherwise, 77 (skipped) when h5py, pandas
or matplotlib cannot be imported.
"""

import argparse
import contextlib
import importlib.util
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

SKIP = 77
MIN_PNG_BYTES = 10 * 1024
MIN_PIXEL_STD = 0.05  # of [0, 1] channel values; a blank image has 0
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
DESIGNS = ["ReuseABZ.InnermostSkip", "ReuseABZ.HierarchicalSkip", "ReuseAZ.InnermostSkip",
           "ReuseAZ.HierarchicalSkip"]

ARGS = None
WORK = None
plot_pareto = None
plot_sweep = None


def run(cmd, **kwargs):
    return subprocess.run(cmd, capture_output=True, text=True, **kwargs)


def run_sieve(*args):
    done = run([ARGS.sieve, *args], cwd=WORK)
    if done.returncode != 0:
        raise RuntimeError(f"sieve {' '.join(args)} exited {done.returncode}:\n{done.stderr}")


def script(name):
    return os.path.join(ARGS.source, "scripts", name)


def run_script(name, *args):
    env = dict(os.environ, MPLBACKEND="Agg", MPLCONFIGDIR=os.path.join(WORK, "mplconfig"),
               PYTHONDONTWRITEBYTECODE="1")  # no __pycache__ for sieve_h5 in the source tree's scripts/
    return run([sys.executable, script(name), *args], cwd=WORK, env=env)


def import_script(name):
    scripts = os.path.join(ARGS.source, "scripts")
    if scripts not in sys.path:  # the scripts import sieve_h5 beside them
        sys.path.insert(0, scripts)
    spec = importlib.util.spec_from_file_location(name, script(name + ".py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def setUpModule():
    global WORK, plot_pareto, plot_sweep
    WORK = tempfile.mkdtemp(prefix="sieve_analysis.")
    cfg = os.path.join(ARGS.source, "configs", "default")
    inputs = [os.path.join(cfg, f) for f in ("design.yaml", "sparse.yaml", "constraints.yaml")]
    run_sieve("search", *inputs, "--max-evaluations", "3000", "--threads", "2", "--seed", "1", "-o", "front.h5")
    with open(inputs[0]) as f:
        design = f.read()
    assert "depth: 16384" in design, "configs/default/design.yaml: the global buffer depth moved"
    with open(os.path.join(WORK, "tiny.yaml"), "w") as f:
        f.write(design.replace("depth: 16384", "depth: 1"))
    run_sieve("search", "tiny.yaml", *inputs[1:], "--max-evaluations", "200", "--threads", "2", "-o", "none.h5")
    run_sieve("sweep", os.path.join(ARGS.source, "configs", "paper", "fig12-sweep.yaml"), "-o", "fig12.h5",
              "--quiet")
    with open(os.path.join(WORK, "mixed.yaml"), "w") as f:
        f.write(f"""sweep:
  inputs: [{', '.join(inputs)}]
  search: {{strategy: random, max_evaluations: 200, objectives: [energy, cycles], seed: 7}}
  axes:
    - name: glb_depth
      key: architecture.subtree[0].local[name=shared_glb].attributes.depth
      values: [16384, 1]
    - name: density_Inputs
      density: Inputs
      values: [0.2, 0.5, 0.8]
""")
    run_sieve("sweep", "mixed.yaml", "-o", "mixed.h5", "--threads", "2", "--quiet")
    plot_pareto = import_script("plot_pareto")
    plot_sweep = import_script("plot_sweep")


def tearDownModule():
    if WORK:
        shutil.rmtree(WORK, ignore_errors=True)


def figure_texts(fig):
    return [t.get_text() for t in fig.findobj(lambda a: hasattr(a, "get_text"))]


class ImageChecks:
    def assert_good_png(self, path):
        import matplotlib.image
        self.assertTrue(os.path.isfile(path), f"{path} was not written")
        with open(path, "rb") as f:
            self.assertEqual(f.read(8), PNG_SIGNATURE, f"{path} is not a PNG")
        size = os.path.getsize(path)
        self.assertGreaterEqual(size, MIN_PNG_BYTES, f"{path}: {size} bytes")
        pixels = matplotlib.image.imread(path)
        self.assertGreater(float(pixels[..., :3].std()), MIN_PIXEL_STD, f"{path} looks blank")

    def assert_fails(self, done, *fragments):
        self.assertEqual(done.returncode, 2, f"exit {done.returncode}, expected 2:\n{done.stderr}")
        for fragment in fragments:
            self.assertIn(fragment, done.stderr)
        self.assertNotIn("Traceback", done.stderr)


class ParetoTest(unittest.TestCase, ImageChecks):
    def test_plot_written(self):
        for extra in ([], ["--x", "cycles", "--y", "energy_pj"], ["--x", "energy_pj_DRAM", "--y", "edp"]):
            out = os.path.join(WORK, f"front{len(extra)}.png")
            done = run_script("plot_pareto.py", "front.h5", "-o", out, *extra)
            self.assertEqual(done.returncode, 0, done.stderr)
            self.assert_good_png(out)

    def test_frames_and_figure(self):
        result = plot_pareto.load_result(os.path.join(WORK, "front.h5"))
        self.assertGreater(len(result.pareto), 0)
        for column in ("mapping_id", "mapping"):
            self.assertTrue(all(type(v) is str for v in result.pareto[column]), column)
        self.assertEqual(sorted(result.best["metric"]), ["cycles", "edp", "energy"])
        self.assertTrue(all(type(v) is str for v in result.best["mapping_id"]))
        self.assertEqual(result.attrs["strategy"], "random")
        self.assertEqual(result.attrs["evaluations"], 3000)
        fig = plot_pareto.plot_pareto(result)
        ax = fig.axes[0]
        self.assertIn("random search", ax.get_title())
        self.assertIn("3,000 evaluations", ax.get_title())
        best_edp = result.best[result.best["metric"] == "edp"].iloc[0]
        texts = "\n".join(figure_texts(fig))
        self.assertIn(f"best EDP: {best_edp['edp']:.4g}", texts)
        # The pareto DataFrame of sieve.search's shape works without the file.
        fig = plot_pareto.plot_pareto(result.pareto, best=result.best)
        self.assertEqual(len(fig.axes), 1)

    def test_front_2d(self):
        import pandas as pd
        frame = pd.DataFrame({"cycles": [1.0, 2.0, 3.0, 2.5], "energy_pj": [5.0, 3.0, 1.0, 4.0]})
        front = plot_pareto.front_2d(frame, "cycles", "energy_pj")
        self.assertEqual(list(front["cycles"]), [1.0, 2.0, 3.0])

    def test_errors(self):
        with open(os.path.join(WORK, "notes.txt"), "w") as f:
            f.write("not a result\n")
        cases = [
            ("fig12.h5", ["fig12.h5", "sweep"]),
            ("notes.txt", ["notes.txt", "not an HDF5 file"]),
            ("missing.h5", ["missing.h5", "no such file"]),
            ("none.h5", ["none.h5", "no valid mapping"]),
        ]
        for name, fragments in cases:
            with self.subTest(name):
                out = os.path.join(WORK, "error.png")
                done = run_script("plot_pareto.py", name, "-o", out)
                self.assert_fails(done, *fragments)
                self.assertFalse(os.path.exists(out))
        done = run_script("plot_pareto.py", "front.h5", "-o", "error.png", "--x", "nosuch")
        self.assert_fails(done, "front.h5", "nosuch")


class SweepTest(unittest.TestCase, ImageChecks):
    def test_plot_written(self):
        runs = [("fig12.h5", []), ("fig12.h5", ["--normalize-to", "ReuseAZ.HierarchicalSkip", "--metric",
                                                "best_energy_pj"]),
                ("fig12.h5", ["--absolute", "--series", "design"]),
                ("mixed.h5", ["--x", "density_Inputs"])]
        for i, (name, extra) in enumerate(runs):
            with self.subTest(extra=extra):
                out = os.path.join(WORK, f"sweep{i}.png")
                done = run_script("plot_sweep.py", name, "-o", out, *extra)
                self.assertEqual(done.returncode, 0, done.stderr)
                self.assert_good_png(out)

    def test_points_frame(self):
        sweep = plot_sweep.load_sweep(os.path.join(WORK, "fig12.h5"))
        self.assertEqual(sweep.axes, ["design", "density_A"])
        self.assertEqual(sweep.numeric_axes, ["density_A"])
        points = sweep.points
        self.assertEqual(len(points), 28)
        for column in ("label", "design", "status", "config_sha256"):
            self.assertTrue(all(type(v) is str for v in points[column]), column)
        self.assertEqual(points["density_A"].dtype.kind, "f")
        self.assertEqual(list(dict.fromkeys(points["design"])), DESIGNS)

    def test_normalized(self):
        path = os.path.join(WORK, "fig12.h5")
        table = plot_sweep.sweep_table(path)
        self.assertEqual(list(table.columns), DESIGNS)
        self.assertEqual(list(table.index), [1e-5, 1e-4, 1e-3, 1e-2, 0.1, 0.25, 0.5])
        self.assertTrue((table[DESIGNS[0]] == 1.0).all())
        raw = plot_sweep.sweep_table(path, absolute=True)
        ratio = raw[DESIGNS[3]] / raw[DESIGNS[0]]
        self.assertTrue(((table[DESIGNS[3]] - ratio).abs() < 1e-12).all())
        # The paper's finding: ReuseAZ.HierarchicalSkip is best when A is hyper-sparse.
        self.assertEqual(table.loc[1e-5].idxmin(), "ReuseAZ.HierarchicalSkip")
        other = plot_sweep.sweep_table(path, normalize_to="ReuseAZ.HierarchicalSkip")
        self.assertTrue((other["ReuseAZ.HierarchicalSkip"] == 1.0).all())
        same = plot_sweep.sweep_table(path, normalize_to="design=ReuseAZ.HierarchicalSkip")
        self.assertTrue(other.equals(same))

        fig = plot_sweep.plot_sweep(path)
        ax = fig.axes[0]
        self.assertEqual(ax.get_xscale(), "log")
        self.assertIn("normalized to", ax.get_ylabel())
        self.assertIn(DESIGNS[0], ax.get_ylabel())
        labels = [t.get_text() for t in ax.get_legend().get_texts()]
        self.assertEqual(labels, [DESIGNS[0] + " (reference)"] + DESIGNS[1:])

    def test_no_valid_points(self):
        path = os.path.join(WORK, "mixed.h5")
        points = plot_sweep.load_points(path)
        self.assertEqual(set(points.loc[points["glb_depth"] == 1, "status"]), {"no valid mapping"})
        table = plot_sweep.sweep_table(points, x="density_Inputs")
        self.assertEqual(list(table.columns), ["glb_depth=16384", "glb_depth=1"])
        self.assertTrue(table["glb_depth=1"].isna().all())
        self.assertTrue((table["glb_depth=16384"] == 1.0).all())
        fig = plot_sweep.plot_sweep(path, x="density_Inputs")
        ax = fig.axes[0]
        for line in ax.get_lines():
            if line.get_label().startswith("glb_depth=1:"):
                self.assertEqual(len(line.get_xdata()), 0)
        notes = [t for t in figure_texts(fig) if "No valid mapping" in t]
        self.assertEqual(len(notes), 1, figure_texts(fig))
        self.assertIn("glb_depth=1 at density_Inputs=0.2, 0.5, 0.8", notes[0].replace("\n", " "))

    def test_errors(self):
        cases = [
            (["front.h5"], ["front.h5", "not a sweep file"]),
            (["notes2.txt"], ["notes2.txt", "not an HDF5 file"]),
            (["fig12.h5", "--x", "nosuch"], ["fig12.h5", "--x nosuch", "design, density_A"]),
            (["fig12.h5", "--x", "design"], ["not a numeric axis"]),
            (["fig12.h5", "--series", "nosuch"], ["--series nosuch"]),
            (["fig12.h5", "--metric", "nosuch"], ["--metric nosuch", "best_edp"]),
            (["fig12.h5", "--normalize-to", "nosuch"], ["--normalize-to nosuch", DESIGNS[0]]),
            (["mixed.h5"], ["mixed.h5", "several numeric axes", "--x"]),
        ]
        with open(os.path.join(WORK, "notes2.txt"), "w") as f:
            f.write("not a sweep\n")
        for args, fragments in cases:
            with self.subTest(args=args):
                out = os.path.join(WORK, "error.png")
                self.assert_fails(run_script("plot_sweep.py", *args, "-o", out), *fragments)
                self.assertFalse(os.path.exists(out))


class NotebookTest(unittest.TestCase):
    MODULE_TAG = "sieve-module"

    def setUp(self):
        path = os.path.join(ARGS.source, "scripts", "analysis.ipynb")
        with open(path) as f:
            self.notebook = json.load(f)

    def test_format(self):
        nb = self.notebook
        self.assertEqual(nb["nbformat"], 4)
        self.assertIsInstance(nb["metadata"], dict)
        for cell in nb["cells"]:
            self.assertIn(cell["cell_type"], ("code", "markdown"))
            self.assertIsInstance(cell["metadata"], dict)
            self.assertTrue(isinstance(cell["source"], (list, str)))
            if cell["cell_type"] == "code":
                self.assertIn("outputs", cell)
                self.assertIn("execution_count", cell)
        first = "".join(self.notebook["cells"][0]["source"])
        self.assertIn('SWEEP = "fig12.h5"', first)
        markdown = "".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")
        self.assertIn("build/sieve sweep configs/paper/fig12-sweep.yaml -o fig12.h5", markdown)
        try:
            import nbformat
        except ImportError:
            return
        nbformat.validate(nbformat.reads(json.dumps(nb), as_version=4))

    def module_importable(self):
        if ARGS.no_module:
            return False
        module_dir = os.path.join(ARGS.build, "python")
        if module_dir not in sys.path:
            sys.path.insert(0, module_dir)
        try:
            import sieve  # noqa: F401
        except ImportError:
            return False
        return True

    def make_root(self):
        """A folder laid out like the repository root, holding the notebook's files."""
        root = tempfile.mkdtemp(prefix="root.", dir=WORK)
        os.symlink(os.path.join(ARGS.source, "scripts"), os.path.join(root, "scripts"))
        os.symlink(os.path.join(ARGS.source, "configs"), os.path.join(root, "configs"))
        os.symlink(ARGS.build, os.path.join(root, "build"))
        for name in ("fig12.h5", "front.h5"):
            shutil.copy(os.path.join(WORK, name), os.path.join(root, name))
        return root

    def test_runs(self):
        with_module = self.module_importable()
        cells = [c for c in self.notebook["cells"] if c["cell_type"] == "code"
                 and (with_module or self.MODULE_TAG not in c["metadata"].get("tags", []))]
        self.assertGreater(len(cells), 3)
        root = self.make_root()
        try:
            import nbconvert  # noqa: F401
            from nbconvert.preprocessors import ExecutePreprocessor
            import nbformat
        except ImportError:
            ExecutePreprocessor = None
        if ExecutePreprocessor is not None:
            nb = nbformat.reads(json.dumps(self.notebook), as_version=4)
            nb.cells = [c for c in nb.cells if c.cell_type != "code"
                        or with_module or self.MODULE_TAG not in c.metadata.get("tags", [])]
            ExecutePreprocessor(timeout=300).preprocess(nb, {"metadata": {"path": root}})
            return
        namespace = {"__name__": "__main__"}
        before = os.getcwd()
        os.environ.setdefault("MPLBACKEND", "Agg")
        try:
            os.chdir(root)
            for i, cell in enumerate(cells):
                source = "".join(cell["source"])
                with contextlib.redirect_stdout(io.StringIO()):
                    exec(compile(source, f"analysis.ipynb code cell {i}", "exec"), namespace)
        finally:
            os.chdir(before)
        points = namespace["points"]
        self.assertTrue(all(type(v) is str for v in points["design"]))
        self.assertEqual(list(namespace["normalized"].columns), DESIGNS)
        if with_module:
            front = namespace["front"]
            self.assertGreater(len(front), 0)
            self.assertEqual(namespace["run"]["evaluations"], 2000)
        else:
            print("analysis.ipynb: the sieve module is not importable; its cells were left out")


def main():
    global ARGS
    sys.dont_write_bytecode = True  # no __pycache__ in the source tree's scripts/
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("sieve")
    parser.add_argument("source")
    parser.add_argument("--build", default=None, help="build folder (default: the sieve binary's)")
    parser.add_argument("--no-module", action="store_true", help="leave out the sieve-module cells")
    ARGS, rest = parser.parse_known_args()
    ARGS.sieve = os.path.realpath(ARGS.sieve)
    ARGS.source = os.path.realpath(ARGS.source)
    ARGS.build = os.path.realpath(ARGS.build or os.path.dirname(ARGS.sieve))
    try:
        import h5py  # noqa: F401
        import matplotlib
        import pandas  # noqa: F401
    except ImportError as err:
        print(f"skipped: {err} (install python3-h5py, python3-pandas, python3-matplotlib)")
        return SKIP
    matplotlib.use("Agg")
    program = unittest.main(argv=[sys.argv[0], *rest], exit=False, verbosity=2)
    return 0 if program.result.wasSuccessful() else 1


if __name__ == "__main__":
    sys.exit(main())
