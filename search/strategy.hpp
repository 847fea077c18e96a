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
//               drawn at random.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "search/mapspace.hpp"

namespace sieve::search {

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
};

using StrategyFactory =
    std::function<std::unique_ptr<Strategy>(const Mapspace&, const StrategyOptions&)>;

// The name -> factory table: "random", "exhaustive", "hybrid".
const std::map<std::string, StrategyFactory>& StrategyTable();

// Throws std::invalid_argument listing the valid names for an unknown one.
std::unique_ptr<Strategy> MakeStrategy(const std::string& name, const Mapspace& space,
                                       const StrategyOptions& options);

// The RNG seed of a chunk: a bijective mix of (seed, chunk).
uint64_t ChunkSeed(uint64_t seed, uint64_t chunk);

}  // namespace sieve::search
