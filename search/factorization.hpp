// Ordered factorizations of a loop bound over a number of slots (a slot is
// one level's temporal or spatial loop of a dimension), with per-slot
// bounds. Perfect factors only: the slot factors multiply to the bound.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace sieve::search {

struct SlotLimit {
  int64_t exact = 0;  // > 0: the slot's factor is fixed
  int64_t min = 1;
  int64_t max = INT64_MAX;
};

// Enumerating more ordered factorizations of one bound than this (before
// the slot limits) is refused: memory and time would grow without bound.
inline constexpr double kMaxFactorizations = 2e7;

// Ordered factorizations of `bound` over `slots` slots without limits:
// prod over its prime powers p^a of C(a + slots - 1, slots - 1).
double OrderedFactorizationCount(int64_t bound, size_t slots);

// Every vector f with f.size() == limits.size(), prod(f) == bound and each
// f[i] within limits[i], in lexicographic order of f. Flattened: entry k
// occupies [k * slots, (k + 1) * slots). Throws std::length_error when the
// count before limits exceeds kMaxFactorizations.
std::vector<int64_t> OrderedFactorizations(int64_t bound, const std::vector<SlotLimit>& limits);

}  // namespace sieve::search
