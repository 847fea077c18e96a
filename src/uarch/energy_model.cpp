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
    c.word_bits = s.word_bits;
    c.md_default_bits = s.metadata_word_bits.value_or(0);
    c.md_width_bits = s.metadata_storage_width_bits.value_or(0);
    if (s.metadata_storage_depth && *s.metadata_storage_depth > 0 && c.md_width_bits > 0) {
      c.md_capacity_bits = *s.metadata_storage_depth * c.md_width_bits;
    }
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
    auto optional = [&](std::initializer_list<const char*> names, double fallback_pj) {
      const double e = FirstOf(*actions, names);
      return e >= 0 ? e : fallback_pj;
    };
    c.gated_read_pj = optional({"gated_read"}, 0);
    c.skipped_read_pj = optional({"skipped_read"}, c.gated_read_pj);
    c.gated_fill_pj = optional({"gated_fill", "gated_write"}, 0);
    c.skipped_fill_pj = optional({"skipped_fill", "skipped_write"}, c.gated_fill_pj);
    c.gated_update_pj = optional({"gated_update", "gated_write"}, 0);
    c.skipped_update_pj = optional({"skipped_update", "skipped_write"}, c.gated_update_pj);
    c.decompression_pj = optional({"decompression_count"}, 0);
    c.compression_pj = optional({"compression_count"}, 0);
    c.md_read_pj = optional({"metadata_read"}, 0);
    c.md_fill_pj = optional({"metadata_fill", "metadata_write"}, 0);
    c.md_update_pj = optional({"metadata_update", "metadata_write"}, 0);
    c.gated_md_read_pj = optional({"gated_metadata_read"}, 0);
    c.skipped_md_read_pj = optional({"skipped_metadata_read"}, c.gated_md_read_pj);
    c.gated_md_fill_pj = optional({"gated_metadata_fill", "gated_metadata_write"}, 0);
    c.skipped_md_fill_pj = optional({"skipped_metadata_fill", "skipped_metadata_write"}, c.gated_md_fill_pj);
    c.gated_md_update_pj = optional({"gated_metadata_update", "gated_metadata_write"}, 0);
    c.skipped_md_update_pj = optional({"skipped_metadata_update", "skipped_metadata_write"}, c.gated_md_update_pj);
  }

  out.compute_instances = arch.compute.instances;
  if (auto it = art.area_um2.find(arch.compute.name); it != art.area_um2.end()) {
    out.compute_area_um2 = it->second;
  }
  if (const ActionMap* actions = ert.Find(arch.compute.name)) {
    out.compute_pj = std::max(
        0.0, FirstOf(*actions, {"mac_random", "mult_random", "mac", "mult", "compute"}));
    // The reference's names and fall-backs: gated -> full compute energy;
    // skipped -> gated -> full.
    const double gated = FirstOf(*actions, {"mac_gated", "mult_gated", "compute_gated"});
    out.compute_gated_pj = gated >= 0 ? gated : out.compute_pj;
    const double skipped = FirstOf(*actions, {"mac_skipped", "mult_skipped", "compute_skipped"});
    out.compute_skipped_pj = skipped >= 0 ? skipped : out.compute_gated_pj;
  } else {
    out.warnings.push_back("no energy table entry for compute '" + arch.compute.name +
                           "': computes cost 0 pJ");
  }
  return out;
}

}  // namespace sieve::uarch
