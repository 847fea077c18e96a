// Monte Carlo check of the hypergeometric ("uniform") model: draw K random
// 64x64 tensors with exactly r = ceil(d*N) nonzeros, count them with the
// actual-data model, and compare the averages over the K tensors with the
// hypergeometric model.
//
// Why the averages must agree: an aligned tile is a fixed set of S points;
// placing r nonzeros uniformly at random among the N points gives that
// tile k nonzeros with the hypergeometric probability. The actual-data
// statistic of one tensor (fraction of grid tiles that are empty, or that
// hold k nonzeros) averages such indicators, so its expectation over random
// tensors is exactly the model's P(0) or P(k); and the expected occupancy
// of every tensor is exactly r*S/N (each holds r nonzeros over N/S tiles).
//
// Tolerance (derived, not tuned): the K per-tensor statistics X_1..X_K are
// i.i.d. with mean P; their average has standard error SE = s/sqrt(K),
// s the sample standard deviation. We allow |mean - P| <= 4*SE + 3/(K*T),
// T = tiles per tensor. 4 SE bounds a normal deviation with two-sided
// probability 6e-5; the 3/(K*T) floor (three tile observations out of the
// K*T seen) covers rare k, where few or no tiles were observed and s
// underestimates the spread. The seed is fixed, so the run is reproducible.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numeric>
#include <random>
#include <vector>

#include "sparse/density_models.hpp"

namespace sieve::sparse {
namespace {

TileShape Tile(int64_t a, int64_t b) {
  TileShape t;
  t.num_ranks = 2;
  t.extent[0] = a;
  t.extent[1] = b;
  return t;
}

struct Moments {
  double sum = 0, sq = 0;
  void Add(double x) { sum += x; sq += x * x; }
  double Mean(int k) const { return sum / k; }
  double StdErr(int k) const {
    const double m = sum / k;
    return std::sqrt(std::max(0.0, (sq - k * m * m) / (k - 1)) / k);
  }
};

void CheckDensity(double density) {
  constexpr int64_t kSide = 64, kN = kSide * kSide;
  constexpr int kTensors = 200;
  const int64_t r = static_cast<int64_t>(std::ceil(density * kN));
  const auto model = MakeHypergeometric(kN, r);
  const std::vector<std::pair<int64_t, int64_t>> shapes = {
      {1, 1}, {1, 4}, {2, 2}, {4, 4}, {8, 8}, {1, 64}, {2, 32}, {16, 16}};

  // Per shape: moments of P(empty) and of the fraction of tiles holding k.
  std::vector<Moments> empty(shapes.size());
  std::vector<std::vector<Moments>> by_k(shapes.size());
  for (size_t s = 0; s < shapes.size(); ++s) by_k[s].resize(shapes[s].first * shapes[s].second + 1);

  std::mt19937_64 rng(20240611);
  std::vector<int64_t> points(kN);
  for (int t = 0; t < kTensors; ++t) {
    // Exactly r nonzeros: a partial Fisher-Yates shuffle.
    std::iota(points.begin(), points.end(), 0);
    for (int64_t i = 0; i < r; ++i) {
      std::uniform_int_distribution<int64_t> pick(i, kN - 1);
      std::swap(points[i], points[pick(rng)]);
    }
    std::vector<uint8_t> mask(kN, 0);
    for (int64_t i = 0; i < r; ++i) mask[points[i]] = 1;
    const auto actual = MakeActualDataFromMask({kSide, kSide}, mask);
    for (size_t s = 0; s < shapes.size(); ++s) {
      const TileShape tile = Tile(shapes[s].first, shapes[s].second);
      empty[s].Add(actual->ProbEmpty(tile));
      // Every tensor holds r nonzeros, so this is exact, not statistical.
      EXPECT_NEAR(actual->ExpectedOccupancy(tile), model->ExpectedOccupancy(tile), 1e-12);
      EXPECT_LE(actual->Occupancy(tile, 1.0), model->Occupancy(tile, 1.0));
      std::vector<double> p;
      actual->Distribution(tile, p);
      for (size_t k = 0; k < p.size(); ++k) by_k[s][k].Add(p[k]);
    }
  }

  for (size_t s = 0; s < shapes.size(); ++s) {
    const TileShape tile = Tile(shapes[s].first, shapes[s].second);
    const double tiles = static_cast<double>(kN) / tile.Size();
    const double floor = 3.0 / (kTensors * tiles);
    const double want = model->ProbEmpty(tile);
    const double got = empty[s].Mean(kTensors);
    const double tol = 4 * empty[s].StdErr(kTensors) + floor;
    std::printf("d=%.2f tile %lldx%lld: P(empty) model %.6g measured %.6g |err| %.3g tol %.3g\n",
                density, static_cast<long long>(shapes[s].first),
                static_cast<long long>(shapes[s].second), want, got, std::fabs(got - want), tol);
    EXPECT_NEAR(got, want, tol) << "P(empty) tile " << shapes[s].first << "x" << shapes[s].second;

    std::vector<double> p;
    model->Distribution(tile, p);
    double worst = 0;  // largest |err| / tol over k
    for (size_t k = 0; k < p.size(); ++k) {
      const double err = std::fabs(by_k[s][k].Mean(kTensors) - p[k]);
      const double tol_k = 4 * by_k[s][k].StdErr(kTensors) + floor;
      worst = std::max(worst, err / tol_k);
      EXPECT_NEAR(by_k[s][k].Mean(kTensors), p[k], tol_k) << "P(" << k << ") tile " << s;
    }
    std::printf("    distribution: worst |err|/tol over k = %.3f\n", worst);
  }
}

TEST(MonteCarlo, UniformDensityMatchesRandomTensors) { CheckDensity(0.2); }
TEST(MonteCarlo, SparseUniformDensityMatchesRandomTensors) { CheckDensity(0.02); }

}  // namespace
}  // namespace sieve::sparse
