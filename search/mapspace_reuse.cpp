// Mapspace's reuse equivalence (see mapspace.hpp): temporal orders of a
// level grouped by the reuse they give every tensor, one canonical order
// per class.
#include <algorithm>
#include <map>

#include "search/lehmer.hpp"
#include "search/mapspace.hpp"

namespace sieve::search {

uint64_t Mapspace::LoopingMask(const Choice& c, int level) const {
  const size_t num_slots = slots_.size();
  uint32_t looping = 0;
  for (int d = 0; d < num_dims_; ++d)
    if (facts_[d][c.fact[d] * num_slots + slot_of_[0][level]] > 1) looping |= 1u << d;
  // Tensors that are "simple" here: plain looping dims and no spatial loop
  // at or below the level over their dims.
  uint32_t spatial_below = 0;
  for (int l = 0; l <= level; ++l) {
    if (slot_of_[1][l] < 0) continue;
    for (int d = 0; d < num_dims_; ++d)
      if (facts_[d][c.fact[d] * num_slots + slot_of_[1][l]] > 1) spatial_below |= 1u << d;
  }
  uint32_t simple = 0;
  for (int ds = 0; ds < num_ds_; ++ds) {
    const uint32_t moving = relevant_mask_[ds] & looping;
    if ((moving & ~plain_mask_[ds]) == 0 && (relevant_mask_[ds] & spatial_below) == 0) simple |= 1u << ds;
  }
  return (static_cast<uint64_t>(simple) << 32) | looping;
}

std::vector<uint32_t> Mapspace::ReuseKey(int level, uint64_t mask, uint32_t perm_code) const {
  const LevelSpace& ls = levels_[level];
  const uint32_t looping = static_cast<uint32_t>(mask);
  const uint32_t simple = static_cast<uint32_t>(mask >> 32);
  const int nf = static_cast<int>(ls.floating.size());
  std::array<int, kMaxDims> floating_order{};
  LehmerDecode(perm_code, ls.floating.data(), nf, floating_order.data());
  // The level's looping dims, innermost first.
  std::array<int, 3 * kMaxDims> order{};
  int n = 0;
  for (int d : ls.inner)
    if ((looping >> d) & 1u) order[n++] = d;
  for (int i = 0; i < nf; ++i)
    if ((looping >> floating_order[i]) & 1u) order[n++] = floating_order[i];
  for (int d : ls.outer)
    if ((looping >> d) & 1u) order[n++] = d;
  std::vector<uint32_t> key;
  for (int ds = 0; ds < num_ds_; ++ds) {
    const uint32_t rel = relevant_mask_[ds];
    if ((simple >> ds) & 1u) {
      // The loops inside the innermost relevant one reuse the tile.
      uint32_t inside = 0;
      for (int i = 0; i < n && !((rel >> order[i]) & 1u); ++i) inside |= 1u << order[i];
      key.push_back(inside);
    } else {
      // The order up to and including the outermost relevant loop.
      int last = -1;
      for (int i = 0; i < n; ++i)
        if ((rel >> order[i]) & 1u) last = i;
      key.push_back(0xffffffffu);  // separates tensors
      for (int i = 0; i <= last; ++i) key.push_back(static_cast<uint32_t>(order[i]));
    }
  }
  return key;
}

std::shared_ptr<const std::vector<uint32_t>> Mapspace::OrderClasses(const Choice& c, int level) const {
  const uint64_t mask = LoopingMask(c, level);
  const auto key = std::make_pair(static_cast<uint64_t>(level), mask);
  {
    std::lock_guard<std::mutex> lock(classes_mutex_);
    if (auto it = classes_.find(key); it != classes_.end()) return it->second;
  }
  // Orders of the looping floating dims (the others after them in listed
  // order, as in the bound-1 canonical form); the smallest code per class.
  const LevelSpace& ls = levels_[level];
  const uint32_t looping = static_cast<uint32_t>(mask);
  const int nf = static_cast<int>(ls.floating.size());
  std::array<int, kMaxDims> moving_pos{};
  int k = 0;
  for (int i = 0; i < nf; ++i)
    if ((looping >> ls.floating[i]) & 1u) moving_pos[k++] = i;
  std::array<int, kMaxDims> perm{};
  for (int i = 0; i < k; ++i) perm[i] = i;
  std::map<std::vector<uint32_t>, uint32_t> first;
  do {
    std::array<int, kMaxDims> positions{};
    int m = 0;
    for (int i = 0; i < k; ++i) positions[m++] = moving_pos[perm[i]];
    for (int i = 0; i < nf; ++i)
      if (!((looping >> ls.floating[i]) & 1u)) positions[m++] = i;
    const uint32_t code = static_cast<uint32_t>(LehmerEncode(positions.data(), nf));
    auto [it, fresh] = first.emplace(ReuseKey(level, mask, code), code);
    if (!fresh) it->second = std::min(it->second, code);
  } while (std::next_permutation(perm.begin(), perm.begin() + k));
  auto codes = std::make_shared<std::vector<uint32_t>>();
  for (const auto& [cls, code] : first) codes->push_back(code);
  std::sort(codes->begin(), codes->end());
  std::lock_guard<std::mutex> lock(classes_mutex_);
  return classes_.emplace(key, std::move(codes)).first->second;
}

Choice Mapspace::Canonicalize(const Choice& c) const {
  Choice out = c;
  const size_t num_slots = slots_.size();
  // X/Y: only dims that fan out are placed (as CanonicalChoice does).
  for (int l = 0; l < num_levels_; ++l) {
    const LevelSpace& ls = levels_[l];
    auto fans = [&](int d) { return facts_[d][c.fact[d] * num_slots + slot_of_[1][l]] > 1; };
    if (ls.free_split) {
      int before = 0, fanning = 0;
      std::array<int, kMaxDims> after{};
      for (int i = 0; i < num_dims_; ++i) {
        if (!fans(ls.fixed_spatial_order[i])) continue;
        after[fanning++] = i + 1;
        before += i < static_cast<int>(c.y_mask[l]) ? 1 : 0;
      }
      out.y_mask[l] = before == 0 ? 0 : static_cast<uint32_t>(after[before - 1]);
    } else if (!ls.xy_fixed) {
      out.y_mask[l] = 0;
      for (size_t i = 0; i < ls.free_spatial.size(); ++i)
        if (fans(ls.free_spatial[i])) out.y_mask[l] |= c.y_mask[l] & (1u << i);
    }
  }
  if (!reuse_equivalence_) return out;
  for (int l = 0; l < num_levels_; ++l) {
    const uint64_t mask = LoopingMask(c, l);
    const std::vector<uint32_t> mine = ReuseKey(l, mask, c.perm[l]);
    for (uint32_t code : *OrderClasses(c, l)) {
      if (ReuseKey(l, mask, code) == mine) {
        out.perm[l] = code;
        break;
      }
    }
  }
  return out;
}

}  // namespace sieve::search
