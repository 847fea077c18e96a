// Step 1 on a hand-built design, checked against counts derived by hand
// (the derivations are in the comments; they follow SEMANTICS' worked
// example for this nest: RF P16 | GLB R3 K2 C32 | 16x K spatial | DRAM).
#include "sieve/dense/traffic.hpp"

#include <memory>
#include <gtest/gtest.h>

#include "sieve/dense/loop_nest.hpp"
#include "sieve/dense/projection.hpp"
#include "support/t04_design.hpp"

namespace sieve::dense {
namespace {

constexpr int kW = 0, kI = 1, kO = 2;
constexpr int kRF = 0, kGLB = 1, kDRAM = 3;

class T04Traffic : public ::testing::Test {
 protected:
  void SetUp() override {
    spec_ = testing::T04Design();
    const ProjectionTable proj(spec_.workload);
    const FanoutLimits limits = ComputeFanoutLimits(spec_.arch);
    ASSERT_TRUE(BuildLoopNest(*spec_.mapping, limits, 4, 3, nest_).ok());
    auto links = std::make_unique<MacLinkWork>();
    AnalyzeTraffic(nest_, proj, HaloRule::k2025, *links, t_);
  }
  const DataSpaceTraffic& At(int level, int ds) const { return t_.levels[level].ds[ds]; }
  spec::Spec spec_;
  LoopNest nest_;
  DenseTraffic t_;
};

TEST_F(T04Traffic, ComputesAndInstances) {
  // 32*32*3*16 = 49152 MACs on 16 units: 3072 per unit.
  EXPECT_EQ(t_.computes, 49152);
  EXPECT_EQ(t_.iterations, 3072);
  EXPECT_EQ(t_.used_macs, 16);
  EXPECT_EQ(t_.levels[kRF].used_instances, 16);
  EXPECT_EQ(t_.levels[kGLB].used_instances, 16);
  EXPECT_EQ(t_.levels[kDRAM].used_instances, 1);
}

TEST_F(T04Traffic, TileSizesAreProjectedBoxes) {
  // RF: P16 -> W 1, I (R+P extent 16) 16, O 16.
  EXPECT_EQ(At(kRF, kW).tile_size, 1);
  EXPECT_EQ(At(kRF, kI).tile_size, 16);
  EXPECT_EQ(At(kRF, kO).tile_size, 16);
  // GLB: C32 K2 R3 P16 -> W 32*2*3 = 192; I 32*(3+16-1) = 576; O 2*16 = 32.
  EXPECT_EQ(At(kGLB, kW).tile_size, 192);
  EXPECT_EQ(At(kGLB, kI).tile_size, 576);
  EXPECT_EQ(At(kGLB, kO).tile_size, 32);
  // DRAM holds whole tensors: W 3072, I 576, O 512.
  EXPECT_EQ(At(kDRAM, kW).tile_size, 3072);
  EXPECT_EQ(At(kDRAM, kO).tile_size, 512);
}

TEST_F(T04Traffic, RegisterFileCounts) {
  // Every compute reads its weight and input and updates its output.
  EXPECT_EQ(At(kRF, kW).reads, 3072);
  EXPECT_EQ(At(kRF, kI).reads, 3072);
  EXPECT_EQ(At(kRF, kO).updates, 3072);
  // W: every R, K or C step brings a new weight: 3*2*32 = 192.
  EXPECT_EQ(At(kRF, kW).fills, 192);
  // I: an R step slides the 16-wide window by 1 (1 new); K and C steps wrap
  // R, so the whole window is refetched: 32*2*(16+1+1) = 1152.
  EXPECT_EQ(At(kRF, kI).fills, 1152);
  // O: partition 32 (2 K x 16 P); GLB sees 32*2*16 = 1024 output deltas.
  EXPECT_EQ(At(kRF, kO).partition, 32);
  EXPECT_EQ(At(kRF, kO).reads, 3072 - 32);
  EXPECT_EQ(At(kRF, kO).fills, 1024 - 32);
}

TEST_F(T04Traffic, GlobalBufferCounts) {
  EXPECT_EQ(At(kGLB, kW).reads, 192);
  EXPECT_EQ(At(kGLB, kI).reads, 1152);
  EXPECT_EQ(At(kGLB, kO).updates, 1024);
  EXPECT_EQ(At(kGLB, kO).reads, 1024 - 32);
  // W: one of 16 K-groups per GLB: 3072/16 = 192. I: multicast to all 16,
  // 576 each. O: 16 groups of 32 = 512 = its partition 32 each, fills 0.
  EXPECT_EQ(At(kGLB, kW).fills, 192);
  EXPECT_EQ(At(kGLB, kI).fills, 576);
  EXPECT_EQ(At(kGLB, kO).fills, 0);
  EXPECT_EQ(At(kGLB, kW).partition, 192);
}

TEST_F(T04Traffic, BypassedLevelForwardsDemandToDram) {
  EXPECT_FALSE(At(2, kW).kept);
  EXPECT_EQ(At(2, kW).reads, 0);
  // DRAM serves 16 K-groups of 192 weights, one multicast of 576 inputs,
  // and 16 groups of 32 output updates; first writes are not reads.
  EXPECT_EQ(At(kDRAM, kW).reads, 3072);
  EXPECT_EQ(At(kDRAM, kI).reads, 576);
  EXPECT_EQ(At(kDRAM, kO).updates, 512);
  EXPECT_EQ(At(kDRAM, kO).reads, 0);
  EXPECT_EQ(At(kDRAM, kW).fills, 0);  // outermost keeper
}

TEST(LoopNest, SpatialBeyondFanoutIsInvalid) {
  spec::Spec s = testing::T04Design();
  s.mapping->levels[2] = testing::LevelMap(s.workload, "", "K32", false);
  s.mapping->levels[1] = testing::LevelMap(s.workload, "R3 C32", "", true);
  LoopNest nest;
  const Status st =
      BuildLoopNest(*s.mapping, ComputeFanoutLimits(s.arch), 4, 3, nest);
  // K32 above the 16 GlobalBuffers (mesh 16 x 1): the level whose mesh the
  // spatial loops above it exceed is reported.
  EXPECT_EQ(st.code, StatusCode::kFanoutExceeded);
  EXPECT_EQ(st.level, 1);
  EXPECT_EQ(st.required, 32);
  EXPECT_EQ(st.available, 16);
}

TEST(LoopNest, SpatialWithoutFanoutIsInvalid) {
  spec::Spec s = testing::T04Design();
  s.mapping->levels[1] = testing::LevelMap(s.workload, "R3 K2", "C32", true);
  LoopNest nest;
  const Status st = BuildLoopNest(*s.mapping, ComputeFanoutLimits(s.arch), 4, 3, nest);
  EXPECT_EQ(st.code, StatusCode::kSpatialWithoutFanout);
  EXPECT_EQ(st.level, 1);
}

TEST(LoopNest, BypassEverywhereIsInvalid) {
  spec::Spec s = testing::T04Design();
  for (auto& lm : s.mapping->levels) lm.keep[1] = false;
  LoopNest nest;
  const Status st = BuildLoopNest(*s.mapping, ComputeFanoutLimits(s.arch), 4, 3, nest);
  EXPECT_EQ(st.code, StatusCode::kAllBypassed);
  EXPECT_EQ(st.data_space, 1);
}

}  // namespace
}  // namespace sieve::dense
