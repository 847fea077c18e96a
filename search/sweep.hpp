// Running one point of a sweep (sieve/spec/sweep.hpp), and its result as
// plain data that the sweep file (search/sweep_file.hpp) stores and merges.
//
// A point is deterministic: the same sweep, point and seed give the same
// result on any number of threads and in any process (the searches stop on
// evaluation budgets and victory conditions, which the driver keeps
// thread-count independent; a time limit breaks this and is said so in
// the README). That is what makes sharding and MPI runs merge into exactly
// the single-process file.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

#include "search/results_writer.hpp"
#include "sieve/spec/sweep.hpp"

namespace sieve::search {

struct PointResult {
  uint64_t point = 0;
  std::string label;                  // "axis=value axis=value"
  std::vector<std::string> values;    // per axis: the value's label
  // "searched", "fixed mapping" (the inputs give one: evaluated, not
  // searched), "no valid mapping" (searched or evaluated: nothing valid),
  // "invalid input: <message>" (this point's inputs are refused).
  std::string status;
  std::string config_sha256;          // of the point's inputs and overrides
  std::vector<std::string> energy_columns;
  Snapshot snapshot;                  // fronts, counts, stop reason
  int64_t algorithmic_computes = 0;   // of the point's workload (0 if it did not load)
  double elapsed_s = 0;

  bool finished() const { return !status.empty(); }
  // Best values over the point's valid mappings (NaN when none).
  double best(const std::string& metric) const;
};

struct PointOptions {
  int threads = 0;  // 0 = all cores
  const std::atomic<bool>* stop_requested = nullptr;
};

// Runs point `point`: loads its inputs (spec::SpecError on a bad file),
// then searches its mapspace or evaluates its given mapping. A point whose
// own inputs are refused comes back with status "invalid input: ..."
// rather than throwing, so one broken combination does not end a sweep.
// An interrupted search (stop_requested) returns with stop_reason
// "interrupted"; the caller does not record it as finished.
PointResult RunPoint(const spec::SweepSpec& sweep, uint64_t point, const PointOptions& options);

// The same for any inputs: `files` with `overrides` applied, searched with
// `search` (RunPoint is this plus the point's labels). point/label/values
// are left empty.
PointResult RunInputs(const std::vector<spec::InputFile>& files, const std::vector<spec::Override>& overrides,
                      const spec::SweepSearch& search, const PointOptions& options);

// The hash RunInputs records (PointResult::config_sha256): equal for equal
// file texts and overrides (key paths and values, in order).
std::string InputsSha256(const std::vector<spec::InputFile>& files, const std::vector<spec::Override>& overrides);

// Reads files as spec::InputFile (SpecError naming a file it cannot open).
std::vector<spec::InputFile> ReadInputFiles(const std::vector<std::string>& paths);

// The sweep's identity: SHA-256 over the sweep text and every file any point
// reads (in a fixed order). Shards of one sweep share it; `sieve merge`
// refuses files that differ.
std::string SweepSha256(const spec::SweepSpec& sweep);

// JSON round trip of a finished point (kept inside the sweep file, so that
// resuming and merging need no HDF5 table reader). Throws
// std::runtime_error on malformed text.
std::string PointToJson(const PointResult& p);
PointResult PointFromJson(const std::string& text);

}  // namespace sieve::search
