#include <fmt/format.h>

#include "sieve/report/stats.hpp"

namespace sieve::report {

std::string StatsText(const spec::Spec& spec, const Result& result) {
  std::string out;
  auto line = [&out](const std::string& s) { out += s + "\n"; };
  line("sieve stats");
  line("===========");
  if (!result.valid()) {
    line("Mapping is INVALID: " + InvalidReason(spec, result));
    return out;
  }
  line(fmt::format("Compute: {} (instances {}, used {})", spec.arch.compute.name,
                   spec.arch.compute.instances, result.compute.used_instances));
  line(fmt::format("    Computes (actual)       : {}", result.compute.actual));
  line(fmt::format("    Computes (gated)        : {}", result.compute.gated));
  line(fmt::format("    Computes (skipped)      : {}", result.compute.skipped));
  line(fmt::format("    Computes (algorithmic)  : {}", result.compute.algorithmic));
  line(fmt::format("    Energy (total)          : {:.2f} pJ", result.compute.energy_pj));
  line("");
  for (int l = 0; l < result.num_levels; ++l) {
    const spec::StorageLevel& a = spec.arch.levels[l];
    if (a.is_dummy) continue;
    const LevelResult& lr = result.levels[l];
    line(fmt::format("Level {}: {} (instances {}, used {})", l + 1, a.name, a.instances,
                     lr.used_instances));
    line(fmt::format("    Cycles                  : {}", lr.cycles));
    line(fmt::format("    Bandwidth throttling    : {:.2f}", lr.bandwidth_throttle));
    line(fmt::format("    Capacity utilization    : {:.2f}%", 100 * lr.capacity_utilization));
    line(fmt::format("    Leakage energy (total)  : {:.2f} pJ", lr.leakage_pj));
    line(fmt::format("    Energy (total)          : {:.2f} pJ", lr.energy_pj));
    line(fmt::format("    Total scalar accesses   : {:.0f}", lr.scalar_accesses));
    for (int d = 0; d < result.num_data_spaces; ++d) {
      const DataSpaceResult& ds = lr.ds[d];
      if (!ds.kept) continue;
      line(fmt::format("    {}:", spec.workload.data_spaces[d].name));
      line(fmt::format("        Partition size                : {}", ds.partition));
      line(fmt::format("        Utilized capacity             : {}", ds.tile_size));
      line(fmt::format("        Scalar reads (per-instance)   : {:.0f}", ds.reads));
      line(fmt::format("        Scalar fills (per-instance)   : {:.0f}", ds.fills));
      line(fmt::format("        Scalar updates (per-instance) : {:.0f}", ds.updates));
      if (spec.sparse.targets.size() > 0) {
        auto split = [&](const char* what, const ActionCounts& a) {
          line(fmt::format("        {:<7} actual/gated/skipped : {:.0f} / {:.0f} / {:.0f}", what,
                           a.actual, a.gated, a.skipped));
        };
        split("Reads", ds.read_actions);
        split("Fills", ds.fill_actions);
        split("Updates", ds.update_actions);
        line(fmt::format("        Occupancy (data words)        : {:.2f}", ds.occupancy_words));
        line(fmt::format("        Format ranks                  : {}", ds.format_ranks));
        line(fmt::format("        Metadata energy (total)       : {:.2f} pJ", ds.metadata_energy_pj));
      }
      line(fmt::format("        Energy (total)                : {:.2f} pJ", ds.energy_pj));
    }
    line("");
  }
  line("Summary");
  line("-------");
  line(fmt::format("Cycles        : {}", result.cycles));
  line(fmt::format("Energy        : {:.2f} pJ ({:.4f} uJ)", result.energy_pj,
                   result.energy_pj * 1e-6));
  line(fmt::format("EDP (J*cycle) : {:.3e}", result.edp));
  line(fmt::format("Utilization   : {:.2f}%", 100 * result.utilization));
  line(fmt::format("Area          : {:.2f} um^2", result.area_um2));
  line(fmt::format("Computes      : {}", result.compute.actual));
  line("fJ/Compute");
  const double computes = static_cast<double>(result.compute.actual);
  line(fmt::format("    {:<30} = {:.2f}", spec.arch.compute.name,
                   1000 * result.compute.energy_pj / computes));
  for (int l = 0; l < result.num_levels; ++l) {
    if (spec.arch.levels[l].is_dummy) continue;
    line(fmt::format("    {:<30} = {:.2f}", spec.arch.levels[l].name,
                     1000 * result.levels[l].energy_pj / computes));
  }
  line(fmt::format("    {:<30} = {:.2f}", "Total", 1000 * result.energy_pj / computes));
  return out;
}

std::string SummaryTable(const spec::Spec& spec, const Result& result) {
  if (!result.valid()) return "INVALID mapping: " + InvalidReason(spec, result) + "\n";
  std::string out = fmt::format("{:<22} {:>10} {:>16} {:>16} {:>10} {:>8}\n", "level", "cycles",
                                "energy_pj", "scalar_accesses", "capacity", "used");
  for (int l = result.num_levels - 1; l >= 0; --l) {
    if (spec.arch.levels[l].is_dummy) continue;
    const LevelResult& lr = result.levels[l];
    out += fmt::format("{:<22} {:>10} {:>16.2f} {:>16.0f} {:>9.1f}% {:>8}\n",
                       spec.arch.levels[l].name, lr.cycles, lr.energy_pj, lr.scalar_accesses,
                       100 * lr.capacity_utilization, lr.used_instances);
  }
  out += fmt::format("{:<22} {:>10} {:>16.2f} {:>16} {:>10} {:>8}\n", spec.arch.compute.name,
                     result.compute.cycles, result.compute.energy_pj, "", "",
                     result.compute.used_instances);
  out += fmt::format(
      "\ncycles {}  energy {:.2f} pJ  EDP {:.4e} J*cycle  computes {} (algorithmic {})  "
      "utilization {:.2f}%\n",
      result.cycles, result.energy_pj, result.edp, result.compute.actual,
      result.compute.algorithmic, 100 * result.utilization);
  return out;
}

}  // namespace sieve::report
