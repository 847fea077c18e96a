#include "search/sweep.hpp"

#include <chrono>
#include <cmath>
#include <fstream>
#include <limits>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <stdexcept>

#include "search/config_hash.hpp"
#include "search/driver.hpp"
#include "search/mapspace.hpp"
#include "search/result_rows.hpp"
#include "sieve/design.hpp"
#include "sieve/evaluator.hpp"
#include "sieve/spec/load.hpp"

namespace sieve::search {
namespace {

using nlohmann::json;

}  // namespace

std::vector<spec::InputFile> ReadInputFiles(const std::vector<std::string>& paths) {
  std::vector<spec::InputFile> files;
  for (const std::string& p : paths) files.push_back(spec::ReadInputFile(p));
  return files;
}

namespace {

// The overrides as a pseudo input file, so they are part of a point's hash
// and of the inputs text stored with it.
spec::InputFile OverridesFile(const std::vector<spec::Override>& overrides) {
  spec::InputFile f;
  f.path = "(sweep overrides)";
  for (const spec::Override& o : overrides) f.text += o.key_path + " = " + o.value + "\n";
  return f;
}

json RowToJson(const ResultRow& r) {
  return json{{"metric", r.metric},       {"mapping_id", r.mapping_id},
              {"eval_index", r.eval_index}, {"valid", r.valid},
              {"energy_pj", r.energy_pj}, {"cycles", r.cycles},
              {"edp", r.edp},             {"area_um2", r.area_um2},
              {"utilization", r.utilization}, {"last_level_accesses", r.last_level_accesses},
              {"level_energy_pj", r.level_energy_pj}, {"mapping", r.mapping_yaml}};
}

ResultRow RowFromJson(const json& j) {
  ResultRow r;
  r.metric = j.at("metric").get<std::string>();
  r.mapping_id = j.at("mapping_id").get<std::string>();
  r.eval_index = j.at("eval_index").get<uint64_t>();
  r.valid = j.at("valid").get<bool>();
  r.energy_pj = j.at("energy_pj").get<double>();
  r.cycles = j.at("cycles").get<double>();
  r.edp = j.at("edp").get<double>();
  r.area_um2 = j.at("area_um2").get<double>();
  r.utilization = j.at("utilization").get<double>();
  r.last_level_accesses = j.at("last_level_accesses").get<double>();
  r.level_energy_pj = j.at("level_energy_pj").get<std::vector<double>>();
  r.mapping_yaml = j.at("mapping").get<std::string>();
  return r;
}

SearchOptions PointSearchOptions(const spec::SweepSearch& s, const PointOptions& options) {
  SearchOptions so;
  so.strategy = s.strategy;
  if (!StrategyTable().count(so.strategy)) {
    throw spec::SpecError("sweep.search.strategy: unknown strategy '" + so.strategy + "'");
  }
  so.strategy_options.seed = s.seed;
  so.threads = options.threads;
  so.max_evaluations = s.max_evaluations;
  so.time_limit_s = s.time_limit_s;
  so.victory = s.victory;
  so.objectives = ParseObjectiveList(s.objectives, "sweep.search.objectives");
  so.stop_requested = options.stop_requested;
  so.report_interval_s = 1e9;  // the sweep reports per point
  return so;
}

}  // namespace

double PointResult::best(const std::string& metric) const {
  for (const ResultRow& r : snapshot.best)
    if (r.metric == metric) {
      if (metric == "energy") return r.energy_pj;
      if (metric == "cycles") return r.cycles;
      return r.edp;
    }
  return std::numeric_limits<double>::quiet_NaN();
}

std::string InputsSha256(const std::vector<spec::InputFile>& files, const std::vector<spec::Override>& overrides) {
  std::vector<spec::InputFile> hashed = files;
  hashed.push_back(OverridesFile(overrides));
  return ConfigSha256(hashed);
}

PointResult RunInputs(const std::vector<spec::InputFile>& files, const std::vector<spec::Override>& overrides,
                      const spec::SweepSearch& search, const PointOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  PointResult out;
  out.config_sha256 = InputsSha256(files, overrides);
  auto finish = [&](std::string status) {
    out.status = std::move(status);
    out.elapsed_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return out;
  };
  // The search settings are the caller's, not the inputs': a bad one ends
  // the whole sweep or network.
  const SearchOptions so = PointSearchOptions(search, options);
  try {
    const spec::Spec spec = spec::LoadSpecFromTexts(files, overrides);
    out.energy_columns = EnergyColumns(spec.arch);
    const Design design = BuildDesign(spec);
    out.algorithmic_computes = design.algorithmic_computes;
    if (spec.mapping) {
      // Given a mapping (e.g. a dataflow fixed by a map.yaml), the point is
      // that mapping: evaluate it, as `sieve model` would.
      const Result r = Evaluate(design, *spec.mapping);
      out.snapshot.evaluations = 1;
      out.snapshot.stop_reason = "fixed mapping";
      if (!r.valid()) {
        out.snapshot.invalid_by_reason[StatusName(r.status.code)] = 1;
        return finish("no valid mapping");
      }
      out.snapshot.valid = 1;
      ResultRow row = MakeRow(spec, *spec.mapping, r, "given", 0);
      out.snapshot.pareto.push_back(row);
      for (const char* metric : {"energy", "cycles", "edp"}) {
        row.metric = metric;
        out.snapshot.best.push_back(row);
      }
      return finish("fixed mapping");
    }
    const Mapspace space(spec);
    SearchState state;
    state.front = ParetoArchive(static_cast<int>(so.objectives.size()));
    state = RunSearch(design, space, so, std::move(state));
    out.snapshot = MakeSnapshot(spec, design, space, state);
    if (state.stop_reason == "interrupted") return out;  // not finished: status stays ""
    return finish(state.valid == 0 ? "no valid mapping" : "searched");
  } catch (const spec::SpecError& e) {
    return finish(std::string("invalid input: ") + e.what());
  }
}

PointResult RunPoint(const spec::SweepSpec& sweep, uint64_t point, const PointOptions& options) {
  PointResult out =
      RunInputs(ReadInputFiles(sweep.PointFiles(point)), sweep.PointOverrides(point), sweep.search, options);
  out.point = point;
  out.label = sweep.PointLabel(point);
  const std::vector<int> v = sweep.PointValues(point);
  for (size_t a = 0; a < sweep.axes.size(); ++a) out.values.push_back(sweep.axes[a].values[v[a]].label);
  return out;
}

std::string SweepSha256(const spec::SweepSpec& sweep) {
  std::set<std::string> paths;
  for (const std::string& f : sweep.inputs) paths.insert(f);
  for (const spec::SweepAxis& a : sweep.axes)
    for (const spec::SweepValue& v : a.values)
      for (const std::string& f : v.files) paths.insert(f);
  // The effective search settings too: a --seed given on the command line
  // makes another sweep.
  const spec::SweepSearch& s = sweep.search;
  const std::string settings = s.strategy + "|" + std::to_string(s.max_evaluations) + "|" +
                               std::to_string(s.time_limit_s) + "|" + std::to_string(s.victory) + "|" +
                               s.objectives + "|" + std::to_string(s.seed);
  std::vector<spec::InputFile> all{spec::InputFile{"(sweep)", sweep.text}, spec::InputFile{"(search)", settings}};
  for (spec::InputFile& f : ReadInputFiles({paths.begin(), paths.end()})) {
    // The hash is of contents: the same sweep from another folder is the same.
    f.path.clear();
    all.push_back(std::move(f));
  }
  return ConfigSha256(all);
}

std::string PointToJson(const PointResult& p) {
  json rows = json::array(), best = json::array();
  for (const ResultRow& r : p.snapshot.pareto) rows.push_back(RowToJson(r));
  for (const ResultRow& r : p.snapshot.best) best.push_back(RowToJson(r));
  json j{{"point", p.point},
         {"label", p.label},
         {"values", p.values},
         {"status", p.status},
         {"config_sha256", p.config_sha256},
         {"energy_columns", p.energy_columns},
         {"evaluations", p.snapshot.evaluations},
         {"valid", p.snapshot.valid},
         {"invalid_by_reason", p.snapshot.invalid_by_reason},
         {"stop_reason", p.snapshot.stop_reason},
         {"optimal", p.snapshot.optimal},
         {"elapsed_s", p.elapsed_s},
         {"pareto", rows},
         {"best", best}};
  return j.dump();
}

PointResult PointFromJson(const std::string& text) {
  try {
    const json j = json::parse(text);
    PointResult p;
    p.point = j.at("point").get<uint64_t>();
    p.label = j.at("label").get<std::string>();
    p.values = j.at("values").get<std::vector<std::string>>();
    p.status = j.at("status").get<std::string>();
    p.config_sha256 = j.at("config_sha256").get<std::string>();
    p.energy_columns = j.at("energy_columns").get<std::vector<std::string>>();
    p.snapshot.evaluations = j.at("evaluations").get<uint64_t>();
    p.snapshot.valid = j.at("valid").get<uint64_t>();
    p.snapshot.invalid_by_reason = j.at("invalid_by_reason").get<std::map<std::string, uint64_t>>();
    p.snapshot.stop_reason = j.at("stop_reason").get<std::string>();
    p.snapshot.optimal = j.at("optimal").get<bool>();
    p.elapsed_s = j.at("elapsed_s").get<double>();
    for (const json& r : j.at("pareto")) p.snapshot.pareto.push_back(RowFromJson(r));
    for (const json& r : j.at("best")) p.snapshot.best.push_back(RowFromJson(r));
    return p;
  } catch (const json::exception& e) {
    throw std::runtime_error(std::string("malformed point record: ") + e.what());
  }
}

}  // namespace sieve::search
