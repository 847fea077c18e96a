// Private to the sparse step: tile geometry shared by the format and
// gating/skipping analyses, and the format analysis of one compressed tile.
#pragma once

#include <cmath>
#include <optional>

#include "sieve/dense/loop_nest.hpp"
#include "sieve/dense/projection.hpp"
#include "sieve/dense/traffic.hpp"
#include "sieve/sparse/sparse_design.hpp"
#include "sieve/sparse/sparse_traffic.hpp"
#include "sieve/status.hpp"

namespace sieve::sparse {

using dense::DimVector;

// Per-dimension extents of the loops i with include[i].
inline DimVector BoxOf(const dense::LoopNest& nest, const bool* include) {
  DimVector e;
  e.fill(1);
  for (int i = 0; i < nest.num_loops; ++i) {
    if (include[i]) e[nest.loops[i].dim] *= nest.loops[i].bound;
  }
  return e;
}

// Per-dimension extents of the loops [0, end).
inline DimVector BoxBelow(const dense::LoopNest& nest, int end) {
  DimVector e;
  e.fill(1);
  for (int i = 0; i < end; ++i) e[nest.loops[i].dim] *= nest.loops[i].bound;
  return e;
}

// The tensor tile of data space `ds` that an operation-space box projects to.
inline TileShape ShapeOf(const dense::ProjectionTable& proj, int ds, const DimVector& box) {
  TileShape t;
  t.num_ranks = proj[ds].num_ranks;
  const dense::RankVector e = proj.RankExtents(ds, box);
  for (int r = 0; r < t.num_ranks; ++r) t.extent[r] = e[r];
  return t;
}

// Plain rounding of double products: the reference rounds the raw value,
// noise included (810 * 0.19999999999999996 floors to 161), and sieve's
// counts follow it exactly.
inline double Floor(double x) { return std::floor(x); }
inline double Ceil(double x) { return std::ceil(x); }

// Fills the format traffic and occupancy of the compressed tile of data
// space `ds` at `level` (SEMANTICS "Format models", "Occupancy, metadata and
// data accesses"). Returns kFormatRanks when the tile has more loops of its
// own than the format has ranks.
Status AnalyzeFormat(const dense::LoopNest& nest, const dense::ProjectionTable& proj,
                     const SparseDesign& design, const ResolvedFormat& format, int level, int ds,
                     const dense::DataSpaceTraffic& t, SparseDataSpace& sd);

// The same for densities with a closed-form law (fixed_structured,
// hypergeometric), following the reference's rank assignment and
// occupancy-conditioned units (format_exact.cpp). Returns false, touching
// nothing, when it does not apply (the estimate above is used); else sets
// `status` (kFormatRanks when the format has too few ranks).
bool AnalyzeFormatExact(const dense::LoopNest& nest, const dense::ProjectionTable& proj,
                        const SparseDesign& design, const ResolvedFormat& format, int level,
                        int ds, const dense::DataSpaceTraffic& t, SparseDataSpace& sd,
                        Status& status);

// Probability of the least occupancy of a tile of `tile_size` points when
// that occupancy can be empty (0 otherwise, or when it is certain): what a
// parent with metadata never sends.
double DroppedOccupancyProbability(const OccupancyLaw& law, int64_t tile_size);

// Expected vector accesses of a compressed tile relative to the naive
// ceil(scalar / block_size), for a tile of `tile` with occupancy model
// `density` on a level with `block_size` words per vector; `mean` is the
// density a busy instance sees (it picks the threshold and sets the naive
// count, as in the reference).
double VectorRatio(const DensityModel& density, const TileShape& tile, int64_t tile_size,
                   int64_t block_size, double mean);
// The same from a given expectation of E[ceil(k / block_size)] over the
// tile's occupancy law.
double VectorRatioOf(double expected_vectors, int64_t tile_size, int64_t block_size, double mean);

// Once sd.expected_density is set: the vector-access correction (compressed
// formats only, at the density a busy instance sees), and the actual reads,
// fills (and updates of a read-write tensor) of a level that stores only the
// nonzeros, the removed part rounded down. `expected_vectors`, when given,
// replaces the density model's E[ceil(k / block)] (the banded path passes
// the reference's own occupancy law).
void SetNonzeroShare(const SparseDesign& design, const DensityModel& density,
                     const TileShape& tile, int64_t tile_size, int level, int ds,
                     bool read_write, SparseDataSpace& sd,
                     std::optional<double> expected_vectors = std::nullopt);

}  // namespace sieve::sparse
