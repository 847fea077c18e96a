// Search-quality benchmark: how close each search strategy gets to the best
// mappings of a mapspace as its evaluation budget grows. Not a timed test:
// wall times are printed for information only.
//
//   build/tests/sieve_search_quality [--max-evals 1e7] [--threads 2] [--seed 1]
//                                    [--json out.json] [--quick]
//                                    [--strategies a,b] [--mapspaces x,y]
//                                    [--exhaustive-evals N]
//
// Method. For each mapspace below and each strategy in search::StrategyTable()
// one seeded search runs with objectives (energy, cycles) and an evaluation
// budget equal to the largest budget B in {1e4, 1e5, 1e6, 1e7} not above
// --max-evals (--quick: 1e5). Exhaustive walks (`exhaustive`, `optimal` if
// present) end earlier when the space is exhausted; on a mapspace with at most
// --exhaustive-evals canonical mappings they get that budget instead, so that
// they finish (the default design has 5.5e7). Every evaluation reaches
// SearchOptions::on_logged in evaluation order (log_every = 1), and the front
// and best EDP after the first B evaluations are rebuilt from it; the driver
// merges chunks in order and stops at exactly B, so this is the front a run
// with budget B ends with (the rebuilt final front is checked against the
// driver's archive). EDP = energy_pj * 1e-12 * cycles, the minimum over all
// valid evaluations, which is also the minimum over the (energy, cycles) front.
//
// Reference per mapspace: "exact" when an exhaustive walk finished (its front
// and min EDP); otherwise "best-known": the non-dominated union of the final
// fronts of all runs, and the least EDP any run found (so it depends on the
// runs selected with --strategies / --mapspaces).
//
// Metrics per run and budget B (found front F, reference front R):
//   EDP/ref  best EDP within B evaluations / reference min EDP (>= 1);
//   eps      multiplicative epsilon (additive in log space): the least e such
//            that every r in R is weakly dominated by some f in F scaled by
//            1/e, e = max_{r in R} min_{f in F} max_i f_i / r_i (1 = R reached);
//   HV/ref   log-space hypervolume ratio HV(F) / HV(R), where HV is the area
//            dominated in (ln energy_pj, ln cycles) up to the reference point
//            (ln(1.1 max E), ln(1.1 max C)), maxima over F and R together;
// per run: evaluations until EDP <= 1.01x and <= 1.10x the reference min EDP,
// valid fraction (valid / evaluated), wall time.
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <limits>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "search/driver.hpp"
#include "search/mapspace.hpp"
#include "search/strategy.hpp"
#include "sieve/design.hpp"
#include "sieve/spec/load.hpp"

namespace {

namespace fs = std::filesystem;
using sieve::search::EvalRecord;
using sieve::search::SearchOptions;
using sieve::search::SearchState;

constexpr double kInf = std::numeric_limits<double>::infinity();
using Front = std::vector<std::array<double, 2>>;  // (energy_pj, cycles): energy up, cycles down

// A 2-D non-dominated set kept as a staircase: energy -> cycles, with cycles
// strictly falling as energy rises. Insert is O(log n).
class Staircase {
 public:
  bool Insert(double e, double c) {
    auto it = points_.upper_bound(e);
    if (it != points_.begin() && std::prev(it)->second <= c) return false;  // weakly dominated
    it = points_.insert_or_assign(it, e, c);
    for (auto next = std::next(it); next != points_.end() && next->second >= c;) next = points_.erase(next);
    return true;
  }
  Front Points() const {
    Front f;
    for (const auto& [e, c] : points_) f.push_back({e, c});
    return f;
  }
  size_t size() const { return points_.size(); }

 private:
  std::map<double, double> points_;
};

struct Case {
  std::string name, what;
  sieve::spec::Spec spec;
  sieve::Design design;
  sieve::search::Mapspace space;
  explicit Case(std::string n, std::string w, sieve::spec::Spec s)
      : name(std::move(n)), what(std::move(w)), spec(std::move(s)), design(sieve::BuildDesign(spec)), space(spec) {}
};

struct Snapshot {
  uint64_t budget = 0, evaluations = 0;
  double best_edp = kInf;
  Front front;
  double edp_ratio = kInf, eps = kInf, hv_ratio = 0;  // filled once the reference is known
};

struct Run {
  std::string strategy;
  SearchState state;
  bool complete = false;  // an exhaustive walk that finished
  std::vector<Snapshot> snaps;
  std::vector<std::pair<uint64_t, double>> edp_steps;  // (evaluations so far, best EDP) per improvement
  double best_edp = kInf;
  Front front;
};

bool IsExhaustive(const std::string& strategy) { return strategy == "exhaustive" || strategy == "optimal"; }

Run RunOne(const Case& c, const std::string& strategy, const std::vector<uint64_t>& budgets, int threads,
           uint64_t seed) {
  Run run;
  run.strategy = strategy;
  Staircase stair;
  size_t next = 0;
  uint64_t seen = 0;
  auto snapshot = [&](uint64_t budget) {
    run.snaps.push_back(Snapshot{budget, seen, run.best_edp, stair.Points()});
  };
  SearchOptions o;
  o.strategy = strategy;
  o.strategy_options.seed = seed;
  o.threads = threads;
  o.max_evaluations = budgets.back();
  o.report_interval_s = 1e9;
  o.log_every = 1;
  o.on_logged = [&](std::vector<EvalRecord>&& rows) {
    for (const EvalRecord& r : rows) {
      while (next < budgets.size() && r.eval_index >= budgets[next]) snapshot(budgets[next++]);
      seen = r.eval_index + 1;
      if (!r.valid) continue;
      stair.Insert(r.energy_pj, r.cycles);
      if (r.edp < run.best_edp) {
        run.best_edp = r.edp;
        run.edp_steps.emplace_back(seen, r.edp);
      }
    }
  };
  run.state = sieve::search::RunSearch(c.design, c.space, o, SearchState{});
  while (next < budgets.size()) snapshot(budgets[next++]);
  run.complete = IsExhaustive(strategy) && run.state.stop_reason == "mapspace exhausted";
  run.front = stair.Points();
  const auto& best = run.state.best.best(sieve::search::BestTracker::Metric::kEdp);
  if (seen != run.state.evaluations || stair.size() != run.state.front.points().size() ||
      (best ? best->edp : kInf) != run.best_edp) {
    fmt::print("WARNING: {} {}: the rebuilt trajectory disagrees with the driver's archive\n", c.name, strategy);
  }
  return run;
}

Front NonDominated(const std::vector<const Front*>& fronts) {
  Staircase s;
  for (const Front* f : fronts)
    for (const auto& p : *f) s.Insert(p[0], p[1]);
  return s.Points();
}

double Epsilon(const Front& found, const Front& ref) {
  if (found.empty()) return kInf;
  double e = 1;
  for (const auto& r : ref) {
    double best = kInf;
    for (const auto& f : found) best = std::min(best, std::max(f[0] / r[0], f[1] / r[1]));
    e = std::max(e, best);
  }
  return e;
}

// Area dominated by a staircase in log space, up to (rx, ry) (already logs).
double LogHypervolume(const Front& f, double rx, double ry) {
  double hv = 0;
  for (size_t i = 0; i < f.size(); ++i) {
    const double x_next = i + 1 < f.size() ? std::log(f[i + 1][0]) : rx;
    hv += (x_next - std::log(f[i][0])) * (ry - std::log(f[i][1]));
  }
  return hv;
}

double HypervolumeRatio(const Front& found, const Front& ref) {
  if (found.empty()) return 0;
  double me = 0, mc = 0;
  for (const Front* f : {&found, &ref})
    for (const auto& p : *f) me = std::max(me, p[0]), mc = std::max(mc, p[1]);
  const double rx = std::log(1.1 * me), ry = std::log(1.1 * mc);
  return LogHypervolume(found, rx, ry) / LogHypervolume(ref, rx, ry);
}

std::string Count(uint64_t n) {
  if (n == 0) return "-";
  if (n < 100000) return std::to_string(n);
  return fmt::format("{:.2g}", static_cast<double>(n));
}
std::string Num(double x, const char* f = "{:.3f}") { return std::isfinite(x) ? fmt::format(fmt::runtime(f), x) : "-"; }
nlohmann::json JNum(double x) { return std::isfinite(x) ? nlohmann::json(x) : nlohmann::json(nullptr); }

uint64_t Reach(const Run& r, double target) {
  for (const auto& [evals, edp] : r.edp_steps)
    if (edp <= target) return evals;
  return 0;
}

// The design directory's inputs without its mapping.yaml (which would fix
// the whole mapping as constraints): the free mapspace of the design.
sieve::spec::Spec LoadWithoutMapping(const fs::path& dir) {
  std::vector<sieve::spec::InputFile> files = sieve::spec::DesignDirectoryInputs(dir.string());
  std::erase_if(files, [](const sieve::spec::InputFile& f) { return f.mapping_as_constraints; });
  return sieve::spec::LoadSpecFromTexts(files);
}

struct Source {
  std::string name, what;
  fs::path needs;  // skipped when absent
  std::function<sieve::spec::Spec()> load;
};

std::vector<Source> Sources() {
  const fs::path src = fs::path(SIEVE_SOURCE_DIR) / "configs" / "default";
  const fs::path ref = fs::path(SIEVE_SHARED_DIR) / "reference";
  const fs::path sl = ref / "frontend" / "sparseloop";
  const fs::path gold = ref / "golden" / "dense_eyeriss_like";
  return {
      {"default", "configs/default design+sparse+constraints, built-in energies", src,
       [=] { return sieve::spec::LoadSpec({(src / "design.yaml").string(), (src / "sparse.yaml").string(),
                                           (src / "constraints.yaml").string()}); }},
      {"eyeriss-sparse-04.2.2", "frontend/sparseloop/04.2.2 design directory, with its constraints",
       sl / "04.2.2-eyeriss-like-gating-mapspace-search",
       [=] { return sieve::spec::LoadSpec({(sl / "04.2.2-eyeriss-like-gating-mapspace-search").string()}); }},
      {"eyeriss-dense-constrained", "frontend/eyeriss_like design directory, with its dataflow constraints",
       ref / "frontend" / "eyeriss_like",
       [=] { return sieve::spec::LoadSpec({(ref / "frontend" / "eyeriss_like").string()}); }},
      {"eyeriss-dense-free", "golden/dense_eyeriss_like input+ERT+ART (same problem, no constraints)", gold,
       [=] { return sieve::spec::LoadSpec({(gold / "input.yaml").string(), (gold / "ERT.yaml").string(),
                                           (gold / "ART.yaml").string()}); }},
      {"spmspm-02.2.1", "frontend/sparseloop/02.2.1 without mapping.yaml (free mapspace)", sl / "02.2.1-spMspM",
       [=] { return LoadWithoutMapping(sl / "02.2.1-spMspM"); }},
      {"conv1d-oc-spatial-03.2.3", "frontend/sparseloop/03.2.3 without mapping.yaml (free mapspace)",
       sl / "03.2.3-conv1d+oc-spatial", [=] { return LoadWithoutMapping(sl / "03.2.3-conv1d+oc-spatial"); }},
  };
}

// Canonical mapping count (what an exhaustive walk visits) when cheap to count.
uint64_t CanonicalTotal(const sieve::search::Mapspace& space) {
  double facts = 1;
  for (int d = 0; d < space.num_dims(); ++d) facts *= space.NumFactorizations(d);
  if (facts > 2e6) return 0;
  return sieve::search::MakeStrategy("exhaustive", space, {})->KnownTotal();
}

nlohmann::json JFront(const Front& f) {
  nlohmann::json j = nlohmann::json::array();
  for (const auto& p : f) j.push_back({{"energy_pj", p[0]}, {"cycles", p[1]}});
  return j;
}

}  // namespace

int main(int argc, char** argv) {
  double max_evals = 1e7;
  int threads = 2;
  uint64_t seed = 1;
  bool quick = false;
  double exhaustive_evals = 0;  // budget of exhaustive walks that can finish within it
  std::string json_path, only_strategies, only_mapspaces;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    const bool has_value = i + 1 < argc;
    if (a == "--max-evals" && has_value) max_evals = std::stod(argv[++i]);
    else if (a == "--threads" && has_value) threads = std::stoi(argv[++i]);
    else if (a == "--exhaustive-evals" && has_value) exhaustive_evals = std::stod(argv[++i]);
    else if (a == "--seed" && has_value) seed = std::stoull(argv[++i]);
    else if (a == "--json" && has_value) json_path = argv[++i];
    else if (a == "--strategies" && has_value) only_strategies = "," + std::string(argv[++i]) + ",";
    else if (a == "--mapspaces" && has_value) only_mapspaces = "," + std::string(argv[++i]) + ",";
    else if (a == "--quick") quick = true;
    else {
      fmt::print(stderr, "usage: {} [--max-evals N] [--threads N] [--seed N] [--json FILE] [--quick]"
                 " [--strategies a,b] [--mapspaces x,y] [--exhaustive-evals N]\n", argv[0]);
      return 2;
    }
  }
  if (quick) max_evals = std::min(max_evals, 1e5);
  if (exhaustive_evals <= 0) exhaustive_evals = max_evals;
  auto budgets_up_to = [](double max) {
    std::vector<uint64_t> b;
    for (double x : {1e4, 1e5, 1e6, 1e7})
      if (x <= max) b.push_back(static_cast<uint64_t>(x));
    if (b.empty() || static_cast<double>(b.back()) < max) b.push_back(static_cast<uint64_t>(max));
    return b;
  };
  const std::vector<uint64_t> budgets = budgets_up_to(max_evals);

  std::vector<std::string> strategies;
  auto selected = [](const std::string& list, const std::string& name) {
    return list.empty() || list.find("," + name + ",") != std::string::npos;
  };
  for (const auto& [name, factory] : sieve::search::StrategyTable())
    if (selected(only_strategies, name)) strategies.push_back(name);

  fmt::print("sieve search quality: objectives (energy, cycles), seed {}, {} threads, budgets", seed, threads);
  for (uint64_t b : budgets) fmt::print(" {}", Count(b));
  if (exhaustive_evals > max_evals)
    fmt::print(" (exhaustive walks of at most {} canonical mappings: to the end)",
               Count(static_cast<uint64_t>(exhaustive_evals)));
  fmt::print(", strategies");
  for (const std::string& n : strategies) fmt::print(" {}", n);
  fmt::print("\n"
             "  EDP/ref = best EDP within the budget / reference min EDP\n"
             "  eps     = max over reference points r of min over found points f of max(fE/rE, fC/rC)\n"
             "  HV/ref  = HV(found)/HV(reference) in (ln energy, ln cycles), reference point\n"
             "            (ln 1.1 max E, ln 1.1 max C) over both fronts\n"
             "  reference: exact = the front of a finished exhaustive/optimal walk;\n"
             "             best-known = non-dominated union of all runs' fronts\n"
             "  1%/10%  = evaluations until best EDP <= 1.01x / 1.10x the reference min EDP\n");

  nlohmann::json out = {{"seed", seed}, {"threads", threads}, {"budgets", budgets},
                        {"exhaustive_evals", exhaustive_evals},
                        {"objectives", {"energy", "cycles"}}, {"mapspaces", nlohmann::json::array()}};
  for (const Source& src : Sources()) {
    if (!selected(only_mapspaces, src.name)) continue;
    if (!fs::exists(src.needs)) {
      fmt::print("\n== {}: skipped, {} not found (SIEVE_SHARED_DIR={})\n", src.name, src.needs.string(), SIEVE_SHARED_DIR);
      continue;
    }
    const Case c(src.name, src.what, src.load());
    const uint64_t canonical = CanonicalTotal(c.space);
    std::vector<Run> runs;
    for (const std::string& s : strategies) {
      fmt::print(stderr, "[{}] {} ...\n", c.name, s);
      const bool finishes = canonical > 0 && static_cast<double>(canonical) <= exhaustive_evals;
      runs.push_back(RunOne(c, s, budgets_up_to(IsExhaustive(s) && finishes ? exhaustive_evals : max_evals),
                            threads, seed));
    }

    // The reference front and EDP.
    std::vector<const Front*> exact, all;
    double ref_edp = kInf;
    for (const Run& r : runs) {
      (r.complete ? exact : all).push_back(&r.front);
      ref_edp = std::min(ref_edp, r.best_edp);
    }
    const bool is_exact = !exact.empty();
    if (is_exact) all = exact; else all.insert(all.end(), exact.begin(), exact.end());
    const Front ref = NonDominated(all);
    for (Run& r : runs)
      for (Snapshot& s : r.snaps) {
        s.edp_ratio = s.best_edp / ref_edp;
        s.eps = Epsilon(s.front, ref);
        s.hv_ratio = HypervolumeRatio(s.front, ref);
      }

    fmt::print("\n== {}: {}\n   mapspace size {}{}, constraints {}; reference {}: {} front points, min EDP {:.4g} J*cycles\n",
               c.name, c.what, c.space.SizeText(),
               canonical ? fmt::format(" ({} canonical)", canonical) : std::string(),
               c.spec.constraints.any ? "yes" : "none", is_exact ? "exact" : "best-known", ref.size(), ref_edp);
    fmt::print("   {:<11}{:>8}{:>10}{:>9}{:>9}{:>7} |{:>9}{:>9}{:>8}{:>8}  {}\n", "strategy", "budget", "EDP/ref",
               "eps", "HV/ref", "front", "1%", "10%", "valid", "wall s", "stop");
    nlohmann::json jruns = nlohmann::json::array();
    for (const Run& r : runs) {
      const uint64_t r1 = Reach(r, 1.01 * ref_edp), r10 = Reach(r, 1.10 * ref_edp);
      const double valid = r.state.evaluations ? static_cast<double>(r.state.valid) / r.state.evaluations : 0;
      nlohmann::json jsnaps = nlohmann::json::array();
      for (size_t i = 0; i < r.snaps.size(); ++i) {
        const Snapshot& s = r.snaps[i];
        const std::string budget = s.evaluations < s.budget ? Count(s.evaluations) + "*" : Count(s.budget);
        if (i == 0) {
          fmt::print("   {:<11}{:>8}{:>10}{:>9}{:>9}{:>7} |{:>9}{:>9}{:>7.1f}%{:>8.1f}  {}\n", r.strategy, budget,
                     Num(s.edp_ratio), Num(s.eps), Num(s.hv_ratio), s.front.size(), r1 ? Count(r1) : "no",
                     r10 ? Count(r10) : "no", 100 * valid, r.state.elapsed_s, r.state.stop_reason);
        } else if (r.snaps[i - 1].evaluations < s.evaluations) {
          fmt::print("   {:<11}{:>8}{:>10}{:>9}{:>9}{:>7} |\n", "", budget, Num(s.edp_ratio), Num(s.eps),
                     Num(s.hv_ratio), s.front.size());
        }
        jsnaps.push_back({{"budget", s.budget}, {"evaluations", s.evaluations}, {"best_edp", JNum(s.best_edp)},
                          {"edp_ratio", JNum(s.edp_ratio)}, {"epsilon", JNum(s.eps)}, {"hv_ratio", s.hv_ratio},
                          {"front", JFront(s.front)}});
      }
      for (const std::string& note : r.state.notes) fmt::print("   {:<11}note: {}\n", "", note);
      jruns.push_back({{"strategy", r.strategy}, {"evaluations", r.state.evaluations}, {"valid", r.state.valid},
                       {"valid_fraction", valid}, {"wall_s", r.state.elapsed_s}, {"stop_reason", r.state.stop_reason},
                       {"complete", r.complete}, {"evals_to_1pct", r1 ? nlohmann::json(r1) : nlohmann::json(nullptr)},
                       {"evals_to_10pct", r10 ? nlohmann::json(r10) : nlohmann::json(nullptr)},
                       {"best_edp", JNum(r.best_edp)}, {"notes", r.state.notes}, {"budgets", jsnaps}});
    }
    out["mapspaces"].push_back({{"name", c.name}, {"inputs", c.what}, {"mapspace_size", c.space.SizeText()},
                                {"canonical_mappings", canonical ? nlohmann::json(canonical) : nlohmann::json(nullptr)},
                                {"constrained", c.spec.constraints.any},
                                {"reference", is_exact ? "exact" : "best-known"}, {"reference_min_edp", JNum(ref_edp)},
                                {"reference_front", JFront(ref)}, {"runs", jruns}});
    std::fflush(stdout);
  }
  fmt::print("\n  (budget N* = the walk ended after N evaluations; 1%/10% 'no' = not reached)\n");
  if (!json_path.empty()) {
    std::ofstream(json_path) << out.dump(1) << "\n";
    fmt::print("wrote {}\n", json_path);
  }
  return 0;
}
