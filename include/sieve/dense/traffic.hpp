// Step 1 (paper Sec 5.2, dense dataflow analysis): per storage level and
// data space, the tile kept, and the algorithmic (dense) reads, fills and
// updates per instance, plus spatial instance usage and compute counts.
//
// Counting follows the reference tool (SEMANTICS "Counts per level and
// tensor"): temporal deltas by the index-0/index-1 walk, multicast groups
// for spatial fan-out, bypassed levels forwarding their demand to the level
// above, read-write data spaces counting the first write as no read.
// Pure function of its inputs; thread-safe; allocates nothing.
#pragma once

#include <array>
#include <cstdint>

#include "sieve/dense/delta_walk.hpp"
#include "sieve/dense/loop_nest.hpp"
#include "sieve/dense/projection.hpp"
#include "sieve/limits.hpp"

namespace sieve::dense {

struct DataSpaceTraffic {
  bool kept = false;
  int64_t tile_size = 0;  // words of this data space held per instance
  int64_t partition = 0;  // words of the tensor owned per instance
  // Per instance, algorithmic (dense) counts; zero where not kept.
  int64_t reads = 0;
  int64_t fills = 0;
  int64_t updates = 0;
};

struct LevelTraffic {
  std::array<DataSpaceTraffic, kMaxDataSpaces> ds{};
  int64_t used_instances = 1;  // instances the mapping's spatial loops use
};

struct DenseTraffic {
  int num_levels = 0;
  int num_data_spaces = 0;
  std::array<LevelTraffic, kMaxLevels> levels{};
  int64_t computes = 0;     // total multiply-accumulates performed
  int64_t used_macs = 1;    // arithmetic units the mapping uses
  int64_t iterations = 1;   // computes per arithmetic unit (temporal steps)
};

// REQUIRES: nest built by BuildLoopNest with an ok Status.
void AnalyzeTraffic(const LoopNest& nest, const ProjectionTable& projection, HaloRule rule,
                    DenseTraffic& out);

}  // namespace sieve::dense
