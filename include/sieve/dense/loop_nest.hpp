// Step 1 input: the loop nest a mapping describes over the architecture.
//
// Conventions (SEMANTICS "Mapping to loop nest"): levels are numbered from
// the innermost storage level (0). Level L owns a block of loops: its
// spatial loops innermost (they fan out to level L-1, or to the arithmetic
// for L = 0), then its temporal loops. Loops of bound 1 are dropped.
// A plain value; building one allocates nothing.
#pragma once

#include <array>
#include <cstdint>

#include "sieve/limits.hpp"
#include "sieve/spec/arch.hpp"
#include "sieve/spec/mapping.hpp"
#include "sieve/status.hpp"

namespace sieve::dense {

// Aggregate without default initialisers: LoopNest leaves unused entries
// untouched, so creating a nest costs nothing.
struct Loop {
  int16_t dim;
  int16_t level;
  bool spatial;
  bool spatial_y;  // spatial loop mapped to mesh Y (else X)
  int64_t bound;
};

// Per-level fan-out limits derived from the architecture's meshes.
struct FanoutLimits {
  int num_levels = 0;
  std::array<int64_t, kMaxLevels> x{};  // mesh_x(child) / mesh_x(level)
  std::array<int64_t, kMaxLevels> y{};
  std::array<bool, kMaxLevels> dummy{};
  // Each level's own mesh and instances (index num_levels: the compute),
  // against which the spatial loops of all levels above are checked.
  std::array<int64_t, kMaxLevels + 1> mesh_x{};
  std::array<int64_t, kMaxLevels + 1> mesh_y{};
  std::array<int64_t, kMaxLevels + 1> instances{};
};

// Throws spec::SpecError when a child's mesh does not divide exactly.
FanoutLimits ComputeFanoutLimits(const spec::Arch& arch);

struct LoopNest {
  int num_levels = 0;
  int num_dims = 0;
  int num_loops = 0;
  std::array<Loop, kMaxLoops> loops;  // innermost first; [0, num_loops) valid
  // Level L's loops are [begin[L], begin[L+1]); its spatial loops are
  // [begin[L], spatial_end[L]).
  std::array<int, kMaxLevels + 1> begin{};
  std::array<int, kMaxLevels> spatial_end{};
  // Fan-out actually used at each level (product of its spatial bounds).
  std::array<int64_t, kMaxLevels> spatial_product{};
  // Columns of each level's fan-out grid: its X fan-out limit, or the
  // mapping's X spatial product where that is wider (the reference lays an
  // X block wider than the mesh out in one row; pair 1312).
  std::array<int64_t, kMaxLevels> mesh_x{};
  // Every loop, bound-1 ones included (a spatial block only where the level
  // fans out), innermost first; level L's are [full_begin[L],
  // full_begin[L+1]). The format analysis follows the reference's rank
  // assignment, which sees unit loops.
  int num_full_loops = 0;
  std::array<Loop, kMaxLoops> full;
  std::array<int, kMaxLevels + 1> full_begin{};
  // Product of all temporal bounds: computes per arithmetic unit.
  int64_t iterations = 1;
  // keep[L][ds]
  std::array<std::array<bool, kMaxDataSpaces>, kMaxLevels> keep{};
  // no_link[L][ds]: the children of level L's fan-out may not exchange ds
  // over mesh links (a mapping's `no_link_transfer`).
  std::array<std::array<bool, kMaxDataSpaces>, kMaxLevels> no_link{};
};

// Queries on a level's full loop order (bound-1 loops included): whether it
// has a spatial block (a fan-out), and the dimensions of its last spatial
// loop and of its first and last temporal loops (-1 when none).
inline bool HasSpatialBlock(const LoopNest& nest, int level) {
  return nest.full_begin[level] < nest.full_begin[level + 1] &&
         nest.full[nest.full_begin[level]].spatial;
}
inline int LastSpatialDim(const LoopNest& nest, int level) {
  int dim = -1;
  for (int i = nest.full_begin[level]; i < nest.full_begin[level + 1]; ++i) {
    if (nest.full[i].spatial) dim = nest.full[i].dim;
  }
  return dim;
}
inline int FirstTemporalDim(const LoopNest& nest, int level) {
  for (int i = nest.full_begin[level]; i < nest.full_begin[level + 1]; ++i) {
    if (!nest.full[i].spatial) return nest.full[i].dim;
  }
  return -1;
}
inline int LastTemporalDim(const LoopNest& nest, int level) {
  const int last = nest.full_begin[level + 1] - 1;
  return last >= nest.full_begin[level] && !nest.full[last].spatial ? nest.full[last].dim : -1;
}

// The nearest level below / above `level` that keeps data space `ds`, -1
// when there is none.
inline int KeeperBelow(const LoopNest& nest, int level, int ds) {
  for (int l = level - 1; l >= 0; --l) {
    if (nest.keep[l][ds]) return l;
  }
  return -1;
}
inline int KeeperAbove(const LoopNest& nest, int level, int ds) {
  for (int l = level + 1; l < nest.num_levels; ++l) {
    if (nest.keep[l][ds]) return l;
  }
  return -1;
}

// Builds the nest. Returns a non-ok Status (kFanoutExceeded,
// kSpatialWithoutFanout, kMappingShape) when the mapping cannot run on the
// architecture; `nest` is then partially filled.
// Thread-safe (pure function).
Status BuildLoopNest(const spec::Mapping& mapping, const FanoutLimits& limits,
                     int num_dims, int num_data_spaces, LoopNest& nest);

}  // namespace sieve::dense
