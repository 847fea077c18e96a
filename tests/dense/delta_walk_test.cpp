// The O(L^2) delta count must equal the literal index-0/index-1 walk of the
// reference tool on every nest. The literal walk below enumerates all 2^L
// leaves with explicit boxes and exact box differences.
#include "sieve/dense/delta_walk.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <optional>
#include <random>
#include <vector>

namespace sieve::dense {
namespace {

struct Box {
  std::vector<int64_t> lo;  // per rank
};

int64_t Overlap(const WalkInput& in, const Box& a, const Box& b) {
  int64_t n = 1;
  for (int r = 0; r < in.num_ranks; ++r) {
    const int64_t hi = std::min(a.lo[r], b.lo[r]) + in.extent[r];
    const int64_t lo = std::max(a.lo[r], b.lo[r]);
    n *= std::max<int64_t>(0, hi - lo);
  }
  return n;
}

// Literal walk: leaves in depth-first order, each carrying its weight.
int64_t LiteralWalk(const WalkInput& in, HaloRule rule) {
  int64_t tile = 1;
  for (int r = 0; r < in.num_ranks; ++r) tile *= in.extent[r];
  std::optional<Box> prev;
  std::optional<std::vector<int64_t>> stride;
  int64_t total = 0;
  const int n = in.num_loops;
  for (uint64_t x = 0; x < (uint64_t{1} << n); ++x) {
    Box cur{std::vector<int64_t>(in.num_ranks, 0)};
    int64_t weight = 1;
    for (int j = 0; j < n; ++j) {
      if ((x >> j) & 1) {
        weight *= in.loops[j].bound - 1;
        for (int r = 0; r < in.num_ranks; ++r) cur.lo[r] += in.loops[j].step[r];
      }
    }
    int64_t fresh = 0;
    if (!prev) {
      fresh = tile;
      if (rule == HaloRule::kPre2025) stride.reset();  // s := t (none)
    } else {
      std::vector<int64_t> t(in.num_ranks);
      bool zero = true;
      for (int r = 0; r < in.num_ranks; ++r) {
        t[r] = cur.lo[r] - prev->lo[r];
        zero = zero && t[r] == 0;
      }
      const int64_t diff = tile - Overlap(in, cur, *prev);
      if (rule == HaloRule::k2025 && zero) {
        fresh = diff;  // zero new points, stride unchanged
      } else if (!stride) {
        fresh = diff;
        stride = t;
      } else if (*stride == t) {
        fresh = diff;
      } else {
        fresh = tile;
        stride.reset();
      }
    }
    total += fresh * weight;
    prev = cur;
  }
  return total;
}

WalkInput RandomInput(std::mt19937& rng) {
  std::uniform_int_distribution<int> ranks(1, 3), loops(0, 7), bound(2, 5), extent(1, 6),
      pick(0, 2), coef(-1, 2);
  WalkInput in;
  in.num_ranks = ranks(rng);
  for (int r = 0; r < in.num_ranks; ++r) in.extent[r] = extent(rng);
  in.num_loops = loops(rng);
  for (int j = 0; j < in.num_loops; ++j) {
    in.loops[j].bound = bound(rng);
    // Steps are often zero (non-indexing loop) or unit, sometimes larger.
    for (int r = 0; r < in.num_ranks; ++r) {
      const int kind = pick(rng);
      in.loops[j].step[r] = kind == 0 ? 0 : coef(rng) * (kind == 1 ? 1 : in.extent[r]);
    }
  }
  return in;
}

TEST(DeltaWalk, NoLoopsAboveBringsTheTileOnce) {
  WalkInput in;
  in.num_ranks = 2;
  in.extent = {3, 4};
  EXPECT_EQ(CountDeltas(in, HaloRule::k2025), 12);
}

TEST(DeltaWalk, SlidingWindowGetsHaloCredit) {
  // One loop P of bound 5 sliding a 3-wide window by 1: 3 + 4 * 1 new points.
  WalkInput in;
  in.num_ranks = 1;
  in.extent = {3};
  in.num_loops = 1;
  in.loops[0].bound = 5;
  in.loops[0].step = {1};
  EXPECT_EQ(CountDeltas(in, HaloRule::k2025), 7);
  EXPECT_EQ(CountDeltas(in, HaloRule::kPre2025), 7);
}

TEST(DeltaWalk, ReferenceShortcutExampleGivesThirteen) {
  // SEMANTICS worked example: child tile P2,R1 (input extent 2) under loops
  // R3 (inner, step 1) and P4 (step 2): fills 2 + 2*1 + 3*1 + 6*1 = 13.
  WalkInput in;
  in.num_ranks = 1;
  in.extent = {2};
  in.num_loops = 2;
  in.loops[0].bound = 3;
  in.loops[0].step = {1};
  in.loops[1].bound = 4;
  in.loops[1].step = {2};
  EXPECT_EQ(CountDeltas(in, HaloRule::k2025), 13);
  EXPECT_EQ(LiteralWalk(in, HaloRule::k2025), 13);
}

TEST(DeltaWalk, StationaryStepKeepsStrideOnlyUnder2025Rule) {
  // eyeriss-like: inner M does not index the tensor, outer Q slides a
  // 3-row window by 1. Old rule: the stationary M step records stride 0, so
  // the first Q step refetches the whole tile; 2025 rule: it keeps the halo.
  WalkInput in;
  in.num_ranks = 1;
  in.extent = {3};
  in.num_loops = 2;
  in.loops[0].bound = 4;  // M (non-indexing)
  in.loops[0].step = {0};
  in.loops[1].bound = 2;  // Q
  in.loops[1].step = {1};
  // 2025: 3 (first) + 3*0 (M) + 1*1 (Q, halo) + 3*0 (M) = 4.
  EXPECT_EQ(CountDeltas(in, HaloRule::k2025), 4);
  // pre-2025: 3 + 0 + 1*3 (stride 0 recorded, Q refetches) + 0 = 6.
  EXPECT_EQ(CountDeltas(in, HaloRule::kPre2025), 6);
  for (HaloRule rule : {HaloRule::k2025, HaloRule::kPre2025}) {
    EXPECT_EQ(CountDeltas(in, rule), LiteralWalk(in, rule));
  }
}

TEST(DeltaWalk, MatchesLiteralWalkOnRandomNests) {
  std::mt19937 rng(12345);
  for (int trial = 0; trial < 3000; ++trial) {
    const WalkInput in = RandomInput(rng);
    for (HaloRule rule : {HaloRule::k2025, HaloRule::kPre2025}) {
      ASSERT_EQ(CountDeltas(in, rule), LiteralWalk(in, rule))
          << "trial " << trial << " rule " << static_cast<int>(rule);
    }
  }
}

}  // namespace
}  // namespace sieve::dense
