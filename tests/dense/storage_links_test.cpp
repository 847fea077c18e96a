// Link transfers between storage instances (storage_links.hpp): RF children
// of one GLB sit in a row; on a P step the tile moves by (W+1, H-1), which
// is exactly the offset between RF (r=0, s=1) and its left neighbour
// (r=1, s=0), so that RF takes its two new Inputs from the neighbour.
//
// Hand derivation for the first mapping (R2 S2 along X, child idx = r + 2s,
// offsets (W, H) = (r, s)): the walk above the RF is Q3, P7, M5 (innermost
// first); the P step translates by step_P - step_Q = (W+1, H-1) on 30
// leaves (6 * 5), the RF tile (C2) moving off itself: each such leaf one
// child of four is linked, so the GLB serves 60 points fewer (840 -> 780)
// and 60 points cross links. The reference spreads those 60 over all 8 RF
// instances (2 GLBs), reads rounded to nearest and fills down: reads
// 210 + 7.5 -> 218, fills 210 - 60/4 + 7.5 = 202.5 -> 202.
//
// Expected figures come from the reference build, recorded here as data:
//   timeloop-model design.yaml map.yaml ERT.yaml -o OUT
// (../shared/oracle/timeloop, NVlabs master 4cf6d4c) with the design and
// mappings below (an ERT of 100/10/1 pJ per DRAM/GLB/RF access and 1 pJ
// per compute), reading "Scalar reads/fills (per-instance)" of Inputs and
// the fJ/Compute total.
#include <gtest/gtest.h>

#include <string>

#include "sieve/evaluator.hpp"
#include "sieve/spec/load.hpp"

namespace sieve::testing {
namespace {

constexpr const char* kDesign = R"(
architecture:
  version: '0.4'
  subtree:
  - name: top
    local:
    - name: DRAM[1..1]
      class: DRAM
      attributes: {width: 64, datawidth: 8, block_size: 8, meshX: 1, meshY: 1}
    - name: GLB[1..2]
      class: storage
      subclass: smartbuffer_SRAM
      attributes: {width: 8, datawidth: 8, depth: 64, meshX: 2, meshY: 1}
    - name: RF[1..8]
      class: storage
      subclass: smartbuffer_RF
      attributes: {width: 8, datawidth: 8, depth: 16, meshX: 8, meshY: 1}
    - name: mac[1..8]
      class: intmac
      attributes: {meshX: 8, meshY: 1}
problem:
  shape:
    name: Conv2D
    dimensions: [C, M, R, S, P, Q]
    data_spaces:
    - {name: Weights, projection: [[[C]], [[M]], [[R]], [[S]]]}
    - {name: Inputs, projection: [[[C]], [[R], [P]], [[S], [Q]]]}
    - {name: Outputs, projection: [[[M]], [[P]], [[Q]]], read_write: true}
  instance: {C: 4, M: 5, R: 2, S: 2, P: 7, Q: 3}
)";

constexpr const char* kErt = R"(
ERT:
  version: '0.4'
  tables:
  - name: top.DRAM[1..1]
    actions: [{name: read, energy: 100}, {name: write, energy: 100}, {name: update, energy: 100}]
  - name: top.GLB[1..2]
    actions: [{name: read, energy: 10}, {name: write, energy: 10}, {name: update, energy: 10}]
  - name: top.RF[1..8]
    actions: [{name: read, energy: 1}, {name: write, energy: 1}, {name: update, energy: 1}]
  - name: top.mac[1..8]
    actions: [{name: compute, energy: 1}]
)";

struct Case {
  const char* name;
  const char* spatial_permutation;  // GLB -> RF, innermost first (split 2: both on X)
  const char* dram_permutation;
  // Reference figures: Inputs per instance, and the total energy.
  double rf_reads, rf_fills, glb_reads, glb_fills, dram_reads;
  double fj_per_compute;
};

std::string MapYaml(const Case& c) {
  return std::string("mapping:\n") +
         "- {target: DRAM, type: spatial, factors: C2 M1 R1 S1 P1 Q1, permutation: CMRSPQ}\n" +
         "- {target: DRAM, type: temporal, factors: C1 M5 R1 S1 P7 Q3, permutation: " +
         c.dram_permutation + "}\n" +
         "- {target: GLB, type: datatype, keep: [Inputs], bypass: [Weights, Outputs]}\n" +
         "- {target: GLB, type: spatial, factors: C1 M1 R2 S2 P1 Q1, permutation: " +
         c.spatial_permutation + ", split: 2}\n" +
         "- {target: GLB, type: temporal, factors: C1 M1 R1 S1 P1 Q1, permutation: CMRSPQ}\n" +
         "- {target: RF, type: temporal, factors: C2 M1 R1 S1 P1 Q1, permutation: CMRSPQ}\n";
}

class StorageLinks : public ::testing::TestWithParam<Case> {};

TEST_P(StorageLinks, MatchesReference) {
  const Case& c = GetParam();
  const spec::Spec s = spec::LoadSpecFromTexts(
      {{"design.yaml", kDesign}, {"map.yaml", MapYaml(c)}, {"ERT.yaml", kErt}});
  const Design d = BuildDesign(s);
  const Result r = Evaluate(d, *s.mapping);
  ASSERT_TRUE(r.valid()) << StatusName(r.status.code);
  const int in = s.workload.DataSpaceIndex("Inputs");
  constexpr int kRF = 0, kGLB = 1, kDRAM = 2;
  EXPECT_EQ(r.levels[kRF].ds[in].reads, c.rf_reads);
  EXPECT_EQ(r.levels[kRF].ds[in].fills, c.rf_fills);
  EXPECT_EQ(r.levels[kGLB].ds[in].reads, c.glb_reads);
  EXPECT_EQ(r.levels[kGLB].ds[in].fills, c.glb_fills);
  EXPECT_EQ(r.levels[kDRAM].ds[in].reads, c.dram_reads);
  // 1680 computes; the reference prints fJ/Compute to 2 decimals.
  EXPECT_NEAR(r.energy_pj * 1000 / 1680, c.fj_per_compute, 0.005);
}

INSTANTIATE_TEST_SUITE_P(
    Reference, StorageLinks,
    ::testing::Values(
        // Derived above: the P step links one child in four.
        Case{"r_inner", "RSCMPQ", "QPMCRS", 218, 202, 780, 560, 1120, 31261.90},
        // S innermost on X (idx = s + 2r): the P step offset (W+1, H-1) is
        // now child 1 -> 2, again one link, and the Q step (H+1) is the
        // row neighbour: two children in four linked on 70 leaves.
        Case{"s_inner", "SRCMPQ", "QPMCRS", 253, 167, 500, 560, 1120, 27928.57},
        // P innermost at DRAM: the Q step moves (W-1, H+1) and links too.
        Case{"p_inner_at_dram", "RSCMPQ", "PQMCRS", 258, 162, 460, 480, 960, 25309.52}),
    [](const ::testing::TestParamInfo<Case>& info) { return std::string(info.param.name); });

// `no_link_transfer: [Inputs]` on the GLB's spatial directive keeps the RF
// children from passing Inputs to each other: the first case without its
// 60 linked points. On the RF (no fan-out below it) it changes nothing,
// and `stream` lists change nothing at all. Reference figures (fJ/Compute
// total) from the same build and command as above, with the directive
// edited as in each case.
struct LinkOption {
  const char* name;
  const char* glb_datatype_extra;
  const char* glb_spatial_extra;
  const char* rf_temporal_extra;
  double fj_per_compute;
};

class StorageLinkOptions : public ::testing::TestWithParam<LinkOption> {};

TEST_P(StorageLinkOptions, MatchesReference) {
  const LinkOption& o = GetParam();
  const std::string map = std::string("mapping:\n") +
      "- {target: DRAM, type: spatial, factors: C2 M1 R1 S1 P1 Q1, permutation: CMRSPQ}\n" +
      "- {target: DRAM, type: temporal, factors: C1 M5 R1 S1 P7 Q3, permutation: QPMCRS}\n" +
      "- {target: GLB, type: datatype, keep: [Inputs], bypass: [Weights, Outputs]" + o.glb_datatype_extra + "}\n" +
      "- {target: GLB, type: spatial, factors: C1 M1 R2 S2 P1 Q1, permutation: RSCMPQ, split: 2" +
      o.glb_spatial_extra + "}\n" +
      "- {target: GLB, type: temporal, factors: C1 M1 R1 S1 P1 Q1, permutation: CMRSPQ}\n" +
      "- {target: RF, type: temporal, factors: C2 M1 R1 S1 P1 Q1, permutation: CMRSPQ" + o.rf_temporal_extra +
      "}\n";
  const spec::Spec s = spec::LoadSpecFromTexts({{"design.yaml", kDesign}, {"map.yaml", map}, {"ERT.yaml", kErt}});
  for (const std::string& w : s.warnings) ADD_FAILURE() << w;
  const Result r = Evaluate(BuildDesign(s), *s.mapping);
  ASSERT_TRUE(r.valid());
  EXPECT_NEAR(r.energy_pj * 1000 / 1680, o.fj_per_compute, 0.005);
}

INSTANTIATE_TEST_SUITE_P(
    Reference, StorageLinkOptions,
    ::testing::Values(LinkOption{"no_link_at_glb", "", ", no_link_transfer: [Inputs]", "", 31976.19},
                      LinkOption{"no_link_at_rf", "", "", ", no_link_transfer: [Inputs]", 31261.90},
                      LinkOption{"stream_kept", ", stream: [Inputs]", "", "", 31261.90},
                      LinkOption{"stream_bypassed", ", stream: [Weights]", "", "", 31261.90}),
    [](const ::testing::TestParamInfo<LinkOption>& info) { return std::string(info.param.name); });

}  // namespace
}  // namespace sieve::testing
