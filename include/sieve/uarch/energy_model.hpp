// Step 3 parameters resolved once per architecture: energy per action (from
// the Accelergy ERT with the reference tool's fall-backs), vector width,
// capacity, bandwidth and area of every level. Immutable; thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "sieve/limits.hpp"
#include "sieve/spec/arch.hpp"
#include "sieve/spec/energy_table.hpp"

namespace sieve::uarch {

struct LevelCosts {
  double read_pj = 0;    // per vector access
  double fill_pj = 0;
  double update_pj = 0;
  double leak_pj = 0;    // per instance per cycle
  int64_t block_size = 1;     // words per vector access
  int64_t cluster_size = 1;
  int64_t instances = 1;
  int64_t capacity_words = -1;  // after multiple buffering; -1 = unbounded
  double min_utilization = 0;
  double read_bw = -1;    // words/cycle per instance; -1 = unlimited
  double write_bw = -1;
  double shared_bw = -1;
  double area_um2 = 0;    // per instance
};

struct ArchCosts {
  int num_levels = 0;
  std::array<LevelCosts, kMaxLevels> levels{};
  double compute_pj = 0;  // per compute
  double compute_area_um2 = 0;  // per instance
  int64_t compute_instances = 1;
  std::vector<std::string> warnings;  // e.g. components missing from the ERT
};

ArchCosts BuildArchCosts(const spec::Arch& arch, const spec::EnergyTable& ert,
                         const spec::AreaTable& art);

}  // namespace sieve::uarch
