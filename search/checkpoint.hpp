// Checkpoints of a running search, as JSON: everything needed to continue
// exactly where the last fully merged chunk ended (counters, front, bests,
// the next chunk and, for exhaustive search, its start position). A resumed
// seeded run therefore ends with the same front as an uninterrupted one.
// Written to FILE.tmp and renamed over FILE, so a kill leaves the previous
// checkpoint intact.
#pragma once

#include <string>

#include "search/driver.hpp"

namespace sieve::search {

// What must match between the run that saved and the run that resumes.
struct CheckpointKey {
  std::string config_sha256;
  std::string strategy;
  uint64_t seed = 0;
  std::string objectives;
  int shard_index = 0;
  int shard_count = 1;
  uint32_t chunk_size = 0;
  uint32_t orders_per_factorization = 0;
};

void SaveCheckpoint(const std::string& path, const CheckpointKey& key, const SearchState& state);

// Throws std::runtime_error naming the file when it cannot be read or was
// written by a run with a different key (inputs, seed, strategy, ...).
SearchState LoadCheckpoint(const std::string& path, const CheckpointKey& key);

// The key as saved in a checkpoint (to resume with the saved settings).
CheckpointKey ReadCheckpointKey(const std::string& path);

}  // namespace sieve::search
