#include "search/factorization.hpp"

#include <algorithm>

namespace sieve::search {
namespace {

std::vector<int64_t> Divisors(int64_t n) {
  std::vector<int64_t> small, large;
  for (int64_t d = 1; d * d <= n; ++d) {
    if (n % d != 0) continue;
    small.push_back(d);
    if (d != n / d) large.push_back(n / d);
  }
  small.insert(small.end(), large.rbegin(), large.rend());
  return small;
}

void Extend(int64_t remaining, size_t slot, const std::vector<SlotLimit>& limits,
            std::vector<int64_t>& current, std::vector<int64_t>& out) {
  if (slot + 1 == limits.size()) {
    const SlotLimit& l = limits[slot];
    const bool ok = (l.exact == 0 || l.exact == remaining) && remaining >= l.min &&
                    remaining <= l.max;
    if (!ok) return;
    current[slot] = remaining;
    out.insert(out.end(), current.begin(), current.end());
    return;
  }
  for (int64_t d : Divisors(remaining)) {
    const SlotLimit& l = limits[slot];
    if (l.exact > 0 && d != l.exact) continue;
    if (d < l.min || d > l.max) continue;
    current[slot] = d;
    Extend(remaining / d, slot + 1, limits, current, out);
  }
}

}  // namespace

std::vector<int64_t> OrderedFactorizations(int64_t bound, const std::vector<SlotLimit>& limits) {
  std::vector<int64_t> out;
  if (limits.empty()) return out;
  std::vector<int64_t> current(limits.size(), 1);
  Extend(bound, 0, limits, current, out);
  return out;
}

}  // namespace sieve::search
