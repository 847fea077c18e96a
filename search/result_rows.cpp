#include "search/result_rows.hpp"

#include <algorithm>
#include <array>

#include "sieve/report/map_yaml.hpp"
#include "sieve/report/stats.hpp"

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
  return MakeRow(spec, mapping, Evaluate(design, mapping), space.IdText(choice), eval_index);
}

ResultRow MakeRow(const spec::Spec& spec, const spec::Mapping& mapping, const Result& r,
                  const std::string& mapping_id, uint64_t eval_index) {
  ResultRow row;
  row.mapping_id = mapping_id;
  row.eval_index = eval_index;
  row.valid = r.valid();
  row.energy_pj = r.energy_pj;
  row.cycles = static_cast<double>(r.cycles);
  row.edp = r.edp;
  row.area_um2 = r.area_um2;
  row.utilization = r.utilization;
  row.last_level_accesses = r.num_levels > 0 ? r.levels[r.num_levels - 1].scalar_accesses : 0;
  std::array<double, kMaxLevelEnergies> energies;
  const int n = LevelEnergies(spec.arch, r, energies.data());
  row.level_energy_pj.assign(energies.begin(), energies.begin() + n);
  row.mapping_yaml = report::MappingYaml(spec.workload, spec.arch, mapping);
  return row;
}

ResultRow EvaluationRow(const spec::Spec& spec, const Mapspace& space, const EvalRecord& record) {
  ResultRow row;
  row.mapping_id = space.IdText(record.choice);
  row.eval_index = record.eval_index;
  row.valid = record.valid;
  row.energy_pj = record.energy_pj;
  row.cycles = record.cycles;
  row.edp = record.edp;
  row.area_um2 = record.area_um2;
  row.utilization = record.utilization;
  row.last_level_accesses = record.last_level_accesses;
  if (record.valid) {
    row.level_energy_pj.assign(record.level_energy_pj.begin(),
                               record.level_energy_pj.begin() + record.num_level_energies);
    return row;
  }
  row.invalid_reason = InvalidReasonName(record.reason);
  if (record.reason == InvalidReason::kConstraint) {
    row.invalid_detail = "constraint: a level's spatial utilization is below its utilization constraint's min";
  } else if (record.status.ok()) {
    row.invalid_detail = row.invalid_reason;
  } else {
    // report::InvalidReason reads only the status; one carrier per thread
    // spares zeroing a whole Result for every invalid row.
    thread_local Result carrier;
    carrier.status = record.status;
    row.invalid_detail = report::InvalidReason(spec, carrier);
  }
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
