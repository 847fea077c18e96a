// Options of `sieve search` and how a Timeloop `mapper` block fills the
// ones the command line leaves unset.
//
// Stop rules: a stop rule on the command line (--max-evaluations,
// --time-limit, --victory) replaces all of the mapper block's
// (search_size, victory_condition), so an explicit budget is never cut
// short by a victory condition from an input file. Without any on the
// command line, the mapper block's apply.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sieve/spec/constraints.hpp"

namespace sieve::cli {

struct SearchCliOptions {
  std::vector<std::string> files;
  std::string out_path;
  std::optional<int> threads;
  std::optional<uint64_t> seed;
  std::optional<std::string> strategy;
  std::optional<uint64_t> max_evaluations;
  std::optional<double> time_limit_s;
  std::optional<uint64_t> victory;
  std::optional<std::string> objectives;
  std::string checkpoint_path;
  double checkpoint_interval_s = 30;
  std::string resume_path;
  std::string shard;  // "i/N"
  uint64_t log_every = 0;
  std::optional<uint32_t> chunk_size;                // default kDefaultChunkSize
  std::optional<uint32_t> orders_per_factorization;  // default kDefaultOrdersPerFactorization
  bool quiet = false;
  std::optional<std::string> halo_rule;     // default "2025"
  std::string energy_table;  // --energy-table FILE ("" = $SIEVE_ENERGY_TABLE or built-in)
  uint64_t max_log_bytes = uint64_t{1} << 30;  // --max-log-bytes: cap of OUT.evaluations.h5
};

inline constexpr uint32_t kDefaultChunkSize = 256;
inline constexpr uint32_t kDefaultOrdersPerFactorization = 16;
// More worker threads than this is a typo, not a machine (oneTBB aborts on
// absurd counts); --threads and the mapper's num_threads are refused above it.
inline constexpr int kMaxThreads = 4096;
inline constexpr uint64_t kDefaultMaxLogBytes = uint64_t{1} << 30;  // 1 GiB

// Checks of option text, run by the command line parser before the text is
// converted: "" when fine, else why not. CLI11 alone takes "-1" for an
// unsigned option as 2^64-1 and clamps values past 2^64-1, and reads "nan"
// and "inf" as numbers.
// A decimal integer in 0..2^64-1 (digits only, no sign).
std::string CheckUnsignedText(const std::string& text);
// "--shard i/N" -> index i, count N (0 <= i < N); SpecError naming `flag`
// otherwise.
void ParseShardFlag(const std::string& text, const std::string& flag, int& index, int& count);
// Like CheckUnsignedText, and at least 1.
std::string CheckPositiveText(const std::string& text);
// A finite number of seconds, >= 0 (or > 0 unless allow_zero).
std::string CheckSecondsText(const std::string& text, bool allow_zero);

// What ApplyMapperDefaults has to say: warnings for settings whose meaning
// differs from Timeloop's, info lines for settings it did not apply.
struct MapperNotes {
  std::vector<std::string> warnings;
  std::vector<std::string> info;
};

// Fills unset options from the mapper block, under the stop-rule precedence
// above.
MapperNotes ApplyMapperDefaults(const spec::MapperSpec& mapper, SearchCliOptions& opt);

}  // namespace sieve::cli
