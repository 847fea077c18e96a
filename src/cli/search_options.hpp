// Options of `sieve search` and how a Timeloop `mapper` block fills the
// ones the command line leaves unset.
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
  uint32_t chunk_size = 256;
  uint32_t orders_per_factorization = 16;
  bool quiet = false;
  std::string halo_rule = "2025";
  std::string energy_table;  // --energy-table FILE ("" = $SIEVE_ENERGY_TABLE or built-in)
};

// Fills unset options from the mapper block; returns warnings for settings
// whose meaning differs from Timeloop's.
std::vector<std::string> ApplyMapperDefaults(const spec::MapperSpec& mapper,
                                             SearchCliOptions& opt);

}  // namespace sieve::cli
