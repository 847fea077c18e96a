// The HDF5 file of a sweep (`sieve sweep ... -o SWEEP.h5`), and reading it
// back for resuming and merging.
//
// Layout (README "Sweeps" documents every field):
//   /              attributes: tool_version, sweep_sha256, sweep_yaml (the
//                  sweep file's text), sweep_path, axes (comma-separated
//                  names), points_total, points_done, shard ("i/N"),
//                  strategy, objectives, seed, max_evaluations, start_time,
//                  end_time ("" until the sweep has run to its end)
//   /points        1-D compound table, one row per finished point, by point
//                  index: point, label, one field per axis (float64 for
//                  numeric axes, else the value's label), status,
//                  evaluations, valid, front_size, best_energy_pj,
//                  best_cycles, best_edp (NaN without a valid mapping),
//                  elapsed_s, config_sha256
//   /fronts/<i>    per finished point i: tables `pareto` and `best` (the
//                  fields of a search's /pareto and /best), attributes
//                  label, status and point_json (the whole point, which is
//                  what resuming and merging read)
//
// The file is rewritten whole after every finished point, to a unique
// temporary name and renamed over the target, so it is always complete: a
// killed sweep loses at most the points in flight.
//
// Thread safety: none; one caller at a time.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "search/sweep.hpp"
#include "sieve/spec/sweep.hpp"

namespace sieve::search {

struct SweepFileInfo {
  std::string tool_version;
  std::string sweep_sha256;
  std::string shard;  // "i/N", "" for the whole sweep
  std::string start_time;
  std::string end_time;  // "" while running
};

// Finished points by point index.
using PointMap = std::map<uint64_t, PointResult>;

// Writes the whole file (temporary name, fsync, rename). Throws
// std::runtime_error naming the path on failure.
void WriteSweepFile(const std::string& path, const spec::SweepSpec& sweep, const SweepFileInfo& info,
                    const PointMap& points);

struct SweepFileContents {
  SweepFileInfo info;
  std::string sweep_yaml;
  std::string sweep_path;
  uint64_t points_total = 0;
  PointMap points;
};

// Reads a file written by WriteSweepFile. Throws std::runtime_error naming
// the path when it is not one.
SweepFileContents ReadSweepFile(const std::string& path);

}  // namespace sieve::search
