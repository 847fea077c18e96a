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
// Relation to the reference: it enumerates the warm-up row groups and
// reuses one steady-state row group for the rest, assuming divisible square
// tiles. For t0 == t1 dividing n with n/t0 >= 2*ceil(w/t0) that equals this
// exact count; otherwise (t0 != t1, or few row groups) the reference
// approximates and this model stays exact.
#include <algorithm>
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
};

}  // namespace

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
