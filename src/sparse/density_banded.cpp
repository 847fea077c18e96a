// Banded density model (paper Table 4 "Banded": diagonal distribution,
// coordinate dependent; SEMANTICS "Density models").
//
// A square n x n matrix whose nonzeros are the points with |i-j| <= w:
// n + 2*sum_{u=1..w}(n-u) of them. For a tile shape (t0 rows, t1 columns)
// the distribution is the fraction of tiles on the aligned grid (origins at
// multiples of the shape, edge tiles clipped) that hold k nonzeros.
//
// Each tile's count is exact and O(1) (CountInRect), and per tile row only
// the tile columns that meet the band are visited, so the cost is about
// (n/t0) * ((t0+2w)/t1 + 2) tiles, never the n^2 points.
//
// The reference's own law (BandedReferenceDistribution, used by the format
// analysis), measured by probing timeloop-model with one banded tensor and
// tiles of every shape (tests/sparse/banded_reference_test.cpp pins cases):
//  - the grid holds whole tiles only: G = floor(n / t0) row groups of
//    C = floor(n / t1) tiles (a partial edge tile is left out, so a 1 x 2
//    tile on a 7 x 7 tensor has 21 places); with u = ceil(w / t0) "warm-up"
//    row groups: when u = G every tile is counted once; else
//    every tile of row groups 0..u-1 counts twice (standing in for the
//    mirrored groups at the bottom; u > G counts all G groups twice) and
//    the tiles of row group u count G - 2u times when that is positive
//    (standing in for the steady state);
//  - each count is divided by the number of tiles on the grid, so when
//    u < G < 2u the probabilities sum above 1 (the reference's figures then
//    show expected densities above 1 and negative average instances, e.g.
//    n = 12, w = 5, 4 x 4 tiles: P(16) = 4/9, P(13) = 6/9, P(1) = 2/9);
//  - a sub-tile's emptiness given the tile's occupancy comes from the first
//    tile (in that enumeration) holding that occupancy; only the tile at the
//    origin yields anything, any other gives no nonzero sub-tile at all (the
//    reference offsets that tile's sub-tiles by its origin twice, which
//    moves them out of the tile). So the format analysis counts units for
//    the origin tile's occupancy only (BandedReferenceLaw::origin_occupancy).
// For square tiles dividing n with G >= 2u the law equals the exact
// histogram; elsewhere it approximates, and this model's other queries
// stay exact.
#include <algorithm>
#include <map>
#include <stdexcept>
#include <unordered_map>

#include "sieve/spec/error.hpp"
#include "sparse/density_models.hpp"

namespace sieve::sparse {
namespace {

// Q(x) = sum_{y <= x} clamp(y, 0, width) for integer x.
int64_t ClampPrefix(int64_t x, int64_t width) {
  if (x <= 0) return 0;
  if (x <= width) return x * (x + 1) / 2;
  return width * (width + 1) / 2 + (x - width) * width;
}

// #{(i, j) in [i0, i0+h) x [j0, j0+width) : j - i <= c}. Row i contributes
// clamp(i + c - j0 + 1, 0, width), a run of consecutive arguments.
int64_t CountBelow(int64_t i0, int64_t h, int64_t j0, int64_t width, int64_t c) {
  const int64_t x0 = i0 + c - j0 + 1;
  return ClampPrefix(x0 + h - 1, width) - ClampPrefix(x0 - 1, width);
}

// Nonzeros of the band |i-j| <= w inside the rectangle.
int64_t CountInRect(int64_t i0, int64_t h, int64_t j0, int64_t width, int64_t w) {
  return CountBelow(i0, h, j0, width, w) - CountBelow(i0, h, j0, width, -w - 1);
}

class BandedModel final : public HistogramDensityModel {
 public:
  BandedModel(int64_t n, int64_t w) : n_(n), w_(std::min(w, n - 1)) {
    nnz_ = n_;
    for (int64_t u = 1; u <= w_; ++u) nnz_ += 2 * (n_ - u);
  }

  const char* name() const override { return "banded"; }
  double Density() const override {
    return static_cast<double>(nnz_) / (static_cast<double>(n_) * static_cast<double>(n_));
  }

 private:
  std::shared_ptr<const TileHistogram> Histogram(const TileShape& tile) const override {
    const std::vector<int64_t> key = ClampTile(tile, {n_, n_});
    return cache_.Get(key, [&] { return Compute(key[0], key[1]); });
  }

  TileHistogram Compute(int64_t t0, int64_t t1) const {
    const int64_t rows = (n_ + t0 - 1) / t0, cols = (n_ + t1 - 1) / t1;
    std::unordered_map<int64_t, int64_t> counts;
    for (int64_t a = 0; a < rows; ++a) {
      const int64_t i0 = a * t0, h = std::min(t0, n_ - i0);
      // Columns the band reaches from these rows: [i0-w, i0+h-1+w].
      const int64_t first = std::max<int64_t>(0, i0 - w_) / t1;
      const int64_t last = std::min(n_ - 1, i0 + h - 1 + w_) / t1;
      for (int64_t b = first; b <= last; ++b) {
        const int64_t j0 = b * t1, width = std::min(t1, n_ - j0);
        const int64_t k = CountInRect(i0, h, j0, width, w_);
        if (k > 0) ++counts[k];
      }
    }
    TileHistogram hist;
    hist.total_tiles = rows * cols;
    hist.total_nonzeros = nnz_;
    hist.count_by_k.assign(counts.begin(), counts.end());
    std::sort(hist.count_by_k.begin(), hist.count_by_k.end());
    return hist;
  }

  int64_t n_;
  int64_t w_;
  int64_t nnz_ = 0;
  TileHistogramCache cache_;
  ShapeCache<BandedReferenceLaw> law_cache_;

 public:
  // The reference's law of t0 x t1 tiles (header comment), memoised.
  const BandedReferenceLaw& ReferenceLaw(const TileShape& tile) const {
    const std::vector<int64_t> key = ClampTile(tile, {n_, n_});
    return *law_cache_.Get(key, [&] { return ComputeLaw(key[0], key[1]); });
  }

  // Fraction of the aligned sub x sub tiles inside the origin tile that
  // hold no nonzero (exact count).
  double OriginSubTileEmpty(const TileShape& tile, const TileShape& sub) const {
    const std::vector<int64_t> t = ClampTile(tile, {n_, n_});
    const std::vector<int64_t> s = ClampTile(sub, {t[0], t[1]});
    // Whole sub-tiles of the tile only, as on the law's grid.
    const int64_t rows = t[0] / s[0], cols = t[1] / s[1];
    int64_t nonempty = 0;
    for (int64_t a = 0; a < rows; ++a) {
      ForBandTiles(a * s[0], s[0], s[1], cols, [&](int64_t) { ++nonempty; });
    }
    // Empty count over all, as the reference divides (1 - nonempty / all
    // rounds differently, and ceilings downstream see the difference).
    const int64_t all = rows * cols;
    return static_cast<double>(all - nonempty) / static_cast<double>(all);
  }

 private:
  // fn(k) for each tile with k > 0 nonzeros among the `cols` whole tiles of
  // width tw in rows [i0, i0 + h): only the columns the band reaches.
  template <typename Fn>
  void ForBandTiles(int64_t i0, int64_t h, int64_t tw, int64_t cols, Fn&& fn) const {
    const int64_t first = std::max<int64_t>(0, i0 - w_) / tw;
    const int64_t last = std::min(cols * tw - 1, i0 + h - 1 + w_) / tw;
    for (int64_t b = first; b <= last; ++b) {
      const int64_t k = CountInRect(i0, h, b * tw, tw, w_);
      if (k > 0) fn(k);
    }
  }

  // O(u * tiles per row group that meet the band).
  BandedReferenceLaw ComputeLaw(int64_t t0, int64_t t1) const {
    // Whole tiles only: a partial tile at the edge is not on the grid.
    const int64_t rows = n_ / t0, cols = n_ / t1;
    const int64_t warm = (w_ + t0 - 1) / t0;
    std::map<int64_t, int64_t> weight_by_k;
    auto add_row_group = [&](int64_t a, int64_t weight) {
      int64_t nonempty = 0;
      ForBandTiles(a * t0, t0, t1, cols, [&](int64_t k) {
        weight_by_k[k] += weight;
        ++nonempty;
      });
      if (cols > nonempty) weight_by_k[0] += weight * (cols - nonempty);
    };
    if (warm == rows) {
      for (int64_t a = 0; a < rows; ++a) add_row_group(a, 1);
    } else {
      // More warm-up groups than the grid has (warm > rows) still count twice.
      for (int64_t a = 0; a < std::min(warm, rows); ++a) add_row_group(a, 2);
      if (warm < rows && rows - 2 * warm > 0) add_row_group(warm, rows - 2 * warm);
    }
    BandedReferenceLaw law;
    const double tiles = static_cast<double>(rows) * static_cast<double>(cols);
    for (const auto& [k, weight] : weight_by_k) {
      if (weight > 0) law.prob_by_k.emplace_back(k, static_cast<double>(weight) / tiles);
    }
    law.origin_occupancy = CountInRect(0, std::min(t0, n_), 0, std::min(t1, n_), w_);
    return law;
  }
};

}  // namespace

bool IsBanded(const DensityModel& model) {
  return dynamic_cast<const BandedModel*>(&model) != nullptr;
}

const BandedReferenceLaw& BandedReferenceDistribution(const DensityModel& model,
                                                      const TileShape& tile) {
  return dynamic_cast<const BandedModel&>(model).ReferenceLaw(tile);
}

double BandedOriginSubTileEmpty(const DensityModel& model, const TileShape& tile,
                                const TileShape& sub) {
  return dynamic_cast<const BandedModel&>(model).OriginSubTileEmpty(tile, sub);
}

std::unique_ptr<DensityModel> MakeBanded(int64_t n, int64_t band_width) {
  if (n < 1 || band_width < 0) {
    throw std::invalid_argument("banded needs n >= 1 and band_width >= 0");
  }
  return std::make_unique<BandedModel>(n, band_width);
}

std::unique_ptr<DensityModel> MakeBandedModel(const DensityContext& context) {
  if (context.spec == nullptr) return MakeDenseModel(context);
  const spec::DensitySpec& spec = *context.spec;
  const auto& e = context.tensor_extent;
  if (e.size() != 2 || e[0] != e[1]) {
    std::string shape;
    for (int64_t x : e) shape += (shape.empty() ? "" : " x ") + std::to_string(x);
    throw spec::SpecError(spec.loc, "banded density needs a square 2-D tensor, got [" + shape + "]");
  }
  if (spec.band_width < 0) {
    throw spec::SpecError(spec.loc, "band_width must be >= 0, got " + std::to_string(spec.band_width));
  }
  return MakeBanded(e[0], spec.band_width);
}

}  // namespace sieve::sparse
