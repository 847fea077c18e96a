"""Checks of the Python module `sieve` against the `sieve` command line.

  - load() reads configs/default and exposes its names and bounds;
  - evaluate() gives the energy, cycles and per-level energies that
    `sieve model` writes to sieve.stats.json for the same files, also with the
    mapping given as mapping_files;
  - a bad file raises sieve.SpecError (a ValueError) naming the file;
  - search() with max_evaluations 500 and seed 1 returns the front and bests
    that `sieve search ... --max-evaluations 500 --seed 1 --threads 1` writes
    to HDF5 (read with h5py), with the same columns;
  - bad search arguments raise ValueError.

Run with the Debian interpreter (its pandas and h5py):
    /usr/bin/python3 tests/python_api/test_api.py [--build DIR]
DIR (default: $SIEVE_BUILD_DIR, else build/ beside this repository's tests/)
holds the `sieve` binary and python/, the module. Exits 77 (skipped) when the
module was not built (or with --no-module, which CMake passes when it does not
build it), 0 when every check passes, 1 otherwise.
"""

import argparse
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile
import unittest
import warnings

SOURCE = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CFG = os.path.join(SOURCE, "configs", "default")
MODEL_FILES = [os.path.join(CFG, f) for f in ("design.yaml", "sparse.yaml", "map.yaml", "ERT.yaml", "ART.yaml")]
SEARCH_FILES = [os.path.join(CFG, f) for f in ("design.yaml", "sparse.yaml", "constraints.yaml", "ERT.yaml", "ART.yaml")]
SKIP = 77

sieve = None  # the module, imported in main()
SIEVE_BIN = None


def run_cli(*args):
    done = subprocess.run([SIEVE_BIN, *args], capture_output=True, text=True)
    if done.returncode != 0:
        raise AssertionError(f"sieve {' '.join(args)} exited {done.returncode}:\n{done.stderr}")
    return done


class Workdir(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="sieve_python_api.")

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)


class LoadTest(Workdir):
    def test_properties(self):
        self.assertEqual(sieve.__version__, run_cli("--version").stdout.split()[-1])
        spec = sieve.load(MODEL_FILES)
        self.assertEqual(spec.level_names[0], "DRAM")
        self.assertIn("shared_glb", spec.level_names)
        self.assertEqual(spec.compute_name, "mac")
        self.assertEqual(spec.dimensions, ["C", "M", "R", "S", "N", "P", "Q"])
        self.assertEqual(spec.bounds, {"C": 64, "M": 64, "R": 3, "S": 3, "N": 1, "P": 28, "Q": 28})
        self.assertEqual(sorted(spec.data_spaces), ["Inputs", "Outputs", "Weights"])
        self.assertTrue(spec.has_mapping)
        self.assertIsInstance(spec.warnings, list)
        self.assertEqual(spec.files, MODEL_FILES)
        for name in spec.level_names + spec.dimensions + spec.data_spaces + spec.files:
            self.assertIs(type(name), str)
        self.assertFalse(sieve.load(SEARCH_FILES).has_mapping)
        # One path and os.PathLike are accepted too.
        import pathlib
        self.assertEqual(sieve.load(pathlib.Path(CFG, "design.yaml")).dimensions, spec.dimensions)

    def test_bad_file_raises_spec_error(self):
        bad = os.path.join(self.tmp, "broken_design.yaml")
        with open(os.path.join(CFG, "design.yaml")) as f:
            text = f.read()
        self.assertIn("dimensions:", text)
        with open(bad, "w") as f:
            f.write(text.replace("dimensions:", "dimensons:", 1))
        with self.assertRaises(sieve.SpecError) as caught:
            sieve.load([bad, os.path.join(CFG, "map.yaml")])
        message = str(caught.exception)
        self.assertIn("broken_design.yaml:", message)
        self.assertIn("problem.shape", message)
        self.assertIn("dimensions", message)
        self.assertTrue(issubclass(sieve.SpecError, ValueError))
        missing = os.path.join(self.tmp, "no_such_file.yaml")
        with self.assertRaises(sieve.SpecError) as caught:
            sieve.load([missing])
        self.assertIn("no_such_file.yaml", str(caught.exception))
        with self.assertRaises(ValueError):
            sieve.load(MODEL_FILES, halo_rule="1999")


class EvaluateTest(Workdir):
    def cli_stats(self, files):
        out = os.path.join(self.tmp, "model-out")
        run_cli("model", *files, "-o", out, "-q")
        with open(os.path.join(out, "sieve.stats.json")) as f:
            return json.load(f)

    def test_matches_sieve_model(self):
        got = sieve.evaluate(sieve.load(MODEL_FILES))
        want = self.cli_stats(MODEL_FILES)
        self.assertTrue(want["valid"])
        self.assertIs(got["valid"], True)
        self.assertEqual(got["status"], "valid")
        self.assertEqual(got["invalid_reason"], "")
        self.assertEqual(got["cycles"], want["cycles"])
        self.assertIsInstance(got["cycles"], int)
        for key in ("energy_pj", "edp", "utilization", "area_um2"):
            self.assertTrue(math.isclose(got[key], want[key], rel_tol=1e-12), (key, got[key], want[key]))
        self.assertEqual(got["computes"], want["computes"]["actual"])
        self.assertEqual(got["computes_gated"], want["computes"]["gated"])
        self.assertEqual(got["computes_skipped"], want["computes"]["skipped"])
        self.assertEqual(got["computes_algorithmic"], want["computes"]["algorithmic"])
        levels = {level["name"]: level for level in want["levels"]}
        levels[want["compute"]["name"]] = want["compute"]
        energy_keys = [k for k in got if k.startswith("energy_pj_")]
        self.assertEqual(sorted(energy_keys), sorted("energy_pj_" + n for n in levels))
        for name, level in levels.items():
            self.assertTrue(math.isclose(got["energy_pj_" + name], level["energy_pj"], rel_tol=1e-12), name)
        for name, level in levels.items():
            if name == want["compute"]["name"]:
                continue
            self.assertEqual(got["cycles_" + name], level["cycles"], name)
            self.assertTrue(math.isclose(got["scalar_accesses_" + name], level["scalar_accesses"], rel_tol=1e-12))
        self.assertIs(type(got["mapping"]), str)
        self.assertTrue(got["mapping"].startswith("mapping:"))
        # Flat: one DataFrame row.
        import pandas
        frame = pandas.DataFrame([got])
        self.assertEqual(len(frame), 1)
        self.assertEqual(list(frame.columns), list(got))

    def test_mapping_files(self):
        without = sieve.load(SEARCH_FILES)
        with self.assertRaises(sieve.SpecError) as caught:
            sieve.evaluate(without)
        self.assertIn("mapping", str(caught.exception))
        mapped = sieve.evaluate(without, [os.path.join(CFG, "map.yaml")])
        self.assertEqual(mapped["cycles"], self.cli_stats(SEARCH_FILES + [os.path.join(CFG, "map.yaml")])["cycles"])
        # The mapping text evaluate() returns reads back to the same figures.
        again = os.path.join(self.tmp, "again.map.yaml")
        with open(again, "w") as f:
            f.write(mapped["mapping"])
        reread = sieve.evaluate(without, [again])
        self.assertEqual(reread["cycles"], mapped["cycles"])
        self.assertEqual(reread["energy_pj"], mapped["energy_pj"])
        with self.assertRaises(sieve.SpecError) as caught:
            sieve.evaluate(without, [os.path.join(self.tmp, "absent.map.yaml")])
        self.assertIn("absent.map.yaml", str(caught.exception))

    def test_invalid_mapping_is_a_result(self):
        # Every loop at DRAM: the spatial levels hold nothing, the scratchpads
        # get the whole tensors, which cannot fit.
        path = os.path.join(self.tmp, "too_big.map.yaml")
        spec = sieve.load(SEARCH_FILES)
        with open(path, "w") as f:
            f.write("mapping:\n  - target: psum_spad\n    type: temporal\n"
                    "    factors: C=64 M=64 R=3 S=3 N=1 P=28 Q=28\n")
        got = sieve.evaluate(spec, [path])
        self.assertIs(got["valid"], False)
        self.assertNotEqual(got["status"], "valid")
        self.assertNotEqual(got["invalid_reason"], "")
        self.assertTrue(math.isnan(got["energy_pj"]))


class SearchTest(Workdir):
    @classmethod
    def setUpClass(cls):
        cls.spec = sieve.load(SEARCH_FILES)
        cls.result = sieve.search(cls.spec, max_evaluations=500, seed=1)

    def cli_tables(self):
        import h5py
        out = os.path.join(self.tmp, "cli.h5")
        run_cli("search", *SEARCH_FILES, "--max-evaluations", "500", "--seed", "1", "--threads", "1",
                "-o", out, "--quiet")
        with h5py.File(out, "r") as f:
            pareto, best = f["pareto"][:], f["best"][:]
            attrs = dict(f.attrs)
        return pareto, best, attrs

    @staticmethod
    def text(value):
        return value.decode() if isinstance(value, bytes) else str(value)

    def compare(self, frame, table):
        self.assertEqual(list(frame.columns), list(table.dtype.names))
        self.assertEqual(len(frame), len(table))
        for row, want in zip(frame.to_dict("records"), table):
            for name in table.dtype.names:
                got, expected = row[name], want[name]
                if table.dtype[name].kind in "OS":
                    self.assertEqual(got, self.text(expected), name)
                elif table.dtype[name].kind == "f":
                    self.assertTrue(got == expected or (math.isnan(got) and math.isnan(expected)), name)
                else:
                    self.assertEqual(int(got), int(expected), name)

    def test_same_front_as_cli(self):
        pareto, best, attrs = self.cli_tables()
        got = self.result
        self.assertGreater(len(got["pareto"]), 0)
        self.assertEqual(got["evaluations"], int(attrs["evaluations"]))
        self.assertEqual(got["valid"], int(attrs["valid"]))
        self.assertEqual(got["stop_reason"], self.text(attrs["stop_reason"]))
        self.assertEqual(got["mapspace_size"], self.text(attrs["mapspace_size"]))
        self.compare(got["pareto"], pareto)
        self.compare(got["best"], best)

    def test_types(self):
        got = self.result
        self.assertEqual(got["stop_reason"], "evaluation budget")
        self.assertEqual(got["evaluations"], 500)
        self.assertIs(got["optimal"], False)
        self.assertEqual(set(got["invalid"]), {"capacity", "fanout", "constraint", "other"})
        pareto, best = got["pareto"], got["best"]
        self.assertEqual(list(best["metric"]), ["energy", "cycles", "edp"])
        for value in list(pareto["mapping_id"]) + list(pareto["mapping"]) + list(best["metric"]):
            self.assertIs(type(value), str)
        self.assertEqual(str(pareto["eval_index"].dtype), "uint64")
        # A front row's mapping evaluates to its figures.
        path = os.path.join(self.tmp, "front.map.yaml")
        with open(path, "w") as f:
            f.write(pareto["mapping"].iloc[0])
        again = sieve.evaluate(self.spec, [path])
        self.assertEqual(again["energy_pj"], pareto["energy_pj"].iloc[0])
        self.assertEqual(again["cycles"], pareto["cycles"].iloc[0])

    def test_threads_do_not_change_the_front(self):
        two = sieve.search(self.spec, max_evaluations=500, seed=1, threads=2)
        self.assertEqual(list(two["pareto"]["mapping_id"]), list(self.result["pareto"]["mapping_id"]))

    def test_bad_arguments(self):
        with self.assertRaises(ValueError):
            sieve.search(self.spec, strategy="greedy")
        with self.assertRaises(ValueError):
            sieve.search(self.spec, max_evaluations=0)  # random search without a stop rule
        with self.assertRaises(ValueError):
            sieve.search(self.spec, seed=-1)
        with self.assertRaises(ValueError):
            sieve.search(self.spec, time_limit_s=float("nan"))
        with self.assertRaises(ValueError):
            sieve.search(self.spec, threads=-2)
        with self.assertRaises(ValueError):
            sieve.search(self.spec, objectives=("energy", "speed"))
        one = sieve.search(self.spec, max_evaluations=50, objectives="edp")
        self.assertEqual(len(one["pareto"]), 1)


def main():
    global sieve, SIEVE_BIN
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", default=os.environ.get("SIEVE_BUILD_DIR", os.path.join(SOURCE, "build")))
    parser.add_argument("--no-module", action="store_true", help="the build has no module: skip")
    parser.add_argument("unittest_args", nargs="*")
    args = parser.parse_args()
    if args.no_module:
        print("SKIP: this build does not build the sieve Python module")
        return SKIP
    build = os.path.abspath(args.build)
    module_dir = os.path.join(build, "python")
    sys.path.insert(0, module_dir)
    try:
        import sieve as module
    except ImportError as e:
        print(f"SKIP: the sieve Python module is not built in {module_dir} ({e})")
        return SKIP
    sieve = module
    SIEVE_BIN = os.path.join(build, "sieve")
    warnings.simplefilter("error")  # a warning from the module on these inputs is a failure
    program = unittest.main(argv=[sys.argv[0], *args.unittest_args], exit=False, verbosity=2)
    return 0 if program.result.wasSuccessful() else 1


if __name__ == "__main__":
    sys.exit(main())
