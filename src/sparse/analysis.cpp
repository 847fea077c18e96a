#include "sieve/sparse/analysis.hpp"

#include <algorithm>
#include <cmath>

#include "sparse/format_traffic.hpp"

namespace sieve::sparse {
namespace {

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
      ResetDataSpace(sd);
      if (!t.kept) continue;
      sd.reads.actual = static_cast<double>(t.reads);
      sd.fills.actual = static_cast<double>(t.fills);
      sd.updates.actual = static_cast<double>(t.updates);
      sd.occupancy_words = static_cast<double>(t.tile_size);
    }
  }
  if (!design.active) return Status{};

  // A parent with metadata sends no empty tiles: instances whose tile is
  // empty idle (SEMANTICS "Occupancy, metadata and data accesses").
  for (int l = 0; l < num_levels; ++l) {
    for (int ds = 0; ds < num_ds; ++ds) {
      if (!dense.levels[l].ds[ds].kept) continue;
      int parent = -1;
      for (int p = l + 1; p < num_levels && parent < 0; ++p) {
        if (nest.keep[p][ds]) parent = p;
      }
      if (parent < 0 || design.format[parent][ds] < 0) continue;
      const double p_empty = design.density[ds]->ProbEmpty(
          ShapeOf(proj, ds, BoxBelow(nest, nest.begin[l + 1])));
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

  // (De)compression happens at the uncompressed side of a boundary between a
  // compressed and an uncompressed copy of a tensor: fills from a compressed
  // parent are decompressed per dense word received; updates sent up to it
  // are compressed per nonzero the parent takes (its actual updates, shared
  // over this level's instances), as the reference counts them (04.2.1:
  // shared_glb compresses DRAM's 104613 actual Outputs updates).
  for (int l = 0; l < num_levels; ++l) {
    for (int ds = 0; ds < num_ds; ++ds) {
      const dense::DataSpaceTraffic& t = dense.levels[l].ds[ds];
      if (!t.kept || design.format[l][ds] >= 0) continue;
      int parent = -1;
      for (int p = l + 1; p < num_levels && parent < 0; ++p) {
        if (nest.keep[p][ds]) parent = p;
      }
      int child = -1;
      for (int c = l - 1; c >= 0 && child < 0; --c) {
        if (nest.keep[c][ds]) child = c;
      }
      SparseDataSpace& sd = out.levels[l].ds[ds];
      if (parent >= 0 && design.format[parent][ds] >= 0) {
        sd.decompressions = static_cast<double>(t.fills);
        if (proj[ds].read_write) {
          const double parent_instances =
              static_cast<double>(dense.levels[parent].used_instances);
          const double instances = static_cast<double>(dense.levels[l].used_instances);
          sd.compressions =
              out.levels[parent].ds[ds].updates.actual * parent_instances / instances;
        }
      }
      if (child >= 0 && design.format[child][ds] >= 0) {
        sd.compressions += static_cast<double>(t.reads);
      }
    }
  }

  // Resolve each SAF to the level that keeps its target; of two SAFs on one
  // tile the one removing more wins.
  std::array<std::array<double, kMaxDataSpaces>, kMaxLevels> p_at{};
  std::array<std::array<int8_t, kMaxDataSpaces>, kMaxLevels> kind{};  // 0 none, 1 gate, 2 skip
  for (const ResolvedSaf& saf : design.safs) {
    // Applied at the named level, or, when the target bypasses it, at the
    // next level up that keeps the target -- provided a leader is kept at
    // the named level (03.2.2 leaves such a SAF unapplied).
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
