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
#include "sieve/dense/mac_links.hpp"
#include "sieve/dense/projection.hpp"
#include "sieve/limits.hpp"

namespace sieve::dense {

// The arrays below are aggregates without default initialisers:
// AnalyzeTraffic writes every entry of the levels and data spaces in use, and
// leaving the rest untouched keeps a DenseTraffic free to create (it sits on
// the evaluator's hot path).
struct DataSpaceTraffic {
  bool kept;
  int64_t tile_size;  // words of this data space held per instance
  int64_t partition;  // words of the tensor owned per instance
  // Per instance, algorithmic (dense) counts; zero where not kept.
  int64_t reads;
  int64_t fills;
  int64_t updates;
};

struct LevelTraffic {
  std::array<DataSpaceTraffic, kMaxDataSpaces> ds;
  int64_t used_instances;  // instances the mapping's spatial loops use
};

struct DenseTraffic {
  int num_levels = 0;
  int num_data_spaces = 0;
  std::array<LevelTraffic, kMaxLevels> levels;  // [0, num_levels) valid
  int64_t computes = 0;     // total multiply-accumulates performed
  int64_t used_macs = 1;    // arithmetic units the mapping uses
  int64_t iterations = 1;   // computes per arithmetic unit (temporal steps)
};

// REQUIRES: nest built by BuildLoopNest with an ok Status. `links` is
// scratch for the MAC-level link analysis (see mac_links.hpp).
void AnalyzeTraffic(const LoopNest& nest, const ProjectionTable& projection, HaloRule rule,
                    MacLinkWork& links, DenseTraffic& out);

}  // namespace sieve::dense
