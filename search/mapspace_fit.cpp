// Mapspace's valid-first checks (see mapspace.hpp): fan-outs and buffers of
// a choice, checked before the model runs, and index ranges of a choice.
#include "search/mapspace.hpp"

namespace sieve::search {

void Mapspace::SpatialXY(const Choice& c, int l, int64_t& x, int64_t& y) const {
  const size_t num_slots = slots_.size();
  x = 1;
  y = 1;
  if (slot_of_[1][l] < 0) return;
  const LevelSpace& ls = levels_[l];
  auto factor = [&](int d) { return facts_[d][c.fact[d] * num_slots + slot_of_[1][l]]; };
  if (ls.xy_fixed || ls.free_split) {
    const int split = ls.free_split ? static_cast<int>(c.y_mask[l]) : ls.fixed_split;
    for (int pos = 0; pos < static_cast<int>(ls.fixed_spatial_order.size()); ++pos)
      (pos < split ? x : y) *= factor(ls.fixed_spatial_order[pos]);
    return;
  }
  for (size_t i = 0; i < ls.free_spatial.size(); ++i)
    (((c.y_mask[l] >> i) & 1u) ? y : x) *= factor(ls.free_spatial[i]);
}

void Mapspace::LevelFactors(const Choice& c, int level, dense::DimVector& temporal,
                            dense::DimVector& spatial) const {
  const size_t num_slots = slots_.size();
  temporal.fill(1);
  spatial.fill(1);
  for (int d = 0; d < num_dims_; ++d) {
    const int64_t* f = facts_[d].data() + c.fact[d] * num_slots;
    temporal[d] = f[slot_of_[0][level]];
    if (slot_of_[1][level] >= 0) spatial[d] = f[slot_of_[1][level]];
  }
}

bool Mapspace::BuffersFit(const Choice& c, bool fixed_keeps_only) const {
  const size_t num_slots = slots_.size();
  dense::DimVector extent;
  extent.fill(1);
  for (int l = 0; l < num_levels_; ++l) {
    // The level's tile spans its own loops and every loop below it.
    for (int d = 0; d < num_dims_; ++d) {
      const int64_t* f = facts_[d].data() + c.fact[d] * num_slots;
      extent[d] *= f[slot_of_[0][l]] * (slot_of_[1][l] >= 0 ? f[slot_of_[1][l]] : 1);
    }
    if (capacity_words_[l] < 0) continue;
    const LevelSpace& ls = levels_[l];
    int64_t words = 0;
    for (int ds = 0; ds < num_ds_; ++ds) {
      if (compressed_[l][ds]) continue;
      const bool kept = ls.keep_bit[ds] < 0 ? ls.fixed_keep[ds]
                                             : !fixed_keeps_only && ((c.keep_mask >> ls.keep_bit[ds]) & 1u) != 0;
      if (kept) words += projection_.TileSize(ds, extent);
    }
    if (words > capacity_words_[l]) return false;
  }
  return true;
}

bool Mapspace::FactorizationFits(const Choice& c) const {
  // Spatial products (X and Y together) against the instances below, as
  // the model's fan-out check, which no placement can beat.
  const size_t num_slots = slots_.size();
  int64_t above = 1;
  for (int l = num_levels_ - 1; l >= -1; --l) {
    const int at = l < 0 ? num_levels_ : l;
    if (above > fan_.instances[at]) return false;
    if (l >= 0 && slot_of_[1][l] >= 0) {
      int64_t product = 1;
      for (int d = 0; d < num_dims_; ++d) product *= facts_[d][c.fact[d] * num_slots + slot_of_[1][l]];
      above *= product;
    }
  }
  return BuffersFit(c, /*fixed_keeps_only=*/true);
}

bool Mapspace::Fits(const Choice& c) const {
  int64_t x = 1, y = 1;
  for (int l = num_levels_ - 1; l >= -1; --l) {
    const int at = l < 0 ? num_levels_ : l;
    if (x > fan_.mesh_x[at] || y > fan_.mesh_y[at] || x * y > fan_.instances[at]) return false;
    if (l >= 0) {
      int64_t lx = 1, ly = 1;
      SpatialXY(c, l, lx, ly);
      if (lx * ly > 1 && fan_.x[l] * fan_.y[l] == 1) return false;  // spatial loops without a fan-out
      x *= lx;
      y *= ly;
    }
  }
  return BuffersFit(c, /*fixed_keeps_only=*/false);
}

bool Mapspace::InRange(const Choice& c) const {
  for (int d = 0; d < num_dims_; ++d)
    if (c.fact[d] >= fact_count_[d]) return false;
  for (int d = num_dims_; d < kMaxDims; ++d)
    if (c.fact[d] != 0) return false;
  for (int l = 0; l < num_levels_; ++l) {
    if (c.perm[l] >= Factorial(levels_[l].floating.size())) return false;
    if (c.y_mask[l] >= SpatialRadix(levels_[l])) return false;
  }
  return free_keep_.size() >= 64 || c.keep_mask < (uint64_t{1} << free_keep_.size());
}

}  // namespace sieve::search
