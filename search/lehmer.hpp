// Private to search/: permutations in the factorial number system (Lehmer
// codes), shared by the mapspace's decoding, canonical forms and moves.
// Allocate nothing; thread-safe.
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>

#include "search/mapspace.hpp"

namespace sieve::search {

// Permutation number `index` (factorial number system) of `items`, written
// to out[0..n). Allocates nothing.
inline void LehmerDecode(uint64_t index, const int* items, int n, int* out) {
  std::array<int, kMaxDims> pool;
  std::copy(items, items + n, pool.begin());
  for (int i = 0; i < n; ++i) {
    const uint64_t f = Mapspace::Factorial(static_cast<size_t>(n - 1 - i));
    const int pick = static_cast<int>(index / f);
    index %= f;
    out[i] = pool[pick];
    for (int j = pick; j + 1 < n - i; ++j) pool[j] = pool[j + 1];
  }
}

// Inverse of LehmerDecode for positions: perm[i] is an index into items.
inline uint64_t LehmerEncode(const int* perm, int n) {
  uint64_t index = 0;
  for (int i = 0; i < n; ++i) {
    int smaller = 0;
    for (int j = i + 1; j < n; ++j) smaller += perm[j] < perm[i] ? 1 : 0;
    index += static_cast<uint64_t>(smaller) * Mapspace::Factorial(static_cast<size_t>(n - 1 - i));
  }
  return index;
}

}  // namespace sieve::search
