// The per-thread memos of the hypergeometric pdf (pdf_memo.cpp): values by
// hand, and no value depends on what a memo held, on clearing it or on the
// thread that asks; rows of sub-tile emptiness equal the single values.
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
// total). On a large tile the row equals HypergeometricPdf at each r to the
// last bit, across block boundaries (64 values per block), in any order,
// with gaps, after other rows flood the memo and after clearing it.
TEST(HypergeometricEmptyRow, ByHandAndEqualToSingleValues) {
  const double r_small[] = {0, 1, 2, 3, 4};
  double small[5];
  HypergeometricEmptyRow(2, 4, r_small, 5, small);
  EXPECT_EQ(small[0], 1.0);
  EXPECT_NEAR(small[1], 3.0 / 6, 1e-15);
  EXPECT_NEAR(small[2], 1.0 / 6, 1e-15);
  EXPECT_EQ(small[3], 0.0);
  EXPECT_EQ(small[4], 0.0);

  // r from 1900 up to 2100 (four blocks), then back down with gaps.
  std::vector<double> r;
  for (int k = 1900; k <= 2100; ++k) r.push_back(k);
  for (int k = 2100; k >= 1900; k -= 7) r.push_back(k);
  const double n = 3, total = 3584;
  auto check_n = [&](double sub, const char* when) {
    std::vector<double> row(r.size());
    HypergeometricEmptyRow(sub, total, r.data(), static_cast<int>(r.size()), row.data());
    for (size_t i = 0; i < r.size(); ++i) {
      ASSERT_EQ(row[i], HypergeometricPdf(r[i], sub, total, 0))
          << when << " n = " << sub << " r = " << r[i];
    }
  };
  auto check = [&](const char* when) { check_n(n, when); };
  check("cold");
  check("warm");
  check_n(5, "another sub-tile of the same tile");
  check("after another sub-tile");
  for (int s = 1; s <= 200; ++s) {  // other sub-tiles of other tiles
    std::vector<double> other(64);
    for (int i = 0; i < 64; ++i) other[i] = 1000 + i;
    std::vector<double> out(64);
    HypergeometricEmptyRow(s, 4000 - s, other.data(), 64, out.data());
  }
  check("after a flood");
  ClearPdfMemo();
  check("after clearing");
  double on_thread = 0;
  const double here = HypergeometricPdf(2000, n, total, 0);
  std::thread t([&] { HypergeometricEmptyRow(n, total, &r[100], 1, &on_thread); });
  t.join();
  EXPECT_EQ(r[100], 2000);
  EXPECT_EQ(on_thread, here);
}

}  // namespace
}  // namespace sieve::sparse
