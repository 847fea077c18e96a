#include "sieve/sparse/analysis.hpp"

#include <cmath>

namespace sieve::sparse {
namespace {

using dense::DimVector;

DimVector BoxOf(const dense::LoopNest& nest, const bool* include) {
  DimVector e;
  e.fill(1);
  for (int i = 0; i < nest.num_loops; ++i) {
    if (include[i]) e[nest.loops[i].dim] *= nest.loops[i].bound;
  }
  return e;
}

DimVector BoxBelow(const dense::LoopNest& nest, int end) {
  DimVector e;
  e.fill(1);
  for (int i = 0; i < end; ++i) e[nest.loops[i].dim] *= nest.loops[i].bound;
  return e;
}

TileShape ShapeOf(const dense::ProjectionTable& proj, int ds, const DimVector& box) {
  TileShape t;
  t.num_ranks = proj[ds].num_ranks;
  const dense::RankVector e = proj.RankExtents(ds, box);
  for (int r = 0; r < t.num_ranks; ++r) t.extent[r] = e[r];
  return t;
}

double Floor(double x) { return std::floor(x + 1e-9); }
double Ceil(double x) { return std::ceil(x - 1e-9); }

// Splits `total` into kept and removed parts: removed = floor(total * p)
// (ceil for read-write data, a reference convention).
double Removed(double total, double p, bool round_up) {
  return round_up ? Ceil(total * p) : Floor(total * p);
}

void SplitFormat(FormatTraffic& f, int ranks, double p, bool skipping) {
  for (int r = 0; r < ranks; ++r) {
    const double md = Floor(f.actual[r].metadata * p);
    const double pl = Floor(f.actual[r].payload * p);
    f.actual[r].metadata -= md;
    f.actual[r].payload -= pl;
    RankPair& to = skipping ? f.skipped[r] : f.gated[r];
    to.metadata += md;
    to.payload += pl;
  }
}

void Vanish(FormatTraffic& f, int ranks, double p) {
  for (int r = 0; r < ranks; ++r) {
    f.actual[r].metadata -= Floor(f.actual[r].metadata * p);
    f.actual[r].payload -= Floor(f.actual[r].payload * p);
  }
}

// Fills the format traffic and occupancy of one compressed tile.
Status AnalyzeFormat(const dense::LoopNest& nest, const dense::ProjectionTable& proj,
                     const SparseDesign& design, const ResolvedFormat& format, int level, int ds,
                     const dense::DataSpaceTraffic& t, SparseDataSpace& sd) {
  const DensityModel& density = *design.density[ds];
  const DimVector tile_box = BoxBelow(nest, nest.begin[level + 1]);
  const TileShape tile = ShapeOf(proj, ds, tile_box);
  const double size = static_cast<double>(t.tile_size);
  const double expected = density.ExpectedOccupancy(tile);
  sd.expected_density = size > 0 ? expected / size : 1;
  sd.occupancy_words = static_cast<double>(density.Occupancy(tile, design.confidence[level]));

  // A compressed level stores and moves only the nonzeros.
  auto keep_share = [&](double x) { return x - Floor(x * (1 - sd.expected_density)); };
  sd.reads.actual = keep_share(sd.reads.actual);
  sd.fills.actual = keep_share(sd.fills.actual);
  if (proj[ds].read_write) sd.updates.actual = keep_share(sd.updates.actual);

  // Ranks take the relevant loops inside the tile from the outermost in;
  // loops of the level itself and of levels that bypass the tensor must all
  // get a rank; deeper loops form the innermost rank's elements.
  int child_keeper = -1;
  for (int l = level - 1; l >= 0; --l) {
    if (nest.keep[l][ds]) {
      child_keeper = l;
      break;
    }
  }
  const int own_begin = child_keeper < 0 ? 0 : nest.begin[child_keeper + 1];
  std::array<int, kMaxLoops> loops;
  int num_loops = 0;
  int own_loops = 0;
  for (int i = nest.begin[level + 1] - 1; i >= 0; --i) {
    if (!proj[ds].relevant[nest.loops[i].dim]) continue;
    loops[num_loops++] = i;
    if (i >= own_begin) ++own_loops;
  }
  const int num_ranks = static_cast<int>(format.ranks.size());
  sd.format_ranks = num_ranks;
  std::array<int, kMaxLoops> rank_of;  // rank index per entry of loops, -1 = element
  if (format.ranks.front().flattened_dims.empty()) {
    if (own_loops > num_ranks) {
      return Status{StatusCode::kFormatRanks, level, ds, own_loops, num_ranks};
    }
    // Outer to inner: the top ranks take the outer loops, unless ranks apply
    // inner to outer, when the innermost rank takes the innermost own loop.
    const int used = std::min(num_loops, num_ranks);
    const int first_rank = format.inner_to_outer ? num_ranks - std::max(own_loops, used) : 0;
    for (int k = 0; k < num_loops; ++k) {
      const int r = first_rank + k;
      rank_of[k] = (r >= 0 && r < num_ranks && k < std::max(own_loops, used)) ? r : -1;
    }
  } else {
    // Flattened ranks merge loops. A loop goes to the rank that lists its
    // dimension; where several ranks list it (formats often flatten every
    // dimension in every rank), the ranks follow the storage hierarchy: the
    // top rank takes this level's own loops, the next one the loops of the
    // next keeper down, and so on.
    std::array<int, kMaxLoops> segment;
    {
      int seg = 0;
      int seg_begin = own_begin;
      int keeper = child_keeper;
      for (int k = 0; k < num_loops; ++k) {
        while (loops[k] < seg_begin) {
          ++seg;
          int next = -1;
          for (int l = keeper - 1; l >= 0; --l) {
            if (nest.keep[l][ds]) {
              next = l;
              break;
            }
          }
          seg_begin = next < 0 ? 0 : nest.begin[next + 1];
          keeper = next;
          if (seg_begin == 0 && loops[k] < 0) break;
        }
        segment[k] = seg;
      }
    }
    for (int k = 0; k < num_loops; ++k) {
      rank_of[k] = -1;
      const int dim = nest.loops[loops[k]].dim;
      std::array<int, kMaxRanks> candidates;
      int n = 0;
      for (int r = 0; r < num_ranks; ++r) {
        for (int d : format.ranks[r].flattened_dims) {
          if (d == dim) {
            candidates[n++] = r;
            break;
          }
        }
      }
      if (n > 0) rank_of[k] = candidates[std::min(segment[k], n - 1)];
    }
  }

  // Per rank: fiber shape f, fibers F, P(fiber empty), P(sub-fiber empty).
  std::array<double, kMaxRanks + 1> fiber{};
  std::array<double, kMaxRanks + 2> p_empty{};  // [r]: tile of ranks >= r; [n]: element
  for (int r = 0; r < num_ranks; ++r) {
    double f = 1;
    for (int k = 0; k < num_loops; ++k) {
      if (rank_of[k] == r) f *= static_cast<double>(nest.loops[loops[k]].bound);
    }
    fiber[r] = f;
  }
  std::array<bool, kMaxLoops> include{};
  for (int r = num_ranks; r >= 0; --r) {
    // Box of everything at rank r and below: the element loops plus the
    // loops of ranks >= r (irrelevant loops do not change the tile).
    for (int i = 0; i < nest.num_loops; ++i) include[i] = false;
    for (int k = 0; k < num_loops; ++k) {
      if (rank_of[k] < 0 || rank_of[k] >= r) include[loops[k]] = true;
    }
    p_empty[r] = density.ProbEmpty(ShapeOf(proj, ds, BoxOf(nest, include.data())));
  }
  int innermost = 0;
  for (int r = 0; r < num_ranks; ++r) {
    if (fiber[r] > 1) innermost = r;
  }
  double fibers = 1;
  for (int r = 0; r < num_ranks; ++r) {
    RankUnits u;
    if (r == 0 || fiber[r] > 1) {
      RankContext c;
      c.fibers = fibers;
      c.fiber_shape = fiber[r];
      c.p_fiber_empty = p_empty[r];
      c.p_sub_empty = p_empty[r + 1];
      c.innermost = r == innermost;
      u = format.ranks[r].model->Units(c);
    }
    sd.occupancy_format[r] = RankPair{u.metadata, u.payload};
    fibers *= fiber[r];
    // Metadata accesses follow the dense accesses in proportion to the tile.
    auto per = [&](double x) {
      return size > 0 ? RankPair{Ceil(u.metadata * x / size), Ceil(u.payload * x / size)}
                      : RankPair{};
    };
    sd.format_reads.actual[r] = per(static_cast<double>(t.reads));
    sd.format_fills.actual[r] = per(static_cast<double>(t.fills));
    sd.format_updates.actual[r] = per(static_cast<double>(t.updates));
  }
  return Status{};
}

// Probability that a SAF's leaders leave nothing to do (SEMANTICS
// "Gating/skipping at storage"): the leader tile is the operation space
// below the innermost loop that moves the target, searched between the
// target's child and the SAF level; a target fed straight to the compute by
// an innermost temporal loop is conditioned on single leader values.
double SafProbability(const dense::LoopNest& nest, const dense::ProjectionTable& proj,
                      const SparseDesign& design, const ResolvedSaf& saf, int level) {
  int child = -1;
  for (int l = level - 1; l >= 0; --l) {
    if (nest.keep[l][saf.target]) {
      child = l;
      break;
    }
  }
  DimVector box;
  box.fill(1);
  if (child >= 0 || (nest.num_loops > 0 && nest.loops[0].spatial)) {
    const int from = child < 0 ? 0 : nest.begin[child + 1];
    int target_loop = -1;
    for (int i = from; i < nest.begin[level + 1] && target_loop < 0; ++i) {
      if (proj[saf.target].relevant[nest.loops[i].dim]) target_loop = i;
    }
    box = BoxBelow(nest, target_loop < 0 ? nest.begin[level + 1] : target_loop);
  }
  double all_present = 1;
  for (int leader : saf.leaders) {
    all_present *= 1 - design.density[leader]->ProbEmpty(ShapeOf(proj, leader, box));
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
      sd = SparseDataSpace{};
      if (!t.kept) continue;
      sd.reads.actual = static_cast<double>(t.reads);
      sd.fills.actual = static_cast<double>(t.fills);
      sd.updates.actual = static_cast<double>(t.updates);
      sd.occupancy_words = static_cast<double>(t.tile_size);
    }
  }
  if (!design.active) return Status{};

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
  // tile the one removing more wins.
  std::array<std::array<double, kMaxDataSpaces>, kMaxLevels> p_at{};
  std::array<std::array<int8_t, kMaxDataSpaces>, kMaxLevels> kind{};  // 0 none, 1 gate, 2 skip
  for (const ResolvedSaf& saf : design.safs) {
    // Applied at the named level, or, when the target bypasses it, at the
    // next level up that keeps the target -- provided a leader is kept at
    // the named level, since the SAF reads the leader's tile there (the
    // reference leaves a SAF with neither tensor at its level unapplied).
    int level = -1;
    if (nest.keep[saf.named_level][saf.target]) {
      level = saf.named_level;
    } else {
      bool leader_here = false;
      for (int leader : saf.leaders) leader_here = leader_here || nest.keep[saf.named_level][leader];
      for (int l = saf.named_level + 1; leader_here && l < num_levels && level < 0; ++l) {
        if (nest.keep[l][saf.target]) level = l;
      }
    }
    if (level < 0) continue;
    const double p = SafProbability(nest, proj, design, saf, level);
    if (kind[level][saf.target] == 0 || p > p_at[level][saf.target]) {
      p_at[level][saf.target] = p;
      kind[level][saf.target] = saf.skipping ? 2 : 1;
    }
  }
  // Savings already applied from a SAF higher up on the same tensor.
  std::array<std::array<double, kMaxDataSpaces>, kMaxLevels> p_above{};
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
      SplitFormat(sd.format_reads, sd.format_ranks, p, skipping);
      SplitFormat(sd.format_updates, sd.format_ranks, p, skipping);
      // Inner copies of the tensor are never needed for the removed work.
      // Down to and including the next level with its own SAF on the tensor
      // (paper Sec 5.3.4: skipping above saves work below).
      for (int l = level - 1; l >= 0; --l) {
        if (!nest.keep[l][ds]) continue;
        SparseDataSpace& in = out.levels[l].ds[ds];
        in.reads.actual -= Floor(in.reads.actual * p);
        in.fills.actual -= Floor(in.fills.actual * p);
        in.updates.actual -= Floor(in.updates.actual * p);
        Vanish(in.format_reads, in.format_ranks, p);
        Vanish(in.format_fills, in.format_ranks, p);
        Vanish(in.format_updates, in.format_ranks, p);
        if (kind[l][ds] != 0) {
          p_above[l][ds] = 1 - (1 - above) * (1 - p);
          break;
        }
      }
      if (!rw) out.computes.actual -= Floor(out.computes.actual * p);
    }
  }

  // Compute gating/skipping (SEMANTICS "Compute gating/skipping"): each
  // read-only operand reaches the compute nonzero (ENZ) with its density --
  // raised to d/(1-p) when a storage SAF conditioned on it already removed
  // the work where it is zero -- and otherwise as a known zero (NE, when its
  // innermost copy carries metadata) or an unknown zero (EZ).
  if (design.compute_gating || design.compute_skipping) {
    double p_nonzero_all = 1;
    double p_all_known_or_nz = 1;  // P(no operand is an unknown zero)
    for (int ds = 0; ds < num_ds; ++ds) {
      if (proj[ds].read_write) continue;
      double d = std::round(design.density[ds]->Density() * 1e6) / 1e6;
      for (const ResolvedSaf& saf : design.safs) {
        bool conditions = false;
        for (int leader : saf.leaders) conditions = conditions || leader == ds;
        if (!conditions || saf.leaders.size() != 1) continue;
        for (int l = 0; l < num_levels; ++l) {
          if (kind[l][saf.target] != 0 && p_at[l][saf.target] < 1) {
            d = std::min(1.0, d / (1 - p_at[l][saf.target]));
            break;
          }
        }
      }
      int innermost = -1;
      for (int l = 0; l < num_levels && innermost < 0; ++l) {
        if (nest.keep[l][ds]) innermost = l;
      }
      const bool metadata = innermost >= 0 && design.format[innermost][ds] >= 0;
      p_nonzero_all *= d;
      // A zero of an operand with metadata is known (NE); one without is not.
      if (!metadata) p_all_known_or_nz *= d;
    }
    // P(some operand zero and every zero known) = P(no unknown zero) - P(all nonzero).
    const double p_known_zero = std::max(0.0, p_all_known_or_nz - p_nonzero_all);
    const double p_unknown_zero = std::max(0.0, 1 - p_all_known_or_nz);
    const double c = out.computes.actual;
    double skipped = 0;
    double gated = 0;
    if (design.joint_nonzero_fraction >= 0) {
      // Actual data: the work left is exactly the jointly nonzero points.
      // The reference reports one more than that count; matched here.
      const double joint = std::round(design.joint_nonzero_fraction *
                                      static_cast<double>(dense.computes)) + 1;
      const double removed = std::max(0.0, c - std::min(c, joint));
      if (design.compute_skipping) {
        skipped = removed;
      } else {
        gated = removed;
      }
    } else if (design.compute_skipping) {
      skipped = Floor(c * p_known_zero);
      if (design.compute_gating) gated = Floor(c * p_unknown_zero);
    } else {
      gated = Floor(c * (p_known_zero + p_unknown_zero));
    }
    out.computes.actual = c - skipped - gated;
    out.computes.skipped += skipped;
    out.computes.gated += gated;
  }
  return Status{};
}

}  // namespace sieve::sparse
