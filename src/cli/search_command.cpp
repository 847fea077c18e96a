// `sieve search FILES... -o RESULT.h5`: parallel mapspace search with
// Pareto fronts recorded in HDF5 (see search/results_writer.hpp).
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>
#include <thread>

#include "cli/cli_io.hpp"
#include "cli/commands.hpp"
#include "cli/energy_table_option.hpp"
#include "cli/progress_line.hpp"
#include "cli/search_options.hpp"
#include "search/checkpoint.hpp"
#include "search/config_hash.hpp"
#include "search/driver.hpp"
#include "search/mapspace.hpp"
#include "search/result_rows.hpp"
#include "search/results_writer.hpp"
#include "sieve/evaluator.hpp"
#include "sieve/spec/load.hpp"

namespace sieve::cli {
namespace {

// Set by SIGINT/SIGTERM; the one process-wide flag, because a signal handler
// can reach nothing else. Read by the search driver's stop check.
std::atomic<bool> g_stop_requested{false};
std::atomic<int> g_signal{0};

extern "C" void OnStopSignal(int sig) {
  g_signal.store(sig);
  g_stop_requested.store(true);
}

constexpr uint64_t kDefaultVictory = 50000;

std::string UtcNow() {
  const std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::vector<search::Objective> ParseObjectives(const std::string& list) {
  std::vector<search::Objective> out;
  std::stringstream ss(list);
  std::string name;
  while (std::getline(ss, name, ',')) {
    const auto o = search::ParseObjective(name);
    if (!o) {
      throw spec::SpecError("--objectives: unknown objective '" + name +
                            "' (valid: energy, cycles, edp, area, last_level_accesses)");
    }
    out.push_back(*o);
  }
  if (out.empty() || out.size() > static_cast<size_t>(search::kMaxObjectives)) {
    throw spec::SpecError("--objectives: give 1 to 5 comma-separated objectives");
  }
  return out;
}

void ParseShard(const std::string& text, int& index, int& count) {
  const size_t slash = text.find('/');
  try {
    if (slash == std::string::npos) throw std::invalid_argument("no slash");
    index = std::stoi(text.substr(0, slash));
    count = std::stoi(text.substr(slash + 1));
  } catch (const std::exception&) {
    throw spec::SpecError("--shard: expected i/N, got '" + text + "'");
  }
  if (count < 1 || index < 0 || index >= count) {
    throw spec::SpecError("--shard: expected 0 <= i < N, got '" + text + "'");
  }
}


int RunSearchCommand(SearchCliOptions opt) {
  const spec::Spec spec = LoadInputs(opt.files);
  for (const std::string& w : ApplyMapperDefaults(spec.mapper, opt)) spdlog::warn("{}", w);

  const std::string config_sha = search::ConfigSha256(spec.inputs);
  search::CheckpointKey key;
  if (!opt.resume_path.empty()) {
    // A resumed run keeps the settings it was started with.
    key = search::ReadCheckpointKey(opt.resume_path);
    opt.strategy = key.strategy;
    opt.seed = key.seed;
    opt.objectives = key.objectives;
    opt.shard = std::to_string(key.shard_index) + "/" + std::to_string(key.shard_count);
    opt.chunk_size = key.chunk_size;
    opt.orders_per_factorization = key.orders_per_factorization;
    if (opt.checkpoint_path.empty()) opt.checkpoint_path = opt.resume_path;
  }

  search::SearchOptions so;
  so.strategy = opt.strategy.value_or("random");
  if (!search::StrategyTable().count(so.strategy)) {
    throw spec::SpecError("--strategy: unknown strategy '" + so.strategy +
                          "' (valid: random, exhaustive, hybrid)");
  }
  so.strategy_options.seed = opt.seed.value_or(1);
  so.strategy_options.chunk_size = std::max<uint32_t>(1, opt.chunk_size);
  so.strategy_options.orders_per_factorization = std::max<uint32_t>(1, opt.orders_per_factorization);
  so.threads = opt.threads.value_or(0);
  so.max_evaluations = opt.max_evaluations.value_or(0);
  so.time_limit_s = opt.time_limit_s.value_or(0);
  so.victory = opt.victory.value_or(0);
  const std::string objectives_text = opt.objectives.value_or("energy,cycles");
  so.objectives = ParseObjectives(objectives_text);
  if (!opt.shard.empty()) ParseShard(opt.shard, so.shard_index, so.shard_count);
  if (so.strategy != "exhaustive" && so.max_evaluations == 0 && so.time_limit_s <= 0 &&
      so.victory == 0) {
    so.victory = kDefaultVictory;
    spdlog::info("no stop rule given: stopping after {} valid evaluations without a new Pareto point "
                 "(see --max-evaluations, --time-limit, --victory)",
                 kDefaultVictory);
  }
  so.stop_requested = &g_stop_requested;
  so.log_every = opt.log_every;

  DesignOptions design_options;
  design_options.halo_rule =
      opt.halo_rule == "pre2025" ? dense::HaloRule::kPre2025 : dense::HaloRule::k2025;
  design_options.energy_library = EnergyTableFromOption(opt.energy_table);
  const Design design = BuildDesign(spec, design_options);
  for (const std::string& w : design.warnings) spdlog::warn("{}", w);
  for (const std::string& n : design.energy_notes) spdlog::info("{}", n);
  const search::Mapspace space(spec);
  const int threads = so.threads > 0 ? so.threads
                                     : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));

  key.config_sha256 = config_sha;
  key.strategy = so.strategy;
  key.seed = so.strategy_options.seed;
  key.objectives = objectives_text;
  key.shard_index = so.shard_index;
  key.shard_count = so.shard_count;
  key.chunk_size = so.strategy_options.chunk_size;
  key.orders_per_factorization = so.strategy_options.orders_per_factorization;

  search::SearchState state;
  state.front = search::ParetoArchive(static_cast<int>(so.objectives.size()));
  if (!opt.resume_path.empty()) {
    state = search::LoadCheckpoint(opt.resume_path, key);
    spdlog::info("resuming from {}: {} evaluations, front of {}", opt.resume_path,
                 state.evaluations, state.front.points().size());
  }

  search::RunInfo info;
  info.tool_version = SIEVE_VERSION;
  info.seed = so.strategy_options.seed;
  info.strategy = so.strategy;
  info.threads = threads;
  info.input_yaml = search::InputsText(spec.inputs);
  info.config_sha256 = config_sha;
  info.start_time = UtcNow();
  info.objectives = objectives_text;
  info.mapspace_size = space.SizeText();
  info.energy_columns = search::EnergyColumns(spec.arch);
  search::WriterOptions wo;
  wo.log_evaluations = opt.log_every > 0;
  search::ResultsWriter writer(opt.out_path, info, wo);

  if (!opt.quiet) {
    spdlog::info("mapspace size {} ({} strategy, seed {}, {} threads, objectives {})",
                 space.SizeText(), so.strategy, so.strategy_options.seed, threads, objectives_text);
  }

  ProgressLine progress(isatty(STDERR_FILENO) != 0, opt.quiet);
  so.report_interval_s = progress.live() ? 0.5 : 2.0;
  so.on_progress = [&](const search::Progress& p) { progress.Update(p); };
  so.on_snapshot = [&](const search::SearchState& s) {
    writer.Submit(search::MakeSnapshot(spec, design, space, s));
  };
  if (!opt.checkpoint_path.empty()) {
    so.checkpoint_interval_s = opt.checkpoint_interval_s;
    so.on_checkpoint = [&](const search::SearchState& s) {
      search::SaveCheckpoint(opt.checkpoint_path, key, s);
    };
  }
  if (wo.log_evaluations) {
    so.on_logged = [&](std::vector<search::EvalRecord>&& records) {
      std::vector<search::ResultRow> rows;
      rows.reserve(records.size());
      for (const search::EvalRecord& r : records) {
        search::ResultRow row;
        row.mapping_id = space.IdText(r.choice);
        row.eval_index = r.eval_index;
        row.valid = r.valid;
        row.energy_pj = r.energy_pj;
        row.cycles = r.cycles;
        row.edp = r.edp;
        row.area_um2 = r.area_um2;
        row.utilization = r.utilization;
        row.last_level_accesses = r.last_level_accesses;
        row.level_energy_pj.assign(info.energy_columns.size(), 0.0);
        rows.push_back(std::move(row));
      }
      writer.LogEvaluations(std::move(rows));
    };
  }

  std::signal(SIGINT, OnStopSignal);
  std::signal(SIGTERM, OnStopSignal);
  state = search::RunSearch(design, space, so, std::move(state));
  std::signal(SIGINT, SIG_DFL);
  std::signal(SIGTERM, SIG_DFL);
  progress.Finish();

  search::Snapshot final_snapshot = search::MakeSnapshot(spec, design, space, state);
  final_snapshot.end_time = UtcNow();
  writer.Finish(final_snapshot);

  // The best mappings as map.yaml files next to the results.
  const std::filesystem::path out(opt.out_path);
  for (const search::ResultRow& row : final_snapshot.best) {
    std::filesystem::path p = out;
    p.replace_extension("");
    WriteTextFile(p.string() + ".best-" + row.metric + ".map.yaml", row.mapping_yaml);
  }
  if (!opt.quiet) std::cout << FrontTable(final_snapshot, state, info);
  spdlog::info("stopped: {} after {} evaluations ({} valid) in {:.1f} s; wrote {}",
               state.stop_reason, state.evaluations, state.valid, state.elapsed_s, opt.out_path);
  return g_signal.load() != 0 ? 128 + g_signal.load() : kExitOk;
}

}  // namespace

void AddSearchCommand(CLI::App& app, std::function<int()>* run) {
  auto opt = std::make_shared<SearchCliOptions>();
  CLI::App* cmd = app.add_subcommand("search", "Search the mapspace for Pareto-optimal mappings");
  cmd->add_option("files", opt->files, "Timeloop-format YAML inputs (as for `sieve model`)")
      ->required();
  cmd->add_option("-o,--output", opt->out_path, "Results file (HDF5)")->required();
  cmd->add_option("--threads", opt->threads, "Worker threads (default: all cores)");
  cmd->add_option("--seed", opt->seed, "Random seed (default 1)");
  cmd->add_option("--strategy", opt->strategy, "random | exhaustive | hybrid (default random)");
  cmd->add_option("--max-evaluations", opt->max_evaluations, "Stop after N evaluations");
  cmd->add_option("--time-limit", opt->time_limit_s, "Stop after SECONDS of wall-clock time");
  cmd->add_option("--victory", opt->victory,
                  "Stop after N consecutive valid evaluations that leave the front unchanged");
  cmd->add_option("--objectives", opt->objectives,
                  "Comma-separated: energy, cycles, edp, area, last_level_accesses "
                  "(default energy,cycles)");
  cmd->add_option("--checkpoint", opt->checkpoint_path, "Save progress to FILE periodically");
  cmd->add_option("--checkpoint-interval", opt->checkpoint_interval_s,
                  "Seconds between checkpoints")
      ->capture_default_str();
  cmd->add_option("--resume", opt->resume_path, "Continue the search saved in FILE");
  cmd->add_option("--shard", opt->shard, "Run only shard i of N (i/N) of the chunks");
  cmd->add_option("--log-evaluations", opt->log_every,
                  "Record every K-th evaluation in /evaluations (1 = all, 0 = none)")
      ->capture_default_str();
  cmd->add_option("--chunk-size", opt->chunk_size, "Evaluations per work chunk")
      ->capture_default_str();
  cmd->add_option("--orders-per-factorization", opt->orders_per_factorization,
                  "Hybrid: loop-order choices tried per factorization")
      ->capture_default_str();
  AddEnergyTableOption(cmd, &opt->energy_table);
  cmd->add_option("--halo-rule", opt->halo_rule, "2025 (default) or pre2025")
      ->check(CLI::IsMember({"2025", "pre2025"}));
  cmd->add_flag("-q,--quiet", opt->quiet, "No progress or tables; warnings and errors only");
  cmd->callback([run, opt] { *run = [opt] { return RunSearchCommand(*opt); }; });
}

}  // namespace sieve::cli
