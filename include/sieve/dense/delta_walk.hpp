// Temporal delta counting: how many new tensor points a level's tile brings
// in over the whole run (the fills it requests from the level above).
//
// Follows the reference tool's walk (SEMANTICS "Temporal deltas"): depth
// first over the loops above the tile, each temporal loop visiting index 0
// (weight w) and index 1 (weight w(N-1)); a per-run previous tile P and
// stride s decide the overlap credit. The walk has 2^L leaves; here every
// sub-walk of the same depth repeats the same translations, so its total and
// exit stride depend only on its entry stride, which gives an O(L^2)
// dynamic programme with exactly the literal walk's numbers.
#pragma once

#include <array>
#include <cstdint>

#include "sieve/limits.hpp"

namespace sieve::dense {

enum class HaloRule : uint8_t {
  k2025,    // default: a stationary step keeps the stride (current reference)
  kPre2025, // a stationary step records stride 0 (reproduces older outputs)
};

// One temporal loop above the tile: its bound and the translation of the
// tile in tensor coordinates when its index steps by one.
struct WalkLoop {
  int64_t bound;
  std::array<int64_t, kMaxRanks> step;  // entries [0, num_ranks) used
};

// Array entries past num_ranks / num_loops are never read and are left
// uninitialised, so a WalkInput on the stack costs nothing to create.
struct WalkInput {
  int num_ranks = 0;
  std::array<int64_t, kMaxRanks> extent;  // tile extent per tensor rank
  int num_loops = 0;                      // innermost first
  std::array<WalkLoop, kMaxLoops> loops;
};

// Translations between consecutive leaves of the walk. Leaves in
// depth-first order form a binary counter (outermost loop = most significant
// bit): going from leaf x to x+1 sets bit j = ctz(x+1) and clears the bits
// below it, so the tile moves by T_j = step_j - sum_{i<j} step_i, which
// depends on j only. Entries past num_loops are left uninitialised.
struct LeafTranslations {
  std::array<std::array<int64_t, kMaxRanks>, kMaxLoops> t;  // T_j
  std::array<bool, kMaxLoops> zero;                         // T_j == 0
  std::array<int, kMaxLoops> cls;        // equality class of T_j, [0, num_classes)
  std::array<int, kMaxLoops> class_rep;  // the first j of each class
  int num_classes;
};
void ComputeLeafTranslations(const WalkInput& in, LeafTranslations& out);

// Total new points (sum over leaves of new * weight), including the first
// tile. REQUIRES: every bound >= 2, num_loops <= kMaxLoops.
int64_t CountDeltas(const WalkInput& in, HaloRule rule);

}  // namespace sieve::dense
