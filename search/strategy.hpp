// Search strategies behind one ask/tell interface.
//
// The driver asks for chunks in chunk order (Plan, serial) and expands each
// plan into candidate choices on any worker thread (Candidates, const and
// thread-safe). Randomness comes only from (seed, chunk id), so a chunk's
// candidates are the same whatever thread or run produces them.
//
//   random      uniform over the full mapspace id space, endless;
//   exhaustive  every canonical mapping (equivalent loop orders and X/Y
//               placements of bound-1 loops pruned), in id order, then stops;
//   hybrid      per chunk one random factorization, then its canonical
//               loop orders / X/Y / bypass choices: all of them when there
//               are at most `orders_per_factorization`, else that many
//               drawn at random; the rest of a chunk is skipped when its
//               first candidate overflows a buffer;
//   optimal     exhaustive over the valid canonical mappings, in rounds of
//               `chunks_per_round` chunks; a factorization whose lower
//               bounds (lower_bound.hpp) a point found before the round
//               strictly dominates is skipped whole. The result is the
//               exact Pareto front (and bests) of the space;
//   local       hill climbing with restarts: `walkers` walkers, each
//               scalarizing the objectives with its own weights, step in
//               rounds; a walker's chunk holds neighbours of its current
//               mapping (Mapspace::Neighbor), or random samples while it
//               has none; at the end of a round each moves to its best
//               neighbour if that improves, and restarts from random
//               samples after `patience` rounds without improvement.
//
// Feedback (local): the driver tells a strategy each merged chunk's results
// (Tell, serial, in chunk order) and, when Plan ends a round, asks for the
// next one (NextRound, with no chunk in flight). Candidates only read state
// fixed at the round's start, so results do not depend on thread count.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "search/mapspace.hpp"
#include "search/pareto_archive.hpp"

namespace sieve::search {

class LowerBound;

// What a chunk covers. For exhaustive search: `count` canonical mappings
// starting at (start, start_sub); (end, end_sub) is where the next begins.
struct ChunkPlan {
  uint64_t chunk = 0;
  uint32_t count = 0;
  Choice start;
  uint64_t start_sub = 0;
  Choice end;
  uint64_t end_sub = 0;
  bool start_at_end = false;  // exhaustive: the start is past the last mapping
  bool end_at_end = false;    // exhaustive: nothing follows this chunk
};

struct StrategyOptions {
  uint64_t seed = 1;
  uint32_t chunk_size = 256;
  uint32_t orders_per_factorization = 16;  // hybrid
  uint32_t walkers = 16;                   // local
  uint32_t neighbours = 32;                // local: candidates per walker and round
  uint32_t patience = 6;                   // local: rounds without improvement before a restart
  int num_objectives = 2;                  // local: length of the objective vectors told
  // Candidates that cannot fit (Mapspace::Fits) are not produced: random
  // and local redraw them, exhaustive and hybrid skip them. Off, every
  // strategy walks its space as it is (for tests of the space itself).
  bool valid_first = true;
  // optimal: the factorization bounds (none: plain exhaustive) and the
  // objectives the front is over.
  std::shared_ptr<const LowerBound> lower_bound;
  std::vector<Objective> objectives;
  uint32_t chunks_per_round = 64;  // optimal
};

// One merged candidate, as told to a strategy: its objective values (in
// the search's objective order, all > 0) when valid.
struct Outcome {
  bool valid = false;
  bool capacity_failure = false;  // invalid because a level overflowed
  std::array<double, 5> obj{};
};

class Strategy {
 public:
  virtual ~Strategy() = default;
  virtual const char* name() const = 0;
  // Serial, in increasing chunk order (chunks may be skipped, e.g. shards).
  // Returns false when the space holds nothing at or after `chunk`.
  virtual bool Plan(uint64_t chunk, ChunkPlan& plan) = 0;
  // Thread-safe: appends the plan's candidates to `out`, in order.
  virtual void Candidates(const ChunkPlan& plan, std::vector<Choice>& out) const = 0;
  // Exhaustive position to restart from (checkpoints); others ignore it.
  virtual void Restore(const ChunkPlan& /*next*/) {}
  // Total candidates when known (exhaustive), else 0.
  virtual uint64_t KnownTotal() const { return 0; }
  // Feedback (see above). Tell gets the plan's candidates and outcomes
  // [0, merged) (a stop may end a chunk early).
  virtual bool WantsFeedback() const { return false; }
  virtual void Tell(const ChunkPlan& /*plan*/, const std::vector<Choice>& /*candidates*/,
                    const std::vector<Outcome>& /*outcomes*/, size_t /*merged*/) {}
  virtual bool NextRound() { return false; }
  // A line on what the strategy skipped, for the log ("" when nothing).
  virtual std::string Summary() const { return ""; }
  // True when the evaluation of a chunk may stop after its first candidate
  // if that one overflows a buffer (hybrid: the rest share its factors).
  virtual bool SkipChunkAfterCapacityFailure() const { return false; }
};

using StrategyFactory =
    std::function<std::unique_ptr<Strategy>(const Mapspace&, const StrategyOptions&)>;

// The name -> factory table: "random", "exhaustive", "hybrid", "local", "optimal".
const std::map<std::string, StrategyFactory>& StrategyTable();

// Throws std::invalid_argument listing the valid names for an unknown one.
std::unique_ptr<Strategy> MakeStrategy(const std::string& name, const Mapspace& space,
                                       const StrategyOptions& options);

// The RNG seed of a chunk: a bijective mix of (seed, chunk).
uint64_t ChunkSeed(uint64_t seed, uint64_t chunk);

}  // namespace sieve::search
