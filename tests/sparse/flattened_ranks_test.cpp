// Rank assignment with flattening lists (format_exact.cpp, BuildRanks): a
// rank whose list misses the next loop's dimension stays empty (fiber 1),
// and the reference stacks such a rank above every rank mapped so far
// rather than leaving it at its own position in the format.
//
// The design: A[k][m] (K = M = 4) at DRAM in UOP[K], UOP[K], UB[K,M], the
// GLB below it holding a 2 x 2 tile, DRAM loops K2 (outer) M2. No rank is
// compressing (UOP, UB), so nothing pre-tiles and each dimension's
// innermost DRAM loop absorbs the GLB extent: the loops are K4, M4.
// Outermost first, rank UOP[K] takes K4; the second UOP[K] meets M4, not
// in its list, and stays empty; UB[K,M] takes M4. Placed as the reference
// does, the empty rank goes on top:
//   top   UOP, fiber 1 (empty):  1 fiber  x (1 + 1) offsets = payload 2
//   mid   UOP, fiber 4 (K4):     1 fiber  x (4 + 1) offsets = payload 5
//   inner UB,  fiber 4 (M4):     4 fibers x 4 bits          = metadata 16
// (at density 0.5 no K row of the fixed-structured A is empty). Left in
// place, the K4 rank would be on top and the empty one would read 0.
//
// The reference's figures, recorded here as data, come from kDesign
// written to input.yaml with an ERT.yaml/ART.yaml of any energies for
// top.DRAM[1..1], top.GLB[1..1], top.MACC[1..1] (the counts do not depend
// on them), run as
//   timeloop-model input.yaml ERT.yaml ART.yaml -o OUT
// (../shared/oracle/timeloop, NVlabs master 4cf6d4c), reading DRAM / A in
// OUT/timeloop-model.stats.txt: Max utilized Repr format storage capacity
// rank 2 (0, 2), rank 1 (0, 5), rank 0 (16, 0); the same for Actual
// scalar format reads; Actual scalar reads 8 of 16.
#include <gtest/gtest.h>

#include "sieve/evaluator.hpp"
#include "sieve/spec/load.hpp"

namespace sieve {
namespace {

constexpr const char* kDesign = R"(
problem:
  shape:
    name: MatrixMultiply
    dimensions: [M, N, K]
    data_spaces:
      - {name: A, projection: [[[K]], [[M]]]}
      - {name: B, projection: [[[K]], [[N]]]}
      - {name: Z, projection: [[[M]], [[N]]], read_write: true}
  instance:
    M: 4
    N: 3
    K: 4
    densities:
      A: {distribution: fixed_structured, density: 0.5}
architecture:
  version: 0.4
  subtree:
    - name: top
      local:
        - name: DRAM[1..1]
          class: DRAM
          attributes: {width: 64, datawidth: 8, metadata_storage_width: 32,
                       metadata_datawidth: 8, type: LPDDR4}
        - name: GLB[1..1]
          class: storage
          subclass: smartbuffer_metadata
          attributes: {width: 8, datawidth: 8, depth: 100000, metadata_storage_width: 8,
                       metadata_storage_depth: 1000000, metadata_datawidth: 4}
        - name: MACC[1..1]
          class: intmac
          attributes: {multiplier_width: 8, adder_width: 16}
sparse_optimizations:
  targets:
    - name: DRAM
      representation_format:
        data_spaces:
          - name: A
            ranks:
              - {format: UOP, flattened_rankIDs: [[K]]}
              - {format: UOP, flattened_rankIDs: [[K]]}
              - {format: UB, flattened_rankIDs: [[K, M]]}
mapping:
  - {target: DRAM, type: datatype, keep: [A, B, Z], bypass: []}
  - {target: GLB, type: datatype, keep: [A], bypass: [B, Z]}
  - {target: GLB, type: temporal, factors: M=2 N=3 K=2, permutation: KMN}
  - {target: DRAM, type: temporal, factors: M=2 N=1 K=2, permutation: MNK}
)";

// Level index 0 = innermost storage: GLB is 0, DRAM 1; A is data space 0.
constexpr int kDram = 1, kA = 0;

TEST(FlattenedRanks, EmptyRankStacksOnTop) {
  const spec::Spec s = spec::LoadSpecFromTexts({{"flattened.yaml", kDesign}});
  Scratch scratch;
  Result result;
  Evaluate(BuildDesign(s), *s.mapping, scratch, result);
  ASSERT_TRUE(result.valid()) << StatusName(result.status.code);
  const sparse::SparseDataSpace& dram = scratch.sparse.levels[kDram].ds[kA];
  // Index 0 is the outermost rank (the reference's highest rank number).
  const int metadata[3] = {0, 0, 16};
  const int payload[3] = {2, 5, 0};
  for (int r = 0; r < 3; ++r) {
    EXPECT_EQ(dram.occupancy_format[r].metadata, metadata[r]) << "rank " << r;
    EXPECT_EQ(dram.occupancy_format[r].payload, payload[r]) << "rank " << r;
    EXPECT_EQ(dram.format_reads.actual[r].metadata, metadata[r]) << "rank " << r;
    EXPECT_EQ(dram.format_reads.actual[r].payload, payload[r]) << "rank " << r;
  }
  EXPECT_EQ(dram.reads.actual, 8);
}

}  // namespace
}  // namespace sieve
