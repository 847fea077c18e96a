// Link transfers between storage instances of one fan-out (SEMANTICS
// "Spatial": link transfers; the reference tool's network link model).
//
// A level that fans out to storage children walks its children's tiles
// with the index-0/index-1 walk of delta_walk.hpp. On each leaf every child
// needs a delta (the points its tile gains); a child whose delta, as a set
// of tensor points, equals what a direct grid neighbour (same row +-1
// column, same column +-1 row) received on the previous leaf takes it from
// that neighbour over a link instead of from the parent. Links are used on
// a leaf only when they lower the number of deltas the parent serves
// (multicast groups with at least one child that is not linked).
//
// Each leaf's delta is one of: empty (the tile did not move), the full
// tile, or the slab T(x) \ T(x - t) of a translation class; the literal
// walk's 2^L leaves are summed by a dynamic programme over (stride state,
// previous delta), exact for every delta that is a box and for equal
// non-box deltas. Non-box deltas of different translations (an L-shaped
// slab against a box) are taken never to match.
//
// Thread safety: pure function of its inputs; `work` is per-caller scratch.
#pragma once

#include <array>
#include <cstdint>

#include "sieve/dense/delta_walk.hpp"
#include "sieve/dense/loop_nest.hpp"
#include "sieve/dense/mac_links.hpp"
#include "sieve/dense/projection.hpp"

namespace sieve::dense {

// Per parent instance, summed over the walk.
struct LinkSavings {
  int64_t parent_accesses = 0;  // accesses the parent no longer serves
  int64_t child_fills = 0;      // fills those accesses would have made (multicast included)
  int64_t link_transfers = 0;   // points moved over links
};

// Savings at level `level` (whose spatial loops fan out to level - 1, which
// keeps read-only data space `p`). `walk` is level - 1's temporal walk (as
// for CountDeltas: its tile extents and the temporal loops above it);
// `stride[i]` is loop i's index weight in its dimension; `grid` from
// FindGridSteps(nest, level). Zero when the fan-out has one child or more
// than kMaxLinkChildren.
LinkSavings StorageLinkSavings(const LoopNest& nest, const DataSpaceProjection& p,
                               const std::array<int64_t, kMaxLoops>& stride, int level,
                               const LevelGrid& grid, const WalkInput& walk, HaloRule rule,
                               MacLinkWork& work);

}  // namespace sieve::dense
