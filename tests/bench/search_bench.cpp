// Evaluated mappings per second of the whole search (plan, decode, evaluate,
// merge) on 1 and 2 threads:
//
//   build/tests/sieve_search_bench
//
// items_per_second = evaluated mappings per second (valid or not) over the
// wall-clock time of a fixed-budget random search. Designs: the dense
// dense_T06_eyeriss_vgg02l5 case (its mapping's factors become the search
// problem, no constraints), and the 04.2.2 Eyeriss-like mapspace (lowered
// v0.4 input with its architecture constraints, as published). Reference data
// is read from ../shared when present; otherwise the bundled default design
// with its constraints is measured.
#include <benchmark/benchmark.h>

#include <filesystem>
#include <string>
#include <vector>

#include "search/driver.hpp"
#include "search/mapspace.hpp"
#include "sieve/evaluator.hpp"
#include "sieve/spec/load.hpp"

namespace {

namespace fs = std::filesystem;

const fs::path kShared = fs::path(SIEVE_SHARED_DIR) / "reference";

std::vector<std::string> T06() {
  const fs::path d = kShared / "golden" / "dense_T06_eyeriss_vgg02l5";
  return {(d / "input.yaml").string(), (d / "ERT.yaml").string(), (d / "ART.yaml").string()};
}

std::vector<std::string> Mapspace0422() {
  const fs::path d = kShared / "timeloop-exercises" / "v04-sparseloop" /
                     "04.2.2-eyeriss-like-gating-mapspace-search" / "ref_outputs";
  return {(d / "parsed-processed-input.yaml").string(), (d / "timeloop-mapper.ERT.yaml").string(),
          (d / "timeloop-mapper.ART.yaml").string()};
}

std::vector<std::string> DefaultDesign() {
  const fs::path d = fs::path(SIEVE_SOURCE_DIR) / "configs" / "default";
  return {(d / "design.yaml").string(), (d / "constraints.yaml").string(),
          (d / "ERT.yaml").string(), (d / "ART.yaml").string()};
}

void RunSearchBench(benchmark::State& state, const std::vector<std::string>& files) {
  if (!fs::exists(files.front())) {
    state.SkipWithError(("missing input " + files.front()).c_str());
    return;
  }
  const sieve::spec::Spec spec = sieve::spec::LoadSpec(files);
  const sieve::Design design = sieve::BuildDesign(spec);
  const sieve::search::Mapspace space(spec);
  sieve::search::SearchOptions options;
  options.threads = static_cast<int>(state.range(0));
  options.max_evaluations = 2'000'000;
  options.report_interval_s = 1e9;
  uint64_t evaluations = 0;
  uint64_t valid = 0;
  for (auto _ : state) {
    const sieve::search::SearchState result =
        sieve::search::RunSearch(design, space, options, sieve::search::SearchState{});
    evaluations += result.evaluations;
    valid += result.valid;
  }
  state.SetItemsProcessed(static_cast<int64_t>(evaluations));
  state.counters["valid_fraction"] =
      evaluations ? static_cast<double>(valid) / static_cast<double>(evaluations) : 0;
}

void BM_SearchT06(benchmark::State& s) { RunSearchBench(s, T06()); }
void BM_Search0422(benchmark::State& s) { RunSearchBench(s, Mapspace0422()); }
void BM_SearchDefault(benchmark::State& s) { RunSearchBench(s, DefaultDesign()); }

BENCHMARK(BM_SearchT06)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(1);
BENCHMARK(BM_Search0422)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(1);
BENCHMARK(BM_SearchDefault)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(1);

}  // namespace

BENCHMARK_MAIN();
