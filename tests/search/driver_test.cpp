// RunSearch: determinism across thread counts, exact budgets, resume from a
// checkpoint, interruption, shards, and the exhaustive front against brute
// force. Mostly on a small inline design whose canonical mapspace has 3504
// mappings (derived by hand in mapspace_test.cpp: ThreeDimsHandCount), plus
// the bundled configs/default design.
#include "search/driver.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include "search/checkpoint.hpp"
#include "search/lower_bound.hpp"
#include "sieve/spec/load.hpp"
#include "support/temp_dir.hpp"

namespace sieve::search {
namespace {

namespace fs = std::filesystem;

// K=4 C=6 P=2 on Buf[4] (1-D fan-out 4 at inter_PE_spatial, 16 words) | DRAM.
const char* kDesign = R"(problem:
  shape:
    name: p3
    dimensions: [K, C, P]
    data_spaces:
      - {name: W, projection: [[[K]], [[C]]]}
      - {name: I, projection: [[[C]], [[P]]]}
      - {name: O, projection: [[[K]], [[P]]], read_write: true}
  instance: {K: 4, C: 6, P: 2}
architecture:
  version: 0.4
  subtree:
    - name: top
      local:
        - name: DRAM[1..1]
          class: DRAM
          attributes: {read_bandwidth: 1, write_bandwidth: 1, width: 64, datawidth: 8}
        - name: inter_PE_spatial[1..1]
          class: dummy_storage
          attributes: {width: 1, depth: 1, datawidth: 1}
        - name: Buf[1..4]
          class: SRAM
          attributes: {depth: 16, width: 8, datawidth: 8, meshX: 4}
        - name: mac[1..4]
          class: intmac
          attributes: {meshX: 4}
ERT:
  version: '0.4'
  tables:
    - name: top.DRAM[1..1]
      actions:
        - {name: read, arguments: {}, energy: 8.0}
        - {name: write, arguments: {}, energy: 8.0}
        - {name: update, arguments: {}, energy: 8.0}
    - name: top.Buf[1..4]
      actions:
        - {name: read, arguments: {}, energy: 2.0}
        - {name: write, arguments: {}, energy: 2.5}
        - {name: update, arguments: {}, energy: 2.5}
        - {name: leak, arguments: {}, energy: 0.01}
    - name: top.mac[1..4]
      actions:
        - {name: compute, arguments: {}, energy: 1.0}
)";

struct TestDesign {
  spec::Spec spec;
  sieve::Design design;
  Mapspace space;
  // The driver tests count mappings of the space with only the bound-1
  // equivalences (kSmallTotal); ReuseEquivalenceLosesNothing uses both.
  explicit TestDesign(spec::Spec s, bool reuse_equivalence = false)
      : spec(std::move(s)), design(BuildDesign(spec)), space(spec, reuse_equivalence) {}
};

const TestDesign& Small() {
  static const TestDesign d(spec::LoadSpecFromTexts({{"design.yaml", kDesign}}));
  return d;
}

const TestDesign& Default() {
  static const TestDesign d([] {
    const std::string dir = SIEVE_SOURCE_DIR "/configs/default/";
    return spec::LoadSpec({dir + "design.yaml", dir + "constraints.yaml", dir + "ERT.yaml", dir + "ART.yaml"});
  }());
  return d;
}

constexpr uint64_t kSmallTotal = 3504;  // canonical mappings of the small design

SearchOptions Options(const std::string& strategy, int threads, uint64_t budget) {
  SearchOptions o;
  o.strategy = strategy;
  o.strategy_options.seed = 12345;
  o.strategy_options.chunk_size = 64;
  o.strategy_options.orders_per_factorization = 16;
  o.strategy_options.valid_first = false;  // counts over the whole space (see ValidFirst below)
  o.threads = threads;
  o.max_evaluations = budget;
  return o;
}

// Everything the result of a run should be determined by.
std::string Signature(const TestDesign& d, const SearchState& s) {
  std::ostringstream out;
  out.precision(17);
  out << "evals " << s.evaluations << " valid " << s.valid << " invalid";
  for (uint64_t n : s.invalid) out << " " << n;
  out << " since " << s.since_improvement << " stop '" << s.stop_reason << "'\n";
  std::set<std::string> front;
  for (const Point& p : s.front.points()) {
    std::ostringstream f;
    f.precision(17);
    for (int k = 0; k < s.front.num_objectives(); ++k) f << p.obj[k] << " ";
    f << "id " << d.space.IdText(p.choice) << " at " << p.eval_index;
    front.insert(f.str());
  }
  for (const std::string& f : front) out << "front " << f << "\n";
  for (BestTracker::Metric m : BestTracker::kAll) {
    const auto& b = s.best.best(m);
    out << "best " << BestTracker::Name(m) << " ";
    if (b) out << BestTracker::Value(*b, m) << " id " << d.space.IdText(b->choice) << " at " << b->eval_index;
    out << "\n";
  }
  return out.str();
}

SearchState Search(const TestDesign& d, const SearchOptions& o, SearchState from = {}) {
  return RunSearch(d.design, d.space, o, std::move(from));
}

// ---- (a) + (b) determinism and exact budgets ------------------------------------------------

class SearchDeterminism : public ::testing::TestWithParam<std::string> {};

TEST_P(SearchDeterminism, SameResultOnOneTwoFourThreads) {
  const std::string strategy = GetParam();
  const bool exhaustive = strategy == "exhaustive";
  const uint64_t budget = exhaustive ? 0 : 20000;
  const SearchState one = Search(Small(), Options(strategy, 1, budget));
  if (exhaustive) {
    EXPECT_EQ(one.stop_reason, "mapspace exhausted");
    // Choices that cannot fit (fan-out, buffers) are walked, not evaluated.
    EXPECT_LE(one.evaluations, kSmallTotal);
  } else {
    EXPECT_EQ(one.stop_reason, "evaluation budget");
    EXPECT_EQ(one.evaluations, budget);  // 20000 is not a multiple of 64: cut mid-chunk
  }
  EXPECT_EQ(one.valid + one.invalid[0] + one.invalid[1] + one.invalid[2] + one.invalid[3], one.evaluations);
  EXPECT_GT(one.valid, 0u);
  EXPECT_GT(one.evaluations - one.valid, 0u);  // the design has invalid mappings too
  EXPECT_GE(one.front.points().size(), 2u);
  const std::string want = Signature(Small(), one);
  for (int threads : {2, 4}) {
    EXPECT_EQ(Signature(Small(), Search(Small(), Options(strategy, threads, budget))), want) << threads << " threads";
  }
}

INSTANTIATE_TEST_SUITE_P(Search, SearchDeterminism, ::testing::Values("random", "hybrid", "exhaustive", "local"));

TEST(SearchDriver, DefaultDesignDeterministic) {
  for (const char* strategy : {"random", "hybrid", "local"}) {
    const SearchState one = Search(Default(), Options(strategy, 1, 20000));
    EXPECT_EQ(one.evaluations, 20000u);
    EXPECT_GT(one.valid, 0u) << strategy;
    const std::string want = Signature(Default(), one);
    EXPECT_EQ(Signature(Default(), Search(Default(), Options(strategy, 4, 20000))), want) << strategy;
  }
}

TEST(SearchDriver, VictoryConditionDeterministic) {
  SearchOptions o = Options("random", 1, 400000);
  o.victory = 500;
  const SearchState one = Search(Small(), o);
  ASSERT_EQ(one.stop_reason, "victory condition");
  EXPECT_EQ(one.since_improvement, 500u);
  EXPECT_LT(one.evaluations, 400000u);
  const std::string want = Signature(Small(), one);
  for (int threads : {2, 4}) {
    o.threads = threads;
    EXPECT_EQ(Signature(Small(), Search(Small(), o)), want) << threads << " threads";
  }
}

TEST(SearchDriver, BudgetIsExact) {
  for (const char* strategy : {"random", "hybrid", "exhaustive"}) {
    for (uint64_t budget : {1ull, 63ull, 64ull, 65ull, 1000ull}) {
      const SearchState s = Search(Small(), Options(strategy, 2, budget));
      EXPECT_EQ(s.evaluations, budget) << strategy << " " << budget;
      EXPECT_EQ(s.stop_reason, "evaluation budget") << strategy << " " << budget;
    }
  }
}

// ---- (c) resume --------------------------------------------------------------------------

class SearchResume : public ::testing::TestWithParam<std::tuple<std::string, uint64_t, int>> {
 protected:
  const ::sieve::testing::TempDir tmp_;
  const std::string path_ = (tmp_ / "ckpt.json").string();
};

CheckpointKey KeyOf(const SearchOptions& o) {
  CheckpointKey k;
  k.config_sha256 = "test";
  k.strategy = o.strategy;
  k.seed = o.strategy_options.seed;
  k.objectives = "energy,cycles";
  k.chunk_size = o.strategy_options.chunk_size;
  k.shard_index = o.shard_index;
  k.shard_count = o.shard_count;
  k.orders_per_factorization = o.strategy_options.orders_per_factorization;
  return k;
}

// Every evaluation as (index, mapping id, valid), in merge order.
void LogInto(SearchOptions& o, const Mapspace& space, std::vector<std::string>& log) {
  o.log_every = 1;
  o.on_logged = [&log, &space](std::vector<EvalRecord>&& rows) {
    for (const EvalRecord& r : rows)
      log.push_back(std::to_string(r.eval_index) + " " + space.IdText(r.choice) + (r.valid ? " ok" : " bad"));
  };
}

TEST_P(SearchResume, TwoHalvesEqualOneRun) {
  const auto [strategy, total, shards] = GetParam();
  // With shards, run the last shard (chunks shards-1, 2*shards-1, ...).
  auto options = [&, strategy = strategy, shards = shards](uint64_t budget) {
    SearchOptions o = Options(strategy, 2, budget);
    o.shard_count = shards;
    o.shard_index = shards - 1;
    return o;
  };
  std::vector<std::string> whole_log, split_log;
  SearchOptions one = options(total);
  LogInto(one, Small().space, whole_log);
  const SearchState whole = Search(Small(), one);
  ASSERT_EQ(whole.evaluations, total);

  SearchOptions first = options(total / 2);
  LogInto(first, Small().space, split_log);
  first.on_checkpoint = [&](const SearchState& s) { SaveCheckpoint(path_, KeyOf(first), s); };
  const SearchState half = Search(Small(), first);
  ASSERT_EQ(half.evaluations, total / 2);
  SearchState restored = LoadCheckpoint(path_, KeyOf(first));
  EXPECT_EQ(restored.evaluations, total / 2);
  SearchOptions second = options(total);
  LogInto(second, Small().space, split_log);
  const SearchState resumed = Search(Small(), second, std::move(restored));
  EXPECT_EQ(Signature(Small(), resumed), Signature(Small(), whole));
  // The same mappings evaluated, in the same order, each once.
  ASSERT_EQ(split_log.size(), whole_log.size());
  for (size_t i = 0; i < whole_log.size(); ++i) {
    ASSERT_EQ(split_log[i], whole_log[i]) << "evaluation " << i << " (first half ended at " << total / 2 << ")";
  }
}

// N/2 = 10000 (random; hybrid chunks hold at most 16), 1500, 750 and 1500
// are not multiples of the chunk size (64), so the first half ends mid-chunk;
// 2560 = 64*40 and 640 = 64*10 are. Then shard 1/2 and 2/3; then 50 < 64:
// the first half ends inside the first chunk.
INSTANTIATE_TEST_SUITE_P(Search, SearchResume,
                         ::testing::Values(std::make_tuple("random", 20000ull, 1), std::make_tuple("hybrid", 20000ull, 1),
                                           std::make_tuple("exhaustive", 3000ull, 1),
                                           std::make_tuple("random", 5120ull, 1), std::make_tuple("hybrid", 5120ull, 1),
                                           std::make_tuple("exhaustive", 1280ull, 1),
                                           std::make_tuple("exhaustive", 1500ull, 2), std::make_tuple("random", 3000ull, 3),
                                           std::make_tuple("exhaustive", 100ull, 1), std::make_tuple("random", 100ull, 2)));

// A finished exhaustive search, resumed from its last checkpoint, has
// nothing left to evaluate. Likewise when a budget ends exactly at the last
// mapping (3504 = 54 x 64 + 48: the last chunk is whole and ends the space).
TEST_F(SearchResume, ResumeAfterExhaustionStaysExhausted) {
  for (uint64_t budget : {uint64_t{0}, kSmallTotal}) {
    SearchOptions o = Options("exhaustive", 2, budget);
    o.on_checkpoint = [&](const SearchState& s) { SaveCheckpoint(path_, KeyOf(o), s); };
    const SearchState done = Search(Small(), o);
    ASSERT_EQ(done.evaluations, kSmallTotal);
    o.on_checkpoint = nullptr;
    o.max_evaluations = 0;
    const SearchState again = Search(Small(), o, LoadCheckpoint(path_, KeyOf(o)));
    EXPECT_EQ(again.stop_reason, "mapspace exhausted") << "budget " << budget;
    EXPECT_EQ(again.evaluations, kSmallTotal)
        << "budget " << budget << ": a finished exhaustive search evaluated mappings again";
    EXPECT_EQ(Signature(Small(), again).substr(Signature(Small(), again).find('\n')),
              Signature(Small(), done).substr(Signature(Small(), done).find('\n')));
  }
}

TEST_F(SearchResume, OtherSettingsAreRefused) {
  SearchOptions o = Options("random", 1, 100);
  o.on_checkpoint = [&](const SearchState& s) { SaveCheckpoint(path_, KeyOf(o), s); };
  Search(Small(), o);
  EXPECT_EQ(LoadCheckpoint(path_, KeyOf(o)).evaluations, 100u);
  CheckpointKey other = KeyOf(o);
  other.seed += 1;
  EXPECT_THROW(LoadCheckpoint(path_, other), std::runtime_error);
  other = KeyOf(o);
  other.strategy = "hybrid";
  EXPECT_THROW(LoadCheckpoint(path_, other), std::runtime_error);
}

// ---- (d) interruption ---------------------------------------------------------------------

TEST(SearchDriver, StopRequestedBeforeStart) {
  std::atomic<bool> stop{true};
  SearchOptions o = Options("random", 4, 0);  // no budget: only the flag can stop it
  o.stop_requested = &stop;
  const SearchState s = Search(Small(), o);
  EXPECT_EQ(s.stop_reason, "interrupted");
  EXPECT_EQ(s.evaluations, 0u);
}

TEST(SearchDriver, StopRequestedWhileRunning) {
  std::atomic<bool> stop{false};
  SearchOptions o = Options("random", 2, 0);
  o.stop_requested = &stop;
  o.log_every = 64;  // one record per chunk, delivered by the merge stage
  o.on_logged = [&](std::vector<EvalRecord>&& rows) {
    if (!rows.empty() && rows.front().eval_index >= 6400) stop = true;
  };
  const SearchState s = Search(Small(), o);
  EXPECT_EQ(s.stop_reason, "interrupted");
  // Merged up to the chunk that set the flag (eval 6400..6463), nothing after.
  EXPECT_EQ(s.evaluations, 6464u);
}

// ---- (e) shards ------------------------------------------------------------------------------

std::vector<Choice> ExhaustiveCandidates(const Mapspace& space) {
  StrategyOptions so;
  so.chunk_size = 64;
  so.valid_first = false;
  auto s = MakeStrategy("exhaustive", space, so);
  std::vector<Choice> out;
  ChunkPlan plan;
  for (uint64_t c = 0; s->Plan(c, plan); ++c) s->Candidates(plan, out);
  return out;
}

std::string ChoiceText(const Mapspace& space, const Choice& c) { return space.IdText(c); }

TEST(SearchDriver, ShardsCoverExhaustiveExactlyOnce) {
  const TestDesign& d = Small();
  std::multiset<std::string> seen;
  uint64_t evaluations = 0;
  for (int shard = 0; shard < 2; ++shard) {
    SearchOptions o = Options("exhaustive", 2, 0);
    o.shard_index = shard;
    o.shard_count = 2;
    o.log_every = 1;
    o.on_logged = [&](std::vector<EvalRecord>&& rows) {
      for (const EvalRecord& r : rows) seen.insert(ChoiceText(d.space, r.choice));
    };
    const SearchState s = Search(d, o);
    EXPECT_EQ(s.stop_reason, "mapspace exhausted");
    evaluations += s.evaluations;
  }
  EXPECT_EQ(evaluations, kSmallTotal);
  std::multiset<std::string> all;
  for (const Choice& c : ExhaustiveCandidates(d.space)) all.insert(ChoiceText(d.space, c));
  EXPECT_EQ(all.size(), kSmallTotal);
  EXPECT_EQ(seen, all);
}

// ---- (f) exhaustive front = brute force --------------------------------------------------------

// Valid-first exhaustive search skips only mappings the model rejects: the
// same valid mappings, front and bests as walking everything, in fewer
// evaluations (on 1, 2 and 4 threads).
TEST(SearchDriver, ValidFirstExhaustiveLosesNothing) {
  SearchOptions all = Options("exhaustive", 2, 0);
  const SearchState everything = Search(Small(), all);
  for (int threads : {1, 2, 4}) {
    SearchOptions o = Options("exhaustive", threads, 0);
    o.strategy_options.valid_first = true;
    const SearchState s = Search(Small(), o);
    EXPECT_EQ(s.valid, everything.valid);
    EXPECT_LT(s.evaluations, everything.evaluations);
    std::set<std::string> a, b;
    for (const Point& p : s.front.points()) a.insert(Small().space.IdText(p.choice));
    for (const Point& p : everything.front.points()) b.insert(Small().space.IdText(p.choice));
    EXPECT_EQ(a, b);
    for (BestTracker::Metric m : BestTracker::kAll)
      EXPECT_EQ(BestTracker::Value(*s.best.best(m), m), BestTracker::Value(*everything.best.best(m), m));
  }
}

// The factorization bounds never exceed what the model gives, on random
// valid mappings of dense and sparse designs.
void ExpectBoundsSound(const TestDesign& d, const std::string& what) {
  SCOPED_TRACE(what);
  const LowerBound bound(d.design, d.space);
  const std::vector<Objective> objectives = {Objective::kEnergy, Objective::kCycles, Objective::kEdp};
  StrategyOptions so;
  so.chunk_size = 1000;
  auto random = MakeStrategy("random", d.space, so);
  spec::Mapping m;
  d.space.Prepare(m);
  int checked = 0;
  double tightest = 1e300;
  for (uint64_t chunk = 0; chunk < 20; ++chunk) {
    ChunkPlan plan;
    random->Plan(chunk, plan);
    std::vector<Choice> cands;
    random->Candidates(plan, cands);
    for (const Choice& c : cands) {
      d.space.Decode(c, m);
      const Result r = Evaluate(d.design, m);
      if (!r.valid()) continue;
      ++checked;
      const auto b = bound.Of(c, objectives);
      EXPECT_LE(b[0], r.energy_pj * (1 + 1e-9)) << d.space.IdText(c);
      EXPECT_LE(b[1], static_cast<double>(r.cycles)) << d.space.IdText(c);
      EXPECT_LE(b[2], r.edp * (1 + 1e-9)) << d.space.IdText(c);
      tightest = std::min(tightest, r.energy_pj / b[0]);
    }
  }
  EXPECT_GT(checked, 100);
  std::printf("%s: %d valid mappings, closest energy/bound %.3f, cycle bound %s\n", what.c_str(), checked, tightest,
              bound.bounds_cycles() ? "on" : "off (SAFs)");
}

TEST(SearchOptimal, BoundsAreSound) {
  ExpectBoundsSound(Small(), "small dense");
  ExpectBoundsSound(Default(), "configs/default with ERT (dense)");
  const std::string dir = SIEVE_SOURCE_DIR "/configs/default/";
  static const TestDesign sparse(spec::LoadSpec({dir + "design.yaml", dir + "sparse.yaml", dir + "constraints.yaml"}));
  ExpectBoundsSound(sparse, "configs/default sparse, built-in energy");
  const std::string fe = SIEVE_SHARED_DIR "/reference/frontend/";
  for (const char* name : {"eyeriss_like", "simba_like", "sparseloop/04.2.2-eyeriss-like-gating-mapspace-search"}) {
    if (!fs::is_directory(fe + name)) continue;
    const TestDesign d(spec::LoadSpec({fe + name}));
    ExpectBoundsSound(d, name);
  }
}

// Optimal search returns the exhaustive front and bests, skipping
// dominated factorizations, on any thread count.
TEST(SearchOptimal, SameFrontAsExhaustiveInFewerEvaluations) {
  // Only computes cost energy (1 pJ each), so every mapping has the
  // bound's energy, and a factorization with more temporal iterations than
  // the fastest one found is dominated: pruning must happen.
  static const TestDesign compute_only(spec::LoadSpecFromTexts(
      {{"design.yaml", kDesign},
       {"ert.yaml", "ERT:\n  version: '0.4'\n  tables:\n"
                    "    - {name: 'top.DRAM[1..1]', actions: [{name: read, energy: 0}]}\n"
                    "    - {name: 'top.Buf[1..4]', actions: [{name: read, energy: 0}]}\n"
                    "    - {name: 'top.mac[1..4]', actions: [{name: compute, energy: 1.0}]}\n"}}));
  auto Small = []() -> const TestDesign& { return compute_only; };
  SearchOptions all = Options("exhaustive", 2, 0);
  all.strategy_options.valid_first = true;
  const SearchState everything = Search(Small(), all);
  std::set<std::string> want;
  for (const Point& p : everything.front.points()) want.insert(Small().space.IdText(p.choice));
  std::string first;
  for (int threads : {1, 2, 4}) {
    SearchOptions o = Options("optimal", threads, 0);
    o.strategy_options.valid_first = true;
    o.strategy_options.chunk_size = 16;
    o.strategy_options.chunks_per_round = 4;
    const SearchState s = Search(Small(), o);
    EXPECT_EQ(s.stop_reason, "mapspace exhausted");
    EXPECT_TRUE(s.optimal);
    EXPECT_LT(s.evaluations, everything.evaluations);
    std::set<std::string> got;
    for (const Point& p : s.front.points()) got.insert(Small().space.IdText(p.choice));
    EXPECT_EQ(got, want) << threads << " threads";
    for (BestTracker::Metric m : BestTracker::kAll)
      EXPECT_EQ(Small().space.IdText(s.best.best(m)->choice), Small().space.IdText(everything.best.best(m)->choice));
    if (first.empty()) first = Signature(Small(), s);
    EXPECT_EQ(Signature(Small(), s), first) << threads << " threads";
    ASSERT_FALSE(s.notes.empty());
    EXPECT_EQ(s.notes.back().find("optimal: 0 "), std::string::npos) << s.notes.back();
  }
}

TEST(SearchOptimal, TooLargeFallsBackToLocal) {
  SearchOptions o = Options("optimal", 2, 2000);
  o.optimal_max_mappings = 10;  // the small design has 3504
  const SearchState s = Search(Small(), o);
  EXPECT_FALSE(s.optimal);
  ASSERT_FALSE(s.notes.empty());
  EXPECT_NE(s.notes.front().find("running local search instead"), std::string::npos) << s.notes.front();
  EXPECT_EQ(s.evaluations, 2000u);
}

// Exhaustive search under the reuse equivalence finds the same front and
// bests as without it, from fewer mappings.
TEST(SearchDriver, ReuseEquivalenceLosesNothing) {
  static const TestDesign reuse(spec::LoadSpecFromTexts({{"design.yaml", kDesign}}), true);
  const SearchState everything = Search(Small(), Options("exhaustive", 2, 0));
  const SearchState pruned = Search(reuse, Options("exhaustive", 2, 0));
  EXPECT_LT(pruned.evaluations, everything.evaluations);
  std::set<std::vector<double>> a, b;
  for (const Point& p : pruned.front.points()) a.insert({p.obj[0], p.obj[1]});
  for (const Point& p : everything.front.points()) b.insert({p.obj[0], p.obj[1]});
  EXPECT_EQ(a, b);
  for (BestTracker::Metric m : BestTracker::kAll)
    EXPECT_EQ(BestTracker::Value(*pruned.best.best(m), m), BestTracker::Value(*everything.best.best(m), m));
}

// Local search climbs to the best EDP of the small design, which brute
// force finds over all 3504 canonical mappings.
TEST(SearchDriver, LocalFindsTheBruteForceBestEdp) {
  const TestDesign& d = Small();
  spec::Mapping m;
  d.space.Prepare(m);
  double best = 0;
  for (const Choice& c : ExhaustiveCandidates(d.space)) {
    d.space.Decode(c, m);
    const Result r = Evaluate(d.design, m);
    if (r.valid() && (best == 0 || r.edp < best)) best = r.edp;
  }
  ASSERT_GT(best, 0);
  SearchOptions o = Options("local", 2, 20000);
  o.objectives = {Objective::kEdp};
  const SearchState s = Search(d, o);
  ASSERT_TRUE(s.best.best(BestTracker::Metric::kEdp).has_value());
  EXPECT_DOUBLE_EQ(s.best.best(BestTracker::Metric::kEdp)->edp, best);
}

// Hybrid ends a chunk whose first candidate overflows a buffer: sound only
// if that candidate (canonical choice 0: every free level bypasses) needs
// the least room of its factorization. Checked on every factorization.
TEST(SearchDriver, HybridSkipIsSound) {
  // Buf must keep W and I (16 words), so large tiles overflow it.
  static const TestDesign d(spec::LoadSpecFromTexts(
      {{"design.yaml", kDesign},
       {"cons.yaml", "mapspace_constraints:\n  - {target: Buf, type: bypass, keep: [W, I]}\n"}}));
  spec::Mapping m;
  d.space.Prepare(m);
  Choice c;
  int skipped = 0;
  do {
    c.perm.fill(0);
    c.y_mask.fill(0);
    c.keep_mask = 0;
    d.space.CanonicalChoice(0, c);
    d.space.Decode(c, m);
    if (Evaluate(d.design, m).status.code != StatusCode::kCapacityExceeded) continue;
    ++skipped;
    for (uint64_t i = 0; i < d.space.CanonicalCount(c); ++i) {
      d.space.CanonicalChoice(i, c);
      d.space.Decode(c, m);
      EXPECT_EQ(Evaluate(d.design, m).status.code, StatusCode::kCapacityExceeded) << d.space.IdText(c);
    }
  } while (d.space.NextFactorization(c));
  EXPECT_GT(skipped, 0);
}

TEST(SearchDriver, ExhaustiveFrontIsBruteForceFront) {
  const TestDesign& d = Small();
  const std::vector<Objective> objectives = {Objective::kEnergy, Objective::kCycles, Objective::kLastLevelAccesses};
  // Brute force: evaluate every canonical mapping in the test.
  struct Eval {
    std::array<double, 3> obj;
    double energy, cycles, edp;
    Choice choice;
    uint64_t index;
  };
  std::vector<Eval> valid;
  spec::Mapping m;
  d.space.Prepare(m);
  const std::vector<Choice> all = ExhaustiveCandidates(d.space);
  for (size_t i = 0; i < all.size(); ++i) {
    d.space.Decode(all[i], m);
    const Result r = Evaluate(d.design, m);
    if (!r.valid()) continue;
    const double last = r.levels[r.num_levels - 1].scalar_accesses;
    valid.push_back({{r.energy_pj, static_cast<double>(r.cycles), last}, r.energy_pj,
                     static_cast<double>(r.cycles), r.edp, all[i], i});
  }
  ASSERT_GT(valid.size(), 10u);
  std::set<std::string> want;
  for (const Eval& p : valid) {
    bool keep = true;
    for (const Eval& q : valid) {
      bool le = true, lt = false;
      for (int k = 0; k < 3; ++k) {
        le = le && q.obj[k] <= p.obj[k];
        lt = lt || q.obj[k] < p.obj[k];
      }
      if ((le && lt) || (le && !lt && ChoiceLess(q.choice, p.choice))) {
        keep = false;
        break;
      }
    }
    if (keep) want.insert(d.space.IdText(p.choice) + " at " + std::to_string(p.index));
  }
  SearchOptions o = Options("exhaustive", 4, 0);
  o.objectives = objectives;
  const SearchState s = Search(d, o);
  EXPECT_EQ(s.valid, valid.size());
  std::set<std::string> got;
  for (const Point& p : s.front.points()) got.insert(d.space.IdText(p.choice) + " at " + std::to_string(p.eval_index));
  EXPECT_EQ(got, want);
  // Bests: minimum, then the other metrics (energy: cycles, EDP; cycles:
  // energy, EDP; EDP: energy, cycles), then the lowest id.
  auto best = [&](auto key) {
    const Eval* b = &valid[0];
    for (const Eval& p : valid)
      if (key(p) < key(*b) || (key(p) == key(*b) && ChoiceLess(p.choice, b->choice))) b = &p;
    return d.space.IdText(b->choice);
  };
  EXPECT_EQ(d.space.IdText(s.best.best(BestTracker::Metric::kEnergy)->choice),
            best([](const Eval& p) { return std::tuple(p.energy, p.cycles, p.edp); }));
  EXPECT_EQ(d.space.IdText(s.best.best(BestTracker::Metric::kCycles)->choice),
            best([](const Eval& p) { return std::tuple(p.cycles, p.energy, p.edp); }));
  EXPECT_EQ(d.space.IdText(s.best.best(BestTracker::Metric::kEdp)->choice),
            best([](const Eval& p) { return std::tuple(p.edp, p.energy, p.cycles); }));
}

}  // namespace
}  // namespace sieve::search
