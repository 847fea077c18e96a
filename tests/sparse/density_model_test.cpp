// Density models: hand-derived distributions for fixed_structured, dense,
// hypergeometric (against brute-force enumeration) and banded, plus
// closed-form/distribution agreement, large-N speed and symmetry, and the
// factory's errors. Actual data (files, resolution) is in
// density_actual_test.cpp.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <utility>
#include <string>
#include <vector>

#include "sieve/spec/error.hpp"
#include "sieve/sparse/density_model.hpp"
#include "sparse/density_models.hpp"

namespace sieve::sparse {
namespace {

TileShape Tile(std::vector<int64_t> extents) {
  TileShape t;
  t.num_ranks = static_cast<int>(extents.size());
  for (size_t r = 0; r < extents.size(); ++r) t.extent[r] = extents[r];
  return t;
}

spec::DensitySpec Spec(const std::string& distribution, double density) {
  spec::DensitySpec s;
  s.distribution = distribution;
  s.density = density;
  s.loc.file = "prob.yaml";
  s.loc.line = 7;
  return s;
}

std::unique_ptr<DensityModel> Make(const spec::DensitySpec& s, std::vector<int64_t> extent) {
  DensityContext c;
  c.spec = &s;
  c.tensor_extent = std::move(extent);
  return MakeDensityModel(c);
}

std::vector<double> Dist(const DensityModel& m, const TileShape& t) {
  std::vector<double> p;
  m.Distribution(t, p);
  return p;
}

TEST(FixedStructured, IntegerExpectationIsCertain) {
  // S = 4, d = 0.25: e = 1 exactly, so P(1) = 1.
  const auto s = Spec("fixed_structured", 0.25);
  const auto m = Make(s, {4, 4});
  const auto p = Dist(*m, Tile({1, 4}));
  ASSERT_EQ(p.size(), 5u);
  EXPECT_DOUBLE_EQ(p[1], 1.0);
  EXPECT_DOUBLE_EQ(p[0] + p[2] + p[3] + p[4], 0.0);
  EXPECT_DOUBLE_EQ(m->ProbEmpty(Tile({1, 4})), 0.0);
  EXPECT_DOUBLE_EQ(m->ExpectedOccupancy(Tile({1, 4})), 1.0);
  EXPECT_EQ(m->Occupancy(Tile({1, 4}), 1.0), 1);
}

TEST(FixedStructured, FractionalExpectationSplitsFloorAndCeil) {
  // S = 3, d = 0.25: e = 0.75 -> P(0) = 1 - 0.75 = 0.25, P(1) = 0.75.
  // The closed form P(empty) = 1 - S*d = 0.25 agrees with P(0).
  const auto m = MakeFixedStructured(0.25);
  const auto p = Dist(*m, Tile({3}));
  EXPECT_DOUBLE_EQ(p[0], 0.25);
  EXPECT_DOUBLE_EQ(p[1], 0.75);
  EXPECT_DOUBLE_EQ(m->ProbEmpty(Tile({3})), 0.25);
  EXPECT_DOUBLE_EQ(m->ExpectedOccupancy(Tile({3})), 0.75);
  EXPECT_EQ(m->Occupancy(Tile({3}), 0.2), 0);  // 0.2 <= P(0)
  EXPECT_EQ(m->Occupancy(Tile({3}), 0.5), 1);
  EXPECT_EQ(m->Occupancy(Tile({3}), 1.0), 1);
  // S = 10: e = 2.5 -> P(2) = P(3) = 0.5; never empty.
  const auto q = Dist(*m, Tile({2, 5}));
  EXPECT_DOUBLE_EQ(q[2], 0.5);
  EXPECT_DOUBLE_EQ(q[3], 0.5);
  EXPECT_DOUBLE_EQ(m->ProbEmpty(Tile({2, 5})), 0.0);
}

TEST(FixedStructured, ClosedFormsMatchTheBaseDefaults) {
  const auto m = MakeFixedStructured(0.37);
  for (int64_t s : {1, 2, 3, 7, 64, 1000}) {
    const auto p = Dist(*m, Tile({s}));
    double mean = 0;
    for (size_t k = 0; k < p.size(); ++k) mean += k * p[k];
    EXPECT_NEAR(m->ProbEmpty(Tile({s})), p[0], 1e-12) << s;
    EXPECT_NEAR(m->ExpectedOccupancy(Tile({s})), mean, 1e-9) << s;
    EXPECT_EQ(m->Occupancy(Tile({s}), 1.0), m->DensityModel::Occupancy(Tile({s}), 1.0)) << s;
  }
}

TEST(Dense, MissingSpecOrDistributionIsDense) {
  DensityContext c;
  c.tensor_extent = {3, 5};
  const auto m = MakeDensityModel(c);
  EXPECT_STREQ(m->name(), "dense");
  EXPECT_DOUBLE_EQ(m->Density(), 1.0);
  const auto p = Dist(*m, Tile({3, 2}));
  EXPECT_DOUBLE_EQ(p[6], 1.0);
  EXPECT_DOUBLE_EQ(m->ProbEmpty(Tile({3, 2})), 0.0);
  EXPECT_EQ(m->Occupancy(Tile({3, 2}), 1.0), 6);
  const spec::DensitySpec empty;  // no distribution written
  EXPECT_STREQ(Make(empty, {3, 5})->name(), "dense");
}

// All C(8,3) = 56 placements of 3 nonzeros among 8 points, counted in the
// tile of the first S points. By hand for S = 3: P(0) = C(5,3)/56 = 10/56,
// P(1) = 3*C(5,2)/56 = 30/56, P(2) = 3*5/56 = 15/56, P(3) = 1/56.
TEST(Hypergeometric, MatchesBruteForceEnumeration) {
  const auto s = Spec("uniform", 0.375);  // ceil(0.375 * 8) = 3
  const auto m = Make(s, {2, 4});
  EXPECT_STREQ(m->name(), "hypergeometric");
  const auto p3 = Dist(*m, Tile({1, 3}));
  EXPECT_NEAR(p3[0], 10.0 / 56, 1e-14);
  EXPECT_NEAR(p3[1], 30.0 / 56, 1e-14);
  EXPECT_NEAR(p3[2], 15.0 / 56, 1e-14);
  EXPECT_NEAR(p3[3], 1.0 / 56, 1e-14);
  for (int size = 0; size <= 8; ++size) {
    std::vector<double> brute(size + 1, 0.0);
    for (int bits = 0; bits < 256; ++bits) {
      if (__builtin_popcount(bits) != 3) continue;
      brute[__builtin_popcount(bits & ((1 << size) - 1))] += 1.0 / 56;
    }
    const auto p = Dist(*m, Tile({size}));
    ASSERT_EQ(p.size(), brute.size());
    for (int k = 0; k <= size; ++k) EXPECT_NEAR(p[k], brute[k], 1e-14) << size << " " << k;
    EXPECT_NEAR(m->ProbEmpty(Tile({size})), brute[0], 1e-14) << size;
    EXPECT_NEAR(m->ExpectedOccupancy(Tile({size})), size * 3.0 / 8, 1e-14);
    EXPECT_EQ(m->Occupancy(Tile({size}), 1.0), std::min(size, 3));
  }
  // Quantiles for S = 3: CDF 10/56, 40/56, 55/56, 1.
  EXPECT_EQ(m->Occupancy(Tile({3}), 0.1), 0);
  EXPECT_EQ(m->Occupancy(Tile({3}), 0.5), 1);
  EXPECT_EQ(m->Occupancy(Tile({3}), 0.9), 2);
}

TEST(Hypergeometric, LargeTensorIsFastNormalisedAndSymmetric) {
  const int64_t n = 100000000, s = 1000000;  // N = 1e8 points, S = 1e6
  const auto half = MakeHypergeometric(n, n / 2);
  const auto start = std::chrono::steady_clock::now();
  const auto p = Dist(*half, Tile({s}));
  const double ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  std::printf("hypergeometric N=1e8 S=1e6 distribution: %.2f ms\n", ms);
  EXPECT_LT(ms, 2000.0);
  double sum = 0, mean = 0, sq = 0;
  for (size_t k = 0; k < p.size(); ++k) {
    sum += p[k];
    mean += k * p[k];
    sq += static_cast<double>(k) * k * p[k];
  }
  EXPECT_NEAR(sum, 1.0, 1e-12);
  EXPECT_NEAR(mean, s / 2.0, 1e-6 * s);
  // Variance S (r/N)(1-r/N)(N-S)/(N-1).
  const double var = s * 0.25 * (n - s) / (n - 1.0);
  EXPECT_NEAR(sq - mean * mean, var, 1e-5 * var);
  // r = N/2: P(k) = P(S-k).
  for (int64_t k : {int64_t{499000}, int64_t{499900}, int64_t{500000}}) {
    EXPECT_NEAR(p[k], p[s - k], 1e-12 * p[k] + 1e-300) << k;
  }
  // Swapping r and S leaves P(k) unchanged: C(r,k)C(N-r,S-k)/C(N,S) is
  // symmetric in (r, S).
  const auto a = MakeHypergeometric(n, 3000);
  const auto b = MakeHypergeometric(n, 20000);
  const auto pa = Dist(*a, Tile({20000}));
  const auto pb = Dist(*b, Tile({3000}));
  for (int k = 0; k <= 10; ++k) EXPECT_NEAR(pa[k], pb[k], 1e-12) << k;
  EXPECT_EQ(half->Occupancy(Tile({s}), 1.0), s);
  EXPECT_EQ(a->Occupancy(Tile({20000}), 1.0), 3000);
  EXPECT_NEAR(a->ExpectedOccupancy(Tile({20000})), 20000 * 3000.0 / n, 1e-12);
}

TEST(Hypergeometric, ClosedFormProbEmptyEqualsDistributionP0) {
  struct Case { int64_t n, r, s; };
  const Case cases[] = {{8, 3, 3},       {100, 10, 20},       {1000000, 100, 5000},
                        {100000000, 1000, 10000}, {100000000, 50, 1000000},
                        {4096, 820, 16}, {10000, 9990, 5}, {10, 10, 1}, {10, 0, 10}};
  for (const Case& c : cases) {
    const auto m = MakeHypergeometric(c.n, c.r);
    const auto p = Dist(*m, Tile({c.s}));
    // Direct product prod_{i<S} (N-r-i)/(N-i) in long double.
    long double direct = 1;
    for (int64_t i = 0; i < c.s; ++i) direct *= static_cast<long double>(c.n - c.r - i) / (c.n - i);
    if (direct < 0) direct = 0;
    const double closed = m->ProbEmpty(Tile({c.s}));
    EXPECT_NEAR(closed, static_cast<double>(direct), 1e-10 * static_cast<double>(direct) + 1e-300)
        << c.n << " " << c.r << " " << c.s;
    EXPECT_NEAR(closed, p[0], 1e-9 * p[0] + 1e-300) << c.n << " " << c.r << " " << c.s;
  }
}

// Banded 6x6, w = 1: nnz = 6 + 2*5 = 16. 2x2 tiles (3x3 grid):
//   diagonal tiles (0,0) (1,1) (2,2): 4 each;
//   (0,1) -> (1,2); (1,0) -> (2,1); (1,2) -> (3,4); (2,1) -> (4,3): 1 each;
//   (0,2), (2,0): 0.
// So P(0) = 2/9, P(1) = 4/9, P(4) = 3/9; expected 16/9.
TEST(Banded, SmallMatrixByHand) {
  spec::DensitySpec s = Spec("banded", 1.0);
  s.band_width = 1;
  const auto m = Make(s, {6, 6});
  EXPECT_DOUBLE_EQ(m->Density(), 16.0 / 36);
  const auto p = Dist(*m, Tile({2, 2}));
  ASSERT_EQ(p.size(), 5u);
  EXPECT_DOUBLE_EQ(p[0], 2.0 / 9);
  EXPECT_DOUBLE_EQ(p[1], 4.0 / 9);
  EXPECT_DOUBLE_EQ(p[2] + p[3], 0.0);
  EXPECT_DOUBLE_EQ(p[4], 3.0 / 9);
  EXPECT_DOUBLE_EQ(m->ExpectedOccupancy(Tile({2, 2})), 16.0 / 9);
  EXPECT_EQ(m->Occupancy(Tile({2, 2}), 1.0), 4);
  EXPECT_EQ(m->Occupancy(Tile({2, 2}), 0.5), 1);  // CDF 2/9, 6/9, 6/9, 6/9, 1
  // 4x4 tiles, clipped at the edge (2x2 grid): (0,0) rows/cols 0-3 hold
  // 4 + 3 + 3 = 10; (0,1) -> (3,4); (1,0) -> (4,3); (1,1) rows/cols 4-5: 4.
  const auto q = Dist(*m, Tile({4, 4}));
  ASSERT_EQ(q.size(), 17u);
  EXPECT_DOUBLE_EQ(q[0], 0.0);
  EXPECT_DOUBLE_EQ(q[1], 0.5);
  EXPECT_DOUBLE_EQ(q[4], 0.25);
  EXPECT_DOUBLE_EQ(q[10], 0.25);
}

TEST(Banded, MatchesPointEnumeration) {
  const int64_t n = 37;
  for (int64_t w : {0, 1, 3, 40}) {
    const auto m = MakeBanded(n, w);
    for (auto [t0, t1] : {std::pair<int64_t, int64_t>{1, 1}, {5, 7}, {37, 1}, {8, 8}, {3, 37}}) {
      std::vector<double> brute(t0 * t1 + 1, 0.0);
      const int64_t rows = (n + t0 - 1) / t0, cols = (n + t1 - 1) / t1;
      for (int64_t a = 0; a < rows; ++a) {
        for (int64_t b = 0; b < cols; ++b) {
          int64_t k = 0;
          for (int64_t i = a * t0; i < std::min(n, (a + 1) * t0); ++i) {
            for (int64_t j = b * t1; j < std::min(n, (b + 1) * t1); ++j) k += std::llabs(i - j) <= w;
          }
          brute[k] += 1.0 / (rows * cols);
        }
      }
      const auto p = Dist(*m, Tile({t0, t1}));
      for (size_t k = 0; k < brute.size(); ++k) {
        EXPECT_NEAR(p[k], brute[k], 1e-12) << w << " " << t0 << "x" << t1 << " k=" << k;
      }
    }
  }
}

TEST(Banded, LargeMatrixStaysFast) {
  const auto m = MakeBanded(10000, 8);
  const auto start = std::chrono::steady_clock::now();
  for (auto [t0, t1] : {std::pair<int64_t, int64_t>{1, 1}, {16, 16}, {100, 1}, {1, 10000}}) {
    // Expected occupancy * tiles = nnz = 10000 + 2*sum_{u=1..8}(10000-u).
    const double tiles = std::ceil(10000.0 / t0) * std::ceil(10000.0 / t1);
    EXPECT_NEAR(m->ExpectedOccupancy(Tile({t0, t1})) * tiles, 10000 + 2 * (8 * 10000 - 36), 1e-6);
    std::vector<double> p;
    m->Distribution(Tile({t0, t1}), p);
    double sum = 0;
    for (double x : p) sum += x;
    EXPECT_NEAR(sum, 1.0, 1e-12);
  }
  const double ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  std::printf("banded 1e4 x 1e4, 4 tile shapes: %.2f ms\n", ms);
  EXPECT_LT(ms, 5000.0);
}

TEST(DensityFactory, ErrorsNameTheSpotAndTheChoices) {
  try {
    Make(Spec("fixed_structured", 1.5), {4});
    FAIL() << "no error";
  } catch (const spec::SpecError& e) {
    EXPECT_NE(std::string(e.what()).find("prob.yaml:7"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("between 0 and 1"), std::string::npos) << e.what();
  }
  try {
    Make(Spec("gaussian", 0.5), {4});
    FAIL() << "no error";
  } catch (const spec::SpecError& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find("gaussian"), std::string::npos) << msg;
    for (const char* name : {"banded", "dense", "fixed_structured", "hypergeometric", "uniform",
                             "actual_data", "real_data"}) {
      EXPECT_NE(msg.find(name), std::string::npos) << name << " missing in " << msg;
    }
  }
  spec::DensitySpec banded = Spec("banded", 1.0);
  EXPECT_THROW(Make(banded, {4, 5}), spec::SpecError);  // not square
  EXPECT_THROW(Make(banded, {4, 4, 4}), spec::SpecError);
  // Spellings: upper case and hyphens are accepted.
  EXPECT_STREQ(Make(Spec("Fixed-Structured", 0.5), {4})->name(), "fixed_structured");
  EXPECT_EQ(DensityModelTable().size(), 8u);
}

}  // namespace
}  // namespace sieve::sparse
