#include "sieve/uarch/cost.hpp"

#include <algorithm>
#include <cmath>

namespace sieve::uarch {
namespace {

double VectorAccesses(double scalar, int64_t block_size) {
  return std::ceil(scalar / static_cast<double>(block_size));
}

}  // namespace

void EvaluateCosts(const dense::DenseTraffic& traffic, const ArchCosts& costs,
                   int64_t algorithmic_computes, Result& out) {
  const int num_levels = traffic.num_levels;
  const int num_ds = traffic.num_data_spaces;
  out.num_levels = num_levels;
  out.num_data_spaces = num_ds;
  out.status = Status{};

  // Capacity first: an invalid mapping should cost as little as possible.
  for (int level = 0; level < num_levels; ++level) {
    const LevelCosts& c = costs.levels[level];
    int64_t kept_words = 0;
    for (int ds = 0; ds < num_ds; ++ds) {
      const dense::DataSpaceTraffic& t = traffic.levels[level].ds[ds];
      if (t.kept) kept_words += t.tile_size;
    }
    LevelResult& lr = out.levels[level];
    lr.capacity_utilization = 0;
    if (c.capacity_words < 0) continue;
    if (kept_words > c.capacity_words) {
      out.status = Status{StatusCode::kCapacityExceeded, level, -1, kept_words, c.capacity_words};
      return;
    }
    if (kept_words < c.min_utilization * static_cast<double>(c.capacity_words)) {
      out.status = Status{StatusCode::kUnderUtilized, level, -1, kept_words, c.capacity_words};
      return;
    }
    lr.capacity_utilization =
        c.capacity_words > 0 ? static_cast<double>(kept_words) / c.capacity_words : 0;
  }

  // Cycles (paper Sec 5.4): the arithmetic needs one step per iteration;
  // each level is slowed by the bandwidth its per-instance traffic demands.
  const int64_t compute_cycles = traffic.iterations;
  int64_t cycles = compute_cycles;
  for (int level = 0; level < num_levels; ++level) {
    const LevelCosts& c = costs.levels[level];
    LevelResult& lr = out.levels[level];
    double reads = 0;
    double writes = 0;
    for (int ds = 0; ds < num_ds; ++ds) {
      const dense::DataSpaceTraffic& t = traffic.levels[level].ds[ds];
      reads += static_cast<double>(t.reads);
      writes += static_cast<double>(t.fills + t.updates);
    }
    const double r = reads / static_cast<double>(compute_cycles);
    const double w = writes / static_cast<double>(compute_cycles);
    double slowdown = 1;
    if (c.read_bw >= 0 && r > 0) slowdown = std::min(slowdown, c.read_bw / r);
    if (c.write_bw >= 0 && w > 0) slowdown = std::min(slowdown, c.write_bw / w);
    if (c.shared_bw >= 0 && r + w > 0) slowdown = std::min(slowdown, c.shared_bw / (r + w));
    lr.bandwidth_throttle = slowdown;
    lr.cycles = static_cast<int64_t>(std::ceil(static_cast<double>(compute_cycles) / slowdown));
    cycles = std::max(cycles, lr.cycles);
  }
  out.cycles = cycles;

  // Energy: vector accesses times energy per action; an instance shared by
  // a cluster is charged once per cluster (SEMANTICS "Energy").
  double total_pj = 0;
  for (int level = 0; level < num_levels; ++level) {
    const LevelCosts& c = costs.levels[level];
    LevelResult& lr = out.levels[level];
    const int64_t used = traffic.levels[level].used_instances;
    const int64_t clusters = std::min(used, std::max<int64_t>(1, c.instances / c.cluster_size));
    const double per_cluster = static_cast<double>(used) / static_cast<double>(clusters);
    lr.used_instances = used;
    lr.access_energy_pj = 0;
    lr.scalar_accesses = 0;
    for (int ds = 0; ds < num_ds; ++ds) {
      const dense::DataSpaceTraffic& t = traffic.levels[level].ds[ds];
      DataSpaceResult& d = out.levels[level].ds[ds];
      d.kept = t.kept;
      d.tile_size = t.kept ? t.tile_size : 0;
      d.partition = t.kept ? t.partition : 0;
      d.reads = static_cast<double>(t.reads);
      d.fills = static_cast<double>(t.fills);
      d.updates = static_cast<double>(t.updates);
      const double per_instance = (VectorAccesses(d.reads, c.block_size) * c.read_pj +
                                   VectorAccesses(d.fills, c.block_size) * c.fill_pj +
                                   VectorAccesses(d.updates, c.block_size) * c.update_pj) /
                                  per_cluster;
      d.energy_pj = per_instance * static_cast<double>(used);
      lr.access_energy_pj += d.energy_pj;
      lr.scalar_accesses += static_cast<double>(used) * (d.reads + d.fills + d.updates);
    }
    lr.leakage_pj = c.leak_pj * static_cast<double>(cycles) * static_cast<double>(used);
    lr.energy_pj = lr.access_energy_pj + lr.leakage_pj;
    lr.area_um2 = c.area_um2 * static_cast<double>(c.instances);
    total_pj += lr.energy_pj;
  }

  ComputeResult& comp = out.compute;
  comp.actual = traffic.computes;
  comp.gated = 0;
  comp.skipped = 0;
  comp.algorithmic = algorithmic_computes;
  comp.used_instances = traffic.used_macs;
  comp.cycles = compute_cycles;
  comp.energy_pj = static_cast<double>(comp.actual) * costs.compute_pj;
  comp.area_um2 = costs.compute_area_um2 * static_cast<double>(costs.compute_instances);
  total_pj += comp.energy_pj;

  out.energy_pj = total_pj;
  out.edp = total_pj * 1e-12 * static_cast<double>(cycles);
  out.utilization = static_cast<double>(comp.actual) /
                    (static_cast<double>(costs.compute_instances) * static_cast<double>(cycles));
  out.area_um2 = comp.area_um2;
  for (int level = 0; level < num_levels; ++level) out.area_um2 += out.levels[level].area_um2;
}

}  // namespace sieve::uarch
