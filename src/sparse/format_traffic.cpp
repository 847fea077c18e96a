#include "sparse/format_traffic.hpp"

#include <algorithm>
#include <array>
#include <cmath>

namespace sieve::sparse {
namespace {

// When a compressed tile spans few vectors, its nonzeros seldom fill whole
// vectors, so accesses cost more vectors than ceil(nonzeros / width). The
// reference corrects for this only below a tile size, in vectors, that
// depends on the vector width and the tile's mean density (one threshold per
// density decile 0.1 .. 1.0); these are its published thresholds.
struct VectorWidthThresholds {
  int64_t width;
  std::array<double, 10> tile_vectors;
};
constexpr std::array<VectorWidthThresholds, 5> kThresholds = {{
    {2, {251, 125, 84, 63, 51, 42, 36, 32, 28, 1}},
    {4, {375, 188, 125, 94, 75, 63, 54, 47, 42, 1}},
    {8, {438, 219, 146, 110, 88, 73, 63, 55, 49, 1}},
    {16, {469, 235, 157, 118, 94, 79, 67, 59, 52, 1}},
    {32, {485, 243, 162, 122, 97, 81, 70, 61, 52, 1}},
}};

// Whether the reference corrects this tile at all; checked before the
// (costly, O(window)) expectation E[ceil(k / B)] is formed.
bool CorrectionApplies(int64_t tile_size, int64_t block_size, double mean) {
  if (tile_size <= 0 || block_size <= 1 || mean >= 1 || mean <= 0) return false;
  const VectorWidthThresholds* row = nullptr;
  for (const VectorWidthThresholds& t : kThresholds) {
    if (t.width == block_size) row = &t;
  }
  if (row == nullptr) return false;
  const int decile = mean >= 0.1 ? static_cast<int>(std::floor(mean / 0.1)) - 1 : 0;
  // The reference compares against the tile size in whole vectors.
  // NOLINTNEXTLINE(bugprone-integer-division): whole vectors, truncated as the reference does
  return row->tile_vectors[std::clamp(decile, 0, 9)] > static_cast<double>(tile_size / block_size);
}

// E[ceil(k / B)] over the tile's occupancy, against the naive S * d / B.
double Ratio(double expected_vectors, int64_t tile_size, int64_t block_size, double mean) {
  const double naive = static_cast<double>(tile_size) * mean / static_cast<double>(block_size);
  return naive > 0 ? expected_vectors / naive : 1;
}

}  // namespace

double VectorRatio(const DensityModel& density, const TileShape& tile, int64_t tile_size,
                   int64_t block_size, double mean) {
  if (!CorrectionApplies(tile_size, block_size, mean)) return 1;
  return Ratio(density.ExpectedVectors(tile, block_size), tile_size, block_size, mean);
}

double VectorRatioOf(double expected_vectors, int64_t tile_size, int64_t block_size,
                     double mean) {
  if (!CorrectionApplies(tile_size, block_size, mean)) return 1;
  return Ratio(expected_vectors, tile_size, block_size, mean);
}

Status AnalyzeFormat(const dense::LoopNest& nest, const dense::ProjectionTable& proj,
                     const SparseDesign& design, const ResolvedFormat& format, int level, int ds,
                     const dense::DataSpaceTraffic& t, SparseDataSpace& sd) {
  Status exact;
  if (AnalyzeFormatExact(nest, proj, design, format, level, ds, t, sd, exact)) return exact;
  const DensityModel& density = *design.density[ds];
  const DimVector tile_box = BoxBelow(nest, nest.begin[level + 1]);
  const TileShape tile = ShapeOf(proj, ds, tile_box);
  const double size = static_cast<double>(t.tile_size);
  // Counts are those of a busy instance: conditioned on a nonempty tile
  // when empty ones are dropped (instance_fraction < 1).
  const double busy = sd.instance_fraction;
  const double expected = density.ExpectedOccupancy(tile) / busy;
  sd.expected_density = size > 0 ? std::min(1.0, expected / size) : 1;
  sd.occupancy_words = static_cast<double>(density.Occupancy(tile, design.confidence[level]));
  SetNonzeroShare(design, density, tile, t.tile_size, level, ds, proj[ds].read_write, sd);

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
    // Metadata accesses follow the dense accesses in proportion to the tile
    // (of a busy instance: an empty tile has no units at any rank).
    auto per = [&](double x) {
      return size > 0 ? RankPair{Ceil(u.metadata / busy * x / size),
                                 Ceil(u.payload / busy * x / size)}
                      : RankPair{};
    };
    sd.format_reads.actual[r] = per(static_cast<double>(t.reads));
    sd.format_fills.actual[r] = per(static_cast<double>(t.fills));
    sd.format_updates.actual[r] = per(static_cast<double>(t.updates));
    for (FormatTraffic* f : {&sd.format_reads, &sd.format_fills, &sd.format_updates}) {
      f->gated[r] = RankPair{};
      f->skipped[r] = RankPair{};
    }
  }
  return Status{};
}

void SetNonzeroShare(const SparseDesign& design, const DensityModel& density,
                     const TileShape& tile, int64_t tile_size, int level, int ds,
                     bool read_write, SparseDataSpace& sd,
                     std::optional<double> expected_vectors) {
  const int64_t block = design.block_size[level];
  if (!design.compressing[design.format[level][ds]]) {
    sd.vector_ratio = 1;
  } else if (expected_vectors) {
    sd.vector_ratio = VectorRatioOf(*expected_vectors, tile_size, block, sd.expected_density);
  } else {
    sd.vector_ratio = VectorRatio(density, tile, tile_size, block, sd.expected_density);
  }
  auto keep = [&](double x) { return x - Floor(x * (1 - sd.expected_density)); };
  sd.reads.actual = keep(sd.reads.actual);
  sd.fills.actual = keep(sd.fills.actual);
  if (read_write) sd.updates.actual = keep(sd.updates.actual);
}

}  // namespace sieve::sparse
