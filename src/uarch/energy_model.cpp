#include "sieve/uarch/energy_model.hpp"

#include <algorithm>
#include <cmath>
#include <initializer_list>
#include <map>

namespace sieve::uarch {
namespace {

using ActionMap = std::map<std::string, double>;

// First action present in the search order, or a negative value.
double FirstOf(const ActionMap& actions, std::initializer_list<const char*> names) {
  for (const char* name : names) {
    auto it = actions.find(name);
    if (it != actions.end()) return it->second;
  }
  return -1;
}

double MaxEnergy(const ActionMap& actions) {
  double best = 0;
  for (const auto& [name, pj] : actions) best = std::max(best, pj);
  return best;
}

}  // namespace

ArchCosts BuildArchCosts(const spec::Arch& arch, const spec::EnergyTable& ert,
                         const spec::AreaTable& art) {
  ArchCosts out;
  out.num_levels = static_cast<int>(arch.levels.size());
  for (int level = 0; level < out.num_levels; ++level) {
    const spec::StorageLevel& s = arch.levels[level];
    LevelCosts& c = out.levels[level];
    c.block_size = std::max<int64_t>(1, s.block_size);
    c.cluster_size = std::max(1, s.cluster_size);
    c.instances = s.instances;
    c.min_utilization = s.min_utilization;
    if (s.depth && *s.depth > 0) {
      // Multiple buffering reserves room for the next tile (SEMANTICS
      // "Validity"); the usable size is rounded down.
      c.capacity_words = static_cast<int64_t>(
          std::floor(static_cast<double>(*s.depth * c.block_size) / s.multiple_buffering));
    }
    c.read_bw = s.read_bw_words_per_cycle.value_or(-1);
    c.write_bw = s.write_bw_words_per_cycle.value_or(-1);
    c.shared_bw = s.shared_bw_words_per_cycle.value_or(-1);
    if (auto it = art.area_um2.find(s.name); it != art.area_um2.end()) c.area_um2 = it->second;

    const ActionMap* actions = ert.Find(s.name);
    if (actions == nullptr) {
      if (!s.is_dummy) {
        out.warnings.push_back("no energy table entry for storage level '" + s.name +
                               "': its accesses cost 0 pJ");
      }
      continue;
    }
    // Reference fall-backs: the most specific action name first; a missing
    // access action costs the component's dearest action per cluster member.
    const double fallback = MaxEnergy(*actions) / c.cluster_size;
    auto pick = [&](std::initializer_list<const char*> names) {
      const double e = FirstOf(*actions, names);
      return e >= 0 ? e : fallback;
    };
    c.read_pj = pick({"random_read", "read"});
    c.fill_pj = pick({"random_fill", "random_write", "fill", "write"});
    c.update_pj = pick({"random_update", "random_write", "update", "write"});
    c.leak_pj = std::max(0.0, FirstOf(*actions, {"leak"}));
  }

  out.compute_instances = arch.compute.instances;
  if (auto it = art.area_um2.find(arch.compute.name); it != art.area_um2.end()) {
    out.compute_area_um2 = it->second;
  }
  if (const ActionMap* actions = ert.Find(arch.compute.name)) {
    out.compute_pj = std::max(
        0.0, FirstOf(*actions, {"mac_random", "mult_random", "mac", "mult", "compute"}));
  } else {
    out.warnings.push_back("no energy table entry for compute '" + arch.compute.name +
                           "': computes cost 0 pJ");
  }
  return out;
}

}  // namespace sieve::uarch
