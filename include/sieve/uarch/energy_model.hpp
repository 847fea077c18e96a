// Step 3 parameters resolved once per architecture: energy per action (from
// the Accelergy ERT with the reference tool's fall-backs), vector width,
// capacity, bandwidth and area of every level. Immutable; thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <utility>
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
  // Fine-grained actions of the sparse model (SEMANTICS "Energy and
  // cycles"): a missing skipped_X falls back to gated_X, a missing gated_X
  // to 0; metadata actions per metadata vector access.
  double gated_read_pj = 0;
  double skipped_read_pj = 0;
  double gated_fill_pj = 0;
  double skipped_fill_pj = 0;
  double gated_update_pj = 0;
  double skipped_update_pj = 0;
  double md_read_pj = 0;
  double md_fill_pj = 0;
  double md_update_pj = 0;
  double gated_md_read_pj = 0;
  double skipped_md_read_pj = 0;
  double gated_md_fill_pj = 0;
  double skipped_md_fill_pj = 0;
  double gated_md_update_pj = 0;
  double skipped_md_update_pj = 0;
  double decompression_pj = 0;  // per (de)compressed word
  double compression_pj = 0;
  int word_bits = 16;
  int md_default_bits = 16;       // metadata word bits where a format leaves them unset
  int64_t md_width_bits = 0;      // metadata vector width; 0 = none given
  int64_t md_capacity_bits = -1;  // metadata storage; -1 = unbounded
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
  double compute_gated_pj = 0;    // falls back to compute_pj
  double compute_skipped_pj = 0;  // falls back to 0
  double compute_area_um2 = 0;  // per instance
  int64_t compute_instances = 1;
  // (metadata bits, payload bits) per format rank, by level and data space;
  // empty where the data space is uncompressed.
  std::array<std::array<std::vector<std::pair<int, int>>, kMaxDataSpaces>, kMaxLevels> rank_bits;
  std::vector<std::string> warnings;  // e.g. components missing from the ERT
};

ArchCosts BuildArchCosts(const spec::Arch& arch, const spec::EnergyTable& ert,
                         const spec::AreaTable& art);

}  // namespace sieve::uarch
