// Mapping: per storage level, the temporal and spatial loop blocks and
// which data spaces the level keeps. Plain data, validated against the
// workload and architecture at load time (factors multiply to bounds).
#pragma once

#include <cstdint>
#include <vector>

namespace sieve::spec {

struct LevelMapping {
  // Per problem dimension (workload order); 1 = no loop.
  std::vector<int64_t> temporal_factors;
  std::vector<int64_t> spatial_factors;
  // Full permutations of dimension indices, innermost loop first.
  std::vector<int> temporal_order;
  std::vector<int> spatial_order;
  // Positions in spatial_order below split go to mesh X, the rest to Y.
  int spatial_split = 0;
  // Per data space (workload order): true when this level keeps it.
  std::vector<bool> keep;
  // Per data space: true when the children of this level's fan-out may not
  // pass it to each other over mesh links (Timeloop `no_link_transfer`);
  // empty = links allowed for all.
  std::vector<bool> no_link_transfer;
};

struct Mapping {
  std::vector<LevelMapping> levels;  // same indexing as Arch::levels
};

// A mapping where every level keeps everything and has no loops, except
// that the outermost level holds the whole problem temporally.
Mapping TrivialMapping(int num_levels, int num_dims, int num_data_spaces,
                       const std::vector<int64_t>& bounds);

}  // namespace sieve::spec
