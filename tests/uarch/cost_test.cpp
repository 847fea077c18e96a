// Step 3 on the hand-built design of support/t04_design.hpp: energies and
// cycles derived by hand from the traffic counts of traffic_test.cpp.
#include "sieve/uarch/cost.hpp"

#include <gtest/gtest.h>

#include "sieve/evaluator.hpp"
#include "support/t04_design.hpp"

namespace sieve {
namespace {

TEST(Cost, VectorAccessEnergyPerInstance) {
  const spec::Spec s = testing::T04Design();
  const Result r = Evaluate(BuildDesign(s), *s.mapping);
  ASSERT_TRUE(r.valid());
  // GLB Inputs, block 8: ceil(1152/8)*43.353054 + ceil(576/8)*30.878292
  // = 144*43.353054 + 72*30.878292 = 8466.0797 pJ per instance, x16.
  EXPECT_NEAR(r.levels[1].ds[1].energy_pj / 16, 144 * 43.353054 + 72 * 30.878292, 1e-6);
  // DRAM Weights, block 32: ceil(3072/32) * 2048 = 196608.
  EXPECT_NEAR(r.levels[3].ds[0].energy_pj, 96 * 2048.0, 1e-6);
  // MACs: 49152 * 0.845.
  EXPECT_NEAR(r.compute.energy_pj, 49152 * 0.845, 1e-6);
}

TEST(Cost, CyclesAndLeakage) {
  const spec::Spec s = testing::T04Design();
  const Result r = Evaluate(BuildDesign(s), *s.mapping);
  ASSERT_TRUE(r.valid());
  // No bandwidth limits: 3072 cycles, one compute per unit per cycle.
  EXPECT_EQ(r.cycles, 3072);
  EXPECT_DOUBLE_EQ(r.utilization, 1.0);
  // Leakage: 0.007972 pJ x 3072 cycles x 16 instances.
  EXPECT_NEAR(r.levels[1].leakage_pj, 0.007972 * 3072 * 16, 1e-9);
  // Scalar accesses of the RF: 16 * (W 3072+192 + I 3072+1152 + O 3040+992+3072).
  EXPECT_DOUBLE_EQ(r.levels[0].scalar_accesses, 16.0 * (3264 + 4224 + 7104));
}

TEST(Cost, ReadBandwidthThrottles) {
  spec::Spec s = testing::T04Design();
  s.arch.levels[1].read_bw_words_per_cycle = 0.5;
  const Result r = Evaluate(BuildDesign(s), *s.mapping);
  ASSERT_TRUE(r.valid());
  // GLB reads per instance: 192 + 1152 + 992 = 2336 at 0.5 words/cycle.
  EXPECT_EQ(r.levels[1].cycles, 4672);
  EXPECT_EQ(r.cycles, 4672);
  EXPECT_NEAR(r.levels[1].bandwidth_throttle, 0.5 / (2336.0 / 3072.0), 1e-12);
}

TEST(Cost, CapacityExceededNamesLevelAndSizes) {
  spec::Spec s = testing::T04Design();
  s.arch.levels[0].depth = 32;  // RF keeps W 1 + I 16 + O 16 = 33 words
  const Result r = Evaluate(BuildDesign(s), *s.mapping);
  EXPECT_FALSE(r.valid());
  EXPECT_EQ(r.status.code, StatusCode::kCapacityExceeded);
  EXPECT_EQ(r.status.level, 0);
  EXPECT_EQ(r.status.required, 33);
  EXPECT_EQ(r.status.available, 32);
}

TEST(Cost, MultipleBufferingHalvesCapacity) {
  spec::Spec s = testing::T04Design();
  s.arch.levels[0].multiple_buffering = 2;  // 64 / 2 = 32 < 33
  const Result r = Evaluate(BuildDesign(s), *s.mapping);
  EXPECT_EQ(r.status.code, StatusCode::kCapacityExceeded);
  EXPECT_EQ(r.status.available, 32);
}

}  // namespace
}  // namespace sieve
