// Actual-data density model: Matrix Market and mask files written to a temp
// folder, counted per aligned tile by hand; data_file_path resolution next
// to the YAML; file errors; concurrent use of the per-shape cache.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "sieve/spec/error.hpp"
#include "sieve/sparse/density_model.hpp"
#include "sparse/density_models.hpp"
#include "support/temp_dir.hpp"

namespace sieve::sparse {
namespace {
namespace fs = std::filesystem;

TileShape Tile(std::vector<int64_t> extents) {
  TileShape t;
  t.num_ranks = static_cast<int>(extents.size());
  for (size_t r = 0; r < extents.size(); ++r) t.extent[r] = extents[r];
  return t;
}

class ActualData : public ::testing::Test {
 protected:
  std::string Write(const std::string& name, const std::string& text) {
    const fs::path p = dir_ / name;
    fs::create_directories(p.parent_path());
    std::ofstream(p) << text;
    return p.string();
  }

  // A spec as if read from dir_/yaml_name, naming `path`.
  std::unique_ptr<DensityModel> Load(const std::string& path, std::vector<int64_t> extent,
                                     const std::string& yaml_name = "problem.yaml") {
    spec_.distribution = "real_data";
    spec_.data_file_path = path;
    spec_.loc.file = (dir_ / yaml_name).string();
    spec_.loc.line = 12;
    DensityContext c;
    c.spec = &spec_;
    c.tensor_extent = std::move(extent);
    return MakeDensityModel(c);
  }

  std::vector<double> Dist(const DensityModel& m, const TileShape& t) {
    std::vector<double> p;
    m.Distribution(t, p);
    return p;
  }

  const ::sieve::testing::TempDir tmp_;
  const fs::path dir_ = tmp_.path();
  spec::DensitySpec spec_;
};

// 4x4 matrix; nonzeros (0-based) (0,0) (0,1) (2,2) (3,3) (3,0); the stored
// (2,1) = 0.0 is an explicit zero and the repeated (1,1) counts once.
// 2x2 tiles: T00 = {(0,0),(0,1)} -> 2, T01 -> 0, T10 = {(3,0)} -> 1,
// T11 = {(2,2),(3,3)} -> 2. So P(0) = P(1) = 1/4, P(2) = 1/2.
TEST_F(ActualData, MatrixMarketCountedPerTile) {
  const std::string file = Write("a.mtx",
                                 "%%MatrixMarket matrix coordinate real general\n"
                                 "% a comment\n"
                                 "4 4 7\n"
                                 "1 1 1.0\n1 2 2.5\n2 1 0.0\n3 3 5\n4 4 1\n4 1 -3\n1 1 2.0\n");
  const auto m = Load(file, {4, 4});
  EXPECT_STREQ(m->name(), "actual_data");
  EXPECT_DOUBLE_EQ(m->Density(), 5.0 / 16);
  const auto p = Dist(*m, Tile({2, 2}));
  ASSERT_EQ(p.size(), 5u);
  EXPECT_DOUBLE_EQ(p[0], 0.25);
  EXPECT_DOUBLE_EQ(p[1], 0.25);
  EXPECT_DOUBLE_EQ(p[2], 0.5);
  EXPECT_DOUBLE_EQ(m->ProbEmpty(Tile({2, 2})), 0.25);
  EXPECT_DOUBLE_EQ(m->ExpectedOccupancy(Tile({2, 2})), 5.0 / 4);
  EXPECT_EQ(m->Occupancy(Tile({2, 2}), 1.0), 2);
  EXPECT_EQ(m->Occupancy(Tile({2, 2}), 0.3), 1);
  // Whole tensor as one tile; unit ranks in the tensor are squeezed away.
  EXPECT_DOUBLE_EQ(Dist(*m, Tile({4, 4}))[5], 1.0);
  const auto m3 = Load(file, {4, 1, 4});
  EXPECT_DOUBLE_EQ(m3->ProbEmpty(Tile({2, 1, 2})), 0.25);
}

// Symmetric pattern 3x3 with (1,1), (3,1): mirrored to (0,0) (2,0) (0,2).
// 1x3 row tiles: row 0 -> 2, row 1 -> 0, row 2 -> 1.
TEST_F(ActualData, SymmetricPatternIsMirrored) {
  const std::string file = Write(
      "s.mtx", "%%MatrixMarket matrix coordinate pattern symmetric\n3 3 2\n1 1\n3 1\n");
  const auto m = Load(file, {3, 3});
  const auto p = Dist(*m, Tile({1, 3}));
  EXPECT_NEAR(p[0], 1.0 / 3, 1e-15);
  EXPECT_NEAR(p[1], 1.0 / 3, 1e-15);
  EXPECT_NEAR(p[2], 1.0 / 3, 1e-15);
}

// Mask "101" "001" over [2][3] (last rank fastest): nonzeros (0,0) (0,2)
// (1,2). Row tiles {1,3}: 2 and 1. Column tiles {2,1}: 1, 0, 2.
TEST_F(ActualData, MaskIsRowMajorLastRankFastest) {
  const auto m = Load(Write("m.txt", "101\n001\n"), {2, 3});
  const auto rows = Dist(*m, Tile({1, 3}));
  EXPECT_DOUBLE_EQ(rows[1], 0.5);
  EXPECT_DOUBLE_EQ(rows[2], 0.5);
  const auto cols = Dist(*m, Tile({2, 1}));
  EXPECT_NEAR(cols[0], 1.0 / 3, 1e-15);
  EXPECT_NEAR(cols[1], 1.0 / 3, 1e-15);
  EXPECT_NEAR(cols[2], 1.0 / 3, 1e-15);
  // Clipped 2x2 grid over 2x3: tile cols {0,1} -> 1, {2} -> 2.
  const auto clipped = Dist(*m, Tile({2, 2}));
  EXPECT_DOUBLE_EQ(clipped[1], 0.5);
  EXPECT_DOUBLE_EQ(clipped[2], 0.5);
}

// A [C=2][M=3] tensor whose file is stored [M][C] (C fastest), as the
// MICRO'22 weight masks are: "10 01 11" is m0 = {c0}, m1 = {c1},
// m2 = {c0, c1}. In tensor order c0 holds m0, m2 and c1 holds m1, m2, so
// per-C row tiles hold 2 and 2; read unpermuted they would hold 1 and 3.
TEST_F(ActualData, FileRankOrderPermutesToTensorOrder) {
  spec_.distribution = "actual_data";
  spec_.data_file_path = Write("mc.txt", "100111");
  DensityContext c;
  c.spec = &spec_;
  c.tensor_extent = {2, 3};
  c.file_rank_order = {1, 0};
  const auto m = MakeDensityModel(c);
  EXPECT_DOUBLE_EQ(Dist(*m, Tile({1, 3}))[2], 1.0);
  const auto per_m = Dist(*m, Tile({2, 1}));
  EXPECT_NEAR(per_m[1], 2.0 / 3, 1e-15);
  EXPECT_NEAR(per_m[2], 1.0 / 3, 1e-15);
  EXPECT_DOUBLE_EQ(Dist(*Load(spec_.data_file_path, {2, 3}), Tile({1, 3}))[3], 0.5);
  c.file_rank_order = {0, 0};
  EXPECT_THROW(MakeDensityModel(c), spec::SpecError);
}

TEST_F(ActualData, PathResolvedNextToTheYaml) {
  Write("sub/masks/w.txt", "0110");
  Write("sub/x.txt", "1000");
  // A foreign absolute path: found by its trailing folders under sub/.
  auto m = Load("/home/someone/elsewhere/masks/w.txt", {4}, "sub/problem.yaml");
  EXPECT_DOUBLE_EQ(m->Density(), 0.5);
  // A relative path to a missing folder: found by base name next to the YAML.
  m = Load("gone/x.txt", {4}, "sub/problem.yaml");
  EXPECT_DOUBLE_EQ(m->Density(), 0.25);
  try {
    Load("gone/missing.txt", {4}, "sub/problem.yaml");
    FAIL() << "no error";
  } catch (const spec::SpecError& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find("not found"), std::string::npos) << msg;
    EXPECT_NE(msg.find("problem.yaml:12"), std::string::npos) << msg;
    EXPECT_NE(msg.find((dir_ / "sub" / "gone" / "missing.txt").string()), std::string::npos) << msg;
    EXPECT_NE(msg.find((dir_ / "sub" / "missing.txt").string()), std::string::npos) << msg;
  }
}

TEST_F(ActualData, FileErrors) {
  const std::string bad_len = Write("short.txt", "10101");
  try {
    Load(bad_len, {2, 3});
    FAIL() << "no error";
  } catch (const spec::SpecError& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find(bad_len), std::string::npos) << msg;
    EXPECT_NE(msg.find("5 entries"), std::string::npos) << msg;
    EXPECT_NE(msg.find("6 points"), std::string::npos) << msg;
  }
  EXPECT_THROW(Load(Write("x.txt", "10x101"), {2, 3}), spec::SpecError);
  const std::string mtx = Write("b.mtx", "%%MatrixMarket matrix coordinate pattern general\n3 3 1\n1 1\n");
  EXPECT_THROW(Load(mtx, {4, 4}), spec::SpecError);  // shape mismatch
  EXPECT_THROW(Load(Write("c.mtx", "%%MatrixMarket matrix coordinate pattern general\n3 3 2\n1 1\n"),
                    {3, 3}),
               spec::SpecError);  // fewer entries than declared
  EXPECT_THROW(Load(Write("d.mtx", "%%MatrixMarket matrix coordinate pattern general\n3 3 1\n4 1\n"),
                    {3, 3}),
               spec::SpecError);  // out of range
  EXPECT_THROW(Load("", {3}), spec::SpecError);
}

TEST_F(ActualData, ConcurrentShapesAgreeWithSerial) {
  std::vector<uint8_t> mask(24 * 36);
  for (size_t i = 0; i < mask.size(); ++i) mask[i] = (i * 7919 % 13) < 4;
  const auto m = MakeActualDataFromMask({24, 36}, mask);
  const auto fresh = MakeActualDataFromMask({24, 36}, mask);
  std::vector<TileShape> shapes;
  for (int64_t a : {1, 2, 3, 5, 24}) {
    for (int64_t b : {1, 4, 7, 36}) shapes.push_back(Tile({a, b}));
  }
  std::vector<std::thread> threads;
  std::vector<std::vector<double>> got(8 * shapes.size());
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (size_t s = 0; s < shapes.size(); ++s) {
        m->Distribution(shapes[(s + t) % shapes.size()], got[t * shapes.size() + (s + t) % shapes.size()]);
      }
    });
  }
  for (auto& th : threads) th.join();
  for (int t = 0; t < 8; ++t) {
    for (size_t s = 0; s < shapes.size(); ++s) {
      EXPECT_EQ(got[t * shapes.size() + s], Dist(*fresh, shapes[s])) << t << " " << s;
    }
  }
}

}  // namespace
}  // namespace sieve::sparse
