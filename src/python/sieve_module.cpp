// The Python module `sieve` (README "Python API"): load a spec, evaluate
// its mapping, search its mapspace. A thin layer over the C++ API: LoadSpec
// and BuildDesign, Evaluate, RunSearch with MakeSnapshot for the result
// rows, so its numbers are those of `sieve model` and `sieve search`.
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <future>
#include <limits>
#include <memory>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "search/driver.hpp"
#include "search/mapspace.hpp"
#include "search/pareto_archive.hpp"
#include "search/result_rows.hpp"
#include "search/strategy.hpp"
#include "sieve/design.hpp"
#include "sieve/evaluator.hpp"
#include "sieve/report/map_yaml.hpp"
#include "sieve/report/stats.hpp"
#include "sieve/spec/energy_library.hpp"
#include "sieve/spec/error.hpp"
#include "sieve/spec/load.hpp"

namespace py = pybind11;

namespace sieve::python {
namespace {

// What `sieve.load` returns: the spec and the design built from it, never
// changed afterwards (so searches on other Python threads may share it).
struct LoadedSpec {
  spec::Spec spec;
  Design design;
};

// The thread counts the driver accepts: more is a typo, and oneTBB aborts
// on absurd counts (the command line refuses the same).
constexpr int kMaxThreads = 4096;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// A str, bytes or os.PathLike as a file name.
std::string PathText(py::handle h) {
  return py::module_::import("os").attr("fsdecode")(h).cast<std::string>();
}

// One path or a sequence of them; a lone str is one file, not its letters.
std::vector<std::string> PathList(py::handle files, const char* argument) {
  const py::module_ os = py::module_::import("os");
  if (py::isinstance<py::str>(files) || py::isinstance<py::bytes>(files) ||
      py::isinstance(files, os.attr("PathLike"))) {
    return {PathText(files)};
  }
  if (!py::isinstance<py::iterable>(files)) {
    throw py::type_error(std::string(argument) + ": expected a list of file names, got " +
                         py::str(py::type::of(files)).cast<std::string>());
  }
  std::vector<std::string> out;
  for (py::handle f : files) out.push_back(PathText(f));
  if (out.empty()) throw py::value_error(std::string(argument) + ": no files given");
  return out;
}

std::shared_ptr<LoadedSpec> Load(py::handle files, const py::object& energy_table,
                                 const std::string& halo_rule) {
  const std::vector<std::string> paths = PathList(files, "files");
  if (halo_rule != "2025" && halo_rule != "pre2025") {
    throw py::value_error("halo_rule: expected '2025' or 'pre2025', got '" + halo_rule + "'");
  }
  // As the command line: an explicit table, else $SIEVE_ENERGY_TABLE, else
  // the built-in table; so load() gives the numbers `sieve model` prints.
  std::string table = energy_table.is_none() ? "" : PathText(energy_table);
  if (table.empty()) {
    if (const char* env = std::getenv("SIEVE_ENERGY_TABLE")) table = env;
  }
  // Reading YAML and actual-data tensors may take a while: let other
  // Python threads run.
  py::gil_scoped_release release;
  DesignOptions options;
  options.halo_rule = halo_rule == "pre2025" ? dense::HaloRule::kPre2025 : dense::HaloRule::k2025;
  if (!table.empty()) {
    options.energy_library =
        std::make_shared<const spec::EnergyLibrary>(spec::LoadEnergyLibraryOverride(table));
  }
  spec::Spec spec = spec::LoadSpec(paths);
  Design design = BuildDesign(spec, options);
  return std::make_shared<LoadedSpec>(LoadedSpec{std::move(spec), std::move(design)});
}

spec::InputFile ReadInputFile(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {
    throw spec::SpecError(spec::SourceLoc{path, 0, ""}, "no such mapping file");
  }
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  if (!in) throw spec::SpecError(spec::SourceLoc{path, 0, ""}, "cannot read file");
  return spec::InputFile{path, text.str()};
}

std::string InputNames(const std::vector<spec::InputFile>& files) {
  std::string out;
  for (const spec::InputFile& f : files) out += (out.empty() ? "" : ", ") + f.path;
  return out;
}

// Names of the storage levels that have a row in the reports (fan-out-only
// levels have none): their indices, outermost first.
std::vector<int> ReportedLevels(const spec::Arch& arch) {
  std::vector<int> out;
  for (int l = static_cast<int>(arch.levels.size()) - 1; l >= 0; --l)
    if (!arch.levels[l].is_dummy) out.push_back(l);
  return out;
}

py::dict ResultDict(const spec::Spec& spec, const Result& r, const spec::Mapping& mapping) {
  const bool valid = r.valid();
  // NaN rather than None for what an invalid mapping leaves undefined, so a
  // DataFrame of many results keeps float columns.
  auto if_valid = [valid](double v) { return valid ? v : kNaN; };
  py::dict d;
  d["valid"] = valid;
  d["status"] = StatusName(r.status.code);
  d["invalid_reason"] = report::InvalidReason(spec, r);
  d["energy_pj"] = if_valid(r.energy_pj);
  if (valid) {
    d["cycles"] = r.cycles;
  } else {
    d["cycles"] = kNaN;
  }
  d["edp"] = if_valid(r.edp);
  d["utilization"] = if_valid(r.utilization);
  d["area_um2"] = r.area_um2;
  d["computes"] = r.compute.actual;
  d["computes_gated"] = r.compute.gated;
  d["computes_skipped"] = r.compute.skipped;
  d["computes_algorithmic"] = spec.workload.AlgorithmicComputes();
  d["last_level_accesses"] = if_valid(r.num_levels > 0 ? r.levels[r.num_levels - 1].scalar_accesses : 0.0);
  const std::vector<int> levels = ReportedLevels(spec.arch);
  for (int l : levels) d[py::str("energy_pj_" + spec.arch.levels[l].name)] = if_valid(r.levels[l].energy_pj);
  d[py::str("energy_pj_" + spec.arch.compute.name)] = if_valid(r.compute.energy_pj);
  for (int l : levels) {
    const std::string& name = spec.arch.levels[l].name;
    const LevelResult& lr = r.levels[l];
    d[py::str("leakage_pj_" + name)] = if_valid(lr.leakage_pj);
    d[py::str("scalar_accesses_" + name)] = if_valid(lr.scalar_accesses);
    d[py::str("capacity_utilization_" + name)] = if_valid(lr.capacity_utilization);
    d[py::str("cycles_" + name)] = valid ? py::object(py::int_(lr.cycles)) : py::object(py::float_(kNaN));
    d[py::str("area_um2_" + name)] = lr.area_um2;
  }
  d[py::str("area_um2_" + spec.arch.compute.name)] = r.compute.area_um2;
  d["mapping"] = report::MappingYaml(spec.workload, spec.arch, mapping);
  return d;
}

py::dict EvaluateMapping(const LoadedSpec& loaded, const py::object& mapping_files) {
  // With map.yaml files, the spec is read again from its saved texts with
  // them after (a later `mapping` replaces an earlier one, as on the
  // command line); the design stays the one load() built.
  std::optional<spec::Spec> reloaded;
  if (!mapping_files.is_none()) {
    std::vector<spec::InputFile> inputs = loaded.spec.inputs;
    for (const std::string& path : PathList(mapping_files, "mapping_files"))
      inputs.push_back(ReadInputFile(path));
    {
      py::gil_scoped_release release;
      reloaded = spec::LoadSpecFromTexts(inputs);
    }
    // The new files' own warnings (unknown keys, ...): load() reported the rest.
    const std::set<std::string> known(loaded.spec.warnings.begin(), loaded.spec.warnings.end());
    for (const std::string& w : reloaded->warnings) {
      if (!known.count(w) && PyErr_WarnEx(PyExc_UserWarning, w.c_str(), 1) != 0)
        throw py::error_already_set();
    }
  }
  const spec::Spec& spec = reloaded ? *reloaded : loaded.spec;
  if (!spec.mapping) {
    throw spec::SpecError(spec::SourceLoc{InputNames(spec.inputs), 0, "mapping"},
                          "no mapping in the inputs (none of the files has a non-empty `mapping` "
                          "section): give mapping_files=[map.yaml]");
  }
  Result result;
  {
    py::gil_scoped_release release;
    Evaluate(loaded.design, *spec.mapping, *std::make_unique<Scratch>(), result);
  }
  return ResultDict(spec, result, *spec.mapping);
}

// A Python int (or anything with __index__) in 0..2^64-1.
uint64_t Unsigned(py::handle h, const char* argument) {
  const std::string range = std::string(argument) + ": expected a whole number 0 to 2^64-1";
  if (PyFloat_Check(h.ptr()) || PyBool_Check(h.ptr())) throw py::type_error(range);
  PyObject* index = PyNumber_Index(h.ptr());
  if (index == nullptr) {
    PyErr_Clear();
    throw py::type_error(range);
  }
  const unsigned long long value = PyLong_AsUnsignedLongLong(index);
  Py_DECREF(index);
  if (PyErr_Occurred()) {
    PyErr_Clear();
    throw py::value_error(range + ", got " + py::repr(h).cast<std::string>());
  }
  return value;
}

std::vector<search::Objective> Objectives(py::handle objectives) {
  std::vector<std::string> names;
  if (py::isinstance<py::str>(objectives)) {
    std::stringstream list(objectives.cast<std::string>());
    for (std::string name; std::getline(list, name, ',');) names.push_back(name);
  } else {
    for (py::handle o : objectives) names.push_back(py::str(o).cast<std::string>());
  }
  std::string list;
  for (const std::string& name : names) list += (list.empty() ? "" : ",") + name;
  try {
    return search::ParseObjectiveList(list, "objectives");
  } catch (const spec::SpecError& e) {
    throw py::value_error(e.what());
  }
}

// Rows as a DataFrame with the columns, in order, of the HDF5 /pareto or
// /best table (search/results_writer.hpp). Typed columns, so an empty
// front has the same dtypes as a full one.
py::object RowsFrame(const std::vector<search::ResultRow>& rows,
                     const std::vector<std::string>& energy_columns, bool with_metric) {
  const py::module_ pd = py::module_::import("pandas");
  py::dict columns;
  auto column = [&](const char* name, const char* dtype, auto value) {
    py::list values;
    for (const search::ResultRow& row : rows) values.append(value(row));
    columns[name] = pd.attr("Series")(values, py::arg("dtype") = dtype);
  };
  using Row = search::ResultRow;
  if (with_metric) column("metric", "object", [](const Row& r) { return py::str(r.metric); });
  column("mapping_id", "object", [](const Row& r) { return py::str(r.mapping_id); });
  column("eval_index", "uint64", [](const Row& r) { return r.eval_index; });
  column("valid", "bool", [](const Row& r) { return r.valid; });
  column("energy_pj", "float64", [](const Row& r) { return r.energy_pj; });
  column("cycles", "float64", [](const Row& r) { return r.cycles; });
  column("edp", "float64", [](const Row& r) { return r.edp; });
  column("area_um2", "float64", [](const Row& r) { return r.area_um2; });
  column("utilization", "float64", [](const Row& r) { return r.utilization; });
  column("last_level_accesses", "float64", [](const Row& r) { return r.last_level_accesses; });
  for (size_t i = 0; i < energy_columns.size(); ++i) {
    const std::string name = "energy_pj_" + energy_columns[i];
    column(name.c_str(), "float64",
           [i](const Row& r) { return i < r.level_energy_pj.size() ? r.level_energy_pj[i] : kNaN; });
  }
  column("mapping", "object", [](const Row& r) { return py::str(r.mapping_yaml); });
  return pd.attr("DataFrame")(columns);
}

// Runs the search on another thread while this one, without the GIL,
// waits; every 100 ms it takes the GIL to let Python run its signal
// handlers, so Ctrl-C (or a notebook's interrupt) stops the search as
// SIGINT stops `sieve search`: the results so far are returned with
// stop_reason "interrupted". Any other exception a handler raises is
// re-raised once the search has stopped.
search::SearchState RunInterruptible(const Design& design, const search::Mapspace& space,
                                     search::SearchOptions options, search::SearchState state) {
  std::atomic<bool> stop{false};
  options.stop_requested = &stop;
  std::optional<py::error_already_set> raised;
  search::SearchState out;
  {
    py::gil_scoped_release release;
    std::future<search::SearchState> run = std::async(
        std::launch::async, [&] { return search::RunSearch(design, space, options, std::move(state)); });
    while (run.wait_for(std::chrono::milliseconds(100)) != std::future_status::ready) {
      if (stop.load()) continue;
      py::gil_scoped_acquire acquire;
      if (PyErr_CheckSignals() == 0) continue;
      stop.store(true);
      if (PyErr_ExceptionMatches(PyExc_KeyboardInterrupt)) {
        PyErr_Clear();
      } else {
        raised.emplace();
      }
    }
    out = run.get();
  }
  if (raised) throw *raised;
  return out;
}

py::dict Search(const LoadedSpec& loaded, const std::string& strategy, const py::object& max_evaluations,
                double time_limit_s, int threads, const py::object& seed, const py::object& objectives,
                const py::object& victory) {
  search::SearchOptions so;
  if (!search::StrategyTable().count(strategy)) {
    std::string names;
    for (const auto& entry : search::StrategyTable()) names += (names.empty() ? "" : ", ") + entry.first;
    throw py::value_error("strategy: unknown strategy '" + strategy + "' (valid: " + names + ")");
  }
  so.strategy = strategy;
  so.max_evaluations = Unsigned(max_evaluations, "max_evaluations");
  if (!std::isfinite(time_limit_s) || time_limit_s < 0) {
    throw py::value_error("time_limit_s: expected a finite number of seconds >= 0");
  }
  so.time_limit_s = time_limit_s;
  if (threads < 0 || threads > kMaxThreads) {
    throw py::value_error("threads: expected 0 (all cores) to " + std::to_string(kMaxThreads));
  }
  so.threads = threads;
  so.strategy_options.seed = Unsigned(seed, "seed");
  so.objectives = Objectives(objectives);
  so.victory = Unsigned(victory, "victory");
  // Random, hybrid and local searches never run out of mappings.
  if (strategy != "exhaustive" && strategy != "optimal" && so.max_evaluations == 0 && so.time_limit_s == 0 &&
      so.victory == 0) {
    throw py::value_error("a " + strategy +
                          " search needs a stop rule: give max_evaluations, time_limit_s or victory");
  }

  std::unique_ptr<search::Mapspace> space;
  {
    py::gil_scoped_release release;
    space = std::make_unique<search::Mapspace>(loaded.spec);
  }
  search::SearchState state;
  state.front = search::ParetoArchive(static_cast<int>(so.objectives.size()));
  state = RunInterruptible(loaded.design, *space, so, std::move(state));
  search::Snapshot snapshot;
  {
    py::gil_scoped_release release;
    snapshot = search::MakeSnapshot(loaded.spec, loaded.design, *space, state);
  }

  const std::vector<std::string> energy_columns = search::EnergyColumns(loaded.spec.arch);
  py::dict out;
  out["pareto"] = RowsFrame(snapshot.pareto, energy_columns, false);
  out["best"] = RowsFrame(snapshot.best, energy_columns, true);
  out["evaluations"] = snapshot.evaluations;
  out["valid"] = snapshot.valid;
  py::dict invalid;
  for (const auto& [reason, count] : snapshot.invalid_by_reason) invalid[py::str(reason)] = count;
  out["invalid"] = invalid;
  out["stop_reason"] = snapshot.stop_reason;
  out["optimal"] = snapshot.optimal;
  out["mapspace_size"] = space->SizeText();
  out["elapsed_s"] = state.elapsed_s;
  out["notes"] = state.notes;
  return out;
}

py::list LevelNames(const LoadedSpec& s) {
  py::list out;
  for (auto l = s.spec.arch.levels.rbegin(); l != s.spec.arch.levels.rend(); ++l) out.append(l->name);
  return out;
}

py::dict Bounds(const LoadedSpec& s) {
  py::dict out;
  for (size_t d = 0; d < s.spec.workload.dim_names.size(); ++d)
    out[py::str(s.spec.workload.dim_names[d])] = s.spec.workload.bounds[d];
  return out;
}

std::string Repr(const LoadedSpec& s) {
  std::ostringstream out;
  out << "<sieve.Spec " << s.spec.workload.dim_names.size() << " dimensions, " << s.spec.arch.levels.size()
      << " storage levels, " << s.spec.workload.data_spaces.size() << " data spaces, "
      << (s.spec.mapping ? "with" : "without") << " mapping: " << InputNames(s.spec.inputs) << ">";
  return out.str();
}

constexpr const char* kModuleDoc =
    R"(sieve: analytical model and mapspace search for sparse tensor accelerators.

    spec = sieve.load(["design.yaml", "sparse.yaml", "map.yaml", "ERT.yaml", "ART.yaml"])
    sieve.evaluate(spec)             # dict of one mapping's figures (as `sieve model`)
    sieve.search(spec, max_evaluations=10000)  # dict with `pareto` and `best` DataFrames

load(files) reads Timeloop-format YAML (the inputs of the `sieve` command) and
builds the design; bad input raises SpecError (a ValueError) whose message reads
"FILE:LINE: KEY.PATH: message". evaluate(spec[, mapping_files]) evaluates the
spec's mapping or the one in the map.yaml files given. search(spec, ...) runs a
mapspace search; its rows have the fields of the /pareto and /best tables that
`sieve search` writes to HDF5. Long calls release the GIL; Ctrl-C stops a search
early and returns the results so far.)";

constexpr const char* kLoadDoc = R"(load(files, *, energy_table=None, halo_rule="2025") -> Spec

Read Timeloop-format YAML input files (or v0.4 design directories), merged in
the order given, as `sieve model FILES...` does, and build the design.

files: a list of paths (str or os.PathLike); one path is also accepted.
energy_table: a file in the configs/energy/energy_table.yaml layout merged over
    the built-in table (as --energy-table); None = $SIEVE_ENERGY_TABLE, else the
    built-in table.
halo_rule: "2025" (default) or "pre2025" (as --halo-rule).

Raises SpecError (a ValueError) on bad input; its message names the file, line
and key. Warnings (unknown keys, ...) are in Spec.warnings.)";

constexpr const char* kEvaluateDoc = R"(evaluate(spec, mapping_files=None) -> dict

Evaluate the spec's mapping, or, with mapping_files (map.yaml paths), the mapping
they hold (they are merged after the spec's own files, as on the command line).
Numbers are those `sieve model` writes to sieve.stats.json.

Returns a flat dict (pandas.DataFrame([d]) is one row):
  valid (bool), status ("valid", "capacity", "fanout", ...), invalid_reason
  (text, "" when valid), energy_pj, cycles (int), edp (J x cycles), utilization,
  area_um2, computes (actual), computes_gated, computes_skipped,
  computes_algorithmic, last_level_accesses (scalar accesses of the outermost
  level), energy_pj_<level> per storage level (outermost first, fan-out-only
  levels left out) and the compute, then per storage level leakage_pj_<level>,
  scalar_accesses_<level>, capacity_utilization_<level>, cycles_<level>,
  area_um2_<level>, then area_um2_<compute>, and mapping (map.yaml text).
What an invalid mapping leaves undefined (energies, cycles, ...) is NaN.

Raises SpecError when there is no mapping or a mapping file is bad.)";

constexpr const char* kSearchDoc =
    R"(search(spec, strategy="random", max_evaluations=10000, time_limit_s=0, threads=0, seed=1, objectives=("energy", "cycles"), *, victory=0) -> dict

Search the spec's mapspace (its constraints apply; its mapping and its `mapper`
block do not), as `sieve search` does with the same options: a given seed and
evaluation budget give the same front as
`sieve search FILES --seed S --max-evaluations N` on any thread count.

strategy: "random", "exhaustive", "hybrid", "local" or "optimal".
max_evaluations, time_limit_s, victory: stop rules (0 = none), the first one met
    ends the search; victory stops after that many consecutive valid evaluations
    that leave the front unchanged. random, hybrid and local need at least one.
    For a search bounded by time alone, give max_evaluations=0.
threads: worker threads, 0 = all cores.
objectives: 1 to 5 of "energy", "cycles" (or "delay"), "edp", "area",
    "last_level_accesses", as a sequence or a comma-separated str.

Returns a dict:
  pareto: pandas.DataFrame, one row per non-dominated mapping, sorted by the
      first objective; columns as the HDF5 /pareto table: mapping_id (str),
      eval_index, valid, energy_pj, cycles, edp, area_um2, utilization,
      last_level_accesses, energy_pj_<level>... (outermost first, then the
      compute), mapping (map.yaml text, which evaluate(spec, [file]) reads back);
  best: the same columns after a `metric` column, one row each for "energy",
      "cycles", "edp";
  evaluations, valid (counts), invalid (count by reason), stop_reason
  ("evaluation budget", "time limit", "victory condition", "mapspace
  exhausted", "interrupted"), optimal (True when an optimal search finished:
  the front is exact), mapspace_size (str), elapsed_s, notes (list of str).

The GIL is released while the search runs. Ctrl-C stops it; the results so far
are returned, with stop_reason "interrupted".)";

}  // namespace
}  // namespace sieve::python

PYBIND11_MODULE(sieve, m) {
  using namespace sieve::python;
  namespace spec = sieve::spec;
  m.doc() = kModuleDoc;
  m.attr("__version__") = SIEVE_VERSION;
  // The docstrings start with the signatures, written for Python readers
  // (pybind11's would show the file lists and options as `object`).
  py::options options;
  options.disable_function_signatures();
  py::register_exception<spec::SpecError>(m, "SpecError", PyExc_ValueError).doc() =
      "Bad input: the message reads 'FILE:LINE: KEY.PATH: message'.";

  py::class_<LoadedSpec, std::shared_ptr<LoadedSpec>>(
      m, "Spec", "A loaded input set and the design built from it (see load()); read-only.")
      .def_property_readonly("level_names", &LevelNames,
                             "Storage level names, outermost first (fan-out-only levels included; the "
                             "compute level is not a storage level).")
      .def_property_readonly(
          "compute_name", [](const LoadedSpec& s) { return s.spec.arch.compute.name; },
          "Name of the compute (arithmetic) level.")
      .def_property_readonly(
          "dimensions", [](const LoadedSpec& s) { return s.spec.workload.dim_names; },
          "Problem dimension names, in problem order.")
      .def_property_readonly("bounds", &Bounds, "Problem bounds: {dimension: bound}.")
      .def_property_readonly(
          "data_spaces",
          [](const LoadedSpec& s) {
            std::vector<std::string> names;
            for (const spec::DataSpace& ds : s.spec.workload.data_spaces) names.push_back(ds.name);
            return names;
          },
          "Data space (tensor) names.")
      .def_property_readonly(
          "has_mapping", [](const LoadedSpec& s) { return s.spec.mapping.has_value(); },
          "True when the files hold a mapping (evaluate(spec) needs one).")
      .def_property_readonly(
          "warnings",
          [](const LoadedSpec& s) {
            std::vector<std::string> out = s.spec.warnings;
            out.insert(out.end(), s.design.warnings.begin(), s.design.warnings.end());
            return out;
          },
          "Warnings of the readers and the design (unknown keys, ERT fall-backs, ...), with file:line.")
      .def_property_readonly(
          "energy_notes", [](const LoadedSpec& s) { return s.design.energy_notes; },
          "Components whose energy/area were estimated, and from which class.")
      .def_property_readonly(
          "files",
          [](const LoadedSpec& s) {
            std::vector<std::string> out;
            for (const spec::InputFile& f : s.spec.inputs) out.push_back(f.path);
            return out;
          },
          "The files read, in order (a design directory's files listed one by one).")
      .def("__repr__", &Repr);

  m.def("load", &Load, kLoadDoc, py::arg("files"), py::kw_only(), py::arg("energy_table") = py::none(),
        py::arg("halo_rule") = "2025");
  m.def("evaluate", &EvaluateMapping, kEvaluateDoc, py::arg("spec"), py::arg("mapping_files") = py::none());
  m.def("search", &Search, kSearchDoc, py::arg("spec"), py::arg("strategy") = "random",
        py::arg("max_evaluations") = 10000, py::arg("time_limit_s") = 0.0, py::arg("threads") = 0,
        py::arg("seed") = 1, py::arg("objectives") = py::make_tuple("energy", "cycles"), py::kw_only(),
        py::arg("victory") = 0);
}
