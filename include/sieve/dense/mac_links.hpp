// Accesses a level serves to the MACs it fans out to, with the reference
// tool's mesh link transfers (SEMANTICS "Spatial": link transfers).
//
// The level's spatial loops place its children (MACs) on a grid of
// mesh_x columns: child idx = the mixed-radix number of the spatial indices
// (innermost loop least significant) sits at column idx mod mesh_x, row
// idx div mesh_x. On each visit of the spatial block (the index-0/index-1
// walk of every temporal loop above it) each MAC needs one operand point.
// Without links the level serves each distinct point once (multicast). A
// MAC whose point equals what a direct grid neighbour (same row +-1 column,
// same column +-1 row) held on the previous visit may take it over the
// link instead; the links are used on a visit only when they lower the
// number of points served. MACs keep nothing, so links are the only reuse
// across visits at this level.
//
// Thread safety: pure function of its inputs; `work` is per-caller scratch.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "sieve/dense/loop_nest.hpp"
#include "sieve/dense/projection.hpp"
#include "sieve/limits.hpp"

namespace sieve::dense {

// Children handled with exact link analysis; wider fan-outs are served
// without links (every distinct point every visit).
inline constexpr int kMaxLinkChildren = 4096;

// How grid neighbours' spatial indices differ, for one level's children.
// Children are numbered in mixed radix over the level's spatial loops
// (innermost least significant), so child idx + M (M = 1 for the next
// column, mesh_x for the next row) has digits d_i + M_i + c_i - b_i c_(i+1),
// where M_i are M's digits and c the carries of the addition: the digit
// change is set by the carry pattern alone, and a grid has only a few
// patterns. A LevelGrid lists them and tags each child's two forward
// neighbours with theirs. It depends on the loop bounds only, not on the
// data space, so one serves every data space of an evaluation. complete is
// false when there are more patterns than fit a 64-bit mask (or more
// children than kMaxLinkChildren); callers then check child offsets one by
// one.
struct LevelGrid {
  static constexpr int kMaxPatterns = 64;
  static constexpr int kMaxDigits = 2 * kMaxDims;
  bool complete = false;
  int num_digits = 0;
  int count = 0;
  std::array<std::array<int32_t, kMaxDigits>, kMaxPatterns> digit_change;
  std::array<uint8_t, kMaxLinkChildren> step_x;  // pattern from child idx to idx + 1
  std::array<uint8_t, kMaxLinkChildren> step_y;  // pattern from child idx to idx + mesh_x
};
void FindGridSteps(const LoopNest& nest, int level, LevelGrid& grid);

// StorageLinkSavings' tables (storage_links.cpp), kept in the scratch so
// that they keep their capacity from one call to the next: sized by the
// walk, they would otherwise be allocated and freed on every call.
struct StorageLinkTables {
  struct Shape {           // a leaf's delta relative to the child's tile origin
    bool box = false;      // an axis-aligned box (else compared by identity only)
    RankVector corner{};   // lower corner of the box
    RankVector extent{};   // extent of the box
    int64_t size = 0;      // points
  };
  struct Cached {          // the links of one required offset
    RankVector delta;
    int saved_groups;
    int saved_members;     // children in the saved groups
    int linked;
  };
  struct Sub {             // a sub-walk's savings and exit state
    int64_t saved, members, moved;
    int exit;
  };
  std::vector<Shape> shape;
  std::vector<int> slab_id;
  std::vector<Cached> cache;
  std::vector<Sub> memo;
  std::vector<uint8_t> done;
};

// Per-child scratch; its arrays are not initialised (cheap to create), and
// `grid` is for the caller to fill (FindGridSteps).
struct MacLinkWork {
  StorageLinkTables storage;
  std::array<RankVector, kMaxLinkChildren> offset;  // tensor offset of each child's point
  std::array<int32_t, kMaxLinkChildren> group;      // distinct-point id of each child
  std::array<int32_t, kMaxLinkChildren> order;
  std::array<uint8_t, kMaxLinkChildren> group_busy;  // a group member not served by a link
  std::array<uint8_t, kMaxLinkChildren> linked;  // a child served over a link
  std::array<LevelGrid, kMaxLevels> grid;        // per level
};

// Tensor offset of each child of level `level`'s spatial loops (children
// numbered by the mixed radix of the spatial indices, innermost least
// significant) into work.offset; `children` of them (<= kMaxLinkChildren).
void ChildOffsets(const LoopNest& nest, const DataSpaceProjection& p,
                  const std::array<int64_t, kMaxLoops>& stride, int level, int children,
                  MacLinkWork& work);

// Groups children with equal offsets (work.offset, from ChildOffsets):
// work.group[i] is child i's group; returns the number of groups.
int GroupByOffset(int ranks, int children, MacLinkWork& work);

// The tensor translation of each of a grid's step patterns for data space p
// (d[k] = sum_i digit_change[k][i] * the step of spatial loop i).
struct StepMatch {
  uint64_t plus = 0;   // bit k: d[k] == t
  uint64_t minus = 0;  // bit k: d[k] == -t
  bool any() const { return (plus | minus) != 0; }
};
struct NeighbourSteps {
  std::array<RankVector, LevelGrid::kMaxPatterns> d;  // [0, count) used
  int count = 0;
  // The patterns whose translation is t, and those whose is -t.
  StepMatch Match(const RankVector& t, int ranks) const;
};
void NeighbourTranslations(const LoopNest& nest, const DataSpaceProjection& p,
                           const std::array<int64_t, kMaxLoops>& stride, int level,
                           const LevelGrid& grid, NeighbourSteps& out);

// Children of level `level` (mesh_x columns) with a direct grid neighbour j
// whose offset exceeds theirs by delta (offset_j - offset_i == delta) into
// work.linked; returns how many. On a complete grid, decided by each
// neighbour pair's step pattern with no offsets formed; otherwise by the
// children's offsets one by one. REQUIRES: grid from FindGridSteps of this
// nest and level; steps from it when complete, else work.offset from
// ChildOffsets of this level and data space.
int LinkedChildren(const LoopNest& nest, int level, const LevelGrid& grid, const NeighbourSteps& steps,
                   const RankVector& delta, int ranks, MacLinkWork& work);

// Multicast groups of level `level`'s spatial loops for data space `p`: the
// number of distinct tensor offsets its children need (children whose
// offsets coincide share one access, e.g. r + p windows of a convolution).
int64_t SpatialGroups(const LoopNest& nest, const DataSpaceProjection& p,
                      const std::array<int64_t, kMaxLoops>& stride, int level, MacLinkWork& work);

// Total accesses (summed over visits, per instance of the level) that the
// MACs below level 0 make for data space `p`. REQUIRES: level 0's spatial
// loops fan out to the arithmetic; `stride[i]` is loop i's index weight in
// its dimension; `grid` from FindGridSteps(nest, 0).
int64_t MacLevelAccesses(const LoopNest& nest, const DataSpaceProjection& p,
                         const std::array<int64_t, kMaxLoops>& stride, const LevelGrid& grid,
                         MacLinkWork& work);

}  // namespace sieve::dense
