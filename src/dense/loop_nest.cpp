#include "sieve/dense/loop_nest.hpp"

#include <algorithm>

#include <string>

#include "sieve/spec/error.hpp"

namespace sieve::dense {

FanoutLimits ComputeFanoutLimits(const spec::Arch& arch) {
  FanoutLimits limits;
  limits.num_levels = static_cast<int>(arch.levels.size());
  for (int level = 0; level < limits.num_levels; ++level) {
    const spec::StorageLevel& parent = arch.levels[level];
    int64_t child_x = arch.compute.mesh_x;
    int64_t child_y = arch.compute.mesh_y;
    std::string child_name = arch.compute.name;
    if (level > 0) {
      child_x = arch.levels[level - 1].mesh_x;
      child_y = arch.levels[level - 1].mesh_y;
      child_name = arch.levels[level - 1].name;
    }
    // The fan-out is the ratio of the child's mesh to the parent's; it must
    // be whole in both directions (SEMANTICS "Fan-out").
    if (parent.mesh_x <= 0 || parent.mesh_y <= 0 || child_x % parent.mesh_x != 0 ||
        child_y % parent.mesh_y != 0) {
      throw spec::SpecError(
          parent.loc, "mesh " + std::to_string(parent.mesh_x) + "x" +
                          std::to_string(parent.mesh_y) + " of '" + parent.name +
                          "' does not divide the mesh " + std::to_string(child_x) + "x" +
                          std::to_string(child_y) + " of its child '" + child_name + "'");
    }
    limits.x[level] = child_x / parent.mesh_x;
    limits.y[level] = child_y / parent.mesh_y;
    limits.dummy[level] = parent.is_dummy;
    limits.mesh_x[level] = parent.mesh_x;
    limits.mesh_y[level] = parent.mesh_y;
    limits.instances[level] = parent.instances;
  }
  limits.mesh_x[limits.num_levels] = arch.compute.mesh_x;
  limits.mesh_y[limits.num_levels] = arch.compute.mesh_y;
  limits.instances[limits.num_levels] = arch.compute.instances;
  return limits;
}

Status BuildLoopNest(const spec::Mapping& mapping, const FanoutLimits& limits, int num_dims,
                     int num_data_spaces, LoopNest& nest) {
  nest.num_levels = limits.num_levels;
  nest.num_dims = num_dims;
  nest.num_loops = 0;
  nest.num_full_loops = 0;
  std::array<int64_t, kMaxLevels> spatial_x{};
  std::array<int64_t, kMaxLevels> spatial_y{};
  nest.iterations = 1;
  if (static_cast<int>(mapping.levels.size()) != limits.num_levels) {
    return Status{StatusCode::kMappingShape, -1, -1,
                  static_cast<int64_t>(limits.num_levels),
                  static_cast<int64_t>(mapping.levels.size())};
  }
  for (int level = 0; level < limits.num_levels; ++level) {
    const spec::LevelMapping& lm = mapping.levels[level];
    nest.begin[level] = nest.num_loops;
    int64_t x = 1;
    int64_t y = 1;
    const int order_size = static_cast<int>(lm.spatial_order.size());
    for (int pos = 0; pos < order_size; ++pos) {
      const int d = lm.spatial_order[pos];
      const int64_t bound = lm.spatial_factors[d];
      if (bound <= 1) continue;
      const bool on_y = pos >= lm.spatial_split;
      (on_y ? y : x) *= bound;
      nest.loops[nest.num_loops++] = Loop{static_cast<int16_t>(d), static_cast<int16_t>(level),
                                          true, on_y, bound};
    }
    nest.spatial_end[level] = nest.num_loops;
    nest.spatial_product[level] = x * y;
    nest.mesh_x[level] = std::max(limits.x[level], x);
    nest.full_begin[level] = nest.num_full_loops;
    if (x * y > 1 || limits.x[level] * limits.y[level] > 1) {
      for (int pos = 0; pos < order_size; ++pos) {
        const int d = lm.spatial_order[pos];
        nest.full[nest.num_full_loops++] =
            Loop{static_cast<int16_t>(d), static_cast<int16_t>(level), true,
                 pos >= lm.spatial_split, std::max<int64_t>(1, lm.spatial_factors[d])};
      }
    }
    for (int d : lm.temporal_order) {
      nest.full[nest.num_full_loops++] =
          Loop{static_cast<int16_t>(d), static_cast<int16_t>(level), false, false,
               std::max<int64_t>(1, lm.temporal_factors[d])};
    }
    if (x * y > 1 && limits.x[level] * limits.y[level] == 1) {
      return Status{StatusCode::kSpatialWithoutFanout, level, -1, x * y, 1};
    }
    spatial_x[level] = x;
    spatial_y[level] = y;
    for (int d : lm.temporal_order) {
      const int64_t bound = lm.temporal_factors[d];
      if (bound <= 1) continue;
      nest.iterations *= bound;
      nest.loops[nest.num_loops++] = Loop{static_cast<int16_t>(d), static_cast<int16_t>(level),
                                          false, false, bound};
    }
    for (int ds = 0; ds < num_data_spaces; ++ds) {
      nest.keep[level][ds] = lm.keep[ds];
      nest.no_link[level][ds] = ds < static_cast<int>(lm.no_link_transfer.size()) && lm.no_link_transfer[ds];
    }
  }
  nest.begin[limits.num_levels] = nest.num_loops;
  // Fan-out (as the reference checks it): the spatial loops of all levels
  // above a level, in X and in Y, must fit its mesh and its instances; the
  // same for the compute below all levels.
  {
    int64_t x = 1;
    int64_t y = 1;
    for (int level = limits.num_levels - 1; level >= -1; --level) {
      const int at = level < 0 ? limits.num_levels : level;
      if (x > limits.mesh_x[at] || y > limits.mesh_y[at] || x * y > limits.instances[at]) {
        const bool by_x = x > limits.mesh_x[at];
        return Status{StatusCode::kFanoutExceeded, level < 0 ? 0 : level, -1, by_x ? x : y,
                      by_x ? limits.mesh_x[at] : limits.mesh_y[at]};
      }
      if (level >= 0) {
        x *= spatial_x[level];
        y *= spatial_y[level];
      }
    }
  }
  nest.full_begin[limits.num_levels] = nest.num_full_loops;
  for (int ds = 0; ds < num_data_spaces; ++ds) {
    bool kept = false;
    for (int level = 0; level < limits.num_levels; ++level) kept = kept || nest.keep[level][ds];
    if (!kept) return Status{StatusCode::kAllBypassed, -1, ds, 0, 0};
  }
  return Status{};
}

}  // namespace sieve::dense
