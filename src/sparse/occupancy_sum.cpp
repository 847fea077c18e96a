// The occupancy sum of the format analysis (occupancy_sum.hpp).
#include "sparse/occupancy_sum.hpp"

#include <algorithm>
#include <cmath>

namespace sieve::sparse {
namespace {

// P(a sub-tile of s points is empty | the tile of `size` points holds k),
// at each k[i] of a row of occupancies; `large` (for this `size`) keeps the
// large-tensor form's terms, stepped from one occupancy to the next.
void EmptyGivenRow(const OccupancyLaw& law, double s, double size, const double* k, int count,
                   LargeEmptyTerms& large, double* out) {
  if (law.kind == OccupancyLaw::Kind::kFixed) {
    for (int i = 0; i < count; ++i) {
      const double e = s * (k[i] / size);
      const double fl = std::floor(e);
      const double frac = e - fl;
      out[i] = fl == 0 ? 1 - frac : (std::ceil(e) == 0 ? frac : 0);
    }
    return;
  }
  if (size <= kBoostPdfMaxPoints) {
    HypergeometricEmptyRow(s, size, k, count, out);
    return;
  }
  // The sub-tile's terms are set up on its first use: a sub-tile that never
  // gets past the two guards (the tile itself, s = size) costs no lgamma.
  constexpr int kUnset = -2;
  int sub = kUnset;
  GuardedEmptyRow(s, size, k, count, out, [&](double ki) {
    if (sub == kUnset) sub = large.SubTile(s);
    return large.EmptyAt(sub, s, ki);
  });
}

}  // namespace

SubTiles SubTilesOf(const ResolvedFormat& format, const Ranks& ranks, double size) {
  SubTiles t;
  t.of.fill(-1);
  const int n = std::min<int>(ranks.n, static_cast<int>(format.ranks.size()));
  for (int j = 0; j < n; ++j) {
    if (ranks.r[j].fiber == 1 && j > 0) continue;
    for (int pos : {j, j + 1}) {
      if (t.of[pos] >= 0) continue;
      const double points = pos == 0 ? size : (pos < ranks.n ? ranks.r[pos].tile : ranks.elem);
      int i = 0;
      while (i < t.num && t.points[i] != points) ++i;
      if (i == t.num) t.points[t.num++] = points;
      t.of[pos] = i;
    }
  }
  return t;
}

// Units per rank at `count` occupancies, position j's emptiness at
// occupancy i being empty[tiles.of[j]][i]; only [0, count) of each row is
// read or written.
void UnitsRows(const ResolvedFormat& format, const Ranks& ranks, const SubTiles& tiles,
               const EmptyRows& empty, int count, UnitRows& units) {
  const int num_ranks = static_cast<int>(format.ranks.size());
  const int n = std::min(ranks.n, num_ranks);
  double fibers = 1;
  for (int j = 0; j < num_ranks; ++j) {
    const double f = j < n ? ranks.r[j].fiber : 1;
    if (j >= n || (f == 1 && j > 0)) {
      std::fill_n(units.metadata[j].begin(), count, 0.0);
      std::fill_n(units.payload[j].begin(), count, 0.0);
    } else {
      RankContext c;
      c.fibers = fibers;
      c.fiber_shape = f;
      c.innermost = false;
      format.ranks[j].model->UnitsRow(c, empty[tiles.of[j]].data(), empty[tiles.of[j + 1]].data(),
                                      count, units.metadata[j].data(), units.payload[j].data());
    }
    fibers *= f;
  }
  // The payload is the data at the innermost rank that holds anything at
  // this occupancy (an uncompressed rank above empty ones, when k = 0).
  for (int i = 0; i < count; ++i) {
    for (int j = n - 1; j >= 0; --j) {
      if (units.metadata[j][i] != 0 || units.payload[j][i] != 0) {
        units.payload[j][i] = 0;
        break;
      }
    }
  }
}

// Each rank's units at the first occupancy of `rows`.
void FirstOccupancy(const UnitRows& rows, const ResolvedFormat& format,
                    std::array<RankUnits, kMaxRanks>& units) {
  for (size_t j = 0; j < format.ranks.size(); ++j) units[j] = {rows.metadata[j][0], rows.payload[j][0]};
}

void OccupancySum::Flush() {
  if (n_ == 0) return;
  UnitRows rows;
  Rows(n_, rows);
  const int num_ranks = static_cast<int>(format_.ranks.size());
  for (int i = 0; i < n_; ++i) {
    weight_sum += p_[i];
    expected_k += p_[i] * k_[i];
  }
  for (int j = 0; j < num_ranks; ++j) {
    for (int i = 0; i < n_; ++i) {
      expected[j].metadata += rows.metadata[j][i] * p_[i];
      expected[j].payload += rows.payload[j][i] * p_[i];
    }
  }
  n_ = 0;
}

void OccupancySum::UnitsAt(double k, std::array<RankUnits, kMaxRanks>& units) {
  Flush();
  k_[0] = k;
  UnitRows rows;
  Rows(1, rows);
  FirstOccupancy(rows, format_, units);
}

void OccupancySum::Rows(int count, UnitRows& rows) {
  EmptyRows empty;
  for (int t = 0; t < tiles_.num; ++t) {
    EmptyGivenRow(law_, tiles_.points[t], size_, k_.data(), count, large_, empty[t].data());
  }
  UnitsRows(format_, ranks_, tiles_, empty, count, rows);
}

}  // namespace sieve::sparse
