// Grid neighbours' step patterns (mac_links.hpp: LevelGrid) against the
// children's offsets formed one by one: for random fan-outs (several
// spatial loops, one or more ranks, any row width), every translation
// between grid neighbours must be one of the patterns' translations, and
// LinkedChildren must mark exactly the children a neighbour's offset
// exceeds by delta, for deltas that occur and deltas that do not.
#include <gtest/gtest.h>

#include <memory>
#include <random>
#include <set>
#include <vector>

#include "sieve/dense/mac_links.hpp"

namespace sieve::dense {
namespace {

struct RandomFanout {
  LoopNest nest;
  DataSpaceProjection p;
  std::array<int64_t, kMaxLoops> stride{};
  int children = 1;
};

RandomFanout MakeFanout(std::mt19937& rng) {
  std::uniform_int_distribution<int> ranks(1, 3), spatial(1, 4), bound(2, 5), coef(-2, 2), mesh(1, 12);
  RandomFanout f;
  const int k = spatial(rng);
  f.nest.num_levels = 1;
  f.p.num_ranks = ranks(rng);
  std::array<int64_t, kMaxDims> running{};
  running.fill(1);
  for (int i = 0; i < k; ++i) {
    // Dimensions may repeat: a dimension split over two spatial loops.
    const int dim = std::uniform_int_distribution<int>(0, 2)(rng);
    f.nest.loops[i] = Loop{static_cast<int16_t>(dim), 0, true, false, bound(rng)};
    f.stride[i] = running[dim];
    running[dim] *= f.nest.loops[i].bound;
    f.children *= static_cast<int>(f.nest.loops[i].bound);
  }
  for (int r = 0; r < f.p.num_ranks; ++r) {
    for (int d = 0; d < 3; ++d) f.p.coef[r][d] = coef(rng);
  }
  f.nest.num_loops = k;
  f.nest.begin[0] = 0;
  f.nest.spatial_end[0] = k;
  f.nest.begin[1] = k;
  f.nest.spatial_product[0] = f.children;
  f.nest.mesh_x[0] = std::min(f.children, mesh(rng));
  return f;
}

RankVector Diff(const MacLinkWork& w, int from, int to, int ranks) {
  RankVector d{};
  for (int r = 0; r < ranks; ++r) d[r] = w.offset[to][r] - w.offset[from][r];
  return d;
}

TEST(GridSteps, LinkedChildrenEqualsOffsetsOneByOne) {
  std::mt19937 rng(11);
  int linked_cases = 0;
  for (int trial = 0; trial < 500; ++trial) {
    const RandomFanout f = MakeFanout(rng);
    const int ranks = f.p.num_ranks;
    const int64_t mesh_x = f.nest.mesh_x[0];
    auto work = std::make_unique<MacLinkWork>();
    LevelGrid& grid = work->grid[0];
    FindGridSteps(f.nest, 0, grid);
    ASSERT_TRUE(grid.complete) << "trial " << trial;
    NeighbourSteps steps;
    NeighbourTranslations(f.nest, f.p, f.stride, 0, grid, steps);
    ChildOffsets(f.nest, f.p, f.stride, 0, f.children, *work);

    // Every neighbour translation is a pattern's (with its sign).
    std::vector<RankVector> deltas;
    for (int idx = 0; idx < f.children; ++idx) {
      std::vector<int> ahead;
      if ((idx + 1) % mesh_x != 0 && idx + 1 < f.children) ahead.push_back(idx + 1);
      if (idx + mesh_x < f.children) ahead.push_back(static_cast<int>(idx + mesh_x));
      for (int j : ahead) {
        const RankVector d = Diff(*work, idx, j, ranks);
        RankVector minus{};
        for (int r = 0; r < ranks; ++r) minus[r] = -d[r];
        ASSERT_NE(steps.Match(d, ranks).plus, 0u) << "trial " << trial << " child " << idx;
        ASSERT_NE(steps.Match(minus, ranks).minus, 0u) << "trial " << trial << " child " << idx;
        deltas.push_back(d);
        deltas.push_back(minus);
      }
    }
    RankVector absent{};
    for (int r = 0; r < ranks; ++r) absent[r] = 1000 + r;
    deltas.push_back(absent);

    for (const RankVector& delta : deltas) {
      const int got = LinkedChildren(f.nest, 0, grid, steps, delta, ranks, *work);
      int want = 0;
      for (int idx = 0; idx < f.children; ++idx) {
        const int64_t col = idx % mesh_x;
        auto holds = [&](int64_t j) {
          if (j < 0 || j >= f.children) return false;
          const RankVector d = Diff(*work, idx, static_cast<int>(j), ranks);
          for (int r = 0; r < ranks; ++r) {
            if (d[r] != delta[r]) return false;
          }
          return true;
        };
        const bool link = (col > 0 && holds(idx - 1)) || (col + 1 < mesh_x && holds(idx + 1)) ||
                          holds(idx - mesh_x) || holds(idx + mesh_x);
        ASSERT_EQ(work->linked[idx] != 0, link) << "trial " << trial << " child " << idx;
        want += link;
      }
      EXPECT_EQ(got, want);
      linked_cases += want > 0;
    }
  }
  EXPECT_GT(linked_cases, 500);  // the deltas that occur do link children
}

// A grid with too many step patterns for the masks is checked offset by
// offset instead; both ways mark the same children.
TEST(GridSteps, OffsetFallbackMarksTheSameChildren) {
  std::mt19937 rng(12);
  for (int trial = 0; trial < 200; ++trial) {
    const RandomFanout f = MakeFanout(rng);
    const int ranks = f.p.num_ranks;
    auto work = std::make_unique<MacLinkWork>();
    LevelGrid& grid = work->grid[0];
    FindGridSteps(f.nest, 0, grid);
    ASSERT_TRUE(grid.complete);
    NeighbourSteps steps;
    NeighbourTranslations(f.nest, f.p, f.stride, 0, grid, steps);
    ChildOffsets(f.nest, f.p, f.stride, 0, f.children, *work);
    for (int k = 0; k < steps.count; ++k) {
      for (int sign : {1, -1}) {
        RankVector delta{};
        for (int r = 0; r < ranks; ++r) delta[r] = sign * steps.d[k][r];
        const int by_pattern = LinkedChildren(f.nest, 0, grid, steps, delta, ranks, *work);
        const std::vector<uint8_t> want(work->linked.begin(), work->linked.begin() + f.children);
        grid.complete = false;
        const int by_offset = LinkedChildren(f.nest, 0, grid, steps, delta, ranks, *work);
        grid.complete = true;
        ASSERT_EQ(by_offset, by_pattern) << "trial " << trial;
        for (int idx = 0; idx < f.children; ++idx) ASSERT_EQ(work->linked[idx], want[idx]) << idx;
      }
    }
  }
}

}  // namespace
}  // namespace sieve::dense
