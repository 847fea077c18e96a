// Evaluations per second of sieve::Evaluate on reference designs.
//
//   build/tests/sieve_bench [--benchmark_filter=...]
//
// Reports items_per_second = evaluations per second on one thread (the
// evaluator is shared by const reference, so N threads scale it N-fold up
// to memory effects; see the `/threads:2` rows). Reference designs come from
// ../shared/reference/golden when present; the bundled default design is
// always measured. The sparse cases run step 2 (formats, gating/skipping).
#include <benchmark/benchmark.h>

#include <filesystem>
#include <mutex>
#include <string>
#include <vector>

#include "golden/golden_case.hpp"
#include <memory>

#include "sieve/evaluator.hpp"
#include "sieve/spec/load.hpp"

namespace {

namespace fs = std::filesystem;
using sieve::testing::GoldenInputs;


std::vector<std::string> DefaultInputs() {
  const fs::path dir = fs::path(SIEVE_SOURCE_DIR) / "configs" / "default";
  return {(dir / "design.yaml").string(), (dir / "map.yaml").string(),
          (dir / "ERT.yaml").string(), (dir / "ART.yaml").string()};
}

void RunEvaluate(benchmark::State& state, const std::vector<std::string>& files) {
  if (!fs::exists(files.front())) {
    state.SkipWithError(("missing input " + files.front()).c_str());
    return;
  }
  static std::mutex mu;  // guards the one-time load below across threads
  sieve::spec::Spec spec;
  {
    std::lock_guard<std::mutex> lock(mu);
    spec = sieve::spec::LoadSpec(files);
  }
  const sieve::Design design = sieve::BuildDesign(spec);
  sieve::Result result;
  auto scratch = std::make_unique<sieve::Scratch>();
  for (auto _ : state) {
    sieve::Evaluate(design, *spec.mapping, *scratch, result);
    benchmark::DoNotOptimize(result.energy_pj);
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["valid"] = result.valid() ? 1 : 0;
}

void BM_DenseEyerissLike(benchmark::State& s) { RunEvaluate(s, GoldenInputs("dense_eyeriss_like")); }
void BM_DenseT06EyerissVgg02l5(benchmark::State& s) {
  RunEvaluate(s, GoldenInputs("dense_T06_eyeriss_vgg02l5"));
}
void BM_DenseSimbaLike(benchmark::State& s) { RunEvaluate(s, GoldenInputs("dense_simba_like")); }
void BM_DefaultConfig(benchmark::State& s) { RunEvaluate(s, DefaultInputs()); }
void BM_SparseEyerissGating(benchmark::State& s) {
  RunEvaluate(s, GoldenInputs("sparse_04.2.1-eyeriss-like-gating"));
}
void BM_SparseSpMspM(benchmark::State& s) { RunEvaluate(s, GoldenInputs("sparse_02.2.1-spMspM")); }

BENCHMARK(BM_DenseEyerissLike)->Threads(1)->Threads(2)->UseRealTime();
BENCHMARK(BM_DenseT06EyerissVgg02l5)->Threads(1)->Threads(2)->UseRealTime();
BENCHMARK(BM_DenseSimbaLike)->Threads(1);
BENCHMARK(BM_DefaultConfig)->Threads(1);
BENCHMARK(BM_SparseEyerissGating)->Threads(1)->Threads(2)->UseRealTime();
BENCHMARK(BM_SparseSpMspM)->Threads(1)->Threads(2)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
