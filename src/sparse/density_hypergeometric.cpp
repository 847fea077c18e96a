// Hypergeometric ("uniform") density model (paper Table 4 "Uniform": random
// distribution, coordinate independent; Fig. 9; SEMANTICS "Density models").
//
// The tensor has N points and r = ceil(d*N) nonzeros placed uniformly at
// random (r is the plain double ceil, as the reference computes it). For a
// tile of S points (S clamped to N):
//   P(k) = C(r,k) C(N-r,S-k) / C(N,S),  k in [max(0, S-(N-r)), min(S, r)].
// N can be ~1e8 and S ~1e6, so the distribution is built from its mode
// outwards with the term ratio
//   P(k+1)/P(k) = (r-k)(S-k) / ((k+1)(N-r-S+k+1)),
// stopping once a term falls below 1e-300 of the mode's (it cannot matter in
// double precision), then normalised. The cost is the number of
// non-negligible terms (~ 75 standard deviations), not S.
// P(empty) is Boost.Math's pdf for small tensors, else a closed form
// evaluated in log space.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <stdexcept>
#include <vector>

#include "sieve/spec/error.hpp"
#include "sparse/density_models.hpp"

namespace sieve::sparse {
namespace {

// sum_{i=0}^{m-1} ln(a-i) = lnG(a+1) - lnG(a-m+1) for 0 <= m <= a, computed
// without the cancellation of two huge lgamma values: Stirling's series
// lnG(z) = (z-1/2)ln z - z + ln(2pi)/2 + 1/(12z) - 1/(360z^3) + 1/(1260z^5)
// differenced term by term (error < 1e-20 for z >= 1000).
double LogFalling(double a, double m) {
  if (m <= 0) return 0.0;
  if (m <= 32) {
    double sum = 0;
    for (int i = 0; i < static_cast<int>(m); ++i) sum += std::log(a - i);
    return sum;
  }
  const double za = a + 1, zb = a - m + 1;
  if (zb < 1000) return std::lgamma(za) - std::lgamma(zb);
  auto series = [](double z) {
    const double z2 = z * z;
    return 1 / (12 * z) - 1 / (360 * z * z2) + 1 / (1260 * z * z2 * z2);
  };
  return m * std::log(za) + (zb - 0.5) * std::log1p(m / zb) - m + series(za) - series(zb);
}

class HypergeometricModel final : public DensityModel {
 public:
  HypergeometricModel(int64_t size, int64_t nonzeros, double density)
      : n_(size), r_(nonzeros), density_(density) {}

  const char* name() const override { return "hypergeometric"; }
  OccupancyLaw Law() const override {
    return {OccupancyLaw::Kind::kHypergeometric, density_, n_, r_};
  }
  double Density() const override { return density_; }

  void Distribution(const TileShape& tile, std::vector<double>& p) const override {
    const int64_t size = tile.Size();
    p.assign(static_cast<size_t>(std::max<int64_t>(size, 0)) + 1, 0.0);
    const Window w = Compute(Clamp(size));
    std::copy(w.p.begin(), w.p.end(), p.begin() + w.first);
  }

  // P(0) = C(N-r,S)/C(N,S) = C(N-S,r)/C(N,r): with m = min(S,r) and
  // T = max(S,r), P(0) = prod_{i<m} (N-T-i)/(N-i), and 0 when S+r > N.
  double ProbEmpty(const TileShape& tile) const override {
    const int64_t s = Clamp(tile.Size());
    if (s + r_ > n_) return 0.0;
    if (n_ <= kBoostPdfMaxPoints) {
      // The reference's numerics: they decide the floors of SAF-removed counts.
      return HypergeometricPdf(static_cast<double>(r_), static_cast<double>(s),
                               static_cast<double>(n_), 0);
    }
    const double m = static_cast<double>(std::min(s, r_));
    const double t = static_cast<double>(std::max(s, r_));
    const double n = static_cast<double>(n_);
    return std::exp(LogFalling(n - t, m) - LogFalling(n, m));
  }

  double ExpectedOccupancy(const TileShape& tile) const override {
    return static_cast<double>(Clamp(tile.Size())) * static_cast<double>(r_) /
           static_cast<double>(n_);
  }

  // The base class's sum over the whole distribution, restricted to the
  // window: the terms outside it are exact zeros, so the sum is the same
  // to the last bit, at O(window) instead of O(tile) cost and no allocation
  // of the tile-sized vector.
  double ExpectedVectors(const TileShape& tile, int64_t width) const override {
    const Window w = Compute(Clamp(tile.Size()));
    double sum = 0;
    for (size_t i = 0; i < w.p.size(); ++i) {
      const int64_t k = w.first + static_cast<int64_t>(i);
      if (k < 1) continue;
      sum += std::ceil(static_cast<double>(k) / static_cast<double>(width)) * w.p[i];
    }
    return sum;
  }

  int64_t Occupancy(const TileShape& tile, double confidence) const override {
    const int64_t s = Clamp(tile.Size());
    if (confidence >= 1.0) return std::min(s, r_);
    const Window w = Compute(s);
    double cumulative = 0;
    for (size_t i = 0; i < w.p.size(); ++i) {
      cumulative += w.p[i];
      if (cumulative >= confidence) return w.first + static_cast<int64_t>(i);
    }
    return w.first + static_cast<int64_t>(w.p.size()) - 1;
  }

 private:
  struct Window {
    int64_t first = 0;      // k of p[0]
    std::vector<double> p;  // normalised P(first + i)
  };

  int64_t Clamp(int64_t size) const { return std::clamp<int64_t>(size, 0, n_); }

  Window Compute(int64_t s) const {
    const int64_t lo = std::max<int64_t>(0, s - (n_ - r_));
    const int64_t hi = std::min(s, r_);
    const long double mode_exact = static_cast<long double>(s + 1) * (r_ + 1) / (n_ + 2);
    const int64_t mode = std::clamp<int64_t>(static_cast<int64_t>(mode_exact), lo, hi);
    const double n = static_cast<double>(n_), r = static_cast<double>(r_),
                 sd = static_cast<double>(s);
    auto ratio = [&](int64_t k) {  // P(k+1)/P(k)
      const double kd = static_cast<double>(k);
      return (r - kd) * (sd - kd) / ((kd + 1) * (n - r - sd + kd + 1));
    };
    constexpr double kNegligible = 1e-300;  // relative to P(mode)
    std::vector<double> below, above;
    double v = 1;
    for (int64_t k = mode; k > lo; --k) {
      v /= ratio(k - 1);
      if (v < kNegligible) break;
      below.push_back(v);
    }
    v = 1;
    for (int64_t k = mode; k < hi; ++k) {
      v *= ratio(k);
      if (v < kNegligible) break;
      above.push_back(v);
    }
    Window w;
    w.first = mode - static_cast<int64_t>(below.size());
    w.p.assign(below.rbegin(), below.rend());
    w.p.push_back(1.0);
    w.p.insert(w.p.end(), above.begin(), above.end());
    double sum = 0;
    for (double x : w.p) sum += x;
    for (double& x : w.p) x /= sum;
    return w;
  }

  int64_t n_;
  int64_t r_;
  double density_;
};

}  // namespace

std::unique_ptr<DensityModel> MakeHypergeometric(int64_t size, int64_t nonzeros) {
  if (size < 1 || nonzeros < 0 || nonzeros > size) {
    throw std::invalid_argument("hypergeometric needs 0 <= nonzeros <= size and size >= 1, got " +
                                std::to_string(nonzeros) + " of " + std::to_string(size));
  }
  return std::make_unique<HypergeometricModel>(
      size, nonzeros, static_cast<double>(nonzeros) / static_cast<double>(size));
}

// Density() reports the specified d (the reference's "average density"),
// which differs from r/N = ceil(d*N)/N by less than 1/N.
std::unique_ptr<DensityModel> MakeHypergeometricModel(const DensityContext& context) {
  if (context.spec == nullptr) return MakeDenseModel(context);
  const double d = context.spec->density;
  if (!(d >= 0.0 && d <= 1.0)) {
    throw spec::SpecError(context.spec->loc,
                          "hypergeometric density must be between 0 and 1, got " +
                              std::to_string(d));
  }
  int64_t size = 1;
  for (int64_t e : context.tensor_extent) size *= e;
  if (size < 1) throw spec::SpecError(context.spec->loc, "tensor has no points");
  const int64_t r =
      std::min<int64_t>(size, static_cast<int64_t>(std::ceil(d * static_cast<double>(size))));
  return std::make_unique<HypergeometricModel>(size, r, d);
}

}  // namespace sieve::sparse
