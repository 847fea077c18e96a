// Comparisons of sieve's figures with published reference figures, with the
// tolerance each kind of figure allows:
//   counts (cycles, computes, accesses, tile sizes): integers, exactly equal;
//   printed decimals (fJ/compute with 2 decimals): within half a unit of the
//     last printed digit;
//   derived energies: a stated relative tolerance.
#pragma once

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <sstream>
#include <string>
#include <vector>

namespace sieve::testing {

// The integer a count holds; fails the test when it has a fractional part.
inline int64_t AsCount(double value, const std::string& what) {
  const double rounded = std::round(value);
  EXPECT_EQ(value, rounded) << what << " is not an integer count: " << value;
  return static_cast<int64_t>(rounded);
}

inline void ExpectCount(double got, double want, const std::string& what) {
  EXPECT_EQ(AsCount(got, what + " (sieve)"), AsCount(want, what + " (reference)")) << what;
}

// `printed` was printed with `decimals` decimals: `got` must round to it.
inline void ExpectPrinted(double got, double printed, int decimals, const std::string& what) {
  const double half_unit = 0.5 * std::pow(10.0, -decimals);
  EXPECT_NEAR(got, printed, half_unit * (1 + 1e-9) + 1e-12 * std::fabs(printed)) << what;
}

inline void ExpectRelative(double got, double want, double rel_tol, const std::string& what) {
  EXPECT_NEAR(got, want, rel_tol * std::max(1.0, std::fabs(want))) << what;
}

}  // namespace sieve::testing
