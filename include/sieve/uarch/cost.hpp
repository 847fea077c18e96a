// Step 3 (paper Sec 5.4, micro-architectural model): capacity check,
// bandwidth-limited cycles per level, energy per action and leakage.
// Pure function; thread-safe; allocates nothing.
#pragma once

#include "sieve/dense/traffic.hpp"
#include "sieve/result.hpp"
#include "sieve/sparse/sparse_traffic.hpp"
#include "sieve/uarch/energy_model.hpp"

namespace sieve::uarch {

// Fills `out` from step 1's dense counts and step 2's breakdown of them into
// actual/gated/skipped actions and format traffic (all actual for a dense
// design). On a capacity violation sets out.status and returns early (costs
// are then not filled).
void EvaluateCosts(const dense::DenseTraffic& traffic, const sparse::SparseTraffic& sparse,
                   const ArchCosts& costs, int64_t algorithmic_computes, Result& out);

}  // namespace sieve::uarch
