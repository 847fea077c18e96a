// Projection of operation-space boxes onto tensor (data-space) coordinates.
//
// A tensor rank's coordinate is sum_k coef_k * dim_k (paper Sec 5.1: each
// data space is an affine projection of the operation space). A box with
// extent n_k per dimension projects onto a rank extent of
// sum_k |coef_k| * (n_k - 1) + 1: a bounding box, so stride gaps count,
// as in the reference tool. Immutable after construction; thread-safe.
#pragma once

#include <array>
#include <cstdint>

#include "sieve/limits.hpp"
#include "sieve/spec/workload.hpp"

namespace sieve::dense {

using DimVector = std::array<int64_t, kMaxDims>;
using RankVector = std::array<int64_t, kMaxRanks>;

struct DataSpaceProjection {
  int num_ranks = 0;
  bool read_write = false;
  // coef[r][d]: coefficient of dimension d in rank r (0 = not involved).
  std::array<std::array<int64_t, kMaxDims>, kMaxRanks> coef{};
  // relevant[d]: dimension d moves this data space.
  std::array<bool, kMaxDims> relevant{};
  // The nonzero coefficients of rank r, as (dimension, |coef|): extents
  // only visit these (a rank rarely involves more than two dimensions).
  struct Term {
    int dim = 0;
    int64_t abs_coef = 0;
  };
  std::array<int, kMaxRanks> num_terms{};
  std::array<std::array<Term, kMaxDims>, kMaxRanks> terms{};
};

class ProjectionTable {
 public:
  // REQUIRES: workload within kMax* limits (the spec loader checks them).
  explicit ProjectionTable(const spec::Workload& workload);

  int num_dims() const { return num_dims_; }
  int num_data_spaces() const { return num_data_spaces_; }
  const DataSpaceProjection& operator[](int ds) const { return ds_[ds]; }

  // Rank extents of the box with per-dimension extents `extent`.
  RankVector RankExtents(int ds, const DimVector& extent) const;
  // Number of tensor points in that bounding box (product of rank extents).
  int64_t TileSize(int ds, const DimVector& extent) const;
  // Translation, in tensor coordinates, of moving `delta` along dim d.
  RankVector Translate(int ds, int dim, int64_t delta) const;

 private:
  int num_dims_ = 0;
  int num_data_spaces_ = 0;
  std::array<DataSpaceProjection, kMaxDataSpaces> ds_{};
};

}  // namespace sieve::dense
