// TrivialMapping (see mapping.hpp).
#include "sieve/spec/mapping.hpp"

namespace sieve::spec {

Mapping TrivialMapping(int num_levels, int num_dims, int num_data_spaces,
                       const std::vector<int64_t>& bounds) {
  Mapping m;
  for (int l = 0; l < num_levels; ++l) {
    LevelMapping lm;
    lm.temporal_factors.assign(num_dims, 1);
    lm.spatial_factors.assign(num_dims, 1);
    for (int d = 0; d < num_dims; ++d) {
      lm.temporal_order.push_back(d);
      lm.spatial_order.push_back(d);
    }
    lm.spatial_split = num_dims;
    lm.keep.assign(num_data_spaces, true);
    if (l == num_levels - 1) {
      for (int d = 0; d < num_dims && d < static_cast<int>(bounds.size()); ++d)
        lm.temporal_factors[d] = bounds[d];
    }
    m.levels.push_back(std::move(lm));
  }
  return m;
}

}  // namespace sieve::spec
