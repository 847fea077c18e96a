// Architecture: a linear chain of storage levels above an arithmetic level,
// flattened from Timeloop's subtree/local hierarchy (v0.3 or lowered v0.4).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "sieve/spec/error.hpp"

namespace sieve::spec {

struct StorageLevel {
  std::string name;       // short name, e.g. "GlobalBuffer" (no [..] range)
  std::string path_name;  // dotted hierarchical name as written, for messages
  std::string cls;        // class (or v0.3 subclass), e.g. "smartbuffer_SRAM"
  bool is_dram = false;
  bool is_dummy = false;  // dummy_storage: carries spatial fan-out only

  // Capacity. depth is in blocks; nullopt = unbounded (DRAM or unspecified).
  std::optional<int64_t> depth;
  int64_t width_bits = 0;  // 0 = unspecified
  int word_bits = 16;
  int64_t block_size = 1;  // words per vector access (derived if absent)
  int cluster_size = 1;

  int64_t instances = 1;
  int64_t mesh_x = 1;
  int64_t mesh_y = 1;

  // Bandwidths in words per cycle per instance; nullopt = unlimited.
  std::optional<double> read_bw_words_per_cycle;
  std::optional<double> write_bw_words_per_cycle;
  std::optional<double> shared_bw_words_per_cycle;

  double multiple_buffering = 1.0;
  double min_utilization = 0.0;
  bool allow_overbooking = false;

  // Metadata storage (for the sparse step), nullopt when not given.
  std::optional<int> metadata_word_bits;
  std::optional<int64_t> metadata_storage_width_bits;
  std::optional<int64_t> metadata_storage_depth;
  std::optional<int64_t> metadata_block_size;
  std::optional<int> metadata_counter_width;
  bool compression_supported = false;
  bool decompression_supported = false;
  bool tile_partition_supported = false;  // may split a compressed tile at run time

  std::map<std::string, std::string> extra;  // other attributes, raw text
  // Every attribute, own and inherited from enclosing containers (own
  // wins), as text (expressions already evaluated); the energy estimator
  // reads class parameters such as technology, n_banks, n_rw_ports here.
  std::map<std::string, std::string> attributes;
  SourceLoc loc;

  // Words this level can hold per instance for the capacity check, or
  // nullopt when unbounded: floor(depth * block_size / multiple_buffering).
  std::optional<int64_t> CapacityWords() const;
};

struct ComputeLevel {
  std::string name;
  std::string path_name;
  std::string cls;
  int64_t instances = 1;
  int64_t mesh_x = 1;
  int64_t mesh_y = 1;
  int word_bits = 16;
  std::map<std::string, std::string> attributes;  // as StorageLevel::attributes
  SourceLoc loc;
};

struct Arch {
  std::vector<StorageLevel> levels;  // index 0 = innermost (next to compute)
  ComputeLevel compute;

  int LevelIndex(const std::string& name) const;  // -1 if absent
};

}  // namespace sieve::spec
