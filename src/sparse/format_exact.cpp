// The format analysis for densities with a closed-form occupancy law
// (fixed_structured, hypergeometric), counting as the reference does
// (paper Sec 5.3.3; SEMANTICS "Format models"), rules measured against its
// build with the differential harness:
//  - rank assignment: a compressing level (B, CP or RLE rank) above a child
//    keeper with a tile of more than one point pre-tiles: its bottom ranks
//    copy the child's rank structure (a child without a format counts as
//    one rank holding its whole tile) and its own loops fill the top ranks.
//    Otherwise the innermost loop of each dimension absorbs that
//    dimension's extent at the child and below, and each non-unit loop
//    opens a rank (flattened ranks absorb following loops they list; a rank
//    whose list misses the loop stays an empty f = 1 rank, stacked above
//    all ranks mapped so far);
//  - a rank's fiber shape is the projected size of its loops' box; its tile
//    the data tile from its first loop inward;
//  - expected units are summed over the tile's possible occupancies k, each
//    rank's emptiness conditioned on k nonzeros in the tile; capacity and
//    the printed occupancy use the maximum occupancy;
//  - below a parent with metadata the least occupancy is never sent (when
//    it can be empty): instances idle by its probability.
#include <algorithm>
#include <cmath>
#include <string_view>

#include "sparse/density_models.hpp"
#include "sparse/format_traffic.hpp"
#include "sparse/large_empty.hpp"
#include "sparse/occupancy_sum.hpp"

namespace sieve::sparse {
namespace {

bool Compressing(const FormatModel& m) {
  const std::string_view name = m.name();
  return name == "B" || name == "CP" || name == "RLE";
}

int64_t MoldSize(const dense::LoopNest& nest, const dense::ProjectionTable& proj, int ds,
                 int through) {
  DimVector e;
  e.fill(1);
  for (int i = 0; i <= through; ++i) e[nest.full[i].dim] *= nest.full[i].bound;
  return proj.TileSize(ds, e);
}

TileShape MoldShape(const dense::LoopNest& nest, const dense::ProjectionTable& proj, int ds,
                    int through) {
  DimVector e;
  e.fill(1);
  for (int i = 0; i <= through; ++i) e[nest.full[i].dim] *= nest.full[i].bound;
  return ShapeOf(proj, ds, e);
}

// A tile of one point of data space `ds`.
TileShape PointShape(const dense::ProjectionTable& proj, int ds) {
  TileShape t;
  t.num_ranks = proj[ds].num_ranks;
  for (int r = 0; r < t.num_ranks; ++r) t.extent[r] = 1;
  return t;
}

void BuildRanks(const dense::LoopNest& nest, const dense::ProjectionTable& proj,
                const SparseDesign& design, int level, int ds, Ranks& out) {
  const int f = design.format[level][ds];
  const ResolvedFormat* fmt = f >= 0 ? &design.formats[f] : nullptr;
  const int num_ranks = fmt != nullptr ? static_cast<int>(fmt->ranks.size()) : 1;
  bool compressing = false;
  if (fmt != nullptr) {
    for (const ResolvedRank& r : fmt->ranks) compressing = compressing || Compressing(*r.model);
  }
  const int child = dense::KeeperBelow(nest, level, ds);
  struct SubLoop {
    int dim;
    int64_t bound;
    int index;
  };
  std::array<SubLoop, kMaxLoops> sub;
  int ns = 0;
  const int lo = nest.full_begin[child + 1];
  for (int i = nest.full_begin[level + 1] - 1; i >= lo; --i) {
    if (proj[ds].relevant[nest.full[i].dim]) sub[ns++] = {nest.full[i].dim, nest.full[i].bound, i};
  }
  const DimVector child_box = child >= 0 ? BoxBelow(nest, nest.begin[child + 1]) : DimVector{};
  const bool pretile = compressing && child >= 0 && !design.tile_partition_supported[level] &&
                       proj.TileSize(ds, child_box) > 1;
  if (!pretile && child >= 0) {
    DimVector below = child_box;
    for (int k = ns - 1; k >= 0; --k) {
      sub[k].bound *= below[sub[k].dim];
      below[sub[k].dim] = 1;
    }
  }
  Ranks inner;
  if (pretile) BuildRanks(nest, proj, design, child, ds, inner);
  auto mold = [&](int k) { return static_cast<double>(MoldSize(nest, proj, ds, sub[k].index)); };

  int left = num_ranks - inner.n;
  out = Ranks{};
  out.too_few = left < 0 || inner.too_few;
  // A rank whose flattening list misses the next loop stays empty; the
  // reference stacks such ranks above every rank already mapped, so the
  // geometries are collected apart and placed on top at the end.
  std::array<RankGeom, kMaxRanks> mapped;
  std::array<RankGeom, kMaxRanks> empty;
  int num_mapped = 0;
  int num_empty = 0;
  int spec_rank = 0;  // position in the level's format, outermost first
  int i = 0;
  while (left > 0 && i < ns) {
    while (i < ns && sub[i].bound <= 1) ++i;
    if (i >= ns) break;
    const std::vector<int>* flat = nullptr;
    if (fmt != nullptr && !fmt->ranks[spec_rank].flattened_dims.empty()) {
      flat = &fmt->ranks[spec_rank].flattened_dims;
    }
    ++spec_rank;
    auto listed = [&](int dim) { return std::find(flat->begin(), flat->end(), dim) != flat->end(); };
    if (flat != nullptr && !listed(sub[i].dim)) {
      empty[num_empty++] = RankGeom{1, mold(ns - 1), sub[ns - 1].index};
      --left;
      continue;
    }
    const double tile = mold(i);
    const int through = sub[i].index;
    DimVector box;
    box.fill(1);
    box[sub[i].dim] *= sub[i].bound;
    ++i;
    if (fmt == nullptr || flat != nullptr) {
      while (i < ns && (fmt == nullptr || listed(sub[i].dim) || sub[i].bound <= 1)) {
        if (sub[i].bound > 1) box[sub[i].dim] *= sub[i].bound;
        ++i;
      }
    }
    mapped[num_mapped++] = RankGeom{static_cast<double>(proj.TileSize(ds, box)), tile, through};
    --left;
  }
  for (int k = num_empty - 1; k >= 0; --k) out.r[out.n++] = empty[k];
  for (int k = 0; k < num_mapped; ++k) out.r[out.n++] = mapped[k];
  while (left > 0) {
    out.r[out.n++] = RankGeom{1, ns > 0 ? mold(ns - 1) : 1, ns > 0 ? sub[ns - 1].index : -1};
    --left;
  }
  for (; i < ns; ++i) {
    if (sub[i].bound > 1) out.too_few = true;
  }
  for (int k = 0; k < inner.n && out.n < kMaxRanks; ++k) out.r[out.n++] = inner.r[k];
  out.elem = pretile ? inner.elem : 1;
}

// Per rank: storage at `capacity`'s units, and actual format reads, fills
// and updates from the expected units per tile point scaled by the dense
// counts (rounded up); nothing gated or skipped yet (the SAFs split them).
void SetFormatCounts(const std::array<RankUnits, kMaxRanks>& capacity,
                     const std::array<RankPair, kMaxRanks>& expected,
                     const dense::DataSpaceTraffic& t, double size, int num_ranks,
                     SparseDataSpace& sd) {
  const double ratio_r = static_cast<double>(t.reads) / size;
  const double ratio_f = static_cast<double>(t.fills) / size;
  const double ratio_u = static_cast<double>(t.updates) / size;
  for (int j = 0; j < num_ranks; ++j) {
    sd.occupancy_format[j] = RankPair{capacity[j].metadata, capacity[j].payload};
    const RankPair& e = expected[j];
    sd.format_reads.actual[j] = RankPair{Ceil(e.metadata * ratio_r), Ceil(e.payload * ratio_r)};
    sd.format_fills.actual[j] = RankPair{Ceil(e.metadata * ratio_f), Ceil(e.payload * ratio_f)};
    sd.format_updates.actual[j] = RankPair{Ceil(e.metadata * ratio_u), Ceil(e.payload * ratio_u)};
    for (FormatTraffic* f : {&sd.format_reads, &sd.format_fills, &sd.format_updates}) {
      f->gated[j] = RankPair{};
      f->skipped[j] = RankPair{};
    }
  }
}

}  // namespace

double DroppedOccupancyProbability(const OccupancyLaw& law, int64_t tile_size) {
  const double s = static_cast<double>(tile_size);
  if (law.kind == OccupancyLaw::Kind::kFixed) {
    const double e = s * law.density;
    if (std::floor(e) != 0) return 0;
    const double p0 = 1 - (e - std::floor(e));
    return p0 == 1 ? 0 : p0;
  }
  if (law.kind == OccupancyLaw::Kind::kHypergeometric) {
    const double n = static_cast<double>(law.size);
    const double r = static_cast<double>(law.nonzeros);
    if (s > n || r > n) return 0;
    const double k = std::max(0.0, s + r - n);
    double p = 0;
    if (n <= kBoostPdfMaxPoints) {
      p = HypergeometricPdf(r, s, n, k);
    } else if (k == 0 && std::min(s, r) <= 64) {
      // P(0) = prod_{i < m} (N - T - i) / (N - i), m = min(S, r), T = max(S, r).
      const double m = std::min(s, r);
      const double t = std::max(s, r);
      p = 1;
      for (double i = 0; i < m; i += 1) p *= (n - t - i) / (n - i);
    } else {
      p = std::exp(LogChoose(r, k) + LogChoose(n - r, s - k) - LogChoose(n, s));
    }
    return p >= 1 ? 0 : p;
  }
  return 0;
}

namespace {

// The banded density's format analysis, as the reference counts it (rules
// in density_banded.cpp's header, found by probing timeloop-model):
//  - the tile's occupancy law is the reference's few-row-group law, whose
//    probabilities may sum above 1;
//  - below a parent with metadata the least listed occupancy is dropped
//    whatever it is (an empty tile, or the only one, at probability 1); the
//    busy instance fraction 1 - P(least) may then be 0 or negative;
//  - only the occupancy of the tile at the origin has units, its sub-tile
//    emptiness counted inside that tile; every other occupancy sees all its
//    sub-tiles empty.
// Rank assignment as for the closed-form laws (BuildRanks).
Status AnalyzeFormatBanded(const dense::LoopNest& nest, const dense::ProjectionTable& proj,
                           const SparseDesign& design, const ResolvedFormat& format, int level,
                           int ds, const dense::DataSpaceTraffic& t, SparseDataSpace& sd) {
  const DensityModel& density = *design.density[ds];
  const double size = static_cast<double>(t.tile_size);
  const TileShape tile = ShapeOf(proj, ds, BoxBelow(nest, nest.begin[level + 1]));
  const BandedReferenceLaw& law = BandedReferenceDistribution(density, tile);

  Ranks ranks;
  BuildRanks(nest, proj, design, level, ds, ranks);
  if (ranks.too_few) {
    return Status{StatusCode::kFormatRanks, level, ds, ranks.n,
                  static_cast<int64_t>(format.ranks.size())};
  }
  const int num_ranks = static_cast<int>(format.ranks.size());
  sd.format_ranks = num_ranks;

  // Units at the origin tile's occupancy, and at any other (all empty).
  std::array<double, kMaxRanks + 1> origin_empty{};
  for (int j = 0; j <= ranks.n && j <= kMaxRanks; ++j) {
    const int through = j < ranks.n ? ranks.r[j].through : -1;
    const TileShape sub =
        j == 0 ? tile : (through >= 0 ? MoldShape(nest, proj, ds, through) : PointShape(proj, ds));
    origin_empty[j] = BandedOriginSubTileEmpty(density, tile, sub);
  }
  std::array<RankUnits, kMaxRanks> at_origin{}, elsewhere{};
  UnitsWith(format, ranks, [&](int j) { return origin_empty[j]; }, at_origin);
  UnitsWith(format, ranks, [](int) { return 1.0; }, elsewhere);
  auto units_at = [&](int64_t k) -> const std::array<RankUnits, kMaxRanks>& {
    return k == law.origin_occupancy ? at_origin : elsewhere;
  };

  // Below a parent with metadata the lowest listed occupancy is dropped:
  // analysis.cpp has set the busy share from the same law (and keeps every
  // tile where the reference would drop its only occupancy).
  const double busy = sd.instance_fraction;
  const size_t first = busy < 1 ? 1 : 0;
  double expected_k = 0;
  std::array<RankPair, kMaxRanks> expected{};
  for (size_t i = first; i < law.prob_by_k.size(); ++i) {
    const auto [k, p_raw] = law.prob_by_k[i];
    const double p = p_raw / busy;
    expected_k += p * static_cast<double>(k);
    const auto& u = units_at(k);
    for (int j = 0; j < num_ranks; ++j) {
      expected[j].metadata += u[j].metadata * p;
      expected[j].payload += u[j].payload * p;
    }
  }
  sd.expected_density = expected_k / size;
  // Storage at the occupancy the confidence asks for (the maximum at 1).
  int64_t k_cap = law.prob_by_k.empty() ? 0 : law.prob_by_k.back().first;
  const double confidence = design.confidence[level];
  if (confidence < 1) {
    double seen = 0;
    for (const auto& [k, p] : law.prob_by_k) {
      seen += p;
      if (seen >= confidence) {
        k_cap = k;
        break;
      }
    }
  }
  sd.occupancy_words = static_cast<double>(k_cap);
  // The vector correction takes the same law, every occupancy at its listed
  // weight (not renormalised to the busy share): pair 2171, GLB Weights.
  const double block = static_cast<double>(design.block_size[level]);
  double law_vectors = 0;
  for (const auto& [k, p] : law.prob_by_k) law_vectors += p * std::ceil(static_cast<double>(k) / block);
  SetNonzeroShare(design, density, tile, t.tile_size, level, ds, proj[ds].read_write, sd,
                  law_vectors);

  SetFormatCounts(units_at(k_cap), expected, t, size, num_ranks, sd);
  return Status{};
}

}  // namespace

bool AnalyzeFormatExact(const dense::LoopNest& nest, const dense::ProjectionTable& proj,
                        const SparseDesign& design, const ResolvedFormat& format, int level,
                        int ds, const dense::DataSpaceTraffic& t, SparseDataSpace& sd,
                        Status& status) {
  const DensityModel& density = *design.density[ds];
  const OccupancyLaw law = density.Law();
  const double size = static_cast<double>(t.tile_size);
  if (format.inner_to_outer || size <= 0) return false;
  if (IsBanded(density)) {
    status = AnalyzeFormatBanded(nest, proj, design, format, level, ds, t, sd);
    return true;
  }
  if (law.kind == OccupancyLaw::Kind::kNone) return false;
  // The occupancy distribution of the tile: support [k_lo, k_hi].
  double k_lo = 0, k_hi = 0;
  const double n_all = static_cast<double>(law.size);
  const double r_all = static_cast<double>(law.nonzeros);
  if (law.kind == OccupancyLaw::Kind::kFixed) {
    k_lo = std::floor(size * law.density);
    k_hi = std::ceil(size * law.density);
  } else {
    k_lo = std::max(0.0, size + r_all - n_all);
    k_hi = std::min(size, r_all);
  }
  if (k_hi - k_lo > 100000) return false;  // too wide to sum; the fallback estimates it
  if (law.kind == OccupancyLaw::Kind::kHypergeometric && (size > n_all || r_all > n_all)) {
    return false;
  }

  Ranks ranks;
  BuildRanks(nest, proj, design, level, ds, ranks);
  if (ranks.too_few) {
    status = Status{StatusCode::kFormatRanks, level, ds, ranks.n,
                    static_cast<int64_t>(format.ranks.size())};
    return true;
  }
  const int num_ranks = static_cast<int>(format.ranks.size());
  sd.format_ranks = num_ranks;

  // Below a parent with metadata the least occupancy, when it can be
  // empty, is not sent (analysis.cpp sets instance_fraction).
  const double busy = sd.instance_fraction;
  const bool drop_first = busy < 1;
  OccupancySum sum(format, ranks, law, size);
  if (law.kind == OccupancyLaw::Kind::kFixed) {
    const double e = size * law.density;
    const double frac = e - std::floor(e);
    double p_lo = 1 - frac;
    double p_hi = k_hi != k_lo ? frac : 0;
    if (drop_first) {
      p_lo = 0;
      p_hi /= busy;
    }
    sum.Add(k_lo, p_lo);
    if (k_hi != k_lo) sum.Add(k_hi, p_hi);
  } else {
    const double mode =
        std::clamp(std::floor((size + 1) * (r_all + 1) / (n_all + 2)), k_lo, k_hi);
    auto ratio = [&](double k) {  // pdf(k + 1) / pdf(k)
      return (r_all - k) * (size - k) / ((k + 1) * (n_all - r_all - size + k + 1));
    };
    // The window where the pdf is not negligible, found by the ratio
    // recurrence from the mode; then the reference's sum: ascending k,
    // Boost.Math's pdf, the dropped occupancy's mass divided out.
    constexpr double kNegligible = 1e-22;
    double hi = mode;
    for (double w = 1; hi < k_hi; hi += 1) {
      w *= ratio(hi);
      if (!(w > kNegligible)) break;
    }
    double lo = mode;
    for (double w = 1; lo > k_lo; lo -= 1) {
      w /= ratio(lo - 1);
      if (!(w > kNegligible)) break;
    }
    if (n_all <= kBoostPdfMaxPoints) {
      std::array<double, kChunk> ks, ps;
      for (double k0 = lo; k0 <= hi; k0 += kChunk) {
        const int count = static_cast<int>(std::min<double>(kChunk, hi - k0 + 1));
        for (int i = 0; i < count; ++i) ks[i] = k0 + i;
        HypergeometricPdfRow(r_all, size, n_all, ks.data(), count, ps.data());
        for (int i = 0; i < count; ++i) {
          if (drop_first && ks[i] == k_lo) continue;
          sum.Add(ks[i], drop_first ? ps[i] / busy : ps[i]);
        }
      }
    } else {
      // Large tensors: the recurrence's weights (a direct evaluation of the
      // tails would underflow), normalised, the dropped occupancy left out.
      double w = 1;
      for (double k = mode; k <= hi; k += 1) {
        if (!(drop_first && k == k_lo)) sum.Add(k, w);
        w *= ratio(k);
      }
      w = 1;
      for (double k = mode - 1; k >= lo; k -= 1) {
        w /= ratio(k);
        if (!(drop_first && k == k_lo)) sum.Add(k, w);
      }
      sum.Flush();
      const double norm = sum.weight_sum > 0 ? 1 / sum.weight_sum : 0;
      sum.expected_k *= norm;
      for (int j = 0; j < num_ranks; ++j) {
        sum.expected[j].metadata *= norm;
        sum.expected[j].payload *= norm;
      }
    }
  }
  sum.Flush();
  // Not clamped: a sum that rounds above 1 keeps one more access, as in
  // the reference.
  sd.expected_density = sum.expected_k / size;
  const TileShape tile = ShapeOf(proj, ds, BoxBelow(nest, nest.begin[level + 1]));
  sd.occupancy_words = static_cast<double>(density.Occupancy(tile, design.confidence[level]));
  SetNonzeroShare(design, density, tile, t.tile_size, level, ds, proj[ds].read_write, sd);

  // Storage at the maximum occupancy (confidence 1).
  const double k_max = law.kind == OccupancyLaw::Kind::kFixed
                           ? (size * law.density - std::floor(size * law.density) > 0
                                  ? std::ceil(size * law.density)
                                  : std::floor(size * law.density))
                           : std::min(size, r_all);
  std::array<RankUnits, kMaxRanks> u;
  sum.UnitsAt(k_max, u);
  SetFormatCounts(u, sum.expected, t, size, num_ranks, sd);
  status = Status{};
  return true;
}

}  // namespace sieve::sparse
