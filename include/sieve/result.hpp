// Result of evaluating one mapping: the output of step 3, what reports and
// the search consume. Fixed-size arrays: reusing one Result across
// evaluations allocates nothing.
//
// Units: energy in pJ, area in um^2, counts in scalar words. Per-data-space
// reads/fills/updates are per instance and algorithmic (dense), as the
// reference tool prints them.
#pragma once

#include <array>
#include <cstdint>

#include "sieve/limits.hpp"
#include "sieve/status.hpp"

namespace sieve {

// Per instance: actual, gated and skipped shares of one access type.
struct ActionCounts {
  double actual = 0;
  double gated = 0;
  double skipped = 0;
};

struct DataSpaceResult {
  bool kept = false;
  int64_t tile_size = 0;   // words held per instance (utilized capacity)
  int64_t partition = 0;   // words of the tensor owned per instance
  double reads = 0;        // per instance, algorithmic (dense)
  double fills = 0;
  double updates = 0;
  ActionCounts read_actions;  // sparse breakdown (all actual when dense)
  ActionCounts fill_actions;
  ActionCounts update_actions;
  double occupancy_words = 0;       // data words held at the capacity confidence
  double metadata_occupancy_bits = 0;
  int format_ranks = 0;             // 0 = uncompressed
  double average_instances = 0;     // used instances holding a nonempty tile (mean)
  double metadata_energy_pj = 0;    // all instances, part of energy_pj
  double energy_pj = 0;    // all instances, accesses only (no leakage)
};

struct LevelResult {
  std::array<DataSpaceResult, kMaxDataSpaces> ds{};
  int64_t used_instances = 0;
  int64_t cycles = 0;
  double bandwidth_throttle = 1;  // slowdown factor in (0, 1]
  double access_energy_pj = 0;    // sum of the data spaces' energy_pj
  double leakage_pj = 0;          // all used instances, whole run
  double energy_pj = 0;           // access + leakage
  double scalar_accesses = 0;     // sum over kept data spaces of U*(r+f+u)
  double capacity_utilization = 0;  // kept words / capacity (0 if unbounded)
  double area_um2 = 0;            // all instances
};

struct ComputeResult {
  int64_t actual = 0;
  int64_t gated = 0;
  int64_t skipped = 0;
  int64_t algorithmic = 0;
  int64_t used_instances = 0;
  int64_t cycles = 0;  // computes per instance, before bandwidth stalls
  double energy_pj = 0;
  double area_um2 = 0;
};

struct Result {
  Status status;
  int num_levels = 0;
  int num_data_spaces = 0;
  std::array<LevelResult, kMaxLevels> levels{};  // index 0 = innermost
  ComputeResult compute;
  int64_t cycles = 0;
  double energy_pj = 0;    // levels + compute
  double edp = 0;          // energy (J) x cycles, as the reference prints it
  double utilization = 0;  // computes / (arithmetic instances x cycles)
  double area_um2 = 0;

  bool valid() const { return status.ok(); }
};

}  // namespace sieve
