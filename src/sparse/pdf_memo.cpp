// The per-thread memos of Boost.Math's hypergeometric pdf (pdf_memo.hpp):
// one of single values, one of rows (sub-tile emptiness along the tile's
// occupancy, a tile's occupancy law), each row stepped from one Boost value
// per 64 (RowMemo). Boost's exact method costs tens of thousands of
// instructions per call (its prime-power product, for populations past its
// long double factorial table) and a format analysis asks for the same
// values over and over (paper Sec 5.3.3: every rank's emptiness at every
// occupancy of the tile), within an evaluation and across the mappings of a
// search. Every value is a function of its arguments alone, so results do
// not depend on what a memo holds. Per thread, so evaluations on different
// threads never share or lock them.
//
// Boost 1.74 builds its factorial and prime tables as function-local constexpr
// arrays, which GCC materialises on the stack on every call: a pdf near N = 4096
// copied ~20 kB per prime, >90% of a sparse evaluation. Switching this one
// translation unit (the only user of Boost.Math) to Boost's static-table variant
// keeps the same tables and arithmetic, so the values are bit-identical.
#include <boost/math/tools/config.hpp>
#undef BOOST_MATH_HAVE_CONSTEXPR_TABLES
#undef BOOST_MATH_CONSTEXPR_TABLE_FUNCTION
#define BOOST_MATH_CONSTEXPR_TABLE_FUNCTION
#include <boost/math/distributions/hypergeometric.hpp>
#include <algorithm>
#include <array>
#include <cstdint>
#include <vector>

#include "sieve/sparse/pdf_memo.hpp"
#include "sparse/density_models.hpp"

namespace sieve::sparse {
namespace {

// A full 64-bit avalanche (the MurmurHash3 finaliser): a bare multiply
// keeps only the low bits of each field in the top bits of the product, so
// neighbouring arguments would crowd onto a few slots.
uint64_t Mix(uint64_t x) {
  x ^= x >> 33;
  x *= 0xFF51AFD7ED558CCDULL;
  x ^= x >> 33;
  x *= 0xC4CEB9FE1A85EC53ULL;
  x ^= x >> 33;
  return x;
}

double BoostPdf(unsigned r, unsigned n, unsigned total, unsigned k) {
  const boost::math::hypergeometric_distribution<double> dist(r, n, total);
  return boost::math::pdf(dist, k);
}

// The hash table under both memos: open addressing over a short probe
// window, keys mixed, and a generation in a key's top bits so that Clear()
// forgets everything without touching the table (it is left as it is, so
// clearing evicts nothing from the processor's caches); only when the
// generations run out is it wiped. A Slot has a `uint64_t key`, all ones
// when empty (a generation that is never live).
template <typename Slot, int kBits, size_t kProbes, int kGenerationShift>
class ProbedTable {
 public:
  // The slot of `fields` (< 2^kGenerationShift) in this generation; `fresh`
  // when it was not there (the slot is then the caller's to fill).
  Slot& Find(uint64_t fields, bool& fresh) {
    const uint64_t key = (generation_ << kGenerationShift) | fields;
    const uint64_t h = Mix(key);
    const size_t home = h >> (64 - kBits);
    fresh = true;
    for (size_t i = 0; i < kProbes; ++i) {
      Slot& s = slots_[(home + i) & kMask];
      if (s.key == key) {
        fresh = false;
        return s;
      }
      // An empty slot, or one left by an earlier generation, is free.
      if ((s.key >> kGenerationShift) != generation_) return Claim(s, key);
    }
    // Window full: replace one of its slots, picked by unused hash bits.
    return Claim(slots_[(home + (h & (kProbes - 1))) & kMask], key);
  }

  void Clear() {
    if (++generation_ == kEmptyGeneration) {
      std::fill(slots_.begin(), slots_.end(), Slot{});
      generation_ = 0;
    }
  }

 private:
  static_assert((kProbes & (kProbes - 1)) == 0, "kProbes is a power of two");
  static Slot& Claim(Slot& s, uint64_t key) {
    s.key = key;
    return s;
  }
  static constexpr size_t kMask = (size_t{1} << kBits) - 1;
  static constexpr uint64_t kEmptyGeneration = (uint64_t{1} << (64 - kGenerationShift)) - 1;
  uint64_t generation_ = 0;
  std::vector<Slot> slots_ = std::vector<Slot>(size_t{1} << kBits);
};

// The memo of single values, keyed by all four arguments.
//
// Sized for a search rather than one evaluation: a search's mappings bring
// new tile sizes, hence new keys. Before the sub-tile rows had their own
// memo this one held them too and needed 2^19 entries (with 2^16 a
// 2000-mapping SCNN-like search of one layer ran 1.6x slower); without them
// 2^17 runs a 3-layer SCNN-like search as fast as 2^19.
//
// Open addressing over a short probe window: with a few thousand live keys a
// direct-mapped table still pairs up ~50 of them on one slot (the birthday
// bound), and each such pair costs two cold pdfs on every evaluation. A key
// is only evicted when its whole window is taken.
class PdfMemo {
 public:
  // Each argument takes kFieldBits bits of the key.
  static constexpr int kFieldBits = 13;
  static constexpr unsigned kMaxArgument = (1u << kFieldBits) - 1;

  double Get(unsigned r, unsigned n, unsigned total, unsigned k) {
    const uint64_t fields = (uint64_t{r} << (3 * kFieldBits)) | (uint64_t{n} << (2 * kFieldBits)) |
                            (uint64_t{total} << kFieldBits) | k;
    bool fresh = false;
    Entry& e = table_.Find(fields, fresh);
    if (fresh) e.value = BoostPdf(r, n, total, k);
    return e.value;
  }

  void Clear() { table_.Clear(); }

 private:
  struct Entry {
    uint64_t key = ~uint64_t{0};
    double value = 0;
  };
  // 131072 entries (2 MB per thread), probed 8 at a time.
  ProbedTable<Entry, 17, 8, 4 * kFieldBits> table_;
};

// The memo of rows of the pdf, of two kinds, both asked for along a window
// of a format analysis' occupancy sum (paper Sec 5.3.3):
//  - emptiness rows: P(a sub-tile of n points empty | r nonzeros in its
//    tile of `total`) = pdf(r, n, total, 0) along r, for each sub-tile n;
//  - occupancy rows: pdf(r, n, total, k) along k, a tile's occupancy law.
// A block holds 64 consecutive values of one row and is filled whole on its
// first use: the value at the block's first valid argument in long double,
// then the exact ratio to the next value in long double up the block, each
// value rounded to double. Emptiness rows step by
//   P(r + 1) / P(r) = (total - r - n) / (total - r)
// from, when it has at most 64 terms, the product P = prod_{i<m} (total - t
// - i) / (total - i), m = min(n, r), t = max(n, r), else Boost's pdf;
// occupancy rows by
//   P(k + 1) / P(k) = (r - k)(n - k) / ((k + 1)(total - r - n + k + 1))
// from Boost's pdf. At most one Boost call per block instead of one per
// value is what makes a search's fresh tile sizes affordable (Boost's
// prime-power method, past 1754 points, costs ~40 k instructions a call).
// The few hundred long double roundings keep every value within an ulp of
// Boost's own: of 19176 emptiness values anchored on Boost (tiles of 1755
// to 4096 points) 34 differed, of 187603 anchored on the product (sub-tiles
// of up to 64 points) 301, of 103920 occupancy values 238, each by one ulp.
// A value depends only on its row and argument, never on what the memo
// held or the order of requests, since a block's anchor is its first
// argument. Blocks are placed in a ProbedTable, like PdfMemo's entries.
class RowMemo {
 public:
  static constexpr int kBlockBits = 6;  // 64 values per block
  static constexpr unsigned kFieldBits = 13;
  enum Kind : uint64_t { kEmpty = 0, kOccupancy = 1 };

  // Emptiness at r[i]: 0 when n + r[i] > total, 1 when r[i] = 0.
  // REQUIRES: n, total, r[i] <= kBoostPdfMaxPoints.
  void Empty(unsigned n, unsigned total, const double* r, int count, double* out) {
    Walk walk{&table_, Fields(kEmpty, 0, n, total), Row{kEmpty, 0, n, total}};
    GuardedEmptyRow(n, total, r, count, out,
                    [&](double ri) { return walk.At(static_cast<unsigned>(ri)); });
  }

  // pdf(r, n, total, k[i]). REQUIRES: r, n <= total <= kBoostPdfMaxPoints,
  // k[i] within the support [max(0, n + r - total), min(n, r)].
  void Occupancy(unsigned r, unsigned n, unsigned total, const double* k, int count,
                 double* out) {
    Walk walk{&table_, Fields(kOccupancy, r, n, total), Row{kOccupancy, r, n, total}};
    for (int i = 0; i < count; ++i) out[i] = walk.At(static_cast<unsigned>(k[i]));
  }

  void Clear() { table_.Clear(); }

 private:
  struct Row {
    Kind kind;
    unsigned r, n, total;  // r unused by emptiness rows (their argument)
  };
  struct Block {
    uint64_t key = ~uint64_t{0};
    std::array<double, 1 << kBlockBits> value{};  // the block's valid arguments
  };
  // 16384 blocks (8.4 MB per thread): room for 2^20 values, the element
  // memo's former size (a window is contiguous, so blocks are full). Keys:
  // kind, r, n, total (13 bits each), block (7 bits), then the generation.
  using Table = ProbedTable<Block, 14, 4, 3 * kFieldBits + 8>;

  // Along one row: the block of the last argument is kept.
  struct Walk {
    Table* table;
    uint64_t prefix;
    Row row;
    Block* block = nullptr;
    unsigned current = ~0u;
    double At(unsigned x) {
      if ((x >> kBlockBits) != current) {
        current = x >> kBlockBits;
        bool fresh = false;
        block = &table->Find(prefix | current, fresh);
        if (fresh) Fill(*block, row, current);
      }
      return block->value[x & ((1u << kBlockBits) - 1)];
    }
  };

  static uint64_t Fields(Kind kind, unsigned r, unsigned n, unsigned total) {
    return (uint64_t{kind} << (3 * kFieldBits + 7)) | (uint64_t{r} << (2 * kFieldBits + 7)) |
           (uint64_t{n} << (kFieldBits + 7)) | (uint64_t{total} << 7);
  }

  static void Fill(Block& b, const Row& row, unsigned index) {
    const unsigned r = row.r, n = row.n, total = row.total;
    unsigned first = index << kBlockBits, end = (index + 1) << kBlockBits;
    long double p = 1;
    auto boost_at = [&](unsigned rr, unsigned k) {
      const boost::math::hypergeometric_distribution<long double> dist(rr, n, total);
      return boost::math::pdf(dist, k);
    };
    if (row.kind == kEmpty) {
      first = std::max(1u, first);
      end = std::min(end, total - n + 1);
      const unsigned m = std::min(n, first), t = std::max(n, first);
      if (m <= (1u << kBlockBits)) {
        for (unsigned i = 0; i < m; ++i) {
          p *= static_cast<long double>(total - t - i) / static_cast<long double>(total - i);
        }
      } else {
        p = boost_at(first, 0);
      }
      for (unsigned x = first; x < end; ++x) {
        b.value[x & ((1u << kBlockBits) - 1)] = static_cast<double>(p);
        p *= static_cast<long double>(total - x - n) / static_cast<long double>(total - x);
      }
    } else {
      first = std::max(first, n + r > total ? n + r - total : 0);
      end = std::min(end, std::min(n, r) + 1);
      p = boost_at(r, first);
      for (unsigned x = first; x < end; ++x) {
        b.value[x & ((1u << kBlockBits) - 1)] = static_cast<double>(p);
        p *= static_cast<long double>(r - x) * static_cast<long double>(n - x) /
             (static_cast<long double>(x + 1) * static_cast<long double>(total - r - n + x + 1));
      }
    }
  }

  Table table_;
};

PdfMemo& ThreadMemo() {
  thread_local PdfMemo memo;
  return memo;
}

RowMemo& ThreadRowMemo() {
  thread_local RowMemo memo;
  return memo;
}

}  // namespace

void ClearPdfMemo() {
  ThreadMemo().Clear();
  ThreadRowMemo().Clear();
}

double HypergeometricPdf(double r, double n, double total, double k) {
  // The format analysis only asks for tensors of at most kBoostPdfMaxPoints
  // points, whose arguments fit the memo's key fields.
  static_assert(kBoostPdfMaxPoints <= PdfMemo::kMaxArgument);
  const auto ur = static_cast<unsigned>(r), un = static_cast<unsigned>(n),
             ut = static_cast<unsigned>(total), uk = static_cast<unsigned>(k);
  if (ut > PdfMemo::kMaxArgument) return BoostPdf(ur, un, ut, uk);
  return ThreadMemo().Get(ur, un, ut, uk);
}

void HypergeometricEmptyRow(double n, double total, const double* r, int count, double* out) {
  static_assert(kBoostPdfMaxPoints < (1u << RowMemo::kFieldBits));
  ThreadRowMemo().Empty(static_cast<unsigned>(n), static_cast<unsigned>(total), r, count, out);
}

void HypergeometricPdfRow(double r, double n, double total, const double* k, int count,
                          double* out) {
  ThreadRowMemo().Occupancy(static_cast<unsigned>(r), static_cast<unsigned>(n),
                            static_cast<unsigned>(total), k, count, out);
}

}  // namespace sieve::sparse
