#include "sieve/dense/projection.hpp"

#include <cstdlib>

namespace sieve::dense {
namespace {

// Extent of rank r over a box: 1 + sum of |coef| * (extent - 1) over the
// rank's nonzero terms.
int64_t RankExtent(const DataSpaceProjection& p, int r, const DimVector& extent) {
  int64_t e = 1;
  for (int t = 0; t < p.num_terms[r]; ++t) e += p.terms[r][t].abs_coef * (extent[p.terms[r][t].dim] - 1);
  return e;
}

}  // namespace

ProjectionTable::ProjectionTable(const spec::Workload& workload)
    : num_dims_(static_cast<int>(workload.dim_names.size())),
      num_data_spaces_(static_cast<int>(workload.data_spaces.size())) {
  for (int ds = 0; ds < num_data_spaces_; ++ds) {
    const spec::DataSpace& space = workload.data_spaces[ds];
    DataSpaceProjection& p = ds_[ds];
    p.num_ranks = static_cast<int>(space.ranks.size());
    p.read_write = space.read_write;
    for (int r = 0; r < p.num_ranks; ++r) {
      for (const spec::ProjectionTerm& term : space.ranks[r]) {
        p.coef[r][term.dim] += term.coef;
      }
    }
    for (int r = 0; r < p.num_ranks; ++r) {
      for (int d = 0; d < num_dims_; ++d) {
        if (p.coef[r][d] == 0) continue;
        p.relevant[d] = true;
        p.terms[r][p.num_terms[r]++] = {d, std::llabs(p.coef[r][d])};
      }
    }
  }
}

RankVector ProjectionTable::RankExtents(int ds, const DimVector& extent) const {
  const DataSpaceProjection& p = ds_[ds];
  RankVector out{};
  for (int r = 0; r < p.num_ranks; ++r) out[r] = RankExtent(p, r, extent);
  return out;
}

int64_t ProjectionTable::TileSize(int ds, const DimVector& extent) const {
  const DataSpaceProjection& p = ds_[ds];
  int64_t size = 1;
  for (int r = 0; r < p.num_ranks; ++r) size *= RankExtent(p, r, extent);
  return size;
}

RankVector ProjectionTable::Translate(int ds, int dim, int64_t delta) const {
  const DataSpaceProjection& p = ds_[ds];
  RankVector out{};
  for (int r = 0; r < p.num_ranks; ++r) out[r] = p.coef[r][dim] * delta;
  return out;
}

}  // namespace sieve::dense
