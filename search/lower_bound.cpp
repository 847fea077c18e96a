#include "search/lower_bound.hpp"

#include <algorithm>
#include <cmath>

namespace sieve::search {

LowerBound::LowerBound(const Design& design, const Mapspace& space) : design_(design), space_(space) {
  const int num_ds = design.num_data_spaces();
  const sparse::SparseDesign& sp = design.sparse;
  // Skipping removes computes (and their cycles) and accesses of other
  // tensors than its target; gating only makes them cheaper.
  bool skipping = sp.compute_skipping;
  for (const sparse::ResolvedSaf& s : sp.safs) skipping = skipping || s.skipping;
  // Any SAF may remove computes: a storage SAF leaves only the work where
  // its leaders are nonzero (Sec 5.3), so neither the compute count nor the
  // compute cycles are bounded by the dense ones.
  any_saf_ = !sp.safs.empty() || sp.compute_gating || sp.compute_skipping;
  bool compressed = false;
  for (int l = 0; l < design.num_levels(); ++l)
    for (int ds = 0; ds < num_ds; ++ds) compressed = compressed || sp.format[l][ds] >= 0;
  // Without skipping and compression, gating SAFs only remove the computes
  // where a leader tile is empty, which happens at most as often as a
  // leader element is zero: the work left (actual + gated computes, each a
  // cycle) is at least N x the product, over read-only targets, of their
  // leaders' densities. (Compute gating keeps the work, at gated cost.)
  work_fraction_ = 1;
  if (!skipping && !compressed) {
    for (const sparse::ResolvedSaf& s : sp.safs) {
      if (design.projection[s.target].read_write) continue;
      for (int leader : s.leaders) {
        sparse::TileShape one;
        one.num_ranks = design.projection[leader].num_ranks;
        for (int r = 0; r < one.num_ranks; ++r) one.extent[r] = 1;
        work_fraction_ *= std::clamp(sp.density[leader]->ExpectedOccupancy(one), 0.0, 1.0);
      }
    }
  } else if (any_saf_) {
    work_fraction_ = 0;
  }
  dense_.assign(num_ds, !skipping);
  for (const sparse::ResolvedSaf& s : sp.safs) dense_[s.target] = false;
  for (int l = 0; l < design.num_levels(); ++l)
    for (int ds = 0; ds < num_ds; ++ds)
      if (sp.format[l][ds] >= 0) dense_[ds] = false;
  dense::DimVector bounds;
  bounds.fill(1);
  const int64_t n = design.algorithmic_computes;
  computes_ = static_cast<double>(n);
  words_.resize(num_ds);
  // The whole problem box: each dimension's bound is the product of its
  // factors at every level, the same for every factorization.
  Choice zero;
  for (int l = 0; l < design.num_levels(); ++l) {
    dense::DimVector t, s;
    space.LevelFactors(zero, l, t, s);
    for (int d = 0; d < design.num_dims(); ++d) bounds[d] *= t[d] * s[d];
  }
  for (int ds = 0; ds < num_ds; ++ds) words_[ds] = static_cast<double>(design.projection.TileSize(ds, bounds));
  const uarch::ArchCosts& c = design.costs;
  compute_pj_ = static_cast<double>(n) * work_fraction_ *
                std::min(c.compute_pj, sp.compute_gating ? c.compute_gated_pj : c.compute_pj);
  for (int l = 0; l < c.num_levels; ++l) leak_per_cycle_pj_ += c.levels[l].leak_pj;
}

std::array<double, kMaxObjectives> LowerBound::Of(const Choice& choice,
                                                  const std::vector<Objective>& objectives) const {
  const int num_levels = design_.num_levels();
  const int num_ds = design_.num_data_spaces();
  const int num_dims = design_.num_dims();
  const uarch::ArchCosts& costs = design_.costs;
  std::array<dense::DimVector, kMaxLevels> temporal, spatial;
  double cycles = 1;
  for (int l = 0; l < num_levels; ++l) {
    space_.LevelFactors(choice, l, temporal[l], spatial[l]);
    for (int d = 0; d < num_dims; ++d) cycles *= static_cast<double>(temporal[l][d]);
  }
  // The model rounds the compute cycles up from (work left) / MACs used.
  cycles = bounds_cycles() ? std::max(1.0, std::floor(cycles * work_fraction_ * (1 - 1e-12))) : 1;

  double energy = compute_pj_ + leak_per_cycle_pj_ * cycles;
  for (int ds = 0; ds < num_ds; ++ds) {
    if (!dense_[ds]) continue;
    const dense::DataSpaceProjection& p = design_.projection[ds];
    // The arithmetic below the innermost level: every compute takes its
    // operands from it (reads) and hands it its result (updates), one
    // access serving all the MACs of a multicast (or spatial reduction)
    // over dimensions the tensor does not depend on.
    if (space_.AlwaysKeeps(0, ds)) {
      const uarch::LevelCosts& lc = costs.levels[0];
      double shared = 1;
      for (int d = 0; d < num_dims; ++d)
        if (!p.relevant[d]) shared *= static_cast<double>(spatial[0][d]);
      const double per_vector = 1.0 / static_cast<double>(std::max<int64_t>(1, lc.block_size) *
                                                          std::max<int64_t>(1, lc.cluster_size));
      energy += computes_ / shared * per_vector * (p.read_write ? lc.update_pj : lc.read_pj);
    }
    // Replication: spatial factors above the level over dimensions the
    // tensor does not depend on, accumulated from the top down.
    double replication = 1;
    for (int l = num_levels - 1; l >= 0; --l) {
      const uarch::LevelCosts& lc = costs.levels[l];
      const double per_vector = 1.0 / static_cast<double>(std::max<int64_t>(1, lc.block_size) *
                                                          std::max<int64_t>(1, lc.cluster_size));
      if (l == num_levels - 1) {
        energy += words_[ds] * per_vector * (p.read_write ? lc.update_pj : lc.read_pj);
      } else if (space_.AlwaysKeeps(l, ds)) {
        energy += words_[ds] * replication * per_vector * (p.read_write ? lc.update_pj : lc.fill_pj);
      }
      for (int d = 0; d < num_dims; ++d)
        if (!p.relevant[d]) replication *= static_cast<double>(spatial[l][d]);
    }
  }

  std::array<double, kMaxObjectives> out{};
  for (size_t i = 0; i < objectives.size(); ++i) {
    switch (objectives[i]) {
      case Objective::kEnergy: out[i] = energy; break;
      case Objective::kCycles: out[i] = cycles; break;
      case Objective::kEdp: out[i] = energy * 1e-12 * cycles; break;
      default: out[i] = 0; break;
    }
  }
  return out;
}

}  // namespace sieve::search
