// (De)compression energy at the boundary between a compressed backing
// store and an uncompressed buffer, derived by hand.
#include <gtest/gtest.h>

#include "sieve/evaluator.hpp"
#include "sieve/spec/load.hpp"

namespace sieve {
namespace {

// Dot product Z[m] = sum_k A[k] B[k], K = 16, M = 1: A is compressed (CP) in the
// BackingStorage and stored uncompressed in the Buffer, which receives the
// whole of A once (16 fills).
std::string Design(double decompression_pj) {
  return R"(
problem:
  shape:
    name: dot
    dimensions: [K, M]
    data_spaces:
      - {name: A, projection: [[[K]]]}
      - {name: B, projection: [[[K]]]}
      - {name: Z, projection: [[[M]]], read_write: true}
  instance:
    K: 16
    M: 1
    densities:
      A: 0.25
architecture:
  version: 0.4
  subtree:
    - name: top
      local:
        - name: BackingStorage[1..1]
          class: SRAM
          attributes: {depth: 64, width: 8, datawidth: 8, metadata_storage_depth: 64,
                       metadata_storage_width: 4, metadata_datawidth: 4}
        - name: Buffer[1..1]
          class: regfile
          attributes: {depth: 64, width: 8, datawidth: 8, decompression_supported: true}
        - name: mac[1..1]
          class: intmac
sparse_optimizations:
  targets:
    - name: BackingStorage
      representation_format:
        data_spaces:
          - name: A
            ranks: [{format: CP}]
mapping:
  - {target: Buffer, type: temporal, factors: K=16 M=1, permutation: KM}
  - {target: BackingStorage, type: temporal, factors: K=1 M=1, permutation: KM}
ERT:
  tables:
    - name: top.Buffer
      actions:
        - {name: read, energy: 1.0}
        - {name: write, energy: 1.0}
        - {name: update, energy: 1.0}
        - {name: decompression_count, energy: )" +
         std::to_string(decompression_pj) + R"(}
    - name: top.BackingStorage
      actions:
        - {name: read, energy: 2.0}
        - {name: write, energy: 2.0}
    - name: top.mac
      actions:
        - {name: compute, energy: 0.5}
)";
}

double Energy(double decompression_pj) {
  const spec::Spec s = spec::LoadSpecFromTexts({{"dot.yaml", Design(decompression_pj)}});
  const Result r = Evaluate(BuildDesign(s), *s.mapping);
  EXPECT_TRUE(r.valid()) << StatusName(r.status.code);
  return r.energy_pj;
}

TEST(Compression, UncompressedBufferDecompressesItsFills) {
  // The Buffer's A fills (16, all of A) are decompressed, 3 pJ each.
  EXPECT_NEAR(Energy(3.0) - Energy(0.0), 16 * 3.0, 1e-9);
}

}  // namespace
}  // namespace sieve
