// Step 2 output (paper Sec 5.3): the dense traffic broken down into
// fine-grained actions, plus format (metadata) traffic and occupancy.
// Counts are per instance, like the dense ones; fixed-size arrays.
#pragma once

#include <array>
#include <cstdint>

#include "sieve/limits.hpp"

namespace sieve::sparse {

// The structs below are aggregates without default member initialisers, so
// the large arrays of a SparseTraffic cost nothing to create; `{}` zeroes
// one, and ResetDataSpace prepares an entry for use.
struct ActionSplit {
  double actual;
  double gated;
  double skipped;
  double Total() const { return actual + gated + skipped; }
};

// Metadata and payload units of one format rank.
struct RankPair {
  double metadata;
  double payload;
};

struct FormatTraffic {
  std::array<RankPair, kMaxRanks> actual;
  std::array<RankPair, kMaxRanks> gated;
  std::array<RankPair, kMaxRanks> skipped;
};

struct SparseDataSpace {
  ActionSplit reads;
  ActionSplit fills;
  ActionSplit updates;
  int format_ranks;  // 0 = uncompressed
  FormatTraffic format_reads;
  FormatTraffic format_fills;
  FormatTraffic format_updates;
  double occupancy_words;  // data words at the capacity confidence
  std::array<RankPair, kMaxRanks> occupancy_format;  // units per rank
  double expected_density;
  // Vector accesses per naive vector access (ceil(scalar / block size)):
  // above 1 for small compressed tiles, whose nonzeros rarely fill whole
  // vectors (see format_traffic.cpp).
  double vector_ratio;
  // An uncompressed copy next to a compressed one (de)compresses what moves
  // between them: decompression of fills from a compressed parent,
  // compression of updates to it and of reads by a compressed child.
  double decompressions;
  double compressions;
  // Fraction of the used instances that hold a nonempty tile. Below a
  // parent with metadata, empty tiles are never sent, so those instances
  // idle: per-instance counts above are those of a busy instance, and
  // totals (energy, scalar accesses) scale by this fraction, the
  // reference's "utilized instances (average)" over the max.
  double instance_fraction;
};

// An entry with no traffic, dense (density 1) and uncompressed. The
// per-rank arrays are left as they are: they are read only below
// format_ranks, and the format analysis writes every rank it sets up.
inline void ResetDataSpace(SparseDataSpace& sd) {
  sd.reads = {};
  sd.fills = {};
  sd.updates = {};
  sd.format_ranks = 0;
  sd.occupancy_words = 0;
  sd.expected_density = 1;
  sd.vector_ratio = 1;
  sd.decompressions = 0;
  sd.compressions = 0;
  sd.instance_fraction = 1;
}

// The level and data-space arrays are not initialised on construction:
// AnalyzeSparse resets every entry in use (a SparseTraffic is large and sits
// on the evaluator's hot path).
struct SparseLevel {
  std::array<SparseDataSpace, kMaxDataSpaces> ds;
};

struct SparseTraffic {
  bool sparse = false;  // false: every action is actual (no SAFs, no formats)
  std::array<SparseLevel, kMaxLevels> levels;
  ActionSplit computes{};
};

}  // namespace sieve::sparse
