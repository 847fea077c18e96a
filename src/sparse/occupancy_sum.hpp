// The format analysis' sum over a tile's occupancies (paper Sec 5.3.3):
// the expected units per rank of a compressed tile, each occupancy k
// weighted by its probability, each rank's units at k from the emptiness
// of its fibers' and coordinates' sub-tiles given k. The rank geometry it
// reads (Ranks) is built by format_exact.cpp. Private to the sparse step.
//
// Thread safety: an OccupancySum is per-caller state; the pdf memos it
// reads are per thread.
#pragma once

#include <algorithm>
#include <array>

#include "sieve/limits.hpp"
#include "sieve/sparse/format_model.hpp"
#include "sieve/sparse/sparse_design.hpp"
#include "sieve/sparse/sparse_traffic.hpp"
#include "sparse/density_models.hpp"
#include "sparse/large_empty.hpp"

namespace sieve::sparse {

// A compressed tile's ranks, top first, as format_exact.cpp's BuildRanks
// assigns them: each rank's fiber shape and tile.
struct RankGeom {
  double fiber;
  double tile;   // points of the rank's tile (its first loop inward)
  int through;   // that tile is the box of full loops [0, through]; -1: one point
};

struct Ranks {
  int n = 0;
  std::array<RankGeom, kMaxRanks> r;
  double elem = 1;  // points of an element below the innermost rank (always 1)
  bool too_few = false;  // loops left over, or a child with more ranks
};

// The sub-tiles whose emptiness the ranks' units read, each distinct size
// once: rank j reads positions j and j + 1 (0 the level's tile, 0 < j <
// ranks.n rank j's tile, ranks.n an element), except a rank of one-point
// fibers below the top, which holds nothing. Ranks often share a tile size
// (a flattened rank, an f = 1 rank above the mapped ones), and every
// position but the ends is read by two ranks, so a sum over a window of
// occupancies asks each distinct sub-tile once per occupancy.
struct SubTiles {
  int num = 0;                             // distinct sizes
  std::array<double, kMaxRanks + 1> points{};
  std::array<int, kMaxRanks + 1> of{};     // position -> index into points; -1 unread
};

SubTiles SubTilesOf(const ResolvedFormat& format, const Ranks& ranks, double size);

// Occupancies are taken kChunk at a time: each sub-tile's emptiness, then
// each rank's units, as a row over the chunk, so a rank's format model is
// called once per chunk rather than once per occupancy.
inline constexpr int kChunk = 64;
using EmptyRows = std::array<std::array<double, kChunk>, kMaxRanks + 1>;  // [sub-tile][occupancy]
struct UnitRows {                                                          // [rank][occupancy]
  std::array<std::array<double, kChunk>, kMaxRanks> metadata;
  std::array<std::array<double, kChunk>, kMaxRanks> payload;
};

// Units per rank at `count` occupancies, position j's emptiness at
// occupancy i being empty[tiles.of[j]][i]; only [0, count) of each row is
// read or written.
void UnitsRows(const ResolvedFormat& format, const Ranks& ranks, const SubTiles& tiles,
               const EmptyRows& empty, int count, UnitRows& units);

// Each rank's units at the first occupancy of `rows`.
void FirstOccupancy(const UnitRows& rows, const ResolvedFormat& format,
                    std::array<RankUnits, kMaxRanks>& units);

// Units per rank at one occupancy whose emptiness by rank position is
// empty_at(j) (j = 0 .. ranks.n).
template <typename EmptyFn>
void UnitsWith(const ResolvedFormat& format, const Ranks& ranks, EmptyFn&& empty_at,
               std::array<RankUnits, kMaxRanks>& units) {
  SubTiles each;  // every position its own row
  EmptyRows empty;
  for (int j = 0; j <= ranks.n && j <= kMaxRanks; ++j) {
    each.of[j] = j;
    empty[j][0] = empty_at(j);
  }
  each.num = std::min(ranks.n, kMaxRanks) + 1;
  UnitRows rows;
  UnitsRows(format, ranks, each, empty, 1, rows);
  FirstOccupancy(rows, format, units);
}

// The expected units per rank of a tile of `size` points over its
// occupancies k at weights p (paper Sec 5.3.3), summed in the order Add()
// is called, which the bits depend on: ascending k for the exact law, as
// the reference sums; from the mode outwards for a large tensor's weights.
class OccupancySum {
 public:
  OccupancySum(const ResolvedFormat& format, const Ranks& ranks, const OccupancyLaw& law,
               double size)
      : format_(format), ranks_(ranks), law_(law), size_(size), large_(size),
        tiles_(SubTilesOf(format, ranks, size)) {}

  void Add(double k, double p) {
    if (p == 0) return;
    k_[n_] = k;
    p_[n_] = p;
    if (++n_ == kChunk) Flush();
  }

  // Sums what Add() has buffered; call before reading the sums.
  void Flush();

  // Units per rank at occupancy k alone (after the sum: its sub-tile terms
  // continue from the sum's last occupancy).
  void UnitsAt(double k, std::array<RankUnits, kMaxRanks>& units);

  std::array<RankPair, kMaxRanks> expected{};
  double expected_k = 0;
  double weight_sum = 0;

 private:
  // Each sub-tile's emptiness at k_[0, count), one sub-tile at a time: a
  // LargeEmptyTerms steps each sub-tile's term from its previous occupancy,
  // which is the same one whichever sub-tile goes first.
  void Rows(int count, UnitRows& rows);

  const ResolvedFormat& format_;
  const Ranks& ranks_;
  const OccupancyLaw& law_;
  double size_;
  LargeEmptyTerms large_;
  SubTiles tiles_;
  int n_ = 0;
  std::array<double, kChunk> k_;
  std::array<double, kChunk> p_;
};

}  // namespace sieve::sparse
