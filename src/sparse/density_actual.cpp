// Actual-data density model (paper Table 4 "Actual data": non-statistical,
// coordinate dependent; SEMANTICS "Density models": the MICRO'22 artifact's
// `distribution: real-data` with a 0/1 mask file).
//
// The tensor's nonzeros are read once (tensor_file.hpp) and kept as sorted
// row-major flat indices over the tensor's rank extents. For a tile shape,
// every nonzero is assigned to its tile on the aligned grid (origins at
// multiples of the shape, edge tiles clipped), tiles are counted, and the
// distribution is the fraction of all grid tiles holding k nonzeros. That
// costs O(nnz log nnz) per new shape, so histograms are memoised per shape
// in a mutex-guarded cache (TileHistogramCache) and Distribution may be
// called from many threads.
#include <algorithm>
#include <stdexcept>

#include "sieve/spec/error.hpp"
#include "sparse/density_models.hpp"
#include "sparse/tensor_file.hpp"

namespace sieve::sparse {
namespace {

class ActualDataModel final : public HistogramDensityModel {
 public:
  ActualDataModel(std::vector<int64_t> extent, std::vector<int64_t> nonzeros)
      : extent_(std::move(extent)), nonzeros_(std::move(nonzeros)) {
    size_ = 1;
    for (int64_t e : extent_) size_ *= e;
  }

  const char* name() const override { return "actual_data"; }
  const std::vector<int64_t>* NonzeroIndices() const override { return &nonzeros_; }
  double Density() const override {
    return static_cast<double>(nonzeros_.size()) / static_cast<double>(size_);
  }

 private:
  std::shared_ptr<const TileHistogram> Histogram(const TileShape& tile) const override {
    const std::vector<int64_t> key = ClampTile(tile, extent_);
    return cache_.Get(key, [&] { return Compute(key); });
  }

  TileHistogram Compute(const std::vector<int64_t>& tile) const {
    const size_t ranks = extent_.size();
    std::vector<int64_t> grid(ranks);  // tiles per rank
    int64_t total_tiles = 1;
    for (size_t r = 0; r < ranks; ++r) {
      grid[r] = (extent_[r] + tile[r] - 1) / tile[r];
      total_tiles *= grid[r];
    }
    // Row-major tile id of each nonzero (last rank fastest, like the data).
    std::vector<int64_t> ids(nonzeros_.size());
    for (size_t n = 0; n < nonzeros_.size(); ++n) {
      int64_t flat = nonzeros_[n], id = 0, stride = 1;
      for (size_t r = ranks; r-- > 0;) {
        id += (flat % extent_[r]) / tile[r] * stride;
        flat /= extent_[r];
        stride *= grid[r];
      }
      ids[n] = id;
    }
    std::sort(ids.begin(), ids.end());
    std::vector<int64_t> per_tile;  // nonzeros of each non-empty tile
    for (size_t n = 0; n < ids.size();) {
      size_t m = n;
      while (m < ids.size() && ids[m] == ids[n]) ++m;
      per_tile.push_back(static_cast<int64_t>(m - n));
      n = m;
    }
    std::sort(per_tile.begin(), per_tile.end());
    TileHistogram hist;
    hist.total_tiles = total_tiles;
    hist.total_nonzeros = static_cast<int64_t>(nonzeros_.size());
    for (int64_t k : per_tile) {
      if (hist.count_by_k.empty() || hist.count_by_k.back().first != k) {
        hist.count_by_k.emplace_back(k, 0);
      }
      ++hist.count_by_k.back().second;
    }
    return hist;
  }

  std::vector<int64_t> extent_;
  std::vector<int64_t> nonzeros_;  // sorted distinct flat indices
  int64_t size_ = 1;
  TileHistogramCache cache_;
};

}  // namespace

std::unique_ptr<DensityModel> MakeActualDataFromIndices(const std::vector<int64_t>& extent,
                                                        std::vector<int64_t> nonzero_flat) {
  int64_t size = 1;
  for (int64_t e : extent) {
    if (e < 1) throw std::invalid_argument("actual data: tensor extents must be positive");
    size *= e;
  }
  std::sort(nonzero_flat.begin(), nonzero_flat.end());
  nonzero_flat.erase(std::unique(nonzero_flat.begin(), nonzero_flat.end()), nonzero_flat.end());
  if (!nonzero_flat.empty() && (nonzero_flat.front() < 0 || nonzero_flat.back() >= size)) {
    throw std::invalid_argument("actual data: nonzero index outside the tensor");
  }
  return std::make_unique<ActualDataModel>(extent, std::move(nonzero_flat));
}

std::unique_ptr<DensityModel> MakeActualDataFromMask(const std::vector<int64_t>& extent,
                                                     const std::vector<uint8_t>& mask) {
  int64_t size = 1;
  for (int64_t e : extent) size *= e;
  if (static_cast<int64_t>(mask.size()) != size) {
    throw std::invalid_argument("actual data: mask has " + std::to_string(mask.size()) +
                                " entries, tensor has " + std::to_string(size) + " points");
  }
  std::vector<int64_t> nonzeros;
  for (size_t i = 0; i < mask.size(); ++i) {
    if (mask[i] != 0) nonzeros.push_back(static_cast<int64_t>(i));
  }
  return MakeActualDataFromIndices(extent, std::move(nonzeros));
}

namespace {

// A file stored in another rank order (DensityContext::file_rank_order):
// read it with the permuted extents, then move every nonzero to the
// tensor's row-major order.
std::vector<int64_t> ToTensorOrder(const std::vector<int64_t>& file_flat,
                                   const std::vector<int>& order,
                                   const std::vector<int64_t>& extent) {
  std::vector<int64_t> out;
  out.reserve(file_flat.size());
  std::vector<int64_t> coord(extent.size());
  for (int64_t flat : file_flat) {
    for (size_t i = order.size(); i-- > 0;) {
      const int64_t e = extent[order[i]];
      coord[order[i]] = flat % e;
      flat /= e;
    }
    int64_t id = 0;
    for (size_t r = 0; r < extent.size(); ++r) id = id * extent[r] + coord[r];
    out.push_back(id);
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

std::unique_ptr<DensityModel> MakeActualDataModel(const DensityContext& context) {
  if (context.spec == nullptr) return MakeDenseModel(context);
  const spec::DensitySpec& spec = *context.spec;
  const std::vector<int>& order = context.file_rank_order;
  const std::vector<int64_t>& extent = context.tensor_extent;
  std::vector<int64_t> file_extent = extent;
  if (!order.empty()) {
    std::vector<int> sorted = order;
    std::sort(sorted.begin(), sorted.end());
    for (size_t i = 0; i < sorted.size(); ++i) {
      if (sorted.size() != extent.size() || sorted[i] != static_cast<int>(i)) {
        throw spec::SpecError(spec.loc, "file_rank_order is not a permutation of the " +
                                            std::to_string(extent.size()) + " tensor ranks");
      }
    }
    for (size_t i = 0; i < order.size(); ++i) file_extent[i] = extent[order[i]];
  }
  const std::string file = ResolveDataFile(spec.data_file_path, spec.loc);
  std::vector<int64_t> nonzeros = ReadTensorNonzeros(file, file_extent, spec.loc);
  if (!order.empty()) nonzeros = ToTensorOrder(nonzeros, order, extent);
  return std::make_unique<ActualDataModel>(extent, std::move(nonzeros));
}

}  // namespace sieve::sparse
