// Options of `sieve sweep`, and how a sweep is run: in this process, or,
// in an MPI build started by mpirun with several ranks, spread over the
// ranks (src/cli/sweep_mpi.cpp; src/cli/sweep_local.cpp otherwise).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace sieve::cli {

struct SweepCliOptions {
  std::string sweep_path;
  std::string out_path;
  std::string shard;  // "i/N"
  std::optional<int> threads;
  std::optional<uint64_t> seed;
  std::optional<uint64_t> max_evaluations;
  bool quiet = false;
  // Set by the MPI runner: this process runs the points it draws from
  // next_point (returns false when none are left) instead of a shard's.
  std::function<bool(uint64_t&)> next_point;
};

using SweepRunner = int (*)(const SweepCliOptions&);

// Runs `run(opt)` here; under MPI with more than one rank, every rank runs
// it on its own output (OUT.rank<r>.h5) drawing points from a shared
// counter, then rank 0 merges those into OUT. Returns the exit code.
int RunSweepOrMpi(const SweepCliOptions& opt, SweepRunner run);

// `sieve merge`: the points of `inputs` (files of one sweep; another sweep's
// file is spec::SpecError) into `out_path`. Returns the exit code.
int MergeSweepFiles(const std::vector<std::string>& inputs, const std::string& out_path);

}  // namespace sieve::cli
