// Step 2 (paper Sec 5.3): sparse traffic from dense traffic.
//
//   formats     a compressed tile stores only its nonzeros: reads, fills
//               and updates keep the expected-density share, and each rank
//               adds metadata/payload accesses (Sec 5.3.3);
//   gating /    a leader-follower SAF removes the follower's accesses when
//   skipping    the leader tile is empty, at the level that keeps the
//               follower; inner levels lose the same share, and read-only
//               followers remove computes too (Sec 5.3.4);
//   compute     compute gating/skipping by operand states.
// Follows SEMANTICS.md "Occupancy...", "Gating/skipping", "Compute
// gating/skipping". Pure function; thread-safe; allocates nothing.
#pragma once

#include "sieve/dense/loop_nest.hpp"
#include "sieve/dense/projection.hpp"
#include "sieve/dense/traffic.hpp"
#include "sieve/sparse/sparse_design.hpp"
#include "sieve/sparse/sparse_traffic.hpp"
#include "sieve/status.hpp"

namespace sieve::sparse {

// Returns a non-ok Status (kFormatRanks) when a compressed tile has more
// loops than its format has ranks.
Status AnalyzeSparse(const dense::LoopNest& nest, const dense::ProjectionTable& projection,
                     const dense::DenseTraffic& dense, const SparseDesign& design,
                     SparseTraffic& out);

}  // namespace sieve::sparse
