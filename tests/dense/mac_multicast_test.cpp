// Accesses where the innermost level fans out to the MACs: MACs keep
// nothing, but a MAC may take its operand over a mesh link from a neighbour
// that held it on the previous visit (mac_links.hpp), so some temporal
// loops above a multicast or a reduction cost no access, depending on where
// the spatial loops place equal operands on the grid.
//
// Expected figures come from the reference build, recorded here as data:
//   timeloop-model design.yaml map.yaml ERT.yaml ART.yaml -o OUT
// (../shared/oracle/timeloop, NVlabs master 4cf6d4c) on the design below
// with each mapping, reading "Scalar reads/updates (per-instance)".
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
    - name: Buffer[1..1]
      class: storage
      subclass: smartbuffer_SRAM
      attributes: {width: 32, datawidth: 8, depth: 20, meshX: 1, meshY: 1}
    - name: mac[1..4]
      class: intmac
      attributes: {meshX: 4, meshY: 1}
problem:
  shape:
    name: MatrixMultiply
    dimensions: [M, N, K]
    data_spaces:
    - {name: Weights, projection: [[[K]], [[M]]]}
    - {name: Inputs, projection: [[[K]], [[N]]]}
    - {name: Outputs, projection: [[[M]], [[N]]], read_write: true}
  instance: {M: 24, N: 9, K: 4}
)";

struct Case {
  const char* name;
  const char* buffer_keep;    // data spaces the Buffer keeps
  const char* buffer_bypass;
  const char* spatial;        // Buffer -> MACs
  const char* temporal;       // Buffer's temporal loops
  const char* permutation;    // of the Buffer's temporal loops, innermost first
  const char* dram;           // DRAM's temporal loops
  // Reference figures (per instance).
  const char* level;
  const char* data_space;
  double reads;
  double updates;
};

std::string MapYaml(const Case& c) {
  return std::string("mapping:\n") +
         "- {target: DRAM, type: datatype, keep: [Weights, Inputs, Outputs], bypass: []}\n" +
         "- {target: Buffer, type: datatype, keep: [" + c.buffer_keep + "], bypass: [" +
         c.buffer_bypass + "]}\n" + "- {target: Buffer, type: spatial, factors: " + c.spatial +
         ", permutation: NKM}\n" + "- {target: Buffer, type: temporal, factors: " + c.temporal +
         ", permutation: " + c.permutation + "}\n" + "- {target: DRAM, type: temporal, factors: " +
         c.dram + ", permutation: MNK}\n";
}

class MacMulticast : public ::testing::TestWithParam<Case> {};

TEST_P(MacMulticast, MatchesReference) {
  const Case& c = GetParam();
  const spec::Spec s =
      spec::LoadSpecFromTexts({{"design.yaml", kDesign}, {"map.yaml", MapYaml(c)}});
  const Design d = BuildDesign(s);
  const Result r = Evaluate(d, *s.mapping);
  ASSERT_TRUE(r.valid()) << StatusName(r.status.code);
  const int level = std::string(c.level) == "DRAM" ? 1 : 0;
  const int ds = s.workload.DataSpaceIndex(c.data_space);
  EXPECT_EQ(r.levels[level].ds[ds].reads, c.reads);
  EXPECT_EQ(r.levels[level].ds[ds].updates, c.updates);
}

INSTANTIATE_TEST_SUITE_P(
    Reference, MacMulticast,
    ::testing::Values(
        // Spatial K2 reduces Outputs; the temporal K2 right above keeps the
        // sum in the MACs: each output is written once.
        Case{"reduce_then_k", "Weights, Inputs", "Outputs", "M1 N1 K2", "M1 N3 K2", "KN",
             "M24 N3 K1", "DRAM", "Outputs", 0, 216},
        // The same with N between: the K step comes back to a new sum.
        Case{"reduce_then_n", "Weights, Inputs", "Outputs", "M1 N1 K2", "M1 N3 K2", "NK",
             "M24 N3 K1", "DRAM", "Outputs", 216, 432},
        // Spatial M2 gives every MAC its own output: no reuse at the MACs.
        Case{"distinct_outputs", "Weights, Inputs", "Outputs", "M2 N1 K1", "M1 N3 K4", "KN",
             "M12 N3 K1", "DRAM", "Outputs", 648, 864},
        // Kept at the Buffer, the reduced sum is updated once per output too.
        Case{"reduce_kept", "Weights, Inputs, Outputs", "", "M1 N1 K2", "M1 N3 K2", "KN",
             "M24 N3 K1", "Buffer", "Outputs", 0, 216},
        // Spatial N3 multicasts Weights; the temporal N3 above keeps them.
        Case{"multicast_weights", "Weights, Inputs, Outputs", "", "M1 N3 K1", "M1 N3 K4", "NK",
             "M24 N1 K1", "Buffer", "Weights", 96, 0}),
    [](const ::testing::TestParamInfo<Case>& info) { return std::string(info.param.name); });

}  // namespace
}  // namespace sieve::testing
