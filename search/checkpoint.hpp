// Checkpoints of a running search, as JSON: everything needed to continue
// exactly where the last fully merged chunk ended (counters, front, bests,
// the next chunk and, for exhaustive search, its start position), and
// everything needed to start again from the checkpoint alone (every input
// file's text, the settings and the stop rules of the run). A resumed
// seeded run therefore ends with the same front as an uninterrupted one.
// Written to FILE.tmp and renamed over FILE, so a kill leaves the previous
// checkpoint intact.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "search/driver.hpp"
#include "sieve/spec/spec.hpp"

namespace sieve::search {

// What must match between the run that saved and the run that resumes:
// every field decides which mappings are evaluated or what they score.
struct CheckpointKey {
  std::string config_sha256;
  std::string strategy;
  uint64_t seed = 0;
  std::string objectives;
  int shard_index = 0;
  int shard_count = 1;
  uint32_t chunk_size = 0;
  uint32_t orders_per_factorization = 0;
  std::string halo_rule = "2025";
  std::string energy_table;  // path of --energy-table / $SIEVE_ENERGY_TABLE, "" = built-in
};

// What a resumed run takes over unless its command line says otherwise.
struct CheckpointRun {
  // Every input file, verbatim and in order (with mapping_as_constraints),
  // so a resume needs no input files. Empty when not saved (checkpoints of
  // format 1, or callers that pass none).
  std::vector<spec::InputFile> inputs;
  // The stop rules as the command line gave them (unset: not given), so the
  // resumed run applies the same precedence over the mapper block.
  std::optional<uint64_t> max_evaluations;
  std::optional<double> time_limit_s;
  std::optional<uint64_t> victory;
};

struct CheckpointHeader {
  CheckpointKey key;
  CheckpointRun run;
};

// Throws std::runtime_error naming the file when it cannot be written.
void SaveCheckpoint(const std::string& path, const CheckpointKey& key, const SearchState& state,
                    const CheckpointRun& run = {});

// Throws spec::SpecError naming the file when it cannot be read, is not a
// checkpoint, is damaged or inconsistent (counts that do not add up, a
// front of another width than its objectives, valid evaluations without
// bests), or was written by a run with a different key (inputs, seed,
// strategy, ...).
SearchState LoadCheckpoint(const std::string& path, const CheckpointKey& key);

// The key and run settings as saved in a checkpoint (to resume with them).
// Throws spec::SpecError naming the file when it cannot be read, is not a
// checkpoint, is damaged, or holds inputs that do not hash to its key.
CheckpointHeader ReadCheckpointHeader(const std::string& path);

}  // namespace sieve::search
