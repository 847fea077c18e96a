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

#include "sieve/dense/loop_nest.hpp"
#include "sieve/dense/projection.hpp"
#include "sieve/limits.hpp"

namespace sieve::dense {

// Children handled with exact link analysis; wider fan-outs are served
// without links (every distinct point every visit).
inline constexpr int kMaxLinkChildren = 4096;

// Per-child scratch; its arrays are not initialised (free to create).
struct MacLinkWork {
  std::array<RankVector, kMaxLinkChildren> offset;  // tensor offset of each child's point
  std::array<int32_t, kMaxLinkChildren> group;      // distinct-point id of each child
  std::array<int32_t, kMaxLinkChildren> order;
  std::array<uint8_t, kMaxLinkChildren> group_busy;  // a group member not served by a link
};

// Total accesses (summed over visits, per instance of `level`) that the MACs
// below level `level` make for data space `p`. REQUIRES: the level's spatial
// loops fan out to the arithmetic (level 0); `stride[i]` is loop i's index
// weight in its dimension; `mesh_x` the level's X fan-out limit.
int64_t MacLevelAccesses(const LoopNest& nest, const DataSpaceProjection& p,
                         const std::array<int64_t, kMaxLoops>& stride, int64_t mesh_x,
                         MacLinkWork& work);

// Tensor offset of each child of level `level`'s spatial loops (children
// numbered by the mixed radix of the spatial indices, innermost least
// significant) into work.offset; `children` of them (<= kMaxLinkChildren).
void ChildOffsets(const LoopNest& nest, const DataSpaceProjection& p,
                  const std::array<int64_t, kMaxLoops>& stride, int level, int children,
                  MacLinkWork& work);

// Groups children with equal offsets (work.offset, from ChildOffsets):
// work.group[i] is child i's group; returns the number of groups.
int GroupByOffset(int ranks, int children, MacLinkWork& work);

// Every translation offset_j - offset_i between grid neighbours i, j of
// level `level`'s children can take, with both signs left to the caller: a
// superset, from the loops alone (no child is visited). Children are
// numbered in mixed radix over the spatial loops (innermost least
// significant), so idx -> idx + 1 moves by d_c = s_c - sum_{i<c} (b_i - 1) s_i
// where c is the lowest digit not at its maximum; idx -> idx + mesh_x, when
// mesh_x is the product of the first m bounds, by the same form over digits
// m and up. Returns false when the set is not known to be complete (mesh_x
// splits a loop), in which case every translation must be checked child by
// child.
struct NeighbourSteps {
  std::array<RankVector, 2 * kMaxLoops> d;  // [0, count) used
  int count = 0;
  // Whether t or -t is one of d.
  bool Contains(const RankVector& t, int ranks) const;
};
bool NeighbourTranslations(const LoopNest& nest, const DataSpaceProjection& p,
                           const std::array<int64_t, kMaxLoops>& stride, int level, NeighbourSteps& out);

// Multicast groups of level `level`'s spatial loops for data space `p`: the
// number of distinct tensor offsets its children need (children whose
// offsets coincide share one access, e.g. r + p windows of a convolution).
int64_t SpatialGroups(const LoopNest& nest, const DataSpaceProjection& p,
                      const std::array<int64_t, kMaxLoops>& stride, int level, MacLinkWork& work);

}  // namespace sieve::dense
