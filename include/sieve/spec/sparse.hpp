// Sparse acceleration features (Timeloop sparse_optimizations), parsed and
// kept as plain data. Enumerated values are normalised to underscores.
#pragma once

#include <string>
#include <vector>

#include "sieve/spec/error.hpp"

namespace sieve::spec {

struct RankFormat {
  std::string format;  // "B", "CP", "UOP", "RLE", "UB" (upper case)
  std::vector<std::vector<std::string>> flattened_rank_ids;  // dim names
  int payload_word_bits = -1;   // -1 = unset
  int metadata_word_bits = -1;  // -1 = unset
  SourceLoc loc;
};

struct DataSpaceFormat {
  std::string data_space;
  std::vector<RankFormat> ranks;  // top rank first
  std::string rank_application_order;  // "" (outer_to_inner) or "inner_to_outer"
  SourceLoc loc;
};

struct ActionOptimization {
  std::string type;  // "gating", "skipping", "skipping_spatial"
  std::string target;
  std::vector<std::string> condition_on;
  SourceLoc loc;
};

struct ComputeOptimization {
  std::string type;  // "gating", "skipping"
  SourceLoc loc;
};

struct SparseTarget {
  std::string level;  // storage or compute level name
  std::vector<DataSpaceFormat> formats;
  std::vector<ActionOptimization> actions;
  std::vector<ComputeOptimization> compute;
  SourceLoc loc;
};

struct SparseOptimizations {
  std::vector<SparseTarget> targets;
  bool empty() const { return targets.empty(); }
};

}  // namespace sieve::spec
