// fixed_structured and dense density models (paper Table 4 "Fixed
// structured": even distribution, coordinate independent; SEMANTICS
// "Density models").
//
// A tile of S points has e = S*d expected nonzeros. It holds floor(e) with
// probability 1-(e-floor(e)), else ceil(e), so the mean is exactly e. Hence
// P(empty) = P(floor(e) = 0) = 1-e when e < 1, and 0 when e >= 1: the two
// statements of the rule agree. e is the plain double product S*d with no
// rounding to an integer (as the reference computes it): e.g. 100*0.29 =
// 28.999999999999996 gives P(28) ~ 4e-15, P(29) ~ 1.
// dense is fixed_structured with d = 1 (P(S) = 1), under its own name.
#include <cmath>
#include <stdexcept>

#include "sieve/spec/error.hpp"
#include "sparse/density_models.hpp"

namespace sieve::sparse {
namespace {

class FixedStructuredModel final : public DensityModel {
 public:
  FixedStructuredModel(double density, const char* name) : density_(density), name_(name) {}

  const char* name() const override { return name_; }
  OccupancyLaw Law() const override { return {OccupancyLaw::Kind::kFixed, density_, 0, 0}; }
  double Density() const override { return density_; }

  void Distribution(const TileShape& tile, std::vector<double>& p) const override {
    const int64_t size = tile.Size();
    p.assign(static_cast<size_t>(size) + 1, 0.0);
    const Split s = SplitOf(size);
    p[static_cast<size_t>(s.floor)] += 1.0 - s.frac;
    if (s.frac > 0) p[static_cast<size_t>(s.floor) + 1] += s.frac;
  }

  double ProbEmpty(const TileShape& tile) const override {
    const double e = static_cast<double>(tile.Size()) * density_;
    return e < 1.0 ? 1.0 - e : 0.0;
  }

  double ExpectedOccupancy(const TileShape& tile) const override {
    return static_cast<double>(tile.Size()) * density_;
  }

  // Two occupancies only, so no distribution is built (hot path).
  double ExpectedVectors(const TileShape& tile, int64_t width) const override {
    const Split s = SplitOf(tile.Size());
    auto vectors = [width](int64_t k) {
      return static_cast<double>((k + width - 1) / width);  // NOLINT(bugprone-integer-division): ceil(k / width)
    };
    return (1.0 - s.frac) * vectors(s.floor) + s.frac * vectors(s.floor + 1);
  }

  // Smallest k with P(<= k) >= confidence: floor(e) covers 1-frac of the
  // mass, so confidence <= 1-frac gives floor(e), anything above ceil(e).
  int64_t Occupancy(const TileShape& tile, double confidence) const override {
    const Split s = SplitOf(tile.Size());
    if (s.frac == 0) return s.floor;
    return confidence <= 1.0 - s.frac ? s.floor : s.floor + 1;
  }

 private:
  struct Split {
    int64_t floor;
    double frac;  // e - floor(e), in [0, 1)
  };
  Split SplitOf(int64_t size) const {
    const double e = static_cast<double>(size) * density_;
    const double f = std::floor(e);
    return {static_cast<int64_t>(f), e - f};
  }

  double density_;
  const char* name_;
};

}  // namespace

std::unique_ptr<DensityModel> MakeFixedStructured(double density) {
  if (!(density >= 0.0 && density <= 1.0)) {
    throw std::invalid_argument("fixed_structured density must be in [0, 1], got " +
                                std::to_string(density));
  }
  return std::make_unique<FixedStructuredModel>(density, "fixed_structured");
}

std::unique_ptr<DensityModel> MakeDenseModel(const DensityContext&) {
  return std::make_unique<FixedStructuredModel>(1.0, "dense");
}

std::unique_ptr<DensityModel> MakeFixedStructuredModel(const DensityContext& context) {
  if (context.spec == nullptr) return MakeDenseModel(context);
  const double d = context.spec->density;
  if (!(d >= 0.0 && d <= 1.0)) {
    throw spec::SpecError(context.spec->loc,
                          "fixed_structured density must be between 0 and 1, got " +
                              std::to_string(d));
  }
  return std::make_unique<FixedStructuredModel>(d, "fixed_structured");
}

}  // namespace sieve::sparse
