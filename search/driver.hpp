// The parallel search driver (oneTBB).
//
// A three-stage pipeline over chunks of candidates:
//   plan      serial, in chunk order: the strategy says what chunk c covers;
//   evaluate  parallel: decode and evaluate every candidate with the shared
//             const Design, each worker with its own Scratch; keep the
//             few points that could change the front or a best;
//   merge     serial, in chunk order: count, update the Pareto archive and
//             bests, apply the stop rules, report progress and snapshots.
// Because merging happens in chunk order and candidates depend only on
// (seed, chunk), a run stopped by an evaluation budget or a victory
// condition gives the same front on any number of threads.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "search/mapspace.hpp"
#include "search/pareto_archive.hpp"
#include "search/strategy.hpp"
#include "sieve/evaluator.hpp"

namespace sieve::search {

// Invalid-mapping reasons counted by the driver.
enum class InvalidReason : uint8_t { kCapacity, kFanout, kConstraint, kOther };
inline constexpr int kNumInvalidReasons = 4;
const char* InvalidReasonName(InvalidReason r);

struct SearchState {
  ParetoArchive front{2};
  BestTracker best;
  uint64_t evaluations = 0;
  uint64_t valid = 0;
  std::array<uint64_t, kNumInvalidReasons> invalid{};
  uint64_t since_improvement = 0;  // valid evaluations since the front last changed
  uint64_t next_chunk_index = 0;   // shard-local index of the next chunk to run
  uint32_t next_chunk_skip = 0;    // candidates of that chunk already merged (a
                                   // budget or victory stop can end mid-chunk)
  ChunkPlan next_plan;             // exhaustive: where the next chunk starts
  double elapsed_s = 0;            // including earlier runs (resume)
  std::string stop_reason;         // "" while running
  bool optimal = false;            // an optimal search walked the whole space: the front is exact
  std::vector<std::string> notes;  // what the strategy skipped or fell back to (for the log)
};

struct Progress {
  const SearchState* state;
  double rate_per_s;   // evaluations per second in this run
  double eta_s;        // < 0 when unknown
};

// Most per-level energies a result has: every storage level and the compute.
inline constexpr int kMaxLevelEnergies = kMaxLevels + 1;

// One evaluation as logged to the evaluations table. A plain value: filling
// one allocates nothing.
struct EvalRecord {
  uint64_t eval_index = 0;
  Choice choice;
  bool valid = false;
  // Invalid only: the driver's reason, and the model's status (ok() when
  // the model did not run: a constraint the search checks itself failed).
  InvalidReason reason = InvalidReason::kOther;
  Status status;
  // Valid only (else 0): the figures of the result.
  double energy_pj = 0;
  double cycles = 0;
  double edp = 0;
  double area_um2 = 0;
  double utilization = 0;
  double last_level_accesses = 0;
  // Valid only: LevelEnergies() of the result, [0, num_level_energies).
  int num_level_energies = 0;
  std::array<double, kMaxLevelEnergies> level_energy_pj{};
};

struct SearchOptions {
  std::string strategy = "random";
  StrategyOptions strategy_options;
  int threads = 0;                   // 0 = all cores
  uint64_t max_evaluations = 0;      // 0 = no budget
  double time_limit_s = 0;           // 0 = none
  uint64_t victory = 0;              // consecutive valid evaluations that leave the
                                     // front unchanged; 0 = none
  std::vector<Objective> objectives = {Objective::kEnergy, Objective::kCycles};
  int shard_index = 0;               // this process runs chunks c with
  int shard_count = 1;               //   c % shard_count == shard_index
  const std::atomic<bool>* stop_requested = nullptr;  // e.g. set by a signal
  // optimal: larger spaces (canonical mappings) run local search instead.
  double optimal_max_mappings = 5e9;

  // Called from the merge stage (one thread at a time).
  double report_interval_s = 2.0;
  std::function<void(const Progress&)> on_progress;
  std::function<void(const SearchState&)> on_snapshot;    // every report_interval_s
  double checkpoint_interval_s = 30.0;
  std::function<void(const SearchState&)> on_checkpoint;  // at chunk boundaries
  // Evaluations at chunk positions divisible by log_every (1 = all, 0 =
  // none), delivered in evaluation order from the merge stage.
  uint64_t log_every = 0;
  std::function<void(std::vector<EvalRecord>&&)> on_logged;
};

// Runs the search from `state` (fresh or restored from a checkpoint) and
// returns the final state. Throws std::invalid_argument for bad options.
SearchState RunSearch(const Design& design, const Mapspace& space,
                      const SearchOptions& options, SearchState state);

// Why an optimal search of `space` is not feasible ("" when it is): too
// many factorizations to walk, or more canonical mappings than `max_mappings`.
std::string OptimalTooLarge(const Mapspace& space, double max_mappings);

// The per-level energies of a valid result in energy-column order: the
// storage levels outermost first, fan-out-only (dummy) levels skipped, then
// the compute (the order of EnergyColumns in search/result_rows.hpp).
// Writes them to `out` (room for kMaxLevelEnergies) and returns how many;
// allocates nothing. The design or the architecture it was built from say
// which levels are dummies; both give the same values.
int LevelEnergies(const Design& design, const Result& r, double* out);
int LevelEnergies(const spec::Arch& arch, const Result& r, double* out);

// Objective values of a result in `objectives` order.
Point MakePoint(const Result& r, const std::vector<Objective>& objectives, uint64_t eval_index,
                const Choice& choice);

}  // namespace sieve::search
