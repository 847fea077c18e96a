#include "search/factorization.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>
#include <utility>

namespace sieve::search {
namespace {

using u128 = unsigned __int128;

uint64_t MulMod(uint64_t a, uint64_t b, uint64_t m) { return static_cast<uint64_t>(static_cast<u128>(a) * b % m); }

uint64_t PowMod(uint64_t b, uint64_t e, uint64_t m) {
  uint64_t r = 1;
  for (b %= m; e > 0; e >>= 1, b = MulMod(b, b, m))
    if (e & 1) r = MulMod(r, b, m);
  return r;
}

// Deterministic Miller-Rabin for 64-bit n (these bases suffice below 2^64).
bool IsPrime(uint64_t n) {
  if (n < 2) return false;
  for (uint64_t p : {2ull, 3ull, 5ull, 7ull, 11ull, 13ull, 17ull, 19ull, 23ull, 29ull, 31ull, 37ull}) {
    if (n % p == 0) return n == p;
  }
  uint64_t d = n - 1;
  int s = 0;
  while ((d & 1) == 0) {
    d >>= 1;
    ++s;
  }
  for (uint64_t a : {2ull, 3ull, 5ull, 7ull, 11ull, 13ull, 17ull, 19ull, 23ull, 29ull, 31ull, 37ull}) {
    uint64_t x = PowMod(a, d, n);
    if (x == 1 || x == n - 1) continue;
    bool composite = true;
    for (int r = 1; r < s && composite; ++r) {
      x = MulMod(x, x, n);
      composite = x != n - 1;
    }
    if (composite) return false;
  }
  return true;
}

uint64_t Gcd(uint64_t a, uint64_t b) {
  while (b != 0) a = std::exchange(b, a % b);
  return a;
}

// A non-trivial factor of composite n (Pollard's rho, Brent's variant).
uint64_t RhoFactor(uint64_t n) {
  if (n % 2 == 0) return 2;
  for (uint64_t c = 1;; ++c) {
    auto f = [&](uint64_t x) { return (MulMod(x, x, n) + c) % n; };
    uint64_t x = 2, y = 2, d = 1;
    while (d == 1) {
      x = f(x);
      y = f(f(y));
      d = Gcd(x > y ? x - y : y - x, n);
    }
    if (d != n) return d;
  }
}

// Prime factors of n with multiplicity, ascending. Large bounds (up to
// 2^63) factor in microseconds, not the seconds of trial division.
void PrimeFactors(uint64_t n, std::vector<uint64_t>& out) {
  for (uint64_t p = 2; p < 1000 && p * p <= n; ++p) {
    while (n % p == 0) {
      out.push_back(p);
      n /= p;
    }
  }
  if (n == 1) return;
  if (IsPrime(n)) {
    out.push_back(n);
    return;
  }
  const uint64_t d = RhoFactor(n);
  PrimeFactors(d, out);
  PrimeFactors(n / d, out);
}

struct PrimePower {
  int64_t prime;
  int exponent;
};

// Divisors of `n`, ascending, from the primes of the bound it divides.
void DivisorsOf(int64_t n, const std::vector<PrimePower>& primes, std::vector<int64_t>& out) {
  out.assign(1, 1);
  for (const PrimePower& pp : primes) {
    int e = 0;
    for (int64_t m = n; m % pp.prime == 0; m /= pp.prime) ++e;
    const size_t count = out.size();
    int64_t power = 1;
    for (int k = 1; k <= e; ++k) {
      power *= pp.prime;
      for (size_t i = 0; i < count; ++i) out.push_back(out[i] * power);
    }
  }
  std::sort(out.begin(), out.end());
}

void Extend(int64_t remaining, size_t slot, const std::vector<SlotLimit>& limits, const std::vector<PrimePower>& primes,
            std::vector<int64_t>& current, std::vector<int64_t>& out) {
  if (slot + 1 == limits.size()) {
    const SlotLimit& l = limits[slot];
    const bool ok = (l.exact == 0 || l.exact == remaining) && remaining >= l.min && remaining <= l.max;
    if (!ok) return;
    current[slot] = remaining;
    out.insert(out.end(), current.begin(), current.end());
    return;
  }
  std::vector<int64_t> divisors;
  DivisorsOf(remaining, primes, divisors);
  for (int64_t d : divisors) {
    const SlotLimit& l = limits[slot];
    if (l.exact > 0 && d != l.exact) continue;
    if (d < l.min || d > l.max) continue;
    current[slot] = d;
    Extend(remaining / d, slot + 1, limits, primes, current, out);
  }
}

}  // namespace

double OrderedFactorizationCount(int64_t bound, size_t slots) {
  std::vector<uint64_t> factors;
  if (bound > 1) PrimeFactors(static_cast<uint64_t>(bound), factors);
  double count = 1;
  for (size_t i = 0; i < factors.size();) {
    size_t j = i;
    while (j < factors.size() && factors[j] == factors[i]) ++j;
    // C(a + s - 1, s - 1) ways to spread exponent a over s slots.
    const double a = static_cast<double>(j - i);
    double c = 1;
    for (size_t k = 1; k + 1 <= slots; ++k) c = c * (a + static_cast<double>(k)) / static_cast<double>(k);
    count *= c;
    i = j;
  }
  return count;
}

std::vector<int64_t> OrderedFactorizations(int64_t bound, const std::vector<SlotLimit>& limits) {
  std::vector<int64_t> out;
  if (limits.empty()) return out;
  const double count = OrderedFactorizationCount(bound, limits.size());
  if (count > kMaxFactorizations) {
    throw std::length_error(std::to_string(bound) + " has about " + std::to_string(static_cast<int64_t>(count)) +
                            " ordered factorizations over " + std::to_string(limits.size()) +
                            " loop slots; at most " + std::to_string(static_cast<int64_t>(kMaxFactorizations)) +
                            " are enumerated");
  }
  std::vector<uint64_t> factors;
  if (bound > 1) PrimeFactors(static_cast<uint64_t>(bound), factors);
  std::vector<PrimePower> primes;
  for (uint64_t p : factors) {
    if (!primes.empty() && primes.back().prime == static_cast<int64_t>(p)) {
      ++primes.back().exponent;
    } else {
      primes.push_back({static_cast<int64_t>(p), 1});
    }
  }
  std::vector<int64_t> current(limits.size(), 1);
  Extend(bound, 0, limits, primes, current, out);
  return out;
}

}  // namespace sieve::search
