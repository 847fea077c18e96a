#include <nlohmann/json.hpp>

#include <cmath>

#include "sieve/report/stats.hpp"

namespace sieve::report {

namespace {

std::string FormatName(const spec::Spec& spec, int level, int ds) {
  for (const spec::SparseTarget& t : spec.sparse.targets) {
    if (t.level != spec.arch.levels[level].name) continue;
    for (const spec::DataSpaceFormat& f : t.formats) {
      if (f.data_space != spec.workload.data_spaces[ds].name) continue;
      std::string name;
      for (const spec::RankFormat& r : f.ranks) name += (name.empty() ? "" : " ") + r.format;
      return name;
    }
  }
  return "none";
}

nlohmann::json RankPairs(const std::array<sparse::RankPair, kMaxRanks>& pairs, int ranks) {
  nlohmann::json out = nlohmann::json::array();
  for (int r = 0; r < ranks; ++r) out.push_back({pairs[r].metadata, pairs[r].payload});
  return out;
}

}  // namespace

std::string StatsJson(const spec::Spec& spec, const Result& result,
                      const std::vector<std::string>& warnings,
                      const sparse::SparseTraffic* detail) {
  using nlohmann::json;
  json j;
  j["valid"] = result.valid();
  j["invalid_reason"] = InvalidReason(spec, result);
  j["status"] = StatusName(result.status.code);
  if (result.valid()) {
    j["cycles"] = result.cycles;
    j["energy_pj"] = result.energy_pj;
    j["edp"] = result.edp;
    j["utilization"] = result.utilization;
  } else {
    j["cycles"] = nullptr;
    j["energy_pj"] = nullptr;
    j["edp"] = nullptr;
    j["utilization"] = nullptr;
  }
  j["area_um2"] = result.area_um2;
  j["computes"] = {{"actual", result.compute.actual},
                   {"gated", result.compute.gated},
                   {"skipped", result.compute.skipped},
                   {"algorithmic", spec.workload.AlgorithmicComputes()}};
  j["compute"] = {{"name", spec.arch.compute.name},
                  {"energy_pj", result.compute.energy_pj},
                  {"used_instances", result.compute.used_instances},
                  {"instances", spec.arch.compute.instances}};
  json levels = json::array();
  if (result.valid()) {
    for (int l = 0; l < result.num_levels; ++l) {
      const spec::StorageLevel& arch_level = spec.arch.levels[l];
      if (arch_level.is_dummy) continue;
      const LevelResult& lr = result.levels[l];
      json dataspaces = json::object();
      for (int d = 0; d < result.num_data_spaces; ++d) {
        const DataSpaceResult& ds = lr.ds[d];
        if (!ds.kept) continue;
        json entry = {{"tile_size", ds.tile_size},
                      {"partition", ds.partition},
                      {"reads", ds.reads},
                      {"fills", ds.fills},
                      {"updates", ds.updates},
                      {"instances", lr.used_instances},
                      {"energy_pj", ds.energy_pj},
                      {"actual_reads", ds.read_actions.actual},
                      {"gated_reads", ds.read_actions.gated},
                      {"skipped_reads", ds.read_actions.skipped},
                      {"actual_fills", ds.fill_actions.actual},
                      {"gated_fills", ds.fill_actions.gated},
                      {"skipped_fills", ds.fill_actions.skipped},
                      {"actual_updates", ds.update_actions.actual},
                      {"gated_updates", ds.update_actions.gated},
                      {"skipped_updates", ds.update_actions.skipped},
                      {"representation_format", FormatName(spec, l, d)},
                      {"metadata_energy_pj", ds.metadata_energy_pj}};
        json occupancy = {{"data", ds.occupancy_words}, {"metadata", json::array()}};
        json md_reads = json::array(), md_fills = json::array(), md_updates = json::array();
        if (detail != nullptr && detail->sparse) {
          const sparse::SparseDataSpace& sd = detail->levels[l].ds[d];
          // Whole units, as storage holds them (the reference prints the ceiling).
          std::array<sparse::RankPair, kMaxRanks> whole = sd.occupancy_format;
          for (int r = 0; r < sd.format_ranks; ++r) {
            whole[r].metadata = std::ceil(whole[r].metadata);
            whole[r].payload = std::ceil(whole[r].payload);
          }
          occupancy["metadata"] = RankPairs(whole, sd.format_ranks);
          md_reads = RankPairs(sd.format_reads.actual, sd.format_ranks);
          md_fills = RankPairs(sd.format_fills.actual, sd.format_ranks);
          md_updates = RankPairs(sd.format_updates.actual, sd.format_ranks);
        }
        entry["occupancy_words"] = occupancy;
        entry["metadata_reads"] = md_reads;
        entry["metadata_fills"] = md_fills;
        entry["metadata_updates"] = md_updates;
        dataspaces[spec.workload.data_spaces[d].name] = entry;
      }
      levels.push_back({{"name", arch_level.name},
                        {"energy_pj", lr.energy_pj},
                        {"leakage_pj", lr.leakage_pj},
                        {"scalar_accesses", lr.scalar_accesses},
                        {"utilization", lr.capacity_utilization},
                        {"cycles", lr.cycles},
                        {"bandwidth_throttle", lr.bandwidth_throttle},
                        {"used_instances", lr.used_instances},
                        {"instances", arch_level.instances},
                        {"area_um2", lr.area_um2},
                        {"dataspaces", dataspaces}});
    }
  }
  j["levels"] = levels;
  j["warnings"] = warnings;
  return j.dump(2) + "\n";
}

}  // namespace sieve::report
