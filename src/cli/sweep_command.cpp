// `sieve sweep SWEEP.yaml -o RESULT.h5` and `sieve merge A.h5 B.h5 -o ALL.h5`:
// co-design sweeps (a search or a fixed-mapping evaluation per point), split
// over processes with --shard (any launcher) or over MPI ranks, and merged.
#include <spdlog/spdlog.h>

#include <atomic>
#include <filesystem>
#include <iostream>
#include <memory>

#include "cli/cli_io.hpp"
#include "cli/commands.hpp"
#include "cli/run_control.hpp"
#include "cli/search_options.hpp"
#include "cli/sweep_run.hpp"
#include "search/sweep.hpp"
#include "search/sweep_file.hpp"
#include "sieve/spec/sweep.hpp"

namespace sieve::cli {
namespace {

std::string Fixed(double v) {
  if (std::isnan(v)) return "-";
  return fmt::format("{:.4g}", v);
}

void PrintPoints(const search::PointMap& points) {
  std::cout << fmt::format("{:>6}  {:<50} {:<18} {:>12} {:>12} {:>12}\n", "point", "label", "status",
                           "energy_pj", "cycles", "edp");
  for (const auto& [i, p] : points) {
    std::string status = p.status.substr(0, p.status.find(':'));
    std::cout << fmt::format("{:>6}  {:<50} {:<18} {:>12} {:>12} {:>12}\n", i, p.label, status,
                             Fixed(p.best("energy")), Fixed(p.best("cycles")), Fixed(p.best("edp")));
  }
}

int RunSweepCommand(const SweepCliOptions& opt) {
  CheckOutputFile(opt.out_path, "-o");
  const OutputLock lock(opt.out_path, "-o");
  spec::SweepSpec sweep = spec::LoadSweep(opt.sweep_path);
  if (opt.seed) sweep.search.seed = *opt.seed;
  if (opt.max_evaluations) sweep.search.max_evaluations = *opt.max_evaluations;
  int shard_index = 0, shard_count = 1;
  if (!opt.shard.empty()) ParseShardFlag(opt.shard, "--shard", shard_index, shard_count);
  spec::CheckSweepAxes(sweep);
  const std::string sha = search::SweepSha256(sweep);

  search::SweepFileInfo info;
  info.tool_version = SIEVE_VERSION;
  info.sweep_sha256 = sha;
  info.shard = opt.shard;
  info.start_time = UtcNow();
  search::PointMap done;
  if (std::filesystem::exists(opt.out_path)) {
    search::SweepFileContents old;
    try {
      old = search::ReadSweepFile(opt.out_path);
    } catch (const std::runtime_error& e) {
      throw spec::SpecError(std::string("-o: ") + e.what() + "; give another -o or remove it");
    }
    if (old.info.sweep_sha256 != sha) {
      throw spec::SpecError("-o: " + opt.out_path +
                            " holds another sweep (its sweep file, inputs or search settings differ); give "
                            "another -o or remove it");
    }
    if (old.info.shard != opt.shard) {
      throw spec::SpecError("-o: " + opt.out_path + " holds shard '" + old.info.shard + "', not '" + opt.shard + "'");
    }
    done = std::move(old.points);
    info.start_time = old.info.start_time;
    spdlog::info("resuming {}: {} point(s) already done", opt.out_path, done.size());
  }

  std::vector<uint64_t> todo;
  uint64_t mine = 0;
  for (uint64_t p = 0; p < sweep.NumPoints(); ++p) {
    if (p % static_cast<uint64_t>(shard_count) != static_cast<uint64_t>(shard_index)) continue;
    ++mine;
    if (!done.count(p)) todo.push_back(p);
  }
  // Under MPI the points come from a counter shared by the ranks: which
  // ones this rank runs is known only as it goes.
  size_t next_todo = 0;
  auto next = [&](uint64_t& p) {
    if (opt.next_point) {
      while (opt.next_point(p))
        if (!done.count(p)) return true;
      return false;
    }
    if (next_todo == todo.size()) return false;
    p = todo[next_todo++];
    return true;
  };
  spdlog::info("sweep {}: {} points ({} in this shard), {} to run; each: {} strategy, {} evaluations, "
               "objectives {}, seed {}",
               opt.sweep_path, sweep.NumPoints(), mine, todo.size(), sweep.search.strategy,
               sweep.search.max_evaluations, sweep.search.objectives, sweep.search.seed);

  search::PointOptions po;
  po.threads = opt.threads.value_or(0);
  po.stop_requested = &StopFlag();
  InstallStopSignals();
  search::WriteSweepFile(opt.out_path, sweep, info, done);
  size_t k = 0;
  for (uint64_t p = 0; !StopFlag().load() && next(p);) {
    search::PointResult r = search::RunPoint(sweep, p, po);
    if (!r.finished()) break;  // interrupted mid-point: not recorded
    ++k;
    if (r.status.rfind("invalid input", 0) == 0) spdlog::warn("point {} ({}): {}", p, r.label, r.status);
    if (!opt.quiet) {
      spdlog::info("[{}/{}] point {} {}: {}, best edp {}, {} evaluations in {:.1f} s", done.size() + 1, mine, p,
                   r.label, r.status.substr(0, r.status.find(':')), Fixed(r.best("edp")),
                   r.snapshot.evaluations, r.elapsed_s);
    }
    done.emplace(p, std::move(r));
    search::WriteSweepFile(opt.out_path, sweep, info, done);
  }
  RestoreDefaultSignals();
  if (done.size() == mine && !opt.next_point) {
    info.end_time = UtcNow();
    search::WriteSweepFile(opt.out_path, sweep, info, done);
  }
  if (!opt.quiet) PrintPoints(done);
  spdlog::info("{} of {} point(s) done ({} this run); wrote {}{}", done.size(), mine, k, opt.out_path,
               done.size() == mine ? "" : " (rerun the same command to go on)");
  return ExitCodeAfterSignals();
}

}  // namespace

int MergeSweepFiles(const std::vector<std::string>& inputs, const std::string& out_path) {
  CheckOutputFile(out_path, "-o");
  const OutputLock lock(out_path, "-o");
  search::PointMap all;
  std::optional<search::SweepFileContents> first;
  std::string first_path;
  for (const std::string& path : inputs) {
    search::SweepFileContents c;
    try {
      c = search::ReadSweepFile(path);
    } catch (const std::runtime_error& e) {
      throw spec::SpecError(e.what());
    }
    if (!first) {
      first = c;
      first_path = path;
    } else if (c.info.sweep_sha256 != first->info.sweep_sha256) {
      throw spec::SpecError(path + " and " + first_path +
                            " are from different sweeps (sweep file, inputs or search settings differ): "
                            "not merged");
    }
    for (auto& [i, p] : c.points) {
      auto [it, inserted] = all.emplace(i, p);
      if (!inserted && search::PointToJson(it->second) != search::PointToJson(p)) {
        spdlog::warn("point {} is in several files with different results; keeping the one from the first",
                     i);
      }
    }
  }
  const spec::SweepSpec sweep = spec::LoadSweepText(first->sweep_path, first->sweep_yaml, false);
  search::SweepFileInfo info = first->info;
  info.shard = "";
  info.end_time = all.size() == sweep.NumPoints() ? UtcNow() : "";
  search::WriteSweepFile(out_path, sweep, info, all);
  spdlog::info("merged {} file(s): {} of {} points; wrote {}", inputs.size(), all.size(), sweep.NumPoints(),
               out_path);
  if (all.size() != sweep.NumPoints()) {
    spdlog::warn("{} point(s) missing (a shard not yet done?); the merged file says so (end_time empty)",
                 sweep.NumPoints() - all.size());
  }
  return kExitOk;
}

void AddSweepCommand(CLI::App& app, std::function<int()>* run) {
  auto opt = std::make_shared<SweepCliOptions>();
  CLI::App* cmd = app.add_subcommand("sweep", "Run a co-design sweep: a search (or a fixed mapping) per point");
  cmd->add_option("sweep", opt->sweep_path, "Sweep YAML file (README \"Sweeps\")")->required();
  cmd->add_option("-o,--output", opt->out_path, "Results file (HDF5); rerunning resumes it")->required();
  cmd->add_option("--shard", opt->shard, "Run only points p with p % N == i (i/N), for job arrays");
  cmd->add_option("--threads", opt->threads, "Worker threads per point search (default: all cores)")
      ->check(CLI::Range(1, kMaxThreads));
  const CLI::Validator whole([](std::string& t) { return CheckUnsignedText(t); }, "UINT");
  cmd->add_option("--seed", opt->seed, "Seed of every point's search (default: the sweep file's, else 1)")
      ->check(whole);
  cmd->add_option("--max-evaluations", opt->max_evaluations, "Evaluations per point search (overrides the file)")
      ->check(whole);
  cmd->add_flag("-q,--quiet", opt->quiet, "No per-point lines or table");
  cmd->callback([opt, run] { *run = [opt] { return RunSweepOrMpi(*opt, RunSweepCommand); }; });

  auto inputs = std::make_shared<std::vector<std::string>>();
  auto out = std::make_shared<std::string>();
  CLI::App* merge = app.add_subcommand("merge", "Merge sweep files (shards) of one sweep into one file");
  merge->add_option("files", *inputs, "Sweep HDF5 files")->required();
  merge->add_option("-o,--output", *out, "Merged results file (HDF5)")->required();
  merge->callback([inputs, out, run] { *run = [inputs, out] { return MergeSweepFiles(*inputs, *out); }; });
}

}  // namespace sieve::cli
