// Actual-data operands at a skipping compute: the computes left are the
// exactly counted jointly nonzero operand pairs (plus one, as the reference
// reports), not the product of the two densities; and `data_layout` reads a
// file stored in another rank order.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "sieve/evaluator.hpp"
#include "sieve/spec/load.hpp"
#include "support/temp_dir.hpp"

namespace sieve {
namespace {

namespace fs = std::filesystem;
using ::sieve::testing::TempDir;

// Z[m] = sum_k A[m][k] * B[k] on one MAC; M = K = 4 (16 computes).
std::string Design(const std::string& a_mask, const std::string& b_mask,
                   const std::string& a_layout) {
  return R"(
problem:
  shape:
    name: mv
    dimensions: [M, K]
    data_spaces:
      - {name: A, projection: [[[M]], [[K]]]}
      - {name: B, projection: [[[K]]]}
      - {name: Z, projection: [[[M]]], read_write: true}
  instance:
    M: 4
    K: 4
    densities:
      A: {distribution: actual_data, data_file_path: )" + a_mask + a_layout + R"(}
      B: {distribution: actual_data, data_file_path: )" + b_mask + R"(}
architecture:
  version: 0.4
  subtree:
    - name: top
      local:
        - name: Buffer[1..1]
          class: regfile
          attributes: {depth: 64, width: 8, datawidth: 8}
        - name: mac[1..1]
          class: intmac
sparse_optimizations:
  targets:
    - name: mac
      compute_optimization:
        - type: skipping
mapping:
  - target: Buffer
    type: temporal
    factors: M=4 K=4
    permutation: KM
)";
}

void Write(const fs::path& p, const std::string& text) { std::ofstream(p) << text; }

TEST(JointCount, ComputesAreTheJointlyNonzeroPairs) {
  const TempDir tmp;
  const fs::path& dir = tmp.path();
  // A (row-major [M][K]): row m has nonzeros at k = m and k = (m+1)%4.
  Write(dir / "a.txt", "1100" "0110" "0011" "1001");
  // B: nonzero at k = 0 and k = 1.
  Write(dir / "b.txt", "1100");
  const spec::Spec s =
      spec::LoadSpecFromTexts({{(dir / "d.yaml").string(),
                                Design((dir / "a.txt").string(), (dir / "b.txt").string(), "")}});
  const Result r = Evaluate(BuildDesign(s), *s.mapping);
  ASSERT_TRUE(r.valid());
  // Joint pairs (m, k) with A[m][k] and B[k] nonzero: m=0: k=0,1; m=1: k=1;
  // m=3: k=0 -> 4. Densities alone would give 16 * 0.5 * 0.5 = 4 as well,
  // so the next test uses a layout where they differ.
  EXPECT_EQ(r.compute.actual, 4 + 1);
  EXPECT_EQ(r.compute.skipped, 16 - 5);
}

TEST(JointCount, DataLayoutReadsAColumnMajorFile) {
  const TempDir tmp;
  const fs::path& dir = tmp.path();
  // The same A as above but stored [K][M] (k outermost): A[m][k] = file[k*4+m].
  // Rows of the file are k = 0..3: A[.][0] = 1001, A[.][1] = 1100, A[.][2] =
  // 0110, A[.][3] = 0011.
  Write(dir / "a_km.txt", "1001" "1100" "0110" "0011");
  Write(dir / "b.txt", "1100");
  // B nonzero at k = 0, 1; A nonzero at (m,k): k=0: m=0,3; k=1: m=0,1 ->
  // 4 joint pairs, so 5 computes are reported.
  const spec::Spec s = spec::LoadSpecFromTexts(
      {{(dir / "d.yaml").string(), Design((dir / "a_km.txt").string(), (dir / "b.txt").string(),
                                          ", data_layout: [K, M]")}});
  const Result r = Evaluate(BuildDesign(s), *s.mapping);
  ASSERT_TRUE(r.valid());
  EXPECT_EQ(r.compute.actual, 5);
}

TEST(JointCount, SkewedDataDiffersFromTheDensityProduct) {
  const TempDir tmp;
  const fs::path& dir = tmp.path();
  // A's nonzeros all sit where B is zero (k = 2, 3): no joint pair, although
  // both tensors are half dense (a density product would leave 4 computes).
  Write(dir / "a_skew.txt", "0011" "0011" "0011" "0011");
  Write(dir / "b.txt", "1100");
  const spec::Spec s = spec::LoadSpecFromTexts(
      {{(dir / "d.yaml").string(),
        Design((dir / "a_skew.txt").string(), (dir / "b.txt").string(), "")}});
  const Result r = Evaluate(BuildDesign(s), *s.mapping);
  ASSERT_TRUE(r.valid());
  EXPECT_EQ(r.compute.actual, 0 + 1);
}

}  // namespace
}  // namespace sieve
