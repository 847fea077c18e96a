#include "sieve/dense/traffic.hpp"

#include "sieve/dense/storage_links.hpp"

namespace sieve::dense {
namespace {

// Per-dimension extents of the box spanned by loops [0, end).
DimVector BoxExtents(const LoopNest& nest, int end) {
  DimVector extent;
  extent.fill(1);
  for (int i = 0; i < end; ++i) extent[nest.loops[i].dim] *= nest.loops[i].bound;
  return extent;
}

}  // namespace

void AnalyzeTraffic(const LoopNest& nest, const ProjectionTable& projection, HaloRule rule,
                    MacLinkWork& links, DenseTraffic& out) {
  const int num_levels = nest.num_levels;
  const int num_ds = projection.num_data_spaces();
  out.num_levels = num_levels;
  out.num_data_spaces = num_ds;
  out.iterations = nest.iterations;

  // stride[i]: index weight of loop i in its dimension (product of the
  // bounds of the loops below it in the same dimension, spatial included).
  std::array<int64_t, kMaxLoops> stride{};
  {
    DimVector running;
    running.fill(1);
    for (int i = 0; i < nest.num_loops; ++i) {
      stride[i] = running[nest.loops[i].dim];
      running[nest.loops[i].dim] *= nest.loops[i].bound;
    }
  }

  // Instances in use below each level: the product of the spatial fan-outs
  // of every level above it.
  int64_t used = 1;
  for (int level = num_levels - 1; level >= 0; --level) {
    out.levels[level].used_instances = used;
    used *= nest.spatial_product[level];
  }
  out.used_macs = used;
  out.computes = used * nest.iterations;

  // Grid neighbours' step patterns of a fan-out whose children may use mesh
  // links: they depend on the loops only, so every data space shares them.
  // Found on first use.
  std::array<bool, kMaxLevels> have_grid{};
  auto grid = [&](int level) -> const LevelGrid& {
    if (!have_grid[level]) FindGridSteps(nest, level, links.grid[level]);
    have_grid[level] = true;
    return links.grid[level];
  };

  std::array<DimVector, kMaxLevels> tile_extent;
  for (int level = 0; level < num_levels; ++level) {
    tile_extent[level] = BoxExtents(nest, nest.begin[level + 1]);
  }

  for (int ds = 0; ds < num_ds; ++ds) {
    const DataSpaceProjection& p = projection[ds];
    int outermost_keeper = -1;
    for (int level = 0; level < num_levels; ++level) {
      if (nest.keep[level][ds]) outermost_keeper = level;
    }

    // Partition: the share of the tensor each instance owns, from the top
    // down; it splits only where the parent fans out (SEMANTICS "Partition").
    std::array<int64_t, kMaxLevels> partition{};
    std::array<int64_t, kMaxLevels> tile{};
    for (int level = 0; level < num_levels; ++level) {
      tile[level] = projection.TileSize(ds, tile_extent[level]);
    }
    partition[num_levels - 1] = tile[num_levels - 1];
    for (int level = num_levels - 2; level >= 0; --level) {
      const int parent = level + 1;
      if (nest.spatial_end[parent] > nest.begin[parent]) {
        const int64_t spread =
            projection.TileSize(ds, BoxExtents(nest, nest.spatial_end[parent]));
        partition[level] = partition[parent] * tile[level] / spread;
      } else {
        partition[level] = partition[parent];
      }
    }

    // Demand flows upward: the arithmetic needs one operand per iteration;
    // a keeping level asks its parent for its temporal deltas; a bypassing
    // level forwards its own demand (SEMANTICS "Bypass"). Each parent serves
    // one access per multicast group of its spatial loops.
    int64_t demand = nest.iterations;
    // The MACs below the innermost level: multicast and mesh links decide
    // what it serves (mac_links.hpp).
    const bool mac_fanout = nest.spatial_end[0] > nest.begin[0];
    const int64_t mac_accesses =
        mac_fanout ? MacLevelAccesses(nest, p, stride, grid(0), links) : 0;
    // The walk of the last keeping level seen (the level below, when it keeps).
    WalkInput walk;
    for (int level = 0; level < num_levels; ++level) {
      const int64_t groups = nest.spatial_end[level] > nest.begin[level]
                                 ? SpatialGroups(nest, p, stride, level, links)
                                 : 1;
      int64_t accesses = level == 0 && mac_fanout ? mac_accesses : groups * demand;
      // Storage children of a fan-out may pass deltas over mesh links
      // (storage_links.hpp). A child's fills are its share of what the
      // parent serves plus the link transfers, and the sender reads what
      // it passes on. The reference spreads one parent instance's link
      // transfers over all child instances (not per parent) and keeps
      // whole counts.
      if (level > 0 && groups > 0 && nest.spatial_end[level] > nest.begin[level] &&
          nest.keep[level - 1][ds] && !p.read_write && !nest.no_link[level][ds]) {
        const LinkSavings used_links =
            StorageLinkSavings(nest, p, stride, level, grid(level), walk, rule, links);
        if (used_links.parent_accesses > 0) {
          accesses -= used_links.parent_accesses;
          DataSpaceTraffic& child = out.levels[level - 1].ds[ds];
          const int64_t parents = out.levels[level].used_instances;
          const int64_t all_children = nest.spatial_product[level] * parents;
          const int64_t moved = used_links.link_transfers;
          // Whole counts as the reference gives them: link reads rounded to
          // nearest (halves up), fills rounded down (217.5 -> 218 reads,
          // 202.5 -> 202 fills on the storage-link test's design).
          child.reads += (2 * moved + all_children) / (2 * all_children);
          if (child.fills > 0) {
            child.fills = (child.fills * all_children - used_links.child_fills * parents + moved) /
                          all_children;
          }
        }
      }
      DataSpaceTraffic& t = out.levels[level].ds[ds];
      t = DataSpaceTraffic{};
      t.tile_size = tile[level];
      t.partition = partition[level];
      if (!nest.keep[level][ds]) {
        demand = accesses;
        continue;
      }
      t.kept = true;

      walk.num_ranks = p.num_ranks;
      walk.extent = projection.RankExtents(ds, tile_extent[level]);
      walk.num_loops = 0;
      for (int i = nest.begin[level + 1]; i < nest.num_loops; ++i) {
        const Loop& loop = nest.loops[i];
        if (loop.spatial) continue;  // only child 0 is walked
        WalkLoop& w = walk.loops[walk.num_loops++];
        w.bound = loop.bound;
        for (int r = 0; r < p.num_ranks; ++r) w.step[r] = p.coef[r][loop.dim] * stride[i];
      }
      const int64_t deltas = CountDeltas(walk, rule);
      const bool top = level == outermost_keeper;
      if (p.read_write) {
        // The first write of each element is not a read (no temporal
        // reduction), and the element need not be filled before it.
        t.updates = accesses;
        t.reads = accesses - partition[level];
        t.fills = top ? 0 : deltas - partition[level];
      } else {
        t.reads = accesses;
        t.fills = top ? 0 : deltas;
      }
      demand = deltas;
    }
  }
}

}  // namespace sieve::dense
