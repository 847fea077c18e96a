// The storage-link walk (storage_links.hpp) summed by its dynamic programme
// must equal the literal index-0/index-1 walk with explicit point sets: on
// every leaf each child's delta as a set of tensor points (the 2025 stride
// rule of delta_walk.hpp), compared as sets with every grid neighbour's
// delta of the previous leaf.
#include "sieve/dense/storage_links.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <set>
#include <vector>

namespace sieve::dense {
namespace {

using Point = std::vector<int64_t>;
using PointSet = std::set<Point>;

PointSet Tile(const WalkInput& in, const Point& origin) {
  PointSet s;
  Point p(origin);
  // Odometer over the tile extents.
  std::vector<int64_t> i(in.num_ranks, 0);
  while (true) {
    for (int r = 0; r < in.num_ranks; ++r) p[r] = origin[r] + i[r];
    s.insert(p);
    int r = 0;
    while (r < in.num_ranks && ++i[r] == in.extent[r]) i[r++] = 0;
    if (r == in.num_ranks) break;
  }
  return s;
}

struct Literal {
  int64_t saved = 0, members = 0, moved = 0;
};

Literal LiteralLinks(const WalkInput& in, const std::vector<Point>& offset, int64_t mesh_x) {
  const int n = in.num_loops;
  const int children = static_cast<int>(offset.size());
  // Multicast groups: equal offsets.
  std::map<Point, int> group_of;
  std::vector<int> group(children);
  for (int i = 0; i < children; ++i) {
    group[i] = group_of.emplace(offset[i], static_cast<int>(group_of.size())).first->second;
  }
  const int groups = static_cast<int>(group_of.size());
  Literal out;
  std::optional<Point> prev_pos;
  std::optional<Point> stride;
  std::vector<PointSet> prev_delta(children);
  for (uint64_t x = 0; x < (uint64_t{1} << n); ++x) {
    Point pos(in.num_ranks, 0);
    int64_t weight = 1;
    for (int j = 0; j < n; ++j) {
      if ((x >> j) & 1) {
        weight *= in.loops[j].bound - 1;
        for (int r = 0; r < in.num_ranks; ++r) pos[r] += in.loops[j].step[r];
      }
    }
    // Which part of the tile is new (the same for every child).
    enum { kAll, kDiff, kNone } kind = kAll;
    if (prev_pos) {
      Point t(in.num_ranks);
      bool zero = true;
      for (int r = 0; r < in.num_ranks; ++r) {
        t[r] = pos[r] - (*prev_pos)[r];
        zero = zero && t[r] == 0;
      }
      if (zero) {
        kind = kNone;
      } else if (!stride || *stride == t) {
        kind = kDiff;
        stride = t;
      } else {
        kind = kAll;
        stride.reset();
      }
    }
    std::vector<PointSet> delta(children);
    for (int i = 0; i < children; ++i) {
      Point o(in.num_ranks), po(in.num_ranks);
      for (int r = 0; r < in.num_ranks; ++r) {
        o[r] = offset[i][r] + pos[r];
        if (prev_pos) po[r] = offset[i][r] + (*prev_pos)[r];
      }
      if (kind == kNone) continue;
      PointSet now = Tile(in, o);
      if (kind == kDiff) {
        for (const Point& q : Tile(in, po)) now.erase(q);
      }
      delta[i] = std::move(now);
    }
    if (prev_pos && kind != kNone) {
      std::vector<bool> linked(children, false);
      int num_linked = 0;
      for (int i = 0; i < children; ++i) {
        const int64_t col = i % mesh_x;
        std::vector<int64_t> nbrs;
        if (col > 0) nbrs.push_back(i - 1);
        if (col + 1 < mesh_x) nbrs.push_back(i + 1);
        nbrs.push_back(i - mesh_x);
        nbrs.push_back(i + mesh_x);
        for (int64_t k : nbrs) {
          if (k >= 0 && k < children && !prev_delta[k].empty() && prev_delta[k] == delta[i]) {
            linked[i] = true;
          }
        }
        num_linked += linked[i];
      }
      std::vector<bool> busy(groups, false);
      for (int i = 0; i < children; ++i) {
        if (!linked[i]) busy[group[i]] = true;
      }
      const int saved_groups = groups - static_cast<int>(std::count(busy.begin(), busy.end(), true));
      if (saved_groups > 0) {
        int members = 0;
        for (int i = 0; i < children; ++i) members += !busy[group[i]];
        const int64_t size = static_cast<int64_t>(delta[0].size());
        out.saved += weight * saved_groups * size;
        out.members += weight * members * size;
        out.moved += weight * num_linked * size;
      }
    }
    prev_delta = std::move(delta);
    prev_pos = pos;
  }
  return out;
}

TEST(StorageLinkWalk, EqualsLiteralWalkOnRandomNests) {
  std::mt19937 rng(7);
  std::uniform_int_distribution<int> ranks(1, 2), spatial(1, 3), temporal(1, 6), bound(2, 4),
      extent(1, 3), coef(-1, 2), pick(0, 3), mesh(1, 4);
  int with_links = 0;
  for (int trial = 0; trial < 400; ++trial) {
    WalkInput in;
    in.num_ranks = ranks(rng);
    for (int r = 0; r < in.num_ranks; ++r) in.extent[r] = extent(rng);
    in.num_loops = temporal(rng);
    for (int j = 0; j < in.num_loops; ++j) {
      in.loops[j].bound = bound(rng);
      for (int r = 0; r < in.num_ranks; ++r) {
        const int kind = pick(rng);
        in.loops[j].step[r] = kind == 0 ? 0 : coef(rng) * (kind == 3 ? in.extent[r] : 1);
      }
    }
    // Level 1 fans out with `k` spatial loops, one dimension each.
    LoopNest nest;
    const int k = spatial(rng);
    nest.num_levels = 2;
    DataSpaceProjection p;
    p.num_ranks = in.num_ranks;
    std::array<int64_t, kMaxLoops> stride{};
    int64_t children = 1;
    for (int i = 0; i < k; ++i) {
      nest.loops[i] = Loop{static_cast<int16_t>(i), 1, true, false, bound(rng)};
      children *= nest.loops[i].bound;
      stride[i] = 1;
      for (int r = 0; r < p.num_ranks; ++r) p.coef[r][i] = pick(rng) == 0 ? 0 : coef(rng);
    }
    nest.num_loops = k;
    nest.begin[1] = 0;
    nest.spatial_end[1] = k;
    nest.begin[2] = k;
    nest.spatial_product[1] = children;
    nest.mesh_x[1] = std::min<int64_t>(children, mesh(rng));
    auto work = std::make_unique<MacLinkWork>();
    ChildOffsets(nest, p, stride, 1, static_cast<int>(children), *work);
    std::vector<Point> offset(children, Point(p.num_ranks));
    for (int i = 0; i < children; ++i) {
      for (int r = 0; r < p.num_ranks; ++r) offset[i][r] = work->offset[i][r];
    }
    const Literal want = LiteralLinks(in, offset, nest.mesh_x[1]);
    FindGridSteps(nest, 1, work->grid[1]);
    const LinkSavings got = StorageLinkSavings(nest, p, stride, 1, work->grid[1], in, HaloRule::k2025, *work);
    SCOPED_TRACE(::testing::Message() << "trial " << trial);
    EXPECT_EQ(got.parent_accesses, want.saved);
    EXPECT_EQ(got.child_fills, want.members);
    EXPECT_EQ(got.link_transfers, want.moved);
    with_links += want.saved > 0;
  }
  // The random nests must exercise links, not only their absence.
  EXPECT_GT(with_links, 40);
}

}  // namespace
}  // namespace sieve::dense
