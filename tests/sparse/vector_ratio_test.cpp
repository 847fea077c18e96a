// The vector-access correction for small compressed tiles, on values
// derived by hand.
#include <gtest/gtest.h>

#include "sparse/density_models.hpp"
#include "sparse/format_traffic.hpp"

namespace sieve::sparse {
namespace {

TileShape Flat(int64_t n) {
  TileShape t;
  t.num_ranks = 1;
  t.extent[0] = n;
  return t;
}

TEST(VectorRatio, SmallTileNeedsMoreVectorsThanNaive) {
  // 3 weights at density 0.43 (fixed structured: 1 nonzero w.p. 0.71, 2 w.p.
  // 0.29) on a 4-word vector: every tile takes one vector, against a naive
  // 3 * 0.43 / 4 = 0.3225 vectors: ratio 1 / 0.3225.
  const auto d = MakeFixedStructured(0.43);
  EXPECT_NEAR(VectorRatio(*d, Flat(3), 3, 4, 0.43), 1 / 0.3225, 1e-9);
}

TEST(VectorRatio, MidSizedTile) {
  // 48 words at 0.4333: e = 20.7984 -> 20 nonzeros w.p. 0.2016 (5 vectors
  // of 4), 21 w.p. 0.7984 (6 vectors): E = 5.7984 against the naive
  // 20.7984 / 4 = 5.1996 vectors.
  const auto d = MakeFixedStructured(0.4333);
  EXPECT_NEAR(VectorRatio(*d, Flat(48), 48, 4, 0.4333), 5.7984 / 5.1996, 1e-6);
}

TEST(VectorRatio, LargeTilesDenseDataAndUnitVectorsAreNaive) {
  const auto d = MakeFixedStructured(0.43);
  // 4000 words = 1000 vectors, above the 0.4-decile threshold of 94 for
  // 4-word vectors.
  EXPECT_EQ(VectorRatio(*d, Flat(4000), 4000, 4, 0.43), 1.0);
  EXPECT_EQ(VectorRatio(*d, Flat(3), 3, 1, 0.43), 1.0);
  EXPECT_EQ(VectorRatio(*MakeFixedStructured(1.0), Flat(3), 3, 4, 1.0), 1.0);
}

TEST(VectorRatio, BusyInstanceDensitySetsTheNaiveCount) {
  // The 3-weight tile of the first test seen by a busy instance, below a
  // parent that drops empty tiles: the naive count uses the conditioned
  // density (say 0.5), the expected vectors stay E = 1: ratio 1 / (3*0.5/4).
  const auto d = MakeFixedStructured(0.43);
  EXPECT_NEAR(VectorRatio(*d, Flat(3), 3, 4, 0.5), 1 / 0.375, 1e-9);
}

}  // namespace
}  // namespace sieve::sparse
