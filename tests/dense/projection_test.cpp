#include "sieve/dense/projection.hpp"

#include <gtest/gtest.h>

namespace sieve::dense {
namespace {

// conv1d with stride and dilation: Inputs[C][Wstride*P + Wdilation*R].
spec::Workload StridedConv(int64_t stride, int64_t dilation) {
  spec::Workload w;
  w.dim_names = {"C", "R", "P"};
  w.bounds = {4, 3, 8};
  w.data_spaces = {
      {"Inputs", {{{0, 1}}, {{2, stride}, {1, dilation}}}, false},
      {"Weights", {{{0, 1}}, {{1, 1}}}, false},
  };
  return w;
}

TEST(Projection, ExtentIsBoundingBoxWithStrideGaps) {
  const ProjectionTable table(StridedConv(2, 1));
  DimVector e;
  e.fill(1);
  e[0] = 2;  // C
  e[1] = 3;  // R
  e[2] = 4;  // P
  // Rank 1: 2*(4-1) + 1*(3-1) + 1 = 9 (stride gaps counted); rank 0: 2.
  const RankVector r = table.RankExtents(0, e);
  EXPECT_EQ(r[0], 2);
  EXPECT_EQ(r[1], 9);
  EXPECT_EQ(table.TileSize(0, e), 18);
  // Weights ignore P: 2 * 3.
  EXPECT_EQ(table.TileSize(1, e), 6);
}

TEST(Projection, DilationWidensTheWindow) {
  const ProjectionTable table(StridedConv(1, 2));
  DimVector e;
  e.fill(1);
  e[1] = 3;
  // 1*(1-1) + 2*(3-1) + 1 = 5.
  EXPECT_EQ(table.RankExtents(0, e)[1], 5);
}

TEST(Projection, RelevanceAndTranslation) {
  const ProjectionTable table(StridedConv(2, 1));
  EXPECT_TRUE(table[0].relevant[2]);   // P moves Inputs
  EXPECT_FALSE(table[1].relevant[2]);  // P does not move Weights
  // Moving P by 3 shifts Inputs' rank 1 by 2*3 = 6.
  const RankVector t = table.Translate(0, 2, 3);
  EXPECT_EQ(t[0], 0);
  EXPECT_EQ(t[1], 6);
}

}  // namespace
}  // namespace sieve::dense
