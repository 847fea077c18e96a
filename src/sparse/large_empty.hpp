// P(a sub-tile of s points is empty | its tile of `size` points holds k
// nonzeros placed uniformly at random) = C(size - k, s) / C(size, s), for
// tiles too large for Boost's exact pdf (format_exact.cpp, paper Sec 5.3.3).
//
// Thread safety: a LargeEmptyTerms is per-caller state (one tile's sum).
#pragma once

#include <array>
#include <cmath>

#include "sieve/limits.hpp"

namespace sieve::sparse {

inline double LogChoose(double n, double k) {
  int sign = 0;
  return lgamma_r(n + 1, &sign) - lgamma_r(k + 1, &sign) - lgamma_r(n - k + 1, &sign);
}

// exp(LogChoose(size - k, s) - LogChoose(size, s)) for the sub-tiles s of
// one tile of `size` points, over its occupancies k. The sum over k asks
// for every rank's sub-tile at every k in turn (Sec 5.3.3), walking k up
// from the mode and then down from below it. Between neighbouring k the
// value has the exact ratio
//   P(s, k + 1) / P(s, k) = C(size-k-1, s) / C(size-k, s) = (size-k-s) / (size-k),
// so each sub-tile keeps its last (k, value) and steps it by that ratio;
// only the first k of each run costs the three lgamma of the closed form
// (of which LogChoose(size, s) and lgamma(s + 1) are kept per sub-tile).
// Over a window of occupancies the walk drifts from the closed form by less
// than 1e-11 relative, below the closed form's own lgamma cancellation
// (~1e-9 at 4e5 points; tests/sparse/large_empty_test.cpp).
class LargeEmptyTerms {
 public:
  explicit LargeEmptyTerms(double size) : size_(size) {}

  // REQUIRES: 0 <= k, 0 <= s, s + k <= size.
  double Empty(double s, double k) { return EmptyAt(SubTile(s), s, k); }

  // The handle of the sub-tile of s points for EmptyAt, which then skips
  // the look-up (-1: more sub-tiles than slots, each value from the
  // closed form).
  int SubTile(double s) {
    Slot* slot = SlotOf(s);
    return slot == nullptr ? -1 : static_cast<int>(slot - slots_.data());
  }

  // Empty(s, k) for the sub-tile `sub` = SubTile(s).
  double EmptyAt(int sub, double s, double k) {
    if (sub < 0) return std::exp(LogChoose(size_ - k, s) - LogChoose(size_, s));
    Slot* slot = &slots_[sub];
    if (slot->k == k) return slot->p;
    // Below kTiny a double loses precision as it turns subnormal; such a
    // value only ever enters as 1 - P (format_model.cpp), where anything
    // under 1e-17 leaves exactly 1. Values below it may come back as 0.
    constexpr double kTiny = 1e-300;
    double log_p = kUnknown;
    auto closed_form = [&] {
      int sign = 0;
      const double n = size_ - k;
      const double log_choose_nk = lgamma_r(n + 1, &sign) - slot->lg_s1 - lgamma_r(n - s + 1, &sign);
      log_p = log_choose_nk - slot->log_choose_size;
      return std::exp(log_p);
    };
    double p = 0;
    if (slot->k == k - 1) {
      // Up: P falls, so a tiny (or underflowed) P stays tiny.
      p = slot->p * ((size_ - (k - 1) - s) / (size_ - (k - 1)));
    } else if (slot->k == k + 1 && size_ - k - s > 0) {
      const double ratio = (size_ - k) / (size_ - k - s);
      if (slot->p >= kTiny) {
        p = slot->p * ratio;
      } else if (const double stepped_log =
                     slot->log_p != kUnknown ? slot->log_p + std::log(ratio) : kUnknown;
                 stepped_log < kLogTiny) {
        // Down but still below kTiny: its log is stepped (good to ~1e-13,
        // ample to tell when the closed form is needed again), and the
        // value is taken as 0 (exactly what it is worth in 1 - P).
        log_p = stepped_log;
        p = 0;
      } else {
        p = closed_form();
      }
    } else {
      p = closed_form();
    }
    slot->k = k;
    slot->p = p;
    slot->log_p = log_p;
    return p;
  }

 private:
  struct Slot {
    double s;
    double lg_s1;            // lgamma(s + 1)
    double log_choose_size;  // LogChoose(size, s)
    double k;                // the last occupancy asked for, its value
    double p;
    double log_p;            // and that value's log, when known
  };
  static constexpr double kUnknown = 1.0;  // no log of a probability is positive
  static constexpr double kLogTiny = -690.7755278982137;  // ln(1e-300)

  Slot* SlotOf(double s) {
    for (int i = 0; i < num_slots_; ++i) {
      if (slots_[i].s == s) return &slots_[i];
    }
    if (num_slots_ == static_cast<int>(slots_.size())) return nullptr;
    int sign = 0;
    slots_[num_slots_] = Slot{s, lgamma_r(s + 1, &sign), LogChoose(size_, s), -2, 0, kUnknown};
    return &slots_[num_slots_++];
  }

  double size_;
  int num_slots_ = 0;
  std::array<Slot, kMaxRanks + 2> slots_{};  // a tile, its ranks' tiles, an element
};

}  // namespace sieve::sparse
