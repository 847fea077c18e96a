// MPI builds (-DSIEVE_MPI=ON): `mpirun -n N sieve sweep SWEEP.yaml -o OUT.h5`.
//
// Points are handed out dynamically: every rank takes the next point index
// from a counter on rank 0 (MPI one-sided MPI_Fetch_and_op), so a rank that
// draws cheap points simply takes more. Each rank writes its points to its
// own file, OUT.rank<r>.h5, exactly as a shard would; rank 0 then merges
// OUT (if a previous run left one), the rank files, into OUT and removes
// the rank files. Points are deterministic (search/sweep.hpp), so the
// merged file equals a one-process run with the same seed.
#include <mpi.h>
#include <spdlog/spdlog.h>

#include <filesystem>
#include <string>
#include <vector>

#include "cli/commands.hpp"
#include "cli/sweep_run.hpp"
#include "search/sweep.hpp"
#include "search/sweep_file.hpp"
#include "sieve/spec/sweep.hpp"

namespace sieve::cli {
namespace {

// MPI_Init/Finalize for the lifetime of the command.
class MpiSession {
 public:
  MpiSession() { MPI_Init(nullptr, nullptr); }
  ~MpiSession() { MPI_Finalize(); }
  MpiSession(const MpiSession&) = delete;
  MpiSession& operator=(const MpiSession&) = delete;
};

// The shared point counter: one int64 in a window on rank 0.
class PointCounter {
 public:
  PointCounter(int rank) {
    MPI_Win_allocate(rank == 0 ? sizeof(int64_t) : 0, sizeof(int64_t), MPI_INFO_NULL, MPI_COMM_WORLD, &base_,
                     &win_);
    if (rank == 0) *static_cast<int64_t*>(base_) = 0;
    MPI_Barrier(MPI_COMM_WORLD);
  }
  ~PointCounter() { MPI_Win_free(&win_); }
  PointCounter(const PointCounter&) = delete;
  PointCounter& operator=(const PointCounter&) = delete;

  int64_t Next() {
    const int64_t one = 1;
    int64_t got = 0;
    MPI_Win_lock(MPI_LOCK_SHARED, 0, 0, win_);
    MPI_Fetch_and_op(&one, &got, MPI_INT64_T, 0, 0, MPI_SUM, win_);
    MPI_Win_unlock(0, win_);
    return got;
  }

 private:
  void* base_ = nullptr;
  MPI_Win win_;
};

}  // namespace

int RunSweepOrMpi(const SweepCliOptions& opt, SweepRunner run) {
  MpiSession session;
  int rank = 0, size = 1;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  if (size == 1) return run(opt);
  if (!opt.shard.empty()) {
    if (rank == 0) spdlog::error("--shard: not with mpirun (the ranks share the points)");
    return kExitBadInput;
  }
  // The number of points bounds the counter; every rank reads the file.
  uint64_t total = 0;
  try {
    total = spec::LoadSweep(opt.sweep_path).NumPoints();
  } catch (const spec::SpecError& e) {
    if (rank == 0) spdlog::error("{}", e.what());
    return kExitBadInput;
  }
  PointCounter counter(rank);
  SweepCliOptions mine = opt;
  const std::string rank_file = opt.out_path + ".rank" + std::to_string(rank) + ".h5";
  mine.out_path = rank_file;
  mine.shard = "";
  mine.quiet = opt.quiet || rank != 0;
  // A previous run's merged file: its points are done for every rank.
  search::PointMap before;
  if (std::filesystem::exists(opt.out_path)) {
    try {
      before = search::ReadSweepFile(opt.out_path).points;
    } catch (const std::exception& e) {
      if (rank == 0) spdlog::error("-o: {}", e.what());
      return kExitBadInput;
    }
  }
  mine.next_point = [&counter, &before, total](uint64_t& p) {
    for (int64_t got = counter.Next(); got >= 0 && static_cast<uint64_t>(got) < total; got = counter.Next()) {
      if (!before.count(static_cast<uint64_t>(got))) {
        p = static_cast<uint64_t>(got);
        return true;
      }
    }
    return false;
  };
  int code = kExitFailure;
  try {
    code = run(mine);
  } catch (const spec::SpecError& e) {
    spdlog::error("rank {}: {}", rank, e.what());
    code = kExitBadInput;
  } catch (const std::exception& e) {
    spdlog::error("rank {}: {}", rank, e.what());
  }
  int worst = 0;
  MPI_Allreduce(&code, &worst, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
  if (rank != 0) return code;
  // Rank 0 merges: the earlier file (if any) and every rank's file.
  std::vector<std::string> parts;
  if (std::filesystem::exists(opt.out_path)) parts.push_back(opt.out_path);
  for (int r = 0; r < size; ++r) {
    const std::string f = opt.out_path + ".rank" + std::to_string(r) + ".h5";
    if (std::filesystem::exists(f)) parts.push_back(f);
  }
  const int merged = MergeSweepFiles(parts, opt.out_path);
  if (merged == kExitOk) {
    for (int r = 0; r < size; ++r) {
      std::error_code ignored;
      std::filesystem::remove(opt.out_path + ".rank" + std::to_string(r) + ".h5", ignored);
    }
    spdlog::info("{} ranks: merged into {}", size, opt.out_path);
  }
  return worst != 0 ? worst : merged;
}

}  // namespace sieve::cli
