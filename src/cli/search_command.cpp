// `sieve search FILES... -o RESULT.h5`: parallel mapspace search with
// Pareto fronts recorded in HDF5 (see search/results_writer.hpp).
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <sstream>
#include <thread>

#include "cli/cli_io.hpp"
#include "cli/commands.hpp"
#include "cli/energy_table_option.hpp"
#include "cli/progress_line.hpp"
#include "cli/run_control.hpp"
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

constexpr uint64_t kDefaultVictory = 50000;

std::vector<search::Objective> ParseObjectives(const std::string& list) {
  return search::ParseObjectiveList(list, "--objectives");
}

// The strategy names, from the one table that defines them.
std::string StrategyNames(const std::string& separator) {
  std::string out;
  for (const auto& entry : search::StrategyTable()) out += (out.empty() ? "" : separator) + entry.first;
  return out;
}



// The spec to search: from FILES, or, resuming without FILES, from the
// input texts saved in the checkpoint. FILES given with --resume must be
// the saved inputs (same texts and flags, in order; paths may differ, as
// for the config hash), so a resume cannot silently continue another search.
spec::Spec LoadSearchInputs(const SearchCliOptions& opt, const search::CheckpointHeader* saved) {
  const spec::SourceLoc checkpoint{opt.resume_path, 0, ""};
  if (opt.files.empty()) {
    if (saved == nullptr) {
      throw spec::SpecError("search: no input files; give the YAML FILES (or --resume CHECKPOINT)");
    }
    if (saved->run.inputs.empty()) {
      throw spec::SpecError(checkpoint, "holds no input files (written by an older sieve): give the "
                                        "FILES it was started with after --resume");
    }
    spec::Spec spec = spec::LoadSpecFromTexts(saved->run.inputs);
    for (const std::string& w : spec.warnings) spdlog::warn("{}", w);
    std::string paths;
    for (const spec::InputFile& f : saved->run.inputs) paths += (paths.empty() ? "" : ", ") + f.path;
    spdlog::info("inputs restored from {}: {}", opt.resume_path, paths);
    return spec;
  }
  spec::Spec spec = LoadInputs(opt.files);
  if (saved != nullptr && !saved->run.inputs.empty()) {
    const std::vector<spec::InputFile>& was = saved->run.inputs;
    const std::vector<spec::InputFile>& now = spec.inputs;
    std::string why;
    if (was.size() != now.size()) {
      why = std::to_string(was.size()) + " input files were saved, " + std::to_string(now.size()) +
            " are given";
    }
    for (size_t i = 0; why.empty() && i < was.size(); ++i) {
      if (was[i].text != now[i].text || was[i].mapping_as_constraints != now[i].mapping_as_constraints) {
        why = now[i].path + " is not the saved " + was[i].path;
      }
    }
    if (!why.empty()) {
      throw spec::SpecError(checkpoint, "the search was saved with other input files (" + why +
                                            "); give no FILES to resume with the saved ones");
    }
  }
  return spec;
}

// The energy table file in effect: --energy-table, else
// $SIEVE_ENERGY_TABLE (as EnergyTableFromOption reads it), "" for the
// built-in table; absolute, so a checkpoint names it from any folder.
std::string EnergyTablePath(const std::string& option) {
  std::string file = option;
  if (file.empty()) {
    if (const char* env = std::getenv("SIEVE_ENERGY_TABLE")) file = env;
  }
  return file.empty() ? file : std::filesystem::absolute(file).lexically_normal().string();
}

// Resuming: the settings that decide the results are the checkpoint's (one
// given again must equal it: the saved front and position depend on it);
// the stop rules are the checkpoint's unless given again. Logs what was
// taken from the checkpoint.
void RestoreSettings(const search::CheckpointHeader& saved, SearchCliOptions& opt) {
  const search::CheckpointKey& key = saved.key;
  const spec::SourceLoc checkpoint{opt.resume_path, 0, ""};
  std::vector<std::string> restored;
  auto refuse = [&](const std::string& flag, const std::string& given, const std::string& was) {
    throw spec::SpecError(checkpoint, "was saved with " + flag + " " + was + ", not " + given +
                                          ": a resumed search keeps the settings it was started "
                                          "with (start a new search for other ones)");
  };
  auto keep = [&](auto& field, const auto& value, const std::string& flag, const std::string& text) {
    if (field && *field != value) refuse(flag, fmt::format("{}", *field), text);
    if (!field) restored.push_back(flag + " " + text);
    field = value;
  };
  keep(opt.strategy, key.strategy, "--strategy", key.strategy);
  keep(opt.seed, key.seed, "--seed", std::to_string(key.seed));
  if (opt.objectives && ParseObjectives(*opt.objectives) != ParseObjectives(key.objectives)) {
    refuse("--objectives", *opt.objectives, key.objectives);
  }
  if (!opt.objectives) restored.push_back("--objectives " + key.objectives);
  opt.objectives = key.objectives;
  const std::string shard = std::to_string(key.shard_index) + "/" + std::to_string(key.shard_count);
  if (!opt.shard.empty()) {
    int index = 0, count = 1;
    ParseShardFlag(opt.shard, "--shard", index, count);
    if (index != key.shard_index || count != key.shard_count) refuse("--shard", opt.shard, shard);
  } else if (key.shard_count > 1) {
    restored.push_back("--shard " + shard);
  }
  opt.shard = shard;
  // These are listed only when not the defaults, to keep the line short.
  auto keep_unlisted_if = [&](bool is_default, auto& field, const auto& value, const std::string& flag,
                              const std::string& text) {
    const size_t listed = restored.size();
    keep(field, value, flag, text);
    if (is_default) restored.resize(listed);
  };
  keep_unlisted_if(key.chunk_size == kDefaultChunkSize, opt.chunk_size, key.chunk_size, "--chunk-size",
                   std::to_string(key.chunk_size));
  keep_unlisted_if(key.orders_per_factorization == kDefaultOrdersPerFactorization,
                   opt.orders_per_factorization, key.orders_per_factorization,
                   "--orders-per-factorization", std::to_string(key.orders_per_factorization));
  keep_unlisted_if(key.halo_rule == "2025", opt.halo_rule, key.halo_rule, "--halo-rule", key.halo_rule);
  if (!opt.energy_table.empty() && EnergyTablePath(opt.energy_table) != key.energy_table) {
    refuse("--energy-table", EnergyTablePath(opt.energy_table),
           key.energy_table.empty() ? "(built-in table)" : key.energy_table);
  }
  if (opt.energy_table.empty() && !key.energy_table.empty()) {
    restored.push_back("--energy-table " + key.energy_table);
  }
  opt.energy_table = key.energy_table;

  if (!opt.max_evaluations && saved.run.max_evaluations) {
    opt.max_evaluations = saved.run.max_evaluations;
    restored.push_back("--max-evaluations " + std::to_string(*opt.max_evaluations));
  }
  if (!opt.time_limit_s && saved.run.time_limit_s) {
    opt.time_limit_s = saved.run.time_limit_s;
    restored.push_back(fmt::format("--time-limit {}", *opt.time_limit_s));
  }
  if (!opt.victory && saved.run.victory) {
    opt.victory = saved.run.victory;
    restored.push_back("--victory " + std::to_string(*opt.victory));
  }
  std::string list;
  for (const std::string& r : restored) list += (list.empty() ? "" : " ") + r;
  spdlog::info("resuming with the settings saved in {}: {} (stop rules given again override the "
               "saved ones)",
               opt.resume_path, list.empty() ? "none beyond those given" : list);
}

int RunSearchCommand(SearchCliOptions opt) {
  // Before any work: the output must be a file we may replace, and no other
  // run may be writing it (held until the end of this function).
  CheckOutputFile(opt.out_path, "-o");
  const OutputLock output_lock(opt.out_path, "-o");
  std::optional<search::CheckpointHeader> saved;
  if (!opt.resume_path.empty()) saved = search::ReadCheckpointHeader(opt.resume_path);
  const spec::Spec spec = LoadSearchInputs(opt, saved ? &*saved : nullptr);
  if (saved) {
    RestoreSettings(*saved, opt);
    if (opt.checkpoint_path.empty()) opt.checkpoint_path = opt.resume_path;
  }
  // The stop rules as the command line gave them (or the resumed run did),
  // before the mapper block fills in: what a later resume starts from.
  search::CheckpointRun checkpoint_run;
  checkpoint_run.inputs = spec.inputs;
  checkpoint_run.max_evaluations = opt.max_evaluations;
  checkpoint_run.time_limit_s = opt.time_limit_s;
  checkpoint_run.victory = opt.victory;
  const bool objectives_given = opt.objectives.has_value();
  const MapperNotes mapper_notes = ApplyMapperDefaults(spec.mapper, opt);
  for (const std::string& w : mapper_notes.warnings) spdlog::warn("{}", w);
  for (const std::string& i : mapper_notes.info) spdlog::info("{}", i);

  const std::string config_sha = search::ConfigSha256(spec.inputs);
  search::SearchOptions so;
  so.strategy = opt.strategy.value_or("random");
  if (!search::StrategyTable().count(so.strategy)) {
    throw spec::SpecError("--strategy: unknown strategy '" + so.strategy +
                          "' (valid: " + StrategyNames(", ") + ")");
  }
  so.strategy_options.seed = opt.seed.value_or(1);
  so.strategy_options.chunk_size = std::max<uint32_t>(1, opt.chunk_size.value_or(kDefaultChunkSize));
  so.strategy_options.orders_per_factorization =
      std::max<uint32_t>(1, opt.orders_per_factorization.value_or(kDefaultOrdersPerFactorization));
  so.threads = opt.threads.value_or(0);
  so.max_evaluations = opt.max_evaluations.value_or(0);
  so.time_limit_s = opt.time_limit_s.value_or(0);
  so.victory = opt.victory.value_or(0);
  const std::string objectives_text = opt.objectives.value_or("energy,cycles");
  try {
    so.objectives = ParseObjectives(objectives_text);
  } catch (const spec::SpecError& e) {
    if (objectives_given || !spec.mapper.given) throw;
    // They came from the mapper block, not from --objectives: say where.
    spec::SourceLoc at = spec.mapper.loc;
    at.key_path += ".optimization_metrics";
    std::string unknown;
    for (const std::string& m : spec.mapper.optimization_metrics)
      if (unknown.empty() && m != "delay" && !search::ParseObjective(m)) unknown = m;
    throw spec::SpecError(at, (unknown.empty() ? "optimization metrics '" + objectives_text + "'"
                                               : "unknown optimization metric '" + unknown + "'") +
                                  " (valid: energy, delay, cycles, edp, area, last_level_accesses)");
  }
  if (!opt.shard.empty()) ParseShardFlag(opt.shard, "--shard", so.shard_index, so.shard_count);
  if (so.strategy != "exhaustive" && so.strategy != "optimal" && so.max_evaluations == 0 &&
      so.time_limit_s <= 0 && so.victory == 0) {
    so.victory = kDefaultVictory;
    spdlog::info("no stop rule given: stopping after {} valid evaluations without a new Pareto point "
                 "(see --max-evaluations, --time-limit, --victory)",
                 kDefaultVictory);
  }
  so.stop_requested = &StopFlag();
  so.log_every = opt.log_every;

  const std::string halo_rule = opt.halo_rule.value_or("2025");
  const std::string energy_table = saved ? opt.energy_table : EnergyTablePath(opt.energy_table);
  DesignOptions design_options;
  design_options.halo_rule = halo_rule == "pre2025" ? dense::HaloRule::kPre2025 : dense::HaloRule::k2025;
  // A resumed run uses the saved table, not whatever $SIEVE_ENERGY_TABLE
  // says now ("" = built-in).
  if (!energy_table.empty()) design_options.energy_library = EnergyTableFromOption(energy_table);
  const Design design = BuildDesign(spec, design_options);
  for (const std::string& w : design.warnings) spdlog::warn("{}", w);
  for (const std::string& n : design.energy_notes) spdlog::info("{}", n);
  const search::Mapspace space(spec);
  const int threads = so.threads > 0 ? so.threads
                                     : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));

  search::CheckpointKey key;
  key.config_sha256 = config_sha;
  key.strategy = so.strategy;
  key.seed = so.strategy_options.seed;
  key.objectives = objectives_text;
  key.shard_index = so.shard_index;
  key.shard_count = so.shard_count;
  key.chunk_size = so.strategy_options.chunk_size;
  key.orders_per_factorization = so.strategy_options.orders_per_factorization;
  key.halo_rule = halo_rule;
  key.energy_table = energy_table;

  search::SearchState state;
  state.front = search::ParetoArchive(static_cast<int>(so.objectives.size()));
  if (saved) {
    state = search::LoadCheckpoint(opt.resume_path, key);
    // An edited or damaged checkpoint may hold indices this space does not
    // have: refuse them before anything decodes one.
    auto check = [&](const search::Choice& c, const char* what) {
      if (!space.InRange(c))
        throw spec::SpecError(spec::SourceLoc{opt.resume_path, 0, ""},
                              std::string("damaged checkpoint: a ") + what + " mapping is outside this mapspace");
    };
    for (const search::Point& p : state.front.points()) check(p.choice, "saved front");
    for (search::BestTracker::Metric m : search::BestTracker::kAll)
      if (state.best.best(m)) check(state.best.best(m)->choice, "saved best");
    if (state.next_chunk_index > 0) {
      check(state.next_plan.start, "saved position's");
      check(state.next_plan.end, "saved position's");
    }
    spdlog::info("resuming from {}: {} evaluations, front of {}", opt.resume_path,
                 state.evaluations, state.front.points().size());
    // The time limit, like the evaluation budget, counts the whole search:
    // the driver measures only this run, so it gets what is left.
    if (so.time_limit_s > 0) {
      const double left = so.time_limit_s - state.elapsed_s;
      spdlog::info("time limit {} s: {:.1f} s used by earlier runs, {:.1f} s left", so.time_limit_s,
                   state.elapsed_s, std::max(0.0, left));
      so.time_limit_s = std::max(left, 1e-9);  // > 0: 0 would mean "no limit"
    }
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
  wo.max_log_bytes = opt.max_log_bytes;
  wo.on_log_capped = [cap = opt.max_log_bytes, log = opt.out_path + ".evaluations.h5"](uint64_t bytes) {
    spdlog::warn("{} reached {} bytes (--max-log-bytes {}): no more evaluations are logged; the "
                 "search goes on",
                 log, bytes, cap);
  };
  search::ResultsWriter writer(opt.out_path, info, wo);

  if (!opt.quiet) {
    spdlog::info("mapspace size {} ({} strategy, seed {}, {} threads, objectives {})",
                 space.SizeText(), so.strategy, so.strategy_options.seed, threads, objectives_text);
    // Exhaustive walks one mapping per equivalence class: say how many.
    if ((so.strategy == "exhaustive" || so.strategy == "optimal") &&
        search::OptimalTooLarge(space, 1e300).empty()) {
      spdlog::info("{} canonical mappings (loop orders of bound-1 loops{} merged); those that cannot fit "
                   "are skipped, not evaluated",
                   search::MakeStrategy("exhaustive", space, {})->KnownTotal(),
                   space.reuse_equivalence() ? " and orders with the same reuse of every tensor" : "");
    }
  }

  ProgressLine progress(isatty(STDERR_FILENO) != 0, opt.quiet);
  so.report_interval_s = progress.live() ? 0.5 : 2.0;
  // A writer that failed (disk full, folder removed) stops the search at
  // the next report: running on would only lose the results.
  bool writer_failed = false;
  auto stop_if_writer_failed = [&] {
    if (!writer_failed && writer.Failed()) {
      writer_failed = true;
      StopFlag().store(true);
    }
    return writer_failed;
  };
  so.on_progress = [&](const search::Progress& p) {
    stop_if_writer_failed();
    progress.Update(p);
  };
  so.on_snapshot = [&](const search::SearchState& s) {
    if (!stop_if_writer_failed()) writer.Submit(search::MakeSnapshot(spec, design, space, s));
  };
  if (!opt.checkpoint_path.empty()) {
    so.checkpoint_interval_s = opt.checkpoint_interval_s;
    so.on_checkpoint = [&](const search::SearchState& s) {
      search::SaveCheckpoint(opt.checkpoint_path, key, s, checkpoint_run);
    };
  }
  if (wo.log_evaluations) {
    so.on_logged = [&](std::vector<search::EvalRecord>&& records) {
      std::vector<search::ResultRow> rows;
      rows.reserve(records.size());
      for (const search::EvalRecord& r : records) rows.push_back(search::EvaluationRow(spec, space, r));
      writer.LogEvaluations(std::move(rows));
    };
  }

  InstallStopSignals();
  state = search::RunSearch(design, space, so, std::move(state));
  RestoreDefaultSignals();
  progress.Finish();

  search::Snapshot final_snapshot = search::MakeSnapshot(spec, design, space, state);
  final_snapshot.end_time = UtcNow();
  try {
    writer.Finish(final_snapshot);
  } catch (const std::exception& e) {
    throw std::runtime_error("writing the results to " + opt.out_path + " failed, so the search stopped after " +
                             std::to_string(state.evaluations) + " evaluations: " + e.what());
  }

  // The best mappings as map.yaml files next to the results.
  const std::filesystem::path out(opt.out_path);
  for (const search::ResultRow& row : final_snapshot.best) {
    std::filesystem::path p = out;
    p.replace_extension("");
    WriteTextFile(p.string() + ".best-" + row.metric + ".map.yaml", row.mapping_yaml);
  }
  if (!opt.quiet) std::cout << FrontTable(final_snapshot, state, info);
  for (const std::string& note : state.notes) spdlog::info("{}", note);
  if (state.optimal) spdlog::info("optimal: the front above is the exact Pareto front of the mapspace");
  if (state.evaluations > 0 && state.valid == 0) {
    std::string why;
    for (int r = 0; r < search::kNumInvalidReasons; ++r) {
      if (state.invalid[r] == 0) continue;
      why += (why.empty() ? "" : ", ") + std::to_string(state.invalid[r]) + " " +
             search::InvalidReasonName(static_cast<search::InvalidReason>(r));
    }
    spdlog::warn("no valid mapping found in {} evaluations ({}); {} records no_valid_mapping = 1. "
                 "Check buffer sizes and fan-outs against the constraints, or try `sieve model` on one mapping "
                 "to see why it fails",
                 state.evaluations, why, opt.out_path);
  }
  spdlog::info("stopped: {} after {} evaluations ({} valid) in {:.1f} s; wrote {}",
               state.stop_reason, state.evaluations, state.valid, state.elapsed_s, opt.out_path);
  return ExitCodeAfterSignals();
}

}  // namespace

void AddSearchCommand(CLI::App& app, std::function<int()>* run) {
  auto opt = std::make_shared<SearchCliOptions>();
  CLI::App* cmd = app.add_subcommand("search", "Search the mapspace for Pareto-optimal mappings");
  cmd->add_option("files", opt->files,
                  "Timeloop-format YAML inputs (as for `sieve model`); optional with --resume");
  cmd->add_option("-o,--output", opt->out_path, "Results file (HDF5)")->required();
  // Validators run on the option's text before conversion (see
  // search_options.hpp); a failure exits 2 with "--flag: why".
  const CLI::Validator whole([](std::string& t) { return CheckUnsignedText(t); }, "UINT");
  const CLI::Validator positive([](std::string& t) { return CheckPositiveText(t); }, "UINT>=1");
  const CLI::Validator seconds([](std::string& t) { return CheckSecondsText(t, true); }, "SECONDS>=0");
  const CLI::Validator interval([](std::string& t) { return CheckSecondsText(t, false); }, "SECONDS>0");
  cmd->add_option("--threads", opt->threads,
                  "Worker threads, 1 to " + std::to_string(kMaxThreads) + " (default: all cores)")
      ->check(CLI::Range(1, kMaxThreads));
  cmd->add_option("--seed", opt->seed, "Random seed, 0 to 2^64-1 (default 1)")->check(whole);
  cmd->add_option("--strategy", opt->strategy, StrategyNames(" | ") + " (default random)");
  cmd->add_option("--max-evaluations", opt->max_evaluations,
                  "Stop after N evaluations (a resumed search counts those of its earlier runs)")
      ->check(whole);
  cmd->add_option("--time-limit", opt->time_limit_s,
                  "Stop after SECONDS of wall-clock time (a resumed search counts its earlier runs)")
      ->check(seconds);
  cmd->add_option("--victory", opt->victory,
                  "Stop after N consecutive valid evaluations that leave the front unchanged. "
                  "Always applies when given. The mapper block's victory_condition and search_size "
                  "apply only when none of --max-evaluations, --time-limit, --victory is given")
      ->check(whole);
  cmd->add_option("--objectives", opt->objectives,
                  "Comma-separated: energy, cycles, edp, area, last_level_accesses "
                  "(default energy,cycles)");
  cmd->add_option("--checkpoint", opt->checkpoint_path, "Save progress to FILE periodically");
  cmd->add_option("--checkpoint-interval", opt->checkpoint_interval_s,
                  "Seconds between checkpoints (> 0)")
      ->capture_default_str()
      ->check(interval);
  cmd->add_option("--resume", opt->resume_path,
                  "Continue the search saved in FILE, with its saved inputs (FILES, if given, must be "
                  "the same), settings and stop rules (stop rules given again override)");
  cmd->add_option("--shard", opt->shard, "Run only shard i of N (i/N) of the chunks");
  cmd->add_option("--log-evaluations", opt->log_every,
                  "Record every K-th evaluation in /evaluations (1 = all, 0 = none)")
      ->capture_default_str()
      ->check(whole);
  cmd->add_option("--max-log-bytes", opt->max_log_bytes,
                  "Stop logging evaluations (with one warning; the search goes on) once "
                  "RESULT.evaluations.h5 reaches N bytes (default 1 GiB)")
      ->capture_default_str()
      ->check(positive);
  cmd->add_option("--chunk-size", opt->chunk_size,
                  "Evaluations per work chunk (default " + std::to_string(kDefaultChunkSize) + ")")
      ->check(whole);
  cmd->add_option("--orders-per-factorization", opt->orders_per_factorization,
                  "Hybrid: loop-order choices tried per factorization (default " +
                      std::to_string(kDefaultOrdersPerFactorization) + ")")
      ->check(whole);
  AddEnergyTableOption(cmd, &opt->energy_table);
  cmd->add_option("--halo-rule", opt->halo_rule, "2025 (default) or pre2025")
      ->check(CLI::IsMember({"2025", "pre2025"}));
  cmd->add_flag("-q,--quiet", opt->quiet, "No progress or tables; warnings and errors only");
  cmd->callback([run, opt] { *run = [opt] { return RunSearchCommand(*opt); }; });
}

}  // namespace sieve::cli
