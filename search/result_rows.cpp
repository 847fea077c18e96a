#include "search/result_rows.hpp"

#include <algorithm>

#include "sieve/report/map_yaml.hpp"

namespace sieve::search {

std::vector<std::string> EnergyColumns(const spec::Arch& arch) {
  std::vector<std::string> names;
  for (int l = static_cast<int>(arch.levels.size()) - 1; l >= 0; --l) {
    if (!arch.levels[l].is_dummy) names.push_back(arch.levels[l].name);
  }
  names.push_back(arch.compute.name);
  return names;
}

ResultRow MakeRow(const spec::Spec& spec, const Design& design, const Mapspace& space,
                  const Choice& choice, uint64_t eval_index) {
  spec::Mapping mapping;
  space.Prepare(mapping);
  space.Decode(choice, mapping);
  const Result r = Evaluate(design, mapping);
  ResultRow row;
  row.mapping_id = space.IdText(choice);
  row.eval_index = eval_index;
  row.valid = r.valid();
  row.energy_pj = r.energy_pj;
  row.cycles = static_cast<double>(r.cycles);
  row.edp = r.edp;
  row.area_um2 = r.area_um2;
  row.utilization = r.utilization;
  row.last_level_accesses = r.num_levels > 0 ? r.levels[r.num_levels - 1].scalar_accesses : 0;
  for (int l = r.num_levels - 1; l >= 0; --l) {
    if (!spec.arch.levels[l].is_dummy) row.level_energy_pj.push_back(r.levels[l].energy_pj);
  }
  row.level_energy_pj.push_back(r.compute.energy_pj);
  row.mapping_yaml = report::MappingYaml(spec.workload, spec.arch, mapping);
  return row;
}

Snapshot MakeSnapshot(const spec::Spec& spec, const Design& design, const Mapspace& space,
                      const SearchState& state) {
  Snapshot snap;
  std::vector<Point> front = state.front.points();
  std::sort(front.begin(), front.end(), [](const Point& a, const Point& b) {
    if (a.obj[0] != b.obj[0]) return a.obj[0] < b.obj[0];
    return ChoiceLess(a.choice, b.choice);
  });
  for (const Point& p : front) snap.pareto.push_back(MakeRow(spec, design, space, p.choice, p.eval_index));
  for (BestTracker::Metric m : BestTracker::kAll) {
    if (!state.best.best(m)) continue;
    const Point& p = *state.best.best(m);
    ResultRow row = MakeRow(spec, design, space, p.choice, p.eval_index);
    row.metric = BestTracker::Name(m);
    snap.best.push_back(std::move(row));
  }
  snap.evaluations = state.evaluations;
  snap.valid = state.valid;
  for (int i = 0; i < kNumInvalidReasons; ++i) {
    snap.invalid_by_reason[InvalidReasonName(static_cast<InvalidReason>(i))] = state.invalid[i];
  }
  snap.stop_reason = state.stop_reason;
  snap.optimal = state.optimal;
  return snap;
}

}  // namespace sieve::search
