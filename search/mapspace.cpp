#include "search/mapspace.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <stdexcept>

#include "search/factorization.hpp"
#include "search/lehmer.hpp"
#include "sieve/dense/loop_nest.hpp"

namespace sieve::search {
namespace {

using u128 = unsigned __int128;

std::string U128Text(u128 v) {
  if (v == 0) return "0";
  std::string s;
  while (v > 0) {
    s.push_back(static_cast<char>('0' + static_cast<int>(v % 10)));
    v /= 10;
  }
  std::reverse(s.begin(), s.end());
  return s;
}

bool Contains(const std::vector<int>& v, int x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

uint64_t SatMul(uint64_t a, uint64_t b) {
  if (a != 0 && b > UINT64_MAX / a) return UINT64_MAX;
  return a * b;
}

}  // namespace

bool ChoiceLess(const Choice& a, const Choice& b) {
  if (a.fact != b.fact) return a.fact < b.fact;
  if (a.perm != b.perm) return a.perm < b.perm;
  if (a.y_mask != b.y_mask) return a.y_mask < b.y_mask;
  return a.keep_mask < b.keep_mask;
}

uint64_t Mapspace::SpatialRadix(const LevelSpace& ls) const {
  return ls.free_split ? static_cast<uint64_t>(num_dims_) + 1 : uint64_t{1} << ls.free_spatial.size();
}

uint64_t Mapspace::Factorial(size_t n) {
  uint64_t f = 1;
  for (size_t i = 2; i <= n; ++i) f *= i;
  return f;
}

Mapspace::Mapspace(const spec::Spec& spec, bool reuse_equivalence)
    : num_dims_(static_cast<int>(spec.workload.dim_names.size())),
      num_levels_(static_cast<int>(spec.arch.levels.size())),
      num_ds_(static_cast<int>(spec.workload.data_spaces.size())),
      projection_(spec.workload),
      fan_(dense::ComputeFanoutLimits(spec.arch)) {
  const dense::FanoutLimits& fan = fan_;
  // Sparse optimizations make counts depend on more than a tensor's reuse
  // (leader tiles, skipped work): the reuse equivalence is for dense designs.
  reuse_equivalence_ = reuse_equivalence && spec.sparse.empty();
  for (int ds = 0; ds < num_ds_; ++ds) {
    const dense::DataSpaceProjection& p = projection_[ds];
    for (int d = 0; d < num_dims_; ++d) {
      if (!p.relevant[d]) continue;
      relevant_mask_[ds] |= 1u << d;
      bool alone = true;
      for (int r = 0; r < p.num_ranks; ++r) {
        if (p.coef[r][d] == 0) continue;
        for (int e = 0; e < num_dims_; ++e) alone = alone && (e == d || p.coef[r][e] == 0);
      }
      if (alone) plain_mask_[ds] |= 1u << d;
    }
  }
  for (int l = 0; l < num_levels_; ++l) {
    const spec::StorageLevel& s = spec.arch.levels[l];
    const std::optional<int64_t> words = s.CapacityWords();
    capacity_words_[l] = words && !s.allow_overbooking && !s.is_dummy ? *words : -1;
  }
  for (const spec::SparseTarget& t : spec.sparse.targets) {
    const int l = spec.arch.LevelIndex(t.level);
    if (l < 0) continue;
    for (const spec::DataSpaceFormat& f : t.formats) {
      const int ds = spec.workload.DataSpaceIndex(f.data_space);
      if (ds >= 0 && !f.ranks.empty()) compressed_[l][ds] = true;
    }
  }
  const spec::LevelConstraints kNone;
  auto constraints = [&](int level) -> const spec::LevelConstraints& {
    return level < static_cast<int>(spec.constraints.levels.size()) ? spec.constraints.levels[level]
                                                                    : kNone;
  };
  auto loc_of = [&](int level) {
    const spec::LevelConstraints& lc = constraints(level);
    return lc.loc.file.empty() ? spec.arch.levels[level].loc : lc.loc;
  };

  for (auto& row : slot_of_) row.fill(-1);
  for (int l = 0; l < num_levels_; ++l) {
    if (fan.x[l] * fan.y[l] > 1) {
      slot_of_[1][l] = static_cast<int>(slots_.size());
      slots_.push_back({l, true});
    }
    slot_of_[0][l] = static_cast<int>(slots_.size());
    slots_.push_back({l, false});
  }

  // Factorizations per dimension under the factor constraints.
  facts_.resize(num_dims_);
  for (int d = 0; d < num_dims_; ++d) {
    const int64_t bound = spec.workload.bounds[d];
    std::vector<SlotLimit> limits(slots_.size());
    std::vector<int> remainder_slots;
    int64_t fixed_product = 1;
    for (size_t s = 0; s < slots_.size(); ++s) {
      const int l = slots_[s].level;
      const spec::LevelConstraints& lc = constraints(l);
      const auto& list = slots_[s].spatial ? lc.spatial_factors : lc.temporal_factors;
      bool listed = false;
      for (const spec::FactorConstraint& f : list) {
        if (f.dim != d) continue;
        listed = true;
        using K = spec::FactorConstraint::Kind;
        if (f.kind == K::kExact && f.value == 0) {
          remainder_slots.push_back(static_cast<int>(s));
        } else if (f.kind == K::kExact) {
          limits[s].exact = f.value;
          fixed_product *= f.value;
        } else if (f.kind == K::kMax) {
          limits[s].max = std::min(limits[s].max, f.value);
        } else {
          limits[s].min = std::max(limits[s].min, f.value);
        }
      }
      // default_max_factor caps the temporal loops of unlisted dimensions.
      if (!listed && lc.max_factor && !slots_[s].spatial) {
        limits[s].max = std::min(limits[s].max, *lc.max_factor);
      }
      if (slots_[s].spatial) limits[s].max = std::min(limits[s].max, fan.x[l] * fan.y[l]);
      // Fan-out-only (dummy) levels carry no temporal loops (SEMANTICS).
      if (!slots_[s].spatial && spec.arch.levels[l].is_dummy) limits[s].exact = 1;
    }
    // A factor of 0 takes whatever the fixed factors leave; other unfixed
    // slots of the dimension then get 1.
    if (!remainder_slots.empty()) {
      const int64_t rest = bound % fixed_product == 0 ? bound / fixed_product : 0;
      for (size_t s = 0; s < slots_.size(); ++s) {
        if (limits[s].exact == 0) limits[s].exact = 1;
      }
      limits[remainder_slots.front()].exact = rest > 0 ? rest : 1;
    }
    // Spatial constraints on a level without fan-out cannot be honoured.
    for (int l = 0; l < num_levels_; ++l) {
      if (slot_of_[1][l] >= 0) continue;
      for (const spec::FactorConstraint& f : constraints(l).spatial_factors) {
        if (f.dim == d && f.kind == spec::FactorConstraint::Kind::kExact && f.value > 1) {
          throw spec::SpecError(loc_of(l), "spatial factor " + spec.workload.dim_names[d] + "=" +
                                               std::to_string(f.value) + " at '" +
                                               spec.arch.levels[l].name +
                                               "', which has no spatial fan-out");
        }
      }
    }
    try {
      facts_[d] = OrderedFactorizations(bound, limits);
    } catch (const std::length_error& e) {
      throw spec::SpecError(loc_of(slots_.back().level),
                            "dimension " + spec.workload.dim_names[d] + ": bound " + e.what() +
                                "; fix some of its factors with constraints (e.g. factors: " +
                                spec.workload.dim_names[d] + "=... at a level) to search it");
    }
    fact_count_[d] = static_cast<uint32_t>(facts_[d].size() / slots_.size());
    if (fact_count_[d] == 0) {
      throw spec::SpecError(loc_of(slots_.back().level),
                            "the constraints leave no way to split dimension " +
                                spec.workload.dim_names[d] + " (bound " + std::to_string(bound) +
                                ") over the levels");
    }
  }

  // Loop orders, spatial X/Y and bypass per level.
  levels_.resize(num_levels_);
  for (int l = 0; l < num_levels_; ++l) {
    const spec::LevelConstraints& lc = constraints(l);
    LevelSpace& ls = levels_[l];
    if (lc.temporal_order.given) {
      ls.inner = lc.temporal_order.inner;
      ls.outer = lc.temporal_order.outer;
    }
    for (int d = 0; d < num_dims_; ++d) {
      if (!Contains(ls.inner, d) && !Contains(ls.outer, d)) ls.floating.push_back(d);
    }
    ls.fanout = fan.x[l] * fan.y[l];
    ls.has_fanout = ls.fanout > 1;
    if (lc.spatial_order.given || lc.spatial_split) {
      ls.xy_fixed = true;
      ls.fixed_spatial_order = lc.spatial_order.written;
      for (int d = 0; d < num_dims_; ++d) {
        if (!Contains(ls.fixed_spatial_order, d)) ls.fixed_spatial_order.push_back(d);
      }
      if (lc.spatial_split) {
        ls.fixed_split = *lc.spatial_split;
      } else if (ls.has_fanout && fan.x[l] == 1) {
        ls.fixed_split = 0;  // a Y-only fan-out: every spatial loop on Y
      } else if (!ls.has_fanout || fan.y[l] == 1) {
        ls.fixed_split = num_dims_;
      } else {
        // A 2-D fan-out with an order but no split: the split is searched,
        // as the reference's mapspace does.
        ls.xy_fixed = false;
        ls.free_split = true;
      }
    } else if (!ls.has_fanout || fan.x[l] == 1 || fan.y[l] == 1) {
      ls.xy_fixed = true;
      for (int d = 0; d < num_dims_; ++d) ls.fixed_spatial_order.push_back(d);
      ls.fixed_split = (ls.has_fanout && fan.x[l] == 1) ? 0 : num_dims_;
    } else {
      for (int d = 0; d < num_dims_; ++d) ls.free_spatial.push_back(d);
    }
    ls.min_utilization = lc.min_spatial_utilization.value_or(0);
    if (!lc.no_link_transfer_spaces.empty()) {
      ls.no_link_transfer.assign(num_ds_, false);
      for (int ds : lc.no_link_transfer_spaces) ls.no_link_transfer[ds] = true;
    }
    for (int ds = 0; ds < num_ds_; ++ds) {
      ls.keep_bit[ds] = -1;
      if (spec.arch.levels[l].is_dummy || Contains(lc.bypass, ds)) {
        ls.fixed_keep[ds] = false;
      } else if (Contains(lc.keep, ds) || l == num_levels_ - 1) {
        // The outermost level backs every tensor unless told otherwise.
        ls.fixed_keep[ds] = true;
      } else {
        ls.keep_bit[ds] = static_cast<int>(free_keep_.size());
        free_keep_.push_back({l, ds});
      }
    }
  }
  id_fits_ = Size() < 1.0e38;  // mapping ids fit in 128 bits
  if (free_keep_.size() > 63) {
    throw spec::SpecError(spec.arch.levels.back().loc,
                          "too many free bypass choices (" + std::to_string(free_keep_.size()) +
                              "); constrain keep/bypass at some levels");
  }
}

double Mapspace::Size() const {
  double size = 1;
  for (int d = 0; d < num_dims_; ++d) size *= fact_count_[d];
  for (const LevelSpace& ls : levels_) {
    size *= static_cast<double>(Factorial(ls.floating.size()));
    size *= static_cast<double>(SpatialRadix(ls));
  }
  return size * std::ldexp(1.0, static_cast<int>(free_keep_.size()));
}

std::string Mapspace::SizeText() const {
  const double size = Size();
  if (size < 1.0e38) {
    u128 exact = 1;
    for (int d = 0; d < num_dims_; ++d) exact *= fact_count_[d];
    for (const LevelSpace& ls : levels_) {
      exact *= Factorial(ls.floating.size());
      exact *= SpatialRadix(ls);
    }
    exact <<= free_keep_.size();
    return U128Text(exact);
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3e", size);
  return buf;
}

void Mapspace::Prepare(spec::Mapping& m) const {
  m.levels.resize(num_levels_);
  for (int l = 0; l < num_levels_; ++l) {
    spec::LevelMapping& lm = m.levels[l];
    lm.temporal_factors.assign(num_dims_, 1);
    lm.spatial_factors.assign(num_dims_, 1);
    lm.temporal_order.assign(num_dims_, 0);
    lm.spatial_order.assign(num_dims_, 0);
    lm.keep.assign(num_ds_, true);
    lm.no_link_transfer = levels_[l].no_link_transfer;  // a constraint, the same in every mapping
  }
}

void Mapspace::Decode(const Choice& c, spec::Mapping& m) const {
  const size_t num_slots = slots_.size();
  for (int l = 0; l < num_levels_; ++l) {
    std::fill(m.levels[l].temporal_factors.begin(), m.levels[l].temporal_factors.end(), 1);
    std::fill(m.levels[l].spatial_factors.begin(), m.levels[l].spatial_factors.end(), 1);
  }
  for (int d = 0; d < num_dims_; ++d) {
    const int64_t* f = facts_[d].data() + c.fact[d] * num_slots;
    for (size_t s = 0; s < num_slots; ++s) {
      spec::LevelMapping& lm = m.levels[slots_[s].level];
      (slots_[s].spatial ? lm.spatial_factors : lm.temporal_factors)[d] = f[s];
    }
  }
  for (int l = 0; l < num_levels_; ++l) {
    const LevelSpace& ls = levels_[l];
    spec::LevelMapping& lm = m.levels[l];
    int* order = lm.temporal_order.data();
    std::copy(ls.inner.begin(), ls.inner.end(), order);
    const int nf = static_cast<int>(ls.floating.size());
    LehmerDecode(c.perm[l], ls.floating.data(), nf, order + ls.inner.size());
    std::copy(ls.outer.begin(), ls.outer.end(), order + ls.inner.size() + nf);
    if (ls.xy_fixed || ls.free_split) {
      std::copy(ls.fixed_spatial_order.begin(), ls.fixed_spatial_order.end(),
                lm.spatial_order.begin());
      lm.spatial_split = ls.free_split ? static_cast<int>(c.y_mask[l]) : ls.fixed_split;
    } else {
      int x = 0;
      int y = static_cast<int>(ls.free_spatial.size()) - 1;
      // X dims first in problem order; Y dims fill from the back.
      for (size_t i = 0; i < ls.free_spatial.size(); ++i) {
        if ((c.y_mask[l] >> i) & 1u) {
          lm.spatial_order[y--] = ls.free_spatial[i];
        } else {
          lm.spatial_order[x++] = ls.free_spatial[i];
        }
      }
      lm.spatial_split = x;
    }
    for (int ds = 0; ds < num_ds_; ++ds) {
      lm.keep[ds] = ls.keep_bit[ds] < 0 ? ls.fixed_keep[ds]
                                         : ((c.keep_mask >> ls.keep_bit[ds]) & 1u) != 0;
    }
  }
}

uint64_t Mapspace::CanonicalCount(const Choice& c) const {
  const size_t num_slots = slots_.size();
  uint64_t count = free_keep_.empty() ? 1 : (uint64_t{1} << free_keep_.size());
  for (int l = 0; l < num_levels_; ++l) {
    const LevelSpace& ls = levels_[l];
    if (reuse_equivalence_) {
      count = SatMul(count, OrderClasses(c, l)->size());
    } else {
      int moving = 0;
      for (int d : ls.floating) {
        moving += facts_[d][c.fact[d] * num_slots + slot_of_[0][l]] > 1 ? 1 : 0;
      }
      count = SatMul(count, Factorial(static_cast<size_t>(moving)));
    }
    if (ls.free_split) {
      // Splits differ only where they put a loop of bound > 1 on the other
      // axis: (fanning-out dims in the order) + 1 distinct ones.
      int fanning = 0;
      for (int d : ls.fixed_spatial_order)
        fanning += facts_[d][c.fact[d] * num_slots + slot_of_[1][l]] > 1 ? 1 : 0;
      count = SatMul(count, static_cast<uint64_t>(fanning) + 1);
    } else if (!ls.xy_fixed) {
      for (int d : ls.free_spatial) {
        if (facts_[d][c.fact[d] * num_slots + slot_of_[1][l]] > 1) count = SatMul(count, 2);
      }
    }
  }
  return count;
}

void Mapspace::CanonicalChoice(uint64_t index, Choice& c) const {
  // Digits in IdText's order, least significant first: keep bits, then the
  // X/Y bits of the levels from the last to the first, then their loop
  // orders from the last to the first. Walking indices in order therefore
  // walks mapping ids in increasing order.
  const size_t num_slots = slots_.size();
  const uint64_t keep_radix = free_keep_.empty() ? 1 : (uint64_t{1} << free_keep_.size());
  c.keep_mask = index % keep_radix;
  index /= keep_radix;
  for (int l = num_levels_ - 1; l >= 0; --l) {
    const LevelSpace& ls = levels_[l];
    // X/Y only matters for dims that actually fan out; the rest stay on X.
    c.y_mask[l] = 0;
    if (ls.free_split) {
      // Canonical split j: the first j fanning-out dims of the order on X,
      // the split right after the j-th (0 when j = 0).
      std::array<int, kMaxDims> after{};
      int fanning = 0;
      for (int i = 0; i < num_dims_; ++i) {
        const int d = ls.fixed_spatial_order[i];
        if (facts_[d][c.fact[d] * num_slots + slot_of_[1][l]] > 1) after[fanning++] = i + 1;
      }
      const uint64_t j = index % (static_cast<uint64_t>(fanning) + 1);
      index /= static_cast<uint64_t>(fanning) + 1;
      c.y_mask[l] = j == 0 ? 0 : static_cast<uint32_t>(after[j - 1]);
      continue;
    }
    if (ls.xy_fixed) continue;
    for (size_t i = 0; i < ls.free_spatial.size(); ++i) {
      const int d = ls.free_spatial[i];
      if (facts_[d][c.fact[d] * num_slots + slot_of_[1][l]] <= 1) continue;
      if (index & 1u) c.y_mask[l] |= 1u << i;
      index >>= 1;
    }
  }
  for (int l = num_levels_ - 1; l >= 0; --l) {
    const LevelSpace& ls = levels_[l];
    if (reuse_equivalence_) {
      const std::shared_ptr<const std::vector<uint32_t>> classes = OrderClasses(c, l);
      const uint64_t radix = classes->size();
      c.perm[l] = (*classes)[index % radix];
      index /= radix;
      continue;
    }
    // Orders only matter among loops of bound > 1: permute those, keep the
    // bound-1 loops after them in their listed order.
    const int nf = static_cast<int>(ls.floating.size());
    std::array<int, kMaxDims> moving;
    std::array<int, kMaxDims> positions;
    std::array<bool, kMaxDims> is_moving{};
    int k = 0;
    for (int i = 0; i < nf; ++i) {
      const int d = ls.floating[i];
      if (facts_[d][c.fact[d] * num_slots + slot_of_[0][l]] > 1) {
        is_moving[i] = true;
        moving[k++] = i;
      }
    }
    const uint64_t radix = Factorial(static_cast<size_t>(k));
    LehmerDecode(index % radix, moving.data(), k, positions.data());
    index /= radix;
    int n = k;
    for (int i = 0; i < nf; ++i) {
      if (!is_moving[i]) positions[n++] = i;
    }
    c.perm[l] = static_cast<uint32_t>(LehmerEncode(positions.data(), nf));
  }
}

int64_t Mapspace::FindFactorization(int dim, const int64_t* f) const {
  // The lists are in lexicographic order of their slot factors.
  const size_t n = slots_.size();
  const int64_t* base = facts_[dim].data();
  int64_t lo = 0, hi = static_cast<int64_t>(fact_count_[dim]);
  while (lo < hi) {
    const int64_t mid = (lo + hi) / 2;
    if (std::lexicographical_compare(base + mid * n, base + (mid + 1) * n, f, f + n)) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  if (lo < static_cast<int64_t>(fact_count_[dim]) && std::equal(f, f + n, base + lo * n)) return lo;
  return -1;
}

bool Mapspace::MoveFactor(int dim, uint64_t r_from, uint64_t r_prime, uint64_t r_to, Choice& c) const {
  const size_t n = slots_.size();
  if (n < 2 || fact_count_[dim] < 2) return false;
  std::array<int64_t, 2 * kMaxLevels> f{};
  std::copy_n(facts_[dim].data() + c.fact[dim] * n, n, f.begin());
  // A slot holding a factor > 1, then one prime of it.
  std::array<int, 2 * kMaxLevels> holders{};
  int num_holders = 0;
  for (size_t s = 0; s < n; ++s)
    if (f[s] > 1) holders[num_holders++] = static_cast<int>(s);
  if (num_holders == 0) return false;
  const int from = holders[r_from % static_cast<uint64_t>(num_holders)];
  std::array<int64_t, 64> primes{};
  int num_primes = 0;
  int64_t rest = f[from];
  for (int64_t p = 2; p * p <= rest; ++p) {
    if (rest % p != 0) continue;
    primes[num_primes++] = p;
    while (rest % p == 0) rest /= p;
  }
  if (rest > 1) primes[num_primes++] = rest;
  const int64_t prime = primes[r_prime % static_cast<uint64_t>(num_primes)];
  const int to = static_cast<int>((static_cast<uint64_t>(from) + 1 + r_to % (n - 1)) % n);
  f[from] /= prime;
  f[to] *= prime;
  const int64_t index = FindFactorization(dim, f.data());
  if (index < 0) return false;  // the constraints forbid it
  c.fact[dim] = static_cast<uint32_t>(index);
  return true;
}

bool Mapspace::SwapLoops(int level, uint64_t r_a, uint64_t r_b, Choice& c) const {
  const LevelSpace& ls = levels_[level];
  const int nf = static_cast<int>(ls.floating.size());
  if (nf < 2) return false;
  std::array<int, kMaxDims> identity{};
  for (int i = 0; i < nf; ++i) identity[i] = i;
  std::array<int, kMaxDims> positions{};
  LehmerDecode(c.perm[level], identity.data(), nf, positions.data());
  const int a = static_cast<int>(r_a % static_cast<uint64_t>(nf));
  const int b = static_cast<int>((static_cast<uint64_t>(a) + 1 + r_b % static_cast<uint64_t>(nf - 1)) %
                                 static_cast<uint64_t>(nf));
  std::swap(positions[a], positions[b]);
  c.perm[level] = static_cast<uint32_t>(LehmerEncode(positions.data(), nf));
  return true;
}

bool Mapspace::NextFactorization(Choice& c) const {
  for (int d = num_dims_ - 1; d >= 0; --d) {
    if (++c.fact[d] < fact_count_[d]) return true;
    c.fact[d] = 0;
  }
  return false;
}

std::string Mapspace::IdText(const Choice& c) const {
  if (!id_fits_) {
    // Too big for one number: the sub-indices, joined.
    std::string s = "f";
    auto append = [&s](const auto& values, int n) {
      for (int i = 0; i < n; ++i) {
        if (i > 0) s.push_back('.');
        s.append(std::to_string(values[i]));
      }
    };
    append(c.fact, num_dims_);
    s.append("/p");
    append(c.perm, num_levels_);
    s.append("/y");
    append(c.y_mask, num_levels_);
    return s + "/k" + std::to_string(c.keep_mask);
  }
  u128 id = 0;
  for (int d = 0; d < num_dims_; ++d) id = id * fact_count_[d] + c.fact[d];
  for (int l = 0; l < num_levels_; ++l) id = id * Factorial(levels_[l].floating.size()) + c.perm[l];
  for (int l = 0; l < num_levels_; ++l) {
    id = id * SpatialRadix(levels_[l]) + c.y_mask[l];
  }
  id = (id << free_keep_.size()) + c.keep_mask;
  return U128Text(id);
}

bool Mapspace::ParseId(const std::string& id, Choice& c) const {
  Choice out;
  if (!id_fits_) {
    // "f1.0.2/p0.3/y0.1/k5": the lists must have exactly one entry per
    // dimension or level; InRange then checks every index.
    size_t pos = 0;
    auto number = [&](uint64_t& v) {
      const size_t begin = pos;
      v = 0;
      while (pos < id.size() && id[pos] >= '0' && id[pos] <= '9') {
        const uint64_t digit = static_cast<uint64_t>(id[pos] - '0');
        if (v > (UINT64_MAX - digit) / 10) return false;
        v = v * 10 + digit;
        ++pos;
      }
      return pos > begin;
    };
    auto list = [&](const char* tag, auto& values, int n) {
      for (const char* t = tag; *t != '\0'; ++t, ++pos)
        if (pos >= id.size() || id[pos] != *t) return false;
      for (int i = 0; i < n; ++i) {
        if (i > 0 && (pos >= id.size() || id[pos++] != '.')) return false;
        uint64_t v = 0;
        if (!number(v) || v > UINT32_MAX) return false;
        values[i] = static_cast<uint32_t>(v);
      }
      return true;
    };
    if (!list("f", out.fact, num_dims_) || !list("/p", out.perm, num_levels_) ||
        !list("/y", out.y_mask, num_levels_) || id.compare(pos, 2, "/k") != 0) {
      return false;
    }
    pos += 2;
    if (!number(out.keep_mask) || pos != id.size() || !InRange(out)) return false;
    c = out;
    return true;
  }
  if (id.empty()) return false;
  u128 v = 0;
  const u128 max = ~u128{0};
  for (char ch : id) {
    if (ch < '0' || ch > '9') return false;
    const unsigned digit = static_cast<unsigned>(ch - '0');
    if (v > (max - digit) / 10) return false;  // beyond 128 bits: beyond the space too
    v = v * 10 + digit;
  }
  // IdText's digits taken off least significant first; what is left over
  // at the end means v was not below the space's size.
  const size_t keep_bits = free_keep_.size();
  out.keep_mask = static_cast<uint64_t>(v & ((u128{1} << keep_bits) - 1));
  v >>= keep_bits;
  for (int l = num_levels_ - 1; l >= 0; --l) {
    const uint64_t radix = SpatialRadix(levels_[l]);
    out.y_mask[l] = static_cast<uint32_t>(v % radix);
    v /= radix;
  }
  for (int l = num_levels_ - 1; l >= 0; --l) {
    const uint64_t radix = Factorial(levels_[l].floating.size());
    out.perm[l] = static_cast<uint32_t>(v % radix);
    v /= radix;
  }
  for (int d = num_dims_ - 1; d >= 0; --d) {
    out.fact[d] = static_cast<uint32_t>(v % fact_count_[d]);
    v /= fact_count_[d];
  }
  if (v != 0) return false;
  c = out;
  return true;
}

bool Mapspace::ViolatesUtilization(const spec::Mapping& m) const {
  for (int l = 0; l < num_levels_; ++l) {
    const LevelSpace& ls = levels_[l];
    if (ls.min_utilization <= 0 || !ls.has_fanout) continue;
    int64_t used = 1;
    for (int64_t f : m.levels[l].spatial_factors) used *= f;
    if (static_cast<double>(used) < ls.min_utilization * static_cast<double>(ls.fanout)) return true;
  }
  return false;
}

}  // namespace sieve::search
