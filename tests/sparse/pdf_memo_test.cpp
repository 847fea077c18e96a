// The per-thread memos of the hypergeometric pdf (pdf_memo.cpp): values by
// hand, and no value depends on what a memo held, on clearing it or on the
// thread that asks; rows of sub-tile emptiness and of occupancy within an
// ulp of the single values.
#include "sieve/sparse/pdf_memo.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <thread>
#include <vector>

#include "sparse/density_models.hpp"

namespace sieve::sparse {
namespace {

// HypergeometricPdf is memoised per thread; a value must not depend on what
// the memo held. By hand: 4 points, 2 nonzeros, a sample of 2 holds k of
// them with C(2,k) C(2,2-k) / C(4,2) = 1/6, 4/6, 1/6. Asked again after a
// flood of other arguments (which evicts and refills the table), and on
// other threads, the values are the same to the last bit.
TEST(HypergeometricPdf, ByHandAndIndependentOfTheMemo) {
  const double by_hand[] = {1.0 / 6, 4.0 / 6, 1.0 / 6};
  double first[3];
  for (int k = 0; k < 3; ++k) {
    first[k] = HypergeometricPdf(2, 2, 4, k);
    EXPECT_NEAR(first[k], by_hand[k], 1e-15) << k;
  }
  double flood = 0;
  for (int total = 64; total <= 4096; total += 64) {
    for (int k = std::max(0, 80 - total); k <= 40; ++k) flood += HypergeometricPdf(40, 40, total, k);
  }
  EXPECT_GT(flood, 0);
  for (int k = 0; k < 3; ++k) EXPECT_EQ(HypergeometricPdf(2, 2, 4, k), first[k]) << k;
  // Sum over the support of a larger case is 1.
  double sum = 0;
  for (int k = 0; k <= 100; ++k) sum += HypergeometricPdf(100, 300, 4000, k);
  EXPECT_NEAR(sum, 1.0, 1e-12);
  const double cold_here = HypergeometricPdf(820, 16, 4096, 3);
  double on_threads[4] = {};
  std::vector<std::thread> threads;
  for (double& v : on_threads) threads.emplace_back([&v] { v = HypergeometricPdf(820, 16, 4096, 3); });
  for (std::thread& t : threads) t.join();
  for (double v : on_threads) EXPECT_EQ(v, cold_here);
  // Clearing the memo (a new generation; past 4095 of them the table is
  // wiped) changes no value.
  for (int i = 0; i < 4100; ++i) {
    ClearPdfMemo();
    if (i % 1000 == 0 || i >= 4090) {
      for (int k = 0; k < 3; ++k) ASSERT_EQ(HypergeometricPdf(2, 2, 4, k), first[k]) << i;
      ASSERT_EQ(HypergeometricPdf(820, 16, 4096, 3), cold_here) << i;
    }
  }
}

// A row of sub-tile emptiness: P(n points empty | r nonzeros of total) =
// pdf(r, n, total, 0). By hand, total = 4, n = 2: r = 0 -> 1; r = 1 ->
// C(3,2)/C(4,2) = 3/6; r = 2 -> C(2,2)/C(4,2) = 1/6; r = 3 -> 0 (n + r >
// total).
TEST(HypergeometricEmptyRow, ByHand) {
  const double r[] = {0, 1, 2, 3, 4};
  double p[5];
  HypergeometricEmptyRow(2, 4, r, 5, p);
  EXPECT_EQ(p[0], 1.0);
  EXPECT_NEAR(p[1], 3.0 / 6, 1e-15);
  EXPECT_NEAR(p[2], 1.0 / 6, 1e-15);
  EXPECT_EQ(p[3], 0.0);
  EXPECT_EQ(p[4], 0.0);
}

// Rows are stepped from one Boost value per 64 r: every value within two
// ulps of Boost's own at that r (few differ at all), and a value depends on
// (n, total, r) alone: the same bits whether it is asked for cold or warm,
// alone or in a row, in any order, after other rows flood the memo, after
// clearing it and on another thread.
TEST(HypergeometricEmptyRow, WithinAnUlpOfBoostAndIndependentOfTheMemo) {
  // r from 1900 up to 2100 (four blocks), then back down with gaps, on a
  // tile where Boost uses its prime-power method (over 1754 points).
  std::vector<double> r;
  for (int k = 1900; k <= 2100; ++k) r.push_back(k);
  for (int k = 2100; k >= 1900; k -= 7) r.push_back(k);
  const double total = 3584;
  auto row_of = [&](double n) {
    std::vector<double> row(r.size());
    HypergeometricEmptyRow(n, total, r.data(), static_cast<int>(r.size()), row.data());
    return row;
  };
  int differ = 0, values = 0;
  for (double n : {1.0, 3.0, 40.0, 700.0}) {
    ClearPdfMemo();
    // Cold and alone first: the one value in the middle of a block.
    double alone = 0;
    HypergeometricEmptyRow(n, total, &r[130], 1, &alone);
    const std::vector<double> first = row_of(n);
    EXPECT_EQ(first[130], alone) << n;
    for (size_t i = 0; i < r.size(); ++i) {
      const double boost = HypergeometricPdf(r[i], n, total, 0);
      ASSERT_NEAR(first[i], boost, 4.5e-16 * boost) << "n = " << n << " r = " << r[i];
      differ += first[i] != boost;
      ++values;
    }
    EXPECT_EQ(row_of(n), first) << "warm, n = " << n;
    row_of(n + 1);  // another sub-tile of the same tile (the same blocks' r)
    EXPECT_EQ(row_of(n), first) << "after another sub-tile, n = " << n;
    for (int s = 1; s <= 200; ++s) {  // other sub-tiles of other tiles
      std::vector<double> other(64), out(64);
      for (int i = 0; i < 64; ++i) other[i] = 1000 + i;
      HypergeometricEmptyRow(s, 4000 - s, other.data(), 64, out.data());
    }
    EXPECT_EQ(row_of(n), first) << "after a flood, n = " << n;
    ClearPdfMemo();
    EXPECT_EQ(row_of(n), first) << "after clearing, n = " << n;
    std::vector<double> on_thread;
    std::thread t([&] { on_thread = row_of(n); });
    t.join();
    EXPECT_EQ(on_thread, first) << "on another thread, n = " << n;
  }
  EXPECT_LT(differ, values / 50) << differ << " of " << values << " differ from Boost";
}

// Occupancy rows: pdf(r, n, total, k) along k. By hand, total = 4, r = n =
// 2: 1/6, 4/6, 1/6. On a tile past Boost's factorial table (3000 points,
// r = 1500, a sample of 1200: support 0..1200, mode 600) every value is
// within two ulps of HypergeometricPdf, the row sums to 1, and a value is
// the same bits asked alone, in a row, backwards, or after clearing.
TEST(HypergeometricPdfRow, ByHandWithinAnUlpOfBoostAndIndependentOfTheMemo) {
  const double k_small[] = {0, 1, 2};
  double p_small[3];
  HypergeometricPdfRow(2, 2, 4, k_small, 3, p_small);
  EXPECT_NEAR(p_small[0], 1.0 / 6, 1e-15);
  EXPECT_NEAR(p_small[1], 4.0 / 6, 1e-15);
  EXPECT_NEAR(p_small[2], 1.0 / 6, 1e-15);

  const double r = 1500, n = 1200, total = 3000;
  std::vector<double> k;
  for (int x = 0; x <= 1200; ++x) k.push_back(x);
  ClearPdfMemo();
  double alone = 0;
  HypergeometricPdfRow(r, n, total, &k[610], 1, &alone);
  std::vector<double> row(k.size());
  HypergeometricPdfRow(r, n, total, k.data(), static_cast<int>(k.size()), row.data());
  EXPECT_EQ(row[610], alone);
  double sum = 0;
  for (size_t i = 0; i < k.size(); ++i) {
    sum += row[i];
    const double boost = HypergeometricPdf(r, n, total, k[i]);
    ASSERT_NEAR(row[i], boost, 4.5e-16 * boost + 1e-320) << "k = " << k[i];
  }
  EXPECT_NEAR(sum, 1.0, 1e-12);
  std::vector<double> back(k.rbegin(), k.rend()), row_back(k.size());
  ClearPdfMemo();
  HypergeometricPdfRow(r, n, total, back.data(), static_cast<int>(back.size()), row_back.data());
  for (size_t i = 0; i < k.size(); ++i) ASSERT_EQ(row_back[k.size() - 1 - i], row[i]) << i;
}

}  // namespace
}  // namespace sieve::sparse
