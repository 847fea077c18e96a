// Private to the sparse library (and its tests): the concrete density
// models behind DensityModelTable, plus the per-tile-shape histogram cache
// shared by the coordinate-dependent models (banded, actual data).
//
// Contracts:
// - Every factory returns an immutable model whose const methods are
//   thread-safe (the histogram cache guards itself with a mutex).
// - Tile extents beyond the tensor's are clamped to the tensor's; ranks the
//   tile does not list count as extent 1.
// - Factories taking a spec throw spec::SpecError at spec->loc for bad
//   parameters; the in-memory factories throw std::invalid_argument.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "sieve/sparse/density_model.hpp"

namespace sieve::sparse {

// ---- Factories used by DensityModelTable (context = spec + tensor shape).
std::unique_ptr<DensityModel> MakeDenseModel(const DensityContext& context);
std::unique_ptr<DensityModel> MakeFixedStructuredModel(const DensityContext& context);
std::unique_ptr<DensityModel> MakeHypergeometricModel(const DensityContext& context);
std::unique_ptr<DensityModel> MakeBandedModel(const DensityContext& context);
std::unique_ptr<DensityModel> MakeActualDataModel(const DensityContext& context);

// ---- Direct constructors (tests, and callers that condition on a parent).
// fixed_structured with density d in [0, 1].
std::unique_ptr<DensityModel> MakeFixedStructured(double density);
// Hypergeometric over a tensor of `size` points holding exactly `nonzeros`
// (0 <= nonzeros <= size). Density() reports nonzeros / size. This is also
// the conditional model of SEMANTICS: a parent tile of N' points known to
// hold occ nonzeros is MakeHypergeometric(N', occ).
std::unique_ptr<DensityModel> MakeHypergeometric(int64_t size, int64_t nonzeros);
// Banded square n x n matrix with |i-j| <= band_width nonzero.
std::unique_ptr<DensityModel> MakeBanded(int64_t n, int64_t band_width);
// Actual data from a 0/1 mask, row-major over `extent` (last rank fastest);
// mask.size() must equal the product of extent (nonzero bytes are nonzeros).
std::unique_ptr<DensityModel> MakeActualDataFromMask(const std::vector<int64_t>& extent,
                                                     const std::vector<uint8_t>& mask);
// Same, from the sorted, distinct row-major flat indices of the nonzeros.
std::unique_ptr<DensityModel> MakeActualDataFromIndices(const std::vector<int64_t>& extent,
                                                        std::vector<int64_t> nonzero_flat);

// ---- Hypergeometric numerics shared with the format analysis.

// Tensors up to this many points take Boost.Math's exact pdf, as the
// reference does (its last-bit rounding decides floors and ceilings
// downstream); the method's cost grows with the tensor, so larger ones use
// log-space forms, equal within rounding.
inline constexpr int64_t kBoostPdfMaxPoints = 4096;

// P(k nonzeros in a sample of n points of `total` holding r), by Boost.Math.
// REQUIRES: 0 <= r, n <= total, k within the support.
// Thread-safe; memoised per thread (a pure function: the memo never changes
// a value).
double HypergeometricPdf(double r, double n, double total, double k);

// Emptiness of a sub-tile of s points at occupancies k[i] of its tile of
// `size` points: 0 when the sub-tile cannot avoid them (s + k[i] > size), 1
// when there are none, else at(k[i]).
template <typename ValueAt>
void GuardedEmptyRow(double s, double size, const double* k, int count, double* out,
                     ValueAt&& at) {
  for (int i = 0; i < count; ++i) {
    if (s + k[i] > size) {
      out[i] = 0;
    } else if (k[i] == 0) {
      out[i] = 1;
    } else {
      out[i] = at(k[i]);
    }
  }
}

// P(a sub-tile of n points is empty | its tile of `total` points holds r[i]
// nonzeros) = HypergeometricPdf(r[i], n, total, 0), 0 when n + r[i] > total
// and 1 when r[i] = 0, into out[i] for i < count, from a per-thread memo of
// rows (a format analysis asks for whole windows of r). Rows are stepped
// from one Boost value per 64 r, so a value may differ from
// HypergeometricPdf's by an ulp (rarely: pdf_memo.cpp); it depends on
// (n, total, r) alone.
// REQUIRES: total <= kBoostPdfMaxPoints, 0 <= r[i] <= total.
void HypergeometricEmptyRow(double n, double total, const double* r, int count, double* out);

// HypergeometricPdf(r, n, total, k[i]) into out[i] for i < count, from the
// same memo of rows (an occupancy law along its window), within an ulp of
// the single value and depending on (r, n, total, k[i]) alone.
// REQUIRES: r, n <= total <= kBoostPdfMaxPoints; each k[i] within the
// support [max(0, n + r - total), min(n, r)].
void HypergeometricPdfRow(double r, double n, double total, const double* k, int count,
                          double* out);

// ---- The banded model as the reference's format analysis sees it.
//
// The reference builds a banded tile's occupancy distribution from a few
// row groups instead of the whole grid, and conditions sub-tile occupancies
// on one representative tile; its format figures follow these rules, not
// the exact counts (found by probing timeloop-model; see density_banded.cpp).

// The reference's occupancy law of a banded tile shape: P(k) for the k it
// lists, ascending k, zero-occupancy tiles included when it sees them. The
// probabilities are weights over the tile count and may sum above 1.
struct BandedReferenceLaw {
  std::vector<std::pair<int64_t, double>> prob_by_k;  // ascending k, prob > 0
  int64_t origin_occupancy = 0;  // nonzeros of the tile at the tensor's origin
};

// True when `model` is the banded model (MakeBanded / "banded").
bool IsBanded(const DensityModel& model);
// REQUIRES: IsBanded(model). The law of tiles of shape `tile` (clamped as
// ClampTile does), memoised per shape: the reference lives as long as
// `model`.
const BandedReferenceLaw& BandedReferenceDistribution(const DensityModel& model,
                                                      const TileShape& tile);
// REQUIRES: IsBanded(model). The fraction of the aligned sub-tiles of shape
// `sub` inside the tile of shape `tile` at the origin that hold no nonzero
// (sub clamped to tile; 1 when the tile is empty).
double BandedOriginSubTileEmpty(const DensityModel& model, const TileShape& tile,
                                const TileShape& sub);

// ---- Shared by coordinate-dependent models.

// How many aligned tiles hold k nonzeros, for the k that occur (k > 0), and
// the total number of tiles on the grid (clipped edge tiles included).
struct TileHistogram {
  std::vector<std::pair<int64_t, int64_t>> count_by_k;  // ascending k, k > 0
  int64_t total_tiles = 1;
  int64_t total_nonzeros = 0;

  double ProbEmpty() const;
  double Expected() const;
  void Fill(int64_t tile_size, std::vector<double>& p) const;
  int64_t Quantile(double confidence) const;
};

// Effective per-rank tile extents: tile.extent clamped to [1, tensor extent],
// missing ranks = 1. The key of the cache below.
std::vector<int64_t> ClampTile(const TileShape& tile, const std::vector<int64_t>& tensor_extent);

// Thread-safe memo of a per-shape value (a TileHistogram, the banded
// reference law) by clamped tile extents. The mutex guards only the map;
// values are computed outside the lock (two threads may compute the same
// shape; the first insert wins) and are immutable once shared, so a
// reference to one stays valid as long as the cache.
template <typename Value>
class ShapeCache {
 public:
  template <typename Compute>
  std::shared_ptr<const Value> Get(const std::vector<int64_t>& key, Compute&& compute) const {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      auto it = map_.find(key);
      if (it != map_.end()) return it->second;
    }
    auto fresh = std::make_shared<const Value>(compute());
    std::lock_guard<std::mutex> lock(mutex_);
    return map_.emplace(key, std::move(fresh)).first->second;
  }

 private:
  mutable std::mutex mutex_;  // guards map_ (not the values it points to)
  mutable std::map<std::vector<int64_t>, std::shared_ptr<const Value>> map_;
};
using TileHistogramCache = ShapeCache<TileHistogram>;

// A coordinate-dependent model that answers every query from the histogram
// of its tiles of the asked shape (banded, actual data).
class HistogramDensityModel : public DensityModel {
 public:
  void Distribution(const TileShape& tile, std::vector<double>& p) const override {
    Histogram(tile)->Fill(tile.Size(), p);
  }
  double ProbEmpty(const TileShape& tile) const override { return Histogram(tile)->ProbEmpty(); }
  double ExpectedOccupancy(const TileShape& tile) const override {
    return Histogram(tile)->Expected();
  }
  int64_t Occupancy(const TileShape& tile, double confidence) const override {
    return Histogram(tile)->Quantile(confidence);
  }

 protected:
  virtual std::shared_ptr<const TileHistogram> Histogram(const TileShape& tile) const = 0;
};

}  // namespace sieve::sparse
