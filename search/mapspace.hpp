// Mapspace: every mapping of a workload onto an architecture that the
// constraints allow, as a product of sub-spaces (paper Sec 5.1; Timeloop's
// "uber" mapspace):
//   factorizations  each dimension's bound split over the levels' temporal
//                   and spatial slots (perfect factors), one list per dim;
//   loop orders     per level, the order of the dimensions the constraint
//                   leaves floating (Lehmer-coded);
//   spatial X/Y     per level with a 2-D fan-out, which free spatial
//                   dimensions go to mesh Y;
//   bypass          keep/bypass of each (level, data space) not fixed.
// A Choice picks one index in each. Random search samples the full product
// uniformly; exhaustive walks only canonical choices (loop orders of bound-1
// loops and their X/Y placement do not change a mapping: see Canonical*).
//
// Reuse equivalence (on by default, for designs without sparse
// optimizations): two temporal orders of a level are one canonical choice
// when they give every tensor the same reuse. For a tensor whose ranks
// each hold one dimension and whose dimensions have no spatial loop at or
// below the level (no sliding window, no link transfers), only the set of
// loops inside its innermost relevant loop matters (they reuse its tile;
// every other step fetches a new, disjoint tile); for any other tensor the
// order of the loops up to its outermost relevant loop must match.
//
// Immutable after construction; every const method is thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "sieve/dense/loop_nest.hpp"
#include "sieve/dense/projection.hpp"
#include "sieve/limits.hpp"
#include "sieve/spec/spec.hpp"

namespace sieve::search {

struct Choice {
  std::array<uint32_t, kMaxDims> fact{};    // index into the dim's factorization list
  std::array<uint32_t, kMaxLevels> perm{};  // Lehmer index over floating temporal dims
  std::array<uint32_t, kMaxLevels> y_mask{};  // bit i: free spatial dim i goes to Y
  uint64_t keep_mask = 0;                   // bit i: free (level, data space) i is kept
};

// Lexicographic order of the sub-indices: the order of mapping ids.
bool ChoiceLess(const Choice& a, const Choice& b);

class Mapspace {
 public:
  // Throws spec::SpecError when the constraints admit no mapping (e.g. fixed
  // factors of a dimension that do not multiply to its bound).
  // `reuse_equivalence` false keeps only the bound-1 equivalences.
  explicit Mapspace(const spec::Spec& spec, bool reuse_equivalence = true);
  bool reuse_equivalence() const { return reuse_equivalence_; }

  int num_dims() const { return num_dims_; }
  int num_levels() const { return num_levels_; }
  uint32_t NumFactorizations(int dim) const { return fact_count_[dim]; }

  // Size of the full (unpruned) id space, as a double, and as text (exact
  // decimal when below 2^127, else scientific).
  double Size() const;
  std::string SizeText() const;

  // Sizes the vectors of `m` for Decode (call once per scratch mapping).
  void Prepare(spec::Mapping& m) const;
  // Writes the mapping of `c` into a Prepare()d mapping; allocates nothing.
  void Decode(const Choice& c, spec::Mapping& m) const;

  // Uniform sample of the full id space. `next(n)` returns a uniform
  // integer in [0, n).
  template <class Uniform>
  void Sample(Uniform&& next, Choice& c) const {
    for (int d = 0; d < num_dims_; ++d) c.fact[d] = static_cast<uint32_t>(next(fact_count_[d]));
    for (int l = 0; l < num_levels_; ++l) {
      c.perm[l] = static_cast<uint32_t>(next(Factorial(levels_[l].floating.size())));
      c.y_mask[l] = static_cast<uint32_t>(next(SpatialRadix(levels_[l])));
    }
    c.keep_mask = free_keep_.empty() ? 0 : next(uint64_t{1} << free_keep_.size());
  }

  // A random neighbour of `c` for local search: one move of
  //   factor  a prime factor of one dimension moved from one slot (a
  //           level's temporal or spatial loop) to another, when the
  //           constraints allow the result;
  //   order   two floating loops of one level swapped;
  //   xy      one free spatial dimension moved between X and Y, or another
  //           split of a searched split;
  //   keep    one free keep/bypass decision flipped.
  // Moves are drawn factor 1/2, the others 1/6 each (when the space has
  // them). `next(n)` is uniform in [0, n). Returns false (c unchanged)
  // when no move exists. Thread-safe; allocates nothing.
  template <class Uniform>
  bool Neighbor(Uniform&& next, Choice& c) const {
    for (int attempt = 0; attempt < 16; ++attempt) {
      const uint64_t kind = next(6);
      bool moved = false;
      if (kind < 3) {
        moved = MoveFactor(static_cast<int>(next(static_cast<uint64_t>(num_dims_))), next(1u << 20),
                           next(1u << 20), next(1u << 20), c);
      } else if (kind == 3) {
        moved = SwapLoops(static_cast<int>(next(static_cast<uint64_t>(num_levels_))), next(1u << 20),
                          next(1u << 20), c);
      } else if (kind == 4) {
        const int l = static_cast<int>(next(static_cast<uint64_t>(num_levels_)));
        const uint64_t radix = SpatialRadix(levels_[l]);
        if (radix > 1) {
          if (levels_[l].free_split) {
            c.y_mask[l] = static_cast<uint32_t>((c.y_mask[l] + 1 + next(radix - 1)) % radix);
          } else {
            c.y_mask[l] ^= 1u << next(levels_[l].free_spatial.size());
          }
          moved = true;
        }
      } else if (!free_keep_.empty()) {
        c.keep_mask ^= uint64_t{1} << next(free_keep_.size());
        moved = true;
      }
      if (moved) return true;
    }
    return false;
  }

  // Valid-first checks, run before the model (they never reject a mapping
  // the model accepts):
  //   FactorizationFits  c.fact alone: every level's spatial factors fit
  //                      the instances below it, and every buffer holds
  //                      the uncompressed tiles it must keep (fixed keeps);
  //   Fits               the whole choice: the fan-outs in X and in Y as the
  //                      model checks them, and the buffers with the
  //                      choice's keep decisions.
  // A data space in a compressed format at a level is left out of that
  // level's sum (its occupancy depends on density); levels that allow
  // overbooking are not checked. Thread-safe; allocate nothing.
  bool FactorizationFits(const Choice& c) const;
  bool Fits(const Choice& c) const;

  // Sample, redrawn until Fits: a factorization until FactorizationFits,
  // then the other indices a few times, then a new factorization. Gives up
  // after a bounded number of draws and returns the last one (the model
  // then says why it fails).
  template <class Uniform>
  void SampleValid(Uniform&& next, Choice& c) const {
    for (int outer = 0; outer < 64; ++outer) {
      for (int attempt = 0; attempt < 256; ++attempt) {
        for (int d = 0; d < num_dims_; ++d) c.fact[d] = static_cast<uint32_t>(next(fact_count_[d]));
        if (FactorizationFits(c)) break;
      }
      for (int attempt = 0; attempt < 16; ++attempt) {
        for (int l = 0; l < num_levels_; ++l) {
          c.perm[l] = static_cast<uint32_t>(next(Factorial(levels_[l].floating.size())));
          c.y_mask[l] = static_cast<uint32_t>(next(SpatialRadix(levels_[l])));
        }
        c.keep_mask = free_keep_.empty() ? 0 : next(uint64_t{1} << free_keep_.size());
        if (Fits(c)) return;
      }
    }
  }

  // The temporal and spatial factors of every dimension at `level` under
  // c.fact (1 where the level has no such loop).
  void LevelFactors(const Choice& c, int level, dense::DimVector& temporal, dense::DimVector& spatial) const;
  // True when every mapping of the space keeps data space `ds` at `level`.
  bool AlwaysKeeps(int level, int ds) const {
    return levels_[level].keep_bit[ds] < 0 && levels_[level].fixed_keep[ds];
  }

  // Number of canonical (pairwise distinct) choices sharing c.fact.
  uint64_t CanonicalCount(const Choice& c) const;
  // Sets c's other indices to canonical choice `index` in [0, CanonicalCount).
  void CanonicalChoice(uint64_t index, Choice& c) const;
  // The canonical choice equivalent to c (same factorization and keeps).
  Choice Canonicalize(const Choice& c) const;
  // Advances c.fact to the next factorization; false after the last one.
  bool NextFactorization(Choice& c) const;

  // True when every index of c is in range for this space (a checkpoint's
  // choices are checked before any is decoded).
  bool InRange(const Choice& c) const;

  // Mapping id: the mixed-radix number of the sub-indices, in decimal.
  // Digits, most significant first: c.fact per dimension, c.perm per level
  // (radix: factorial of the level's floating dims), c.y_mask per level
  // (radix: its X/Y choices), then c.keep_mask (one bit per free keep).
  // Spaces of 1e38 mappings or more, whose ids would not fit in 128 bits,
  // give the sub-indices as text instead: "f<fact>/p<perm>/y<y_mask>/k<keep>",
  // each list '.'-separated (per dimension; per level; per level).
  std::string IdText(const Choice& c) const;
  // The inverse of IdText: sets `c` to the choice whose IdText is `id` and
  // returns true. Returns false (c unchanged) when `id` is not a mapping id
  // of this space: not decimal digits only (no sign, space or exponent),
  // not below the space's size, or, for spaces with text ids, not of that
  // form or with a sub-index out of range. Leading zeros are accepted.
  bool ParseId(const std::string& id, Choice& c) const;

  // True when the mapping breaks a constraint not enforced by construction
  // (minimum spatial utilization). Thread-safe; allocates nothing.
  bool ViolatesUtilization(const spec::Mapping& m) const;

  static uint64_t Factorial(size_t n);

 private:
  struct LevelSpace;
  // Number of y_mask values of a level.
  uint64_t SpatialRadix(const LevelSpace& ls) const;
  // Neighbor's moves; the r* are uniform draws used to pick among options.
  bool MoveFactor(int dim, uint64_t r_from, uint64_t r_prime, uint64_t r_to, Choice& c) const;
  bool SwapLoops(int level, uint64_t r_a, uint64_t r_b, Choice& c) const;
  // Index of factorization `f` (one factor per slot) of `dim`, or -1.
  int64_t FindFactorization(int dim, const int64_t* f) const;
  // X and Y spatial products of level l under choice c (as Decode places them).
  void SpatialXY(const Choice& c, int l, int64_t& x, int64_t& y) const;
  // Buffers: false when a level overflows with the tiles it keeps (`keep`
  // per level and data space).
  bool BuffersFit(const Choice& c, bool fixed_keeps_only) const;
  // Reuse equivalence: the Lehmer codes (over the level's floating dims)
  // of one order per class, for the loops of c's factorization at `level`,
  // in increasing order. Cached; thread-safe.
  std::shared_ptr<const std::vector<uint32_t>> OrderClasses(const Choice& c, int level) const;
  // What the classes of `level` depend on under c: looping dims (low 32
  // bits) and the tensors treated as simple there (high 32 bits).
  uint64_t LoopingMask(const Choice& c, int level) const;
  // The class key of temporal order `perm_code` at `level` (see top).
  std::vector<uint32_t> ReuseKey(int level, uint64_t mask, uint32_t perm_code) const;

  struct Slot {
    int level;
    bool spatial;
  };
  struct LevelSpace {
    std::vector<int> inner, floating, outer;  // temporal order parts
    bool has_fanout = false;
    bool xy_fixed = false;                    // membership fixed (or 1-D fan-out)
    std::vector<int> fixed_spatial_order;     // when xy_fixed
    int fixed_split = 0;
    std::vector<int> free_spatial;            // dims whose X/Y is free
    // The order is given but not the split (a 2-D fan-out): y_mask holds
    // the split, in [0, num_dims].
    bool free_split = false;
    std::array<int, kMaxDataSpaces> keep_bit{};  // -1 fixed; else index into free_keep_
    std::array<bool, kMaxDataSpaces> fixed_keep{};
    double min_utilization = 0;
    int64_t fanout = 1;
    std::vector<bool> no_link_transfer;  // per data space; empty = links allowed
  };

  int num_dims_ = 0;
  int num_levels_ = 0;
  int num_ds_ = 0;
  std::vector<Slot> slots_;
  std::array<std::array<int, kMaxLevels>, 2> slot_of_{};  // [spatial][level] -> slot or -1
  std::vector<std::vector<int64_t>> facts_;  // per dim, flattened factorizations
  std::array<uint32_t, kMaxDims> fact_count_{};
  std::vector<LevelSpace> levels_;
  std::vector<std::pair<int, int>> free_keep_;  // (level, data space)
  bool id_fits_ = true;  // the id space is below 2^127: ids are numbers
  // Valid-first checks.
  dense::ProjectionTable projection_;
  dense::FanoutLimits fan_;
  std::array<int64_t, kMaxLevels> capacity_words_{};  // -1: not checked
  std::array<std::array<bool, kMaxDataSpaces>, kMaxLevels> compressed_{};
  bool reuse_equivalence_ = true;
  std::array<uint32_t, kMaxDataSpaces> relevant_mask_{};  // dims that move each tensor
  std::array<uint32_t, kMaxDataSpaces> plain_mask_{};     // ... alone in each of their ranks
  mutable std::mutex classes_mutex_;
  mutable std::map<std::pair<uint64_t, uint64_t>, std::shared_ptr<const std::vector<uint32_t>>> classes_;
};

}  // namespace sieve::search
