#include <nlohmann/json.hpp>

#include "sieve/report/stats.hpp"

namespace sieve::report {

std::string StatsJson(const spec::Spec& spec, const Result& result,
                      const std::vector<std::string>& warnings) {
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
        dataspaces[spec.workload.data_spaces[d].name] = {
            {"tile_size", ds.tile_size}, {"partition", ds.partition},
            {"reads", ds.reads},         {"fills", ds.fills},
            {"updates", ds.updates},     {"instances", lr.used_instances},
            {"energy_pj", ds.energy_pj}};
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
