// Statistical density models (paper Sec 5.3.2, Table 4): for a tile of a
// tensor, the distribution of its number of nonzeros.
//
// A tile is an axis-aligned box of the tensor given by its extent per tensor
// rank (outermost rank first, as the workload's projection lists them).
// Coordinate-independent models (fixed_structured, hypergeometric) ignore
// where the tile is; coordinate-dependent ones (banded, actual data) average
// over every tile of that shape on the aligned grid that tiles the tensor
// (origins at multiples of the extent; edge tiles clipped).
//
// Immutable after construction; all const methods are thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "sieve/limits.hpp"
#include "sieve/spec/workload.hpp"

namespace sieve::sparse {

struct TileShape {
  int num_ranks = 0;
  std::array<int64_t, kMaxRanks> extent{};
  int64_t Size() const;
};

// The closed form of a coordinate-independent occupancy law, for analyses
// that need occupancies conditioned on a parent tile (format models).
struct OccupancyLaw {
  enum class Kind { kNone, kFixed, kHypergeometric } kind = Kind::kNone;
  double density = 1;   // kFixed: nonzeros per point
  int64_t size = 0;     // kHypergeometric: tensor points N
  int64_t nonzeros = 0; // kHypergeometric: r = ceil(density * N)
};

class DensityModel {
 public:
  // The law in closed form; kNone for coordinate-dependent models.
  virtual OccupancyLaw Law() const { return {}; }
  virtual ~DensityModel() = default;
  virtual const char* name() const = 0;
  // Nonzeros / size of the whole tensor.
  virtual double Density() const = 0;
  // P(k nonzeros) for k = 0..tile size (the vector is resized to size + 1).
  virtual void Distribution(const TileShape& tile, std::vector<double>& p) const = 0;
  // P(the tile holds no nonzero).
  virtual double ProbEmpty(const TileShape& tile) const;
  // Expected nonzeros: sum_k k P(k).
  virtual double ExpectedOccupancy(const TileShape& tile) const;
  // Smallest k with P(occupancy <= k) >= confidence (1.0: the maximum
  // possible occupancy).
  virtual int64_t Occupancy(const TileShape& tile, double confidence) const;
  // E[ceil(k / width)]: the expected vectors of `width` words the tile's
  // nonzeros fill.
  virtual double ExpectedVectors(const TileShape& tile, int64_t width) const;
  // Actual-data models: the sorted row-major flat indices (over the tensor's
  // rank extents) of the nonzeros; nullptr for statistical models.
  virtual const std::vector<int64_t>* NonzeroIndices() const { return nullptr; }
};

// What a factory receives: the data space's density spec and its shape.
struct DensityContext {
  const spec::DensitySpec* spec = nullptr;  // null = dense
  std::vector<int64_t> tensor_extent;       // per rank, outermost first
  // Actual data only, optional: the data file's rank order, outermost first,
  // as indices into tensor_extent (a file stored as [M][C] for a tensor
  // whose ranks are [C][M] is {1, 0}). Empty = tensor_extent's order.
  std::vector<int> file_rank_order;
};

using DensityFactory =
    std::function<std::unique_ptr<DensityModel>(const DensityContext&)>;

// Name -> factory: "dense", "fixed_structured", "hypergeometric" (alias
// "uniform"), "banded", "actual_data" (aliases "real_data", "actual-data").
const std::map<std::string, DensityFactory>& DensityModelTable();

// Throws spec::SpecError (at spec->loc) for an unknown distribution, listing
// the valid names, or for bad parameters (density outside [0,1], missing or
// unreadable data file).
std::unique_ptr<DensityModel> MakeDensityModel(const DensityContext& context);

}  // namespace sieve::sparse
