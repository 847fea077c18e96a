// Lower bounds of a mapping's objectives from its factorization alone,
// valid for every completion (loop orders, X/Y placement, bypass of the
// free levels): the optimal strategy drops a factorization whose bound a
// found point strictly dominates.
//
// The bounds, with N the algorithmic computes:
//   cycles  the product of all temporal factors (= N / MACs in use) times
//           the fraction of work a design's gating SAFs can leave at least
//           (each storage SAF on an input removes the computes where a
//           leader tile is empty, at most as often as a leader element is
//           zero: the product of the leaders' densities); 1 when the design
//           skips or compresses (skipped and absent work takes no cycle);
//   energy  N x that fraction x the cheapest compute action (actual, or
//           gated with compute gating), plus, for
//           each tensor that no SAF targets and no level compresses (its
//           accesses are then the dense ones), when the design skips
//           nothing: the innermost level, when it always keeps the tensor,
//           serves every compute (a read, or an update for an output), one
//           access for the MACs its fan-out multicasts to (or reduces
//           from) over dimensions the tensor does not depend on; the
//           outermost level reads each input word once and
//           takes each output word once (updates); a level that always
//           keeps a tensor is filled (inputs) or updated (outputs) with
//           every word its instances need, at least the tensor times the
//           spatial factors above the level over dimensions the tensor does
//           not depend on (those instances need the same words); plus every
//           level's leakage over the cycle bound on one instance;
//   edp     their product; area, last-level accesses: 0 (no bound).
// Accesses are counted in vectors (block_size words), not rounded up: a
// lower bound of the model's rounded counts.
//
// Thread safety: immutable after construction.
#pragma once

#include <array>
#include <vector>

#include "search/mapspace.hpp"
#include "search/pareto_archive.hpp"
#include "sieve/design.hpp"

namespace sieve::search {

class LowerBound {
 public:
  LowerBound(const Design& design, const Mapspace& space);

  // Bounds of every mapping with c's factorization, in `objectives` order.
  std::array<double, kMaxObjectives> Of(const Choice& c, const std::vector<Objective>& objectives) const;

  bool bounds_cycles() const { return work_fraction_ > 0; }
  // Tensors whose accesses enter the energy bound.
  const std::vector<bool>& dense_tensors() const { return dense_; }

 private:
  const Design& design_;
  const Mapspace& space_;
  bool any_saf_ = false;
  double work_fraction_ = 1;  // computes left of N, at least (0: no bound)
  std::vector<bool> dense_;       // per data space
  std::vector<double> words_;     // per data space: the whole tensor
  double compute_pj_ = 0;         // N x the compute energy (0 with SAFs)
  double computes_ = 0;           // N
  double leak_per_cycle_pj_ = 0;  // one instance of every level
};

}  // namespace sieve::search
