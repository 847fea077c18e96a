#include "search/driver.hpp"

#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_pipeline.h>
#include <tbb/task_arena.h>

#include <chrono>
#include <cstdio>
#include <memory>

#include "search/happens_before.hpp"
#include "search/lower_bound.hpp"
#include <stdexcept>
#include <thread>

namespace sieve::search {
namespace {

using Clock = std::chrono::steady_clock;

constexpr uint8_t kValidOutcome = 0xff;

InvalidReason ReasonOf(StatusCode code) {
  switch (code) {
    case StatusCode::kCapacityExceeded:
    case StatusCode::kUnderUtilized:
      return InvalidReason::kCapacity;
    case StatusCode::kFanoutExceeded:
    case StatusCode::kSpatialWithoutFanout:
      return InvalidReason::kFanout;
    default:
      return InvalidReason::kOther;
  }
}

// A chunk travelling through the pipeline.
struct ChunkWork {
  ChunkPlan plan;
  uint32_t skip = 0;  // leading candidates merged by an earlier run
  std::vector<Choice> candidates;
  std::vector<uint8_t> outcome;  // kValidOutcome or an InvalidReason
  // Points that, when they arrived, entered the chunk-local front or became
  // a chunk-local best: only these can change the global front or bests
  // (anything else is beaten by an earlier point of the same chunk, which
  // the merge has already seen). Sorted by position.
  std::vector<std::pair<uint32_t, Point>> kept;
  std::vector<EvalRecord> logged;  // eval_index holds the chunk position
  std::vector<Outcome> told;       // per candidate, for strategies that learn
};

struct WorkerScratch {
  spec::Mapping mapping;
  Scratch eval;
  Result result;
  bool prepared = false;
};

// The one definition of the energy-column values (LevelEnergies).
template <class IsDummy>
int EnergiesOfLevels(const Result& r, IsDummy is_dummy, double* out) {
  int n = 0;
  for (int l = r.num_levels - 1; l >= 0; --l) {
    if (!is_dummy(l)) out[n++] = r.levels[l].energy_pj;
  }
  out[n++] = r.compute.energy_pj;
  return n;
}

double LastLevelAccesses(const Result& r) {
  return r.num_levels > 0 ? r.levels[r.num_levels - 1].scalar_accesses : 0;
}

// The logged record of candidate `c` with `outcome` (kValidOutcome or an
// InvalidReason); `r` is the model's result when the model ran on it.
void FillRecord(const Design& design, const Choice& c, uint8_t outcome, const Result& r, EvalRecord& rec) {
  rec.choice = c;
  rec.valid = outcome == kValidOutcome;
  if (rec.valid) {
    rec.energy_pj = r.energy_pj;
    rec.cycles = static_cast<double>(r.cycles);
    rec.edp = r.edp;
    rec.area_um2 = r.area_um2;
    rec.utilization = r.utilization;
    rec.last_level_accesses = LastLevelAccesses(r);
    rec.num_level_energies = LevelEnergies(design, r, rec.level_energy_pj.data());
  } else {
    rec.reason = static_cast<InvalidReason>(outcome);
    // A constraint failure never reached the model: `r` is an earlier
    // candidate's.
    if (rec.reason != InvalidReason::kConstraint) rec.status = r.status;
  }
}

}  // namespace

const char* InvalidReasonName(InvalidReason r) {
  switch (r) {
    case InvalidReason::kCapacity: return "capacity";
    case InvalidReason::kFanout: return "fanout";
    case InvalidReason::kConstraint: return "constraint";
    case InvalidReason::kOther: return "other";
  }
  return "other";
}

int LevelEnergies(const Design& design, const Result& r, double* out) {
  return EnergiesOfLevels(r, [&design](int l) { return design.limits.dummy[l]; }, out);
}

int LevelEnergies(const spec::Arch& arch, const Result& r, double* out) {
  return EnergiesOfLevels(r, [&arch](int l) { return arch.levels[l].is_dummy; }, out);
}

Point MakePoint(const Result& r, const std::vector<Objective>& objectives, uint64_t eval_index,
                const Choice& choice) {
  Point p;
  for (size_t i = 0; i < objectives.size(); ++i) {
    switch (objectives[i]) {
      case Objective::kEnergy: p.obj[i] = r.energy_pj; break;
      case Objective::kCycles: p.obj[i] = static_cast<double>(r.cycles); break;
      case Objective::kEdp: p.obj[i] = r.edp; break;
      case Objective::kArea: p.obj[i] = r.area_um2; break;
      case Objective::kLastLevelAccesses: p.obj[i] = LastLevelAccesses(r); break;
    }
  }
  p.energy_pj = r.energy_pj;
  p.cycles = static_cast<double>(r.cycles);
  p.edp = r.edp;
  p.eval_index = eval_index;
  p.choice = choice;
  return p;
}

SearchState RunSearch(const Design& design, const Mapspace& space,
                      const SearchOptions& options, SearchState state) {
  if (options.objectives.empty() ||
      static_cast<int>(options.objectives.size()) > kMaxObjectives) {
    throw std::invalid_argument("between 1 and 5 objectives are needed");
  }
  if (options.shard_count < 1 || options.shard_index < 0 ||
      options.shard_index >= options.shard_count) {
    throw std::invalid_argument("shard must be i/N with 0 <= i < N");
  }
  const int num_objectives = static_cast<int>(options.objectives.size());
  if (state.front.num_objectives() != num_objectives) state.front = ParetoArchive(num_objectives);
  state.stop_reason.clear();

  StrategyOptions strategy_options = options.strategy_options;
  strategy_options.num_objectives = num_objectives;
  strategy_options.objectives = options.objectives;
  std::string strategy_name = options.strategy;
  state.optimal = false;
  if (strategy_name == "optimal") {
    const std::string why = OptimalTooLarge(space, options.optimal_max_mappings);
    if (!why.empty()) {
      state.notes.push_back("optimal search is not feasible here (" + why + "); running local search instead");
      strategy_name = "local";
    } else {
      strategy_options.lower_bound = std::make_shared<LowerBound>(design, space);
    }
  }
  std::unique_ptr<Strategy> strategy = MakeStrategy(strategy_name, space, strategy_options);
  const bool feedback = strategy->WantsFeedback();
  const bool skip_after_capacity = strategy->SkipChunkAfterCapacityFailure();
  if (state.next_chunk_index > 0) strategy->Restore(state.next_plan);

  const int threads = options.threads > 0
                          ? options.threads
                          : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  const Clock::time_point start = Clock::now();
  const double elapsed_before = state.elapsed_s;
  const uint64_t evaluations_before = state.evaluations;
  Clock::time_point last_report = start;
  Clock::time_point last_checkpoint = start;
  std::atomic<bool> stop{false};
  bool exhausted = false;
  uint64_t local_index = state.next_chunk_index;
  // Where this run starts, read once: the merge stage updates the state's
  // copies while the plan stage runs (a data race if the plan read them).
  const uint64_t first_index = state.next_chunk_index;
  const uint32_t first_skip = state.next_chunk_skip;
  tbb::enumerable_thread_specific<WorkerScratch> scratch;

  auto seconds_since = [](Clock::time_point t) {
    return std::chrono::duration<double>(Clock::now() - t).count();
  };
  auto out_of_time = [&] {
    return options.time_limit_s > 0 && seconds_since(start) >= options.time_limit_s;
  };
  auto interrupted = [&] {
    return options.stop_requested != nullptr && options.stop_requested->load();
  };

  auto plan_body = [&](tbb::flow_control& fc) -> ChunkWork* {
    if (stop.load() || interrupted() || out_of_time()) {
      fc.stop();
      return nullptr;
    }
    auto work = std::make_unique<ChunkWork>();
    const uint64_t chunk =
        static_cast<uint64_t>(options.shard_index) +
        static_cast<uint64_t>(options.shard_count) * local_index;
    if (!strategy->Plan(chunk, work->plan)) {
      exhausted = true;
      fc.stop();
      return nullptr;
    }
    if (local_index == first_index) work->skip = first_skip;
    ++local_index;
    return work.release();
  };

  auto evaluate_body = [&](ChunkWork* work) -> ChunkWork* {
    WorkerScratch& s = scratch.local();
    if (!s.prepared) {
      space.Prepare(s.mapping);
      s.prepared = true;
    }
    strategy->Candidates(work->plan, work->candidates);
    size_t n = work->candidates.size();
    work->outcome.resize(n);
    if (feedback) work->told.assign(n, Outcome{});
    if (options.log_every > 0) work->logged.reserve(n / options.log_every + 1);
    ParetoArchive local(num_objectives);
    BestTracker local_best;
    for (size_t i = 0; i < n; ++i) {
      const Choice& c = work->candidates[i];
      space.Decode(c, s.mapping);
      bool valid = false;
      if (space.ViolatesUtilization(s.mapping)) {
        work->outcome[i] = static_cast<uint8_t>(InvalidReason::kConstraint);
      } else {
        Evaluate(design, s.mapping, s.eval, s.result);
        valid = s.result.valid();
        work->outcome[i] =
            valid ? kValidOutcome : static_cast<uint8_t>(ReasonOf(s.result.status.code));
      }
      if (i == 0 && skip_after_capacity && work->outcome[0] == static_cast<uint8_t>(InvalidReason::kCapacity) &&
          s.result.status.code == StatusCode::kCapacityExceeded) {
        // The rest of the chunk shares these factors and needs at least as
        // much room (the strategy says so): count it as one evaluation.
        n = 1;
        work->candidates.resize(1);
        work->outcome.resize(1);
        if (feedback) work->told.resize(1);
      }
      if (valid) {
        const Point p = MakePoint(s.result, options.objectives, i, c);
        if (feedback) {
          work->told[i].valid = true;
          work->told[i].obj = p.obj;
        }
        const bool in_front = local.Insert(p);
        const bool is_best = local_best.Offer(p);
        if (in_front || is_best) work->kept.emplace_back(static_cast<uint32_t>(i), p);
      }
      if (options.log_every > 0 && i % options.log_every == 0) {
        FillRecord(design, c, work->outcome[i], s.result, work->logged.emplace_back());
        work->logged.back().eval_index = i;
      }
    }
    return work;
  };

  auto merge_body = [&](ChunkWork* raw) {
    std::unique_ptr<ChunkWork> work(raw);
    if (!state.stop_reason.empty()) return;  // in flight when the run stopped
    const uint64_t base = state.evaluations;
    const size_t n = work->candidates.size();
    size_t k = 0;
    while (k < work->kept.size() && work->kept[k].first < work->skip) ++k;
    size_t done = work->skip;
    for (size_t i = work->skip; i < n; ++i) {
      if (options.max_evaluations > 0 && state.evaluations >= options.max_evaluations) {
        state.stop_reason = "evaluation budget";
        break;
      }
      ++state.evaluations;
      ++done;
      if (work->outcome[i] != kValidOutcome) {
        ++state.invalid[work->outcome[i]];
        continue;  // an invalid mapping tells nothing about convergence
      }
      ++state.valid;
      bool improved = false;
      if (k < work->kept.size() && work->kept[k].first == i) {
        Point p = work->kept[k].second;
        p.eval_index = base + (i - work->skip);
        improved = state.front.Insert(p);
        state.best.Offer(p);
        ++k;
      }
      state.since_improvement = improved ? 0 : state.since_improvement + 1;
      if (options.victory > 0 && state.since_improvement >= options.victory) {
        state.stop_reason = "victory condition";
        break;
      }
    }
    if (feedback) strategy->Tell(work->plan, work->candidates, work->told, done);
    if (options.on_logged && !work->logged.empty()) {
      // Kept in place (records are large and the chunk is done with them).
      std::vector<EvalRecord>& rows = work->logged;
      size_t kept = 0;
      for (size_t r = 0; r < rows.size(); ++r) {
        if (rows[r].eval_index < work->skip) continue;
        if (rows[r].eval_index >= done) break;
        if (kept != r) rows[kept] = rows[r];
        rows[kept].eval_index = base + (rows[r].eval_index - work->skip);
        ++kept;
      }
      rows.resize(kept);
      options.on_logged(std::move(rows));
    }
    const bool whole_chunk = done == n;
    state.next_chunk_skip = whole_chunk ? 0 : static_cast<uint32_t>(done);
    if (whole_chunk) {
      ++state.next_chunk_index;
      state.next_plan = ChunkPlan{};
      state.next_plan.chunk = work->plan.chunk + 1;
      state.next_plan.start = work->plan.end;
      state.next_plan.start_sub = work->plan.end_sub;
      state.next_plan.start_at_end = work->plan.end_at_end;
    }
    if (options.max_evaluations > 0 && state.evaluations >= options.max_evaluations &&
        state.stop_reason.empty()) {
      state.stop_reason = "evaluation budget";
    }
    if (state.stop_reason.empty() && out_of_time()) state.stop_reason = "time limit";
    if (state.stop_reason.empty() && interrupted()) state.stop_reason = "interrupted";
    state.elapsed_s = elapsed_before + seconds_since(start);
    if (!state.stop_reason.empty()) stop.store(true);

    if (seconds_since(last_report) >= options.report_interval_s) {
      last_report = Clock::now();
      if (options.on_progress) {
        const double run_s = seconds_since(start);
        const double rate = run_s > 0 ? static_cast<double>(state.evaluations - evaluations_before) / run_s : 0;
        double eta = -1;
        if (options.max_evaluations > 0 && rate > 0) {
          eta = static_cast<double>(options.max_evaluations - state.evaluations) / rate;
        }
        if (options.time_limit_s > 0) {
          const double left = options.time_limit_s - run_s;
          eta = eta < 0 ? left : std::min(eta, left);
        }
        options.on_progress(Progress{&state, rate, eta});
      }
      if (options.on_snapshot) options.on_snapshot(state);
    }
    if (whole_chunk && options.on_checkpoint &&
        seconds_since(last_checkpoint) >= options.checkpoint_interval_s) {
      last_checkpoint = Clock::now();
      options.on_checkpoint(state);
    }
  };

  // The stages as oneTBB runs them, with the ordering it guarantees stated
  // for ThreadSanitizer (search/happens_before.hpp). Each edge is taken
  // before the stage reads anything, its captured references included.
  auto plan_stage = [&](tbb::flow_control& fc) -> ChunkWork* {
    HappensAfter(&PipelineEdges::start);
    HappensAfter(&PipelineEdges::plan_order);
    ChunkWork* work = plan_body(fc);
    if (work != nullptr) HappensBefore(work);
    HappensBefore(&PipelineEdges::plan_order);
    HappensBefore(&PipelineEdges::end);
    return work;
  };
  auto evaluate_stage = [&](ChunkWork* work) -> ChunkWork* {
    HappensAfter(work);
    evaluate_body(work);
    HappensBefore(work);
    return work;
  };
  auto merge_stage = [&](ChunkWork* work) {
    HappensAfter(&PipelineEdges::merge_order);
    HappensAfter(work);
    merge_body(work);
    HappensBefore(&PipelineEdges::merge_order);
    HappensBefore(&PipelineEdges::end);
  };

  tbb::task_arena arena(threads);
  // A strategy that learns ends each round by ending Plan; with nothing in
  // flight it then sets up the next round, and the pipeline runs again.
  while (true) {
    HappensBefore(&PipelineEdges::start);
    arena.execute([&] {
      HappensAfter(&PipelineEdges::start);
      tbb::parallel_pipeline(
          static_cast<size_t>(4 * threads),
          tbb::make_filter<void, ChunkWork*>(tbb::filter_mode::serial_in_order, plan_stage) &
              tbb::make_filter<ChunkWork*, ChunkWork*>(tbb::filter_mode::parallel, evaluate_stage) &
              tbb::make_filter<ChunkWork*, void>(tbb::filter_mode::serial_in_order, merge_stage));
      HappensBefore(&PipelineEdges::end);
    });
    HappensAfter(&PipelineEdges::end);
    if (!exhausted || !state.stop_reason.empty() || stop.load() || interrupted() || out_of_time()) break;
    if (!strategy->NextRound()) break;
    exhausted = false;
  }

  if (state.stop_reason.empty()) {
    if (exhausted) {
      state.stop_reason = "mapspace exhausted";
    } else if (interrupted()) {
      state.stop_reason = "interrupted";
    } else if (out_of_time()) {
      state.stop_reason = "time limit";
    } else {
      state.stop_reason = "stopped";
    }
  }
  state.elapsed_s = elapsed_before + seconds_since(start);
  // A finished optimal search has seen every mapping it did not prove
  // dominated: its front is the space's.
  state.optimal = strategy_name == "optimal" && state.stop_reason == "mapspace exhausted" &&
                  options.shard_count == 1;
  if (const std::string s = strategy->Summary(); !s.empty()) state.notes.push_back(s);
  if (options.on_checkpoint) options.on_checkpoint(state);
  return state;
}

std::string OptimalTooLarge(const Mapspace& space, double max_mappings) {
  double factorizations = 1;
  for (int d = 0; d < space.num_dims(); ++d) factorizations *= space.NumFactorizations(d);
  char buf[160];
  if (factorizations > 2e8) {
    std::snprintf(buf, sizeof buf, "%.3g factorizations, more than 2e8 to walk", factorizations);
    return buf;
  }
  const double mappings = static_cast<double>(MakeStrategy("exhaustive", space, {})->KnownTotal());
  if (mappings > max_mappings) {
    std::snprintf(buf, sizeof buf, "%.3g canonical mappings, more than the limit %.3g", mappings, max_mappings);
    return buf;
  }
  return "";
}

}  // namespace sieve::search
