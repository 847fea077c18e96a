// Builds without MPI: a sweep runs in this process (its shard, if given).
#include "cli/sweep_run.hpp"

namespace sieve::cli {

int RunSweepOrMpi(const SweepCliOptions& opt, SweepRunner run) { return run(opt); }

}  // namespace sieve::cli
