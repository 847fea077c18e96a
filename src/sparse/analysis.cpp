#include "sieve/sparse/analysis.hpp"

#include <algorithm>
#include <cmath>

#include "sparse/density_models.hpp"
#include "sparse/format_traffic.hpp"

namespace sieve::sparse {
namespace {

// Splits `total` into kept and removed parts: removed = floor(total * p)
// (ceil for read-write data, a reference convention).
double Removed(double total, double p, bool round_up) {
  return round_up ? Ceil(total * p) : Floor(total * p);
}

// Splits ranks [first, ranks) (top rank first) of format traffic.
void SplitFormat(FormatTraffic& f, int first, int ranks, double p, bool skipping) {
  for (int r = std::max(0, first); r < ranks; ++r) {
    const double md = Floor(f.actual[r].metadata * p);
    const double pl = Floor(f.actual[r].payload * p);
    f.actual[r].metadata -= md;
    f.actual[r].payload -= pl;
    RankPair& to = skipping ? f.skipped[r] : f.gated[r];
    to.metadata += md;
    to.payload += pl;
  }
}

void VanishRank(FormatTraffic& f, int r, double p) {
  f.actual[r].metadata -= Floor(f.actual[r].metadata * p);
  f.actual[r].payload -= Floor(f.actual[r].payload * p);
}

// P(a leader tile is empty). Banded leaders take the reference's own
// banded law (density_banded.cpp), not the exact tile count.
double LeaderEmpty(const DensityModel& density, const TileShape& tile) {
  if (!IsBanded(density)) return density.ProbEmpty(tile);
  const BandedReferenceLaw& law = BandedReferenceDistribution(density, tile);
  return !law.prob_by_k.empty() && law.prob_by_k.front().first == 0 ? law.prob_by_k.front().second
                                                                     : 0.0;
}

// Probability that a SAF's leaders leave nothing to do at level `tl`, the
// level that keeps the target (SEMANTICS "Gating/skipping at storage", with
// the reference's leader-tile construction, measured against its build):
//  1. the target loop: with a storage child (the target's next keeper
//     below), the first loop above the child that moves the target; with
//     the compute as child, the first spatial loop of the innermost level
//     that moves the target, else its last spatial loop (of bound 1
//     perhaps), else -- no fan-out there -- a single scalar;
//  2. the leader tile spans the operation space up to and including the
//     target loop, widened by every spatial loop above it up to `tl` (and,
//     for a spatial target loop over a storage child, by the temporal loops
//     that do not move the target, up to the first that does);
//  3. a leader is ineffective (skipped) where a spatial target loop is
//     followed by a loop moving the leader after a shared one;
//  4. block-size scaling: a vector of B words of the target covers
//     B / (target tile / shared-loop span) co-iterated leader tiles, so
//     shared dimensions shrink by f_x / s and the rest of the scale goes to
//     the target loop's dimension (the reference applies s per shared
//     dimension, so a unit shared loop scales twice; matched).
double SafProbability(const dense::LoopNest& nest, const dense::ProjectionTable& proj,
                      const SparseDesign& design, int target, const std::vector<int>& leaders,
                      int tl) {
  const auto& moves_target = proj[target].relevant;
  const int child = dense::KeeperBelow(nest, tl, target);
  bool scalar = false;
  bool target_spatial = false;
  int target_dim = -1;
  int64_t target_bound = 1;
  int rest = 0;  // first nest loop above the target loop
  DimVector mold;
  mold.fill(1);
  if (child >= 0) {
    int found = -1;
    for (int i = nest.begin[child + 1]; i < nest.begin[tl + 1] && found < 0; ++i) {
      if (moves_target[nest.loops[i].dim]) found = i;
    }
    if (found >= 0) {
      target_spatial = nest.loops[found].spatial;
      target_dim = nest.loops[found].dim;
      target_bound = nest.loops[found].bound;
      rest = found + 1;
    } else {
      target_dim = dense::LastTemporalDim(nest, tl);
      rest = nest.begin[tl + 1];
    }
    mold = BoxBelow(nest, rest);
  } else if (dense::HasSpatialBlock(nest, 0)) {
    target_spatial = true;
    int found = -1;
    for (int i = nest.begin[0]; i < nest.spatial_end[0] && found < 0; ++i) {
      if (moves_target[nest.loops[i].dim]) found = i;
    }
    if (found >= 0) {
      target_dim = nest.loops[found].dim;
      target_bound = nest.loops[found].bound;
      rest = found + 1;
    } else {
      target_dim = dense::LastSpatialDim(nest, 0);
      const int last = nest.spatial_end[0] - 1;
      if (last >= nest.begin[0] && nest.loops[last].dim == target_dim) {
        target_bound = nest.loops[last].bound;
      }
      rest = nest.spatial_end[0];
    }
    mold = BoxBelow(nest, rest);
  } else {
    // No fan-out to the compute: the tile is one scalar, "at" the level's
    // first temporal loop.
    scalar = true;
    target_dim = dense::FirstTemporalDim(nest, 0);
    rest = nest.begin[0];
    if (rest < nest.begin[1] && nest.loops[rest].dim == target_dim) {
      target_bound = nest.loops[rest].bound;
      ++rest;
    }
  }
  if (target_dim < 0) target_dim = 0;

  // The leader tile's extra loops (step 2), target loop first.
  struct Extra {
    int dim;
    int64_t bound;
  };
  std::array<Extra, kMaxLoops + 1> extra;
  int num_extra = 0;
  extra[num_extra++] = Extra{target_dim, target_bound};
  DimVector cond = mold;
  bool located = !target_spatial;
  for (int i = rest; i < nest.begin[tl + 1]; ++i) {
    const dense::Loop& loop = nest.loops[i];
    const bool widen_temporal =
        !located && !loop.spatial && child >= 0 && !moves_target[loop.dim];
    if (loop.spatial || widen_temporal) {
      cond[loop.dim] *= loop.bound;
      extra[num_extra++] = Extra{loop.dim, loop.bound};
    }
    if (target_spatial && !loop.spatial && (child < 0 || moves_target[loop.dim])) located = true;
  }

  const int num_dims = nest.num_dims;
  const double block = static_cast<double>(std::max<int64_t>(1, design.block_size[tl]));
  double all_present = 1;
  for (int leader : leaders) {
    const auto& moves_leader = proj[leader].relevant;
    DimVector shared_span;
    shared_span.fill(0);  // 0 = no shared loop in that dimension
    double agg = 1;
    bool co_iterated = false;
    bool ineffective = false;
    if (!scalar) {
      for (int k = 0; k < num_extra && !ineffective; ++k) {
        const Extra& e = extra[k];
        if (target_spatial && co_iterated && moves_leader[e.dim]) {
          ineffective = true;
          break;
        }
        if (moves_target[e.dim] && moves_leader[e.dim]) {
          shared_span[e.dim] = (shared_span[e.dim] == 0 ? 1 : shared_span[e.dim]) * e.bound;
          agg *= static_cast<double>(e.bound);
          co_iterated = true;
        }
      }
    }
    if (ineffective) continue;
    const double granule = static_cast<double>(proj.TileSize(target, mold));
    double scale = std::ceil(block / (granule / agg));
    std::array<double, kMaxDims> box;
    for (int d = 0; d < num_dims; ++d) box[d] = static_cast<double>(cond[d]);
    for (int d = 0; d < num_dims; ++d) {
      if (shared_span[d] == 0) continue;
      const double f = static_cast<double>(shared_span[d]);
      box[d] = std::ceil(box[d] / (f / scale));
      scale /= f;
    }
    if (scale > 1) box[target_dim] = std::trunc(box[target_dim] * scale);
    DimVector leader_box;
    leader_box.fill(1);
    for (int d = 0; d < num_dims; ++d) leader_box[d] = static_cast<int64_t>(box[d]);
    all_present *= 1 - LeaderEmpty(*design.density[leader], ShapeOf(proj, leader, leader_box));
  }
  return 1 - all_present;
}

}  // namespace

Status AnalyzeSparse(const dense::LoopNest& nest, const dense::ProjectionTable& proj,
                     const dense::DenseTraffic& dense, const SparseDesign& design,
                     SparseTraffic& out) {
  const int num_levels = dense.num_levels;
  const int num_ds = dense.num_data_spaces;
  out.sparse = design.active;
  out.computes = ActionSplit{static_cast<double>(dense.computes), 0, 0};
  for (int l = 0; l < num_levels; ++l) {
    for (int ds = 0; ds < num_ds; ++ds) {
      const dense::DataSpaceTraffic& t = dense.levels[l].ds[ds];
      SparseDataSpace& sd = out.levels[l].ds[ds];
      ResetDataSpace(sd);
      if (!t.kept) continue;
      sd.reads.actual = static_cast<double>(t.reads);
      sd.fills.actual = static_cast<double>(t.fills);
      sd.updates.actual = static_cast<double>(t.updates);
      sd.occupancy_words = static_cast<double>(t.tile_size);
    }
  }
  if (!design.active) return Status{};

  // An uncompressed keeper below a compressed one decompresses what it is
  // filled with and compresses what it sends back up: it needs the
  // hardware for it (the reference rejects the mapping otherwise).
  auto compressed = [&](int level, int ds) {
    const int f = design.format[level][ds];
    return f >= 0 && design.compressing[f];
  };
  for (int ds = 0; ds < num_ds; ++ds) {
    for (int l = 0; l < num_levels; ++l) {
      if (!nest.keep[l][ds] || compressed(l, ds)) continue;
      const int parent = dense::KeeperAbove(nest, l, ds);
      if (parent < 0 || !compressed(parent, ds)) continue;
      if (!design.decompression_supported[l]) {
        return Status{StatusCode::kCompressionSupport, l, ds, 1, 0};
      }
      if (proj[ds].read_write && !design.compression_supported[l]) {
        return Status{StatusCode::kCompressionSupport, l, ds, 2, 0};
      }
    }
  }

  // A parent with metadata sends no empty tiles: instances whose tile is
  // empty idle (SEMANTICS "Occupancy, metadata and data accesses").
  for (int l = 0; l < num_levels; ++l) {
    for (int ds = 0; ds < num_ds; ++ds) {
      if (!dense.levels[l].ds[ds].kept) continue;
      const int parent = dense::KeeperAbove(nest, l, ds);
      if (parent < 0 || design.format[parent][ds] < 0) continue;
      const TileShape tile = ShapeOf(proj, ds, BoxBelow(nest, nest.begin[l + 1]));
      // The dropped occupancy is the lowest one the reference lists, empty
      // or not (its banded law is its own, density_banded.cpp). Where that
      // is every tile (probability 1) the reference reports the level idle;
      // sieve keeps the tiles (see format_exact.cpp).
      const DensityModel& density = *design.density[ds];
      const OccupancyLaw law = density.Law();
      double p_empty = 0;
      if (law.kind != OccupancyLaw::Kind::kNone) {
        p_empty = DroppedOccupancyProbability(law, tile.Size());
      } else if (IsBanded(density)) {
        const BandedReferenceLaw& banded = BandedReferenceDistribution(density, tile);
        p_empty = banded.prob_by_k.empty() ? 0 : banded.prob_by_k.front().second;
      } else {
        p_empty = density.ProbEmpty(tile);
      }
      if (p_empty > 0 && p_empty < 1) out.levels[l].ds[ds].instance_fraction = 1 - p_empty;
    }
  }

  for (int l = 0; l < num_levels; ++l) {
    for (int ds = 0; ds < num_ds; ++ds) {
      const int f = design.format[l][ds];
      if (f < 0 || !dense.levels[l].ds[ds].kept) continue;
      const Status s = AnalyzeFormat(nest, proj, design, design.formats[f], l, ds,
                                     dense.levels[l].ds[ds], out.levels[l].ds[ds]);
      if (!s.ok()) return s;
    }
  }

  // Resolve each SAF to the level that keeps its target; of two SAFs on one
  // tile the one removing more wins, and on a tie the first in the design's
  // resolution order (gating before skipping, innermost level first).
  std::array<std::array<double, kMaxDataSpaces>, kMaxLevels> p_at{};
  std::array<std::array<int8_t, kMaxDataSpaces>, kMaxLevels> kind{};  // 0 none, 1 gate, 2 skip
  for (const ResolvedSaf& saf : design.safs) {
    // Applied at the named level, or, when the target bypasses it, at the
    // next level up that keeps the target.
    int level = -1;
    for (int l = saf.named_level; l < num_levels && level < 0; ++l) {
      if (nest.keep[l][saf.target]) level = l;
    }
    if (level < 0) continue;
    const double p = SafProbability(nest, proj, design, saf.target, saf.leaders, level);
    if (kind[level][saf.target] == 0 || p > p_at[level][saf.target]) {
      p_at[level][saf.target] = p;
      kind[level][saf.target] = saf.skipping ? 2 : 1;
    }
  }
  // Savings already applied from a SAF higher up on the same tensor.
  std::array<std::array<double, kMaxDataSpaces>, kMaxLevels> p_above{};
  std::array<std::array<bool, kMaxDataSpaces>, kMaxLevels> saf_above{};
  for (int level = num_levels - 1; level >= 0; --level) {
    for (int ds = 0; ds < num_ds; ++ds) {
      if (kind[level][ds] == 0) continue;
      // Work removed above is already gone here; this SAF removes the rest
      // of what its own leader tile allows: p_eff = 1 - (1-p_local)/(1-p_above).
      const double above = p_above[level][ds];
      const double p = above > 0 && above < 1
                           ? std::max(0.0, 1 - (1 - p_at[level][ds]) / (1 - above))
                           : p_at[level][ds];
      const bool skipping = kind[level][ds] == 2;
      const bool rw = proj[ds].read_write;
      SparseDataSpace& sd = out.levels[level].ds[ds];
      const double reads = Removed(sd.reads.actual, p, rw);
      const double updates = Removed(sd.updates.actual, p, false);
      sd.reads.actual -= reads;
      sd.updates.actual -= updates;
      (skipping ? sd.reads.skipped : sd.reads.gated) += reads;
      (skipping ? sd.updates.skipped : sd.updates.gated) += updates;
      // Format traffic, as the reference splits it: an inner SAF level (one
      // with a SAF on the tensor higher up) first takes its metadata reads
      // to be its metadata updates; only the innermost ranks that the next
      // keeper below also has are split (all without a keeper below, none
      // when that keeper has no format); fills are not split.
      if (saf_above[level][ds]) sd.format_reads.actual = sd.format_updates.actual;
      const int child = dense::KeeperBelow(nest, level, ds);
      const int child_ranks =
          child < 0 ? sd.format_ranks
                    : (design.format[child][ds] >= 0
                           ? static_cast<int>(design.formats[design.format[child][ds]].ranks.size())
                           : 0);
      const int first_split = sd.format_ranks - std::min(sd.format_ranks, child_ranks);
      SplitFormat(sd.format_reads, first_split, sd.format_ranks, p, skipping);
      SplitFormat(sd.format_updates, first_split, sd.format_ranks, p, skipping);
      // Inner copies of the tensor are never needed for the removed work.
      // Down to and including the next level with its own SAF on the tensor
      // (paper Sec 5.3.4: skipping above saves work below).
      // Below an inner SAF level the reference removes that level's own
      // share, not the effective one.
      const double p_below = above > 0 ? p_at[level][ds] : p;
      for (int l = level - 1; l >= 0; --l) {
        if (!nest.keep[l][ds]) continue;
        SparseDataSpace& in = out.levels[l].ds[ds];
        in.reads.actual -= Floor(in.reads.actual * p_below);
        in.fills.actual -= Floor(in.fills.actual * p_below);
        in.updates.actual -= Floor(in.updates.actual * p_below);
        // Inner format traffic loses the share on its innermost rank only,
        // and only below a SAF level with a one-rank format (updates never).
        if (sd.format_ranks == 1 && in.format_ranks > 0) {
          VanishRank(in.format_reads, in.format_ranks - 1, p_below);
          VanishRank(in.format_fills, in.format_ranks - 1, p_below);
        }
        if (kind[l][ds] != 0) {
          p_above[l][ds] = 1 - (1 - above) * (1 - p);
          saf_above[l][ds] = true;
          break;
        }
      }
    }
  }

  // (De)compression happens at the uncompressed side of a boundary between a
  // compressed (B, CP or RLE) and an uncompressed copy of a tensor, as the
  // reference counts it, after the SAFs: per instance, the keeper's own
  // actual fills from a compressed parent are decompressed (a SAF above
  // lowers them), and the parent's actual updates (per parent instance) are
  // compressed on the way up (04.2.1: shared_glb compresses DRAM's 104613
  // actual Outputs updates).
  for (int l = 0; l < num_levels; ++l) {
    for (int ds = 0; ds < num_ds; ++ds) {
      const dense::DataSpaceTraffic& t = dense.levels[l].ds[ds];
      if (!t.kept || compressed(l, ds)) continue;
      const int parent = dense::KeeperAbove(nest, l, ds);
      const int child = dense::KeeperBelow(nest, l, ds);
      SparseDataSpace& sd = out.levels[l].ds[ds];
      if (parent >= 0 && compressed(parent, ds)) {
        sd.decompressions = sd.fills.actual;
        if (proj[ds].read_write) sd.compressions = out.levels[parent].ds[ds].updates.actual;
      }
      if (child >= 0 && compressed(child, ds)) {
        sd.compressions += static_cast<double>(t.reads);
      }
    }
  }

  // Computes (SEMANTICS "Compute gating/skipping", in the form the
  // reference's operand analysis takes). A storage SAF on a read-only
  // tensor removes the computes its innermost application removes, once,
  // with that level's own probability, in data-space order.
  double c = out.computes.actual;
  std::array<double, kMaxDataSpaces> icp;
  icp.fill(-1);
  for (int ds = 0; ds < num_ds; ++ds) {
    if (proj[ds].read_write) continue;
    for (int l = 0; l < num_levels; ++l) {
      if (kind[l][ds] == 0) continue;
      c -= Floor(c * p_at[l][ds]);
      icp[ds] = std::round(p_at[l][ds] * 1e6) / 1e6;
      break;
    }
  }
  if (design.joint_nonzero_fraction >= 0 && (design.compute_gating || design.compute_skipping)) {
    // Actual data: the work left is exactly the jointly nonzero points.
    // The reference reports one more than that count; matched here.
    const double joint =
        std::round(design.joint_nonzero_fraction * static_cast<double>(dense.computes)) + 1;
    const double removed = std::max(0.0, c - std::min(c, joint));
    out.computes.actual = c - removed;
    (design.compute_skipping ? out.computes.skipped : out.computes.gated) += removed;
    return Status{};
  }
  // Each read-only operand arrives nonzero (ENZ) with its density d (the
  // expected occupancy of one element, to 6 decimals), else as a zero that
  // metadata marks as absent (NE) or as a zero value (EZ). A storage SAF on
  // one operand leaves only work where its leaders were nonzero, so the
  // other operand's d becomes d / (1 - p) (both ways when both have SAFs).
  std::array<int, kMaxDataSpaces> ops;
  int num_ops = 0;
  for (int ds = 0; ds < num_ds; ++ds) {
    if (!proj[ds].read_write) ops[num_ops++] = ds;
  }
  struct States {
    double enz, ez, ne;
  };
  std::array<States, kMaxDataSpaces> st;
  std::array<double, kMaxDataSpaces> d0;
  std::array<bool, kMaxDataSpaces> metadata;
  TileShape one;
  for (int k = 0; k < num_ops; ++k) {
    const int ds = ops[k];
    one.num_ranks = proj[ds].num_ranks;
    for (int r = 0; r < one.num_ranks; ++r) one.extent[r] = 1;
    d0[k] = std::round(design.density[ds]->ExpectedOccupancy(one) * 1e6) / 1e6;
    int innermost = -1;
    for (int l = 0; l < num_levels && innermost < 0; ++l) {
      if (nest.keep[l][ds]) innermost = l;
    }
    metadata[k] = innermost >= 0 && design.format[innermost][ds] >= 0;
  }
  auto set_states = [&](int k, double d) {
    d = std::clamp(d, 0.0, 1.0);
    st[k] = metadata[k] ? States{d, 0, 1 - d} : States{d, 1 - d, 0};
  };
  for (int k = 0; k < num_ops; ++k) {
    double d = d0[k];
    // Conditioned on every other operand with a storage SAF.
    for (int j = 0; j < num_ops; ++j) {
      if (j != k && icp[ops[j]] >= 0 && icp[ops[j]] < 1) d /= 1 - icp[ops[j]];
    }
    set_states(k, d);
  }
  // Sum over the joint operand states: all nonzero -> actual; all absent
  // -> no compute at all; any absent -> skipped (or gated, or actual); any
  // zero value -> gated (or actual).
  double actual = 0, gated = 0, skipped = 0, none = 0;
  const int combos = num_ops >= 1 ? 1 << (2 * num_ops) : 0;
  for (int m = 0; m < combos; ++m) {
    double prob = 1;
    int n_ne = 0, n_ez = 0;
    bool valid = true;
    for (int k = 0; k < num_ops && valid; ++k) {
      const int s_k = (m >> (2 * k)) & 3;  // 0 ENZ, 1 EZ, 2 NE
      if (s_k == 3) valid = false;
      else {
        prob *= s_k == 0 ? st[k].enz : s_k == 1 ? st[k].ez : st[k].ne;
        n_ez += s_k == 1;
        n_ne += s_k == 2;
      }
    }
    if (!valid) continue;
    const double work = c * prob;
    if (n_ne == num_ops) {
      none += work;
    } else if (n_ne > 0) {
      (design.compute_skipping ? skipped : design.compute_gating ? gated : actual) += work;
    } else if (n_ez > 0) {
      (design.compute_gating ? gated : actual) += work;
    }
  }
  if (num_ops == 0) none = 0;
  out.computes.skipped += Floor(skipped);
  out.computes.gated += Floor(gated);
  out.computes.actual = c - Floor(skipped) - Floor(gated) - Floor(none);
  return Status{};
}

}  // namespace sieve::sparse
