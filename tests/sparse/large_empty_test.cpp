// Sub-tile emptiness of large tiles (sparse/large_empty.hpp): the ratio walk
// over occupancies against the closed form, and small cases by hand.
#include "sparse/large_empty.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace sieve::sparse {
namespace {

// C(size - k, s) / C(size, s) in long double, straight from lgammal.
double ClosedForm(double size, double s, double k) {
  auto log_choose = [](long double n, long double m) {
    return lgammal(n + 1) - lgammal(m + 1) - lgammal(n - m + 1);
  };
  return static_cast<double>(expl(log_choose(size - k, s) - log_choose(size, s)));
}

TEST(LargeEmpty, SmallTilesByHand) {
  // size 10, s 2: C(10-k, 2) / C(10, 2) = (10-k)(9-k) / 90. (lgamma's
  // rounding leaves ~1e-15 in the closed form.)
  LargeEmptyTerms t(10);
  EXPECT_NEAR(t.Empty(2, 0), 1.0, 1e-13);
  EXPECT_NEAR(t.Empty(2, 1), 72.0 / 90, 1e-13);  // a step up
  EXPECT_NEAR(t.Empty(2, 3), 42.0 / 90, 1e-13);  // a jump: closed form
  EXPECT_NEAR(t.Empty(2, 2), 56.0 / 90, 1e-13);  // a step down
  EXPECT_NEAR(t.Empty(2, 8), 2.0 / 90, 1e-13);
  // s 1: (10 - k) / 10; two sub-tile sizes tracked side by side.
  EXPECT_NEAR(t.Empty(1, 8), 0.2, 1e-13);
  EXPECT_NEAR(t.Empty(2, 7), 6.0 / 90, 1e-13);
  EXPECT_NEAR(t.Empty(1, 7), 0.3, 1e-13);
}

// The evaluation order of a tile's sum: k up from the mode, then down from
// below it, every sub-tile size at each k, over +-12 standard deviations.
// Each run starts from the double closed form, whose lgamma terms near 5e6
// cancel to ~1e-9 relative (against long double); the steps then add no
// more than 1e-11 of drift to that starting error (the long double
// reference is itself good to ~3e-13 here).
TEST(LargeEmpty, RatioWalkMatchesClosedForm) {
  const double size = 401408;  // 512 x 28 x 28
  const double r = std::ceil(0.51 * size);
  for (double tile : {8192.0, 65536.0, 200704.0}) {
    LargeEmptyTerms t(size);
    const double mode = std::floor((tile + 1) * (r + 1) / (size + 2));
    const double sd = std::sqrt(tile * (r / size) * (1 - r / size) * (size - tile) / (size - 1));
    const double lo = std::max(0.0, std::floor(mode - 12 * sd));
    const double hi = std::ceil(mode + 12 * sd);
    const double subtiles[] = {1, 4, 28, 784};
    double start_error[4];
    auto check = [&](double k, bool first) {
      for (int i = 0; i < 4; ++i) {
        const double s = subtiles[i];
        const double want = ClosedForm(size, s, k);
        const double error = t.Empty(s, k) / want - 1;
        if (first) start_error[i] = error;
        ASSERT_LT(std::abs(error), 5e-9) << "tile " << tile << " s " << s << " k " << k;
        ASSERT_LT(std::abs(error - start_error[i]), 1e-11) << "tile " << tile << " s " << s << " k " << k;
      }
    };
    for (double k = mode; k <= hi; k += 1) check(k, k == mode);
    for (double k = mode - 1; k >= lo; k -= 1) check(k, k == mode - 1);
  }
}

// A sub-tile so large that its emptiness underflows over part of the walk:
// walking k down, P climbs from below 1e-300 (where only 1 - P is used, and
// any value under 1e-17 gives exactly 1) back into range, and must match
// the closed form again once it is there.
TEST(LargeEmpty, UnderflowedValuesComeBack) {
  const double size = 401408;
  const double s = 50000;  // P(empty) ~ (1 - s/size)^k: 1e-300 near k = 5200
  LargeEmptyTerms t(size);
  int in_range = 0, tiny = 0;
  for (double k = 8000; k >= 3000; k -= 1) {
    const double want = ClosedForm(size, s, k);
    const double got = t.Empty(s, k);
    if (want >= 1e-290) {
      ASSERT_NEAR(got / want, 1.0, 5e-9) << "k " << k;
      ++in_range;
    } else if (want < 1e-300) {
      ASSERT_LE(got, 1e-300) << "k " << k;
      ++tiny;
    }
  }
  EXPECT_GT(in_range, 1000);
  EXPECT_GT(tiny, 1000);
}

}  // namespace
}  // namespace sieve::sparse
