// Golden tests of the sparse model: every sparse_* reference case evaluated
// by sieve and compared with its published Sparseloop stats, read at test
// time. Tolerances: counts are integers compared exactly: cycles, computes
// (actual, gated, skipped, algorithmic), each level's total scalar accesses
// and every kept data space's actual/gated/skipped reads, fills and updates;
// each level's and the compute's fJ per actual compute within half a unit of
// the printed 2 decimals, and so is the total.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "golden/golden_case.hpp"
#include "golden/ref_stats.hpp"
#include "sieve/evaluator.hpp"

namespace sieve::testing {
namespace {


// Collects every difference of a case, so one failure lists them all.
struct Diffs {
  std::vector<std::string> lines;
  // Counts: both must be integers, and equal.
  void Count(double got, double want, const std::string& what) {
    if (got != std::round(got)) Add(got, want, what + " (sieve's is not an integer)");
    if (want != std::round(want)) Add(got, want, what + " (reference's is not an integer)");
    if (static_cast<int64_t>(std::llround(got)) != static_cast<int64_t>(std::llround(want))) {
      Add(got, want, what);
    }
  }
  // `want` printed with 2 decimals: `got` must round to it.
  void Printed2(double got, double want, const std::string& what) {
    if (std::fabs(got - want) > 0.005 * (1 + 1e-9) + 1e-12 * std::fabs(want)) Add(got, want, what);
  }

  void Add(double got, double want, const std::string& what) {
    std::ostringstream s;
    s.precision(10);
    s << what << ": sieve " << got << ", reference " << want;
    lines.push_back(s.str());
  }
};

Diffs Compare(const std::string& name) {
  Diffs diffs;
  const spec::Spec spec = spec::LoadSpec(GoldenInputs(name));
  const Design design = BuildDesign(spec);
  const Result r = Evaluate(design, *spec.mapping);
  if (!r.valid()) {
    diffs.lines.push_back(std::string("mapping invalid: ") + StatusName(r.status.code));
    return diffs;
  }
  std::ifstream in(GoldenDir() / "expected.json");
  const nlohmann::json exp = nlohmann::json::parse(in).at(name);
  const RefStats ref = ParseRefStats((GoldenDir() / name / "ref.stats.txt").string());

  diffs.Count(static_cast<double>(r.cycles), exp.at("cycles").get<double>(), "cycles");
  diffs.Count(static_cast<double>(r.compute.actual), exp.at("computes_actual").get<double>(),
              "actual computes");
  diffs.Count(static_cast<double>(spec.workload.AlgorithmicComputes()),
              exp.at("computes_algorithmic").get<double>(), "algorithmic computes");
  if (!ref.levels.empty()) {
    const RefLevel& mac = ref.levels.front();
    if (mac.stats.count("Gated Computes (total)")) {
      diffs.Count(static_cast<double>(r.compute.gated), mac.stats.at("Gated Computes (total)"),
                  "gated computes");
    }
    if (mac.stats.count("Skipped Computes (total)")) {
      diffs.Count(static_cast<double>(r.compute.skipped), mac.stats.at("Skipped Computes (total)"),
                  "skipped computes");
    }
  }
  // expected.json's energy_pj is the printed fJ/compute total times the
  // computes, so the total is checked at the printed precision.
  const auto& fj = exp.at("fj_per_compute");
  const double actual = static_cast<double>(r.compute.actual);
  diffs.Printed2(1000 * r.energy_pj / actual, fj.at("Total").get<double>(), "total fJ/compute");
  if (fj.contains(spec.arch.compute.name)) {
    diffs.Printed2(1000 * r.compute.energy_pj / actual,
                   fj.at(spec.arch.compute.name).get<double>(), "compute fJ/compute");
  }
  for (int l = 0; l < r.num_levels; ++l) {
    const spec::StorageLevel& level = spec.arch.levels[l];
    if (level.is_dummy) continue;
    const auto& sa = exp.at("level_scalar_accesses");
    if (sa.contains(level.name)) {
      diffs.Count(r.levels[l].scalar_accesses, sa.at(level.name).get<double>(),
                  level.name + " scalar accesses");
    }
    // Levels that cost nothing may be left out of the reference's table.
    const double level_fj = 1000 * r.levels[l].energy_pj / actual;
    if (fj.contains(level.name)) {
      diffs.Printed2(level_fj, fj.at(level.name).get<double>(), level.name + " fJ/compute");
    } else if (level_fj != 0) {
      diffs.Add(level_fj, 0, level.name + " fJ/compute (not in the reference's table)");
    }
    const RefLevel* ref_level = ref.Level(level.name);
    if (ref_level == nullptr) continue;
    for (int d = 0; d < r.num_data_spaces; ++d) {
      const std::string& ds_name = spec.workload.data_spaces[d].name;
      const RefDataSpace* ref_ds = ref_level->DataSpace(ds_name);
      const DataSpaceResult& ds = r.levels[l].ds[d];
      if (ref_ds == nullptr || !ds.kept) continue;
      const std::string where = level.name + "/" + ds_name + " ";
      auto check = [&](const char* kind, const ActionCounts& a) {
        const std::string k(kind);
        const char* prefixes[] = {"Actual", "Gated", "Skipped"};
        const double mine[] = {a.actual, a.gated, a.skipped};
        for (int i = 0; i < 3; ++i) {
          const std::string key = std::string(prefixes[i]) + " scalar " + k + " (per-instance)";
          auto it = ref_ds->fields.find(key);
          if (it != ref_ds->fields.end()) diffs.Count(mine[i], it->second, where + key);
        }
      };
      check("reads", ds.read_actions);
      check("fills", ds.fill_actions);
      check("updates", ds.update_actions);
    }
  }
  return diffs;
}

class GoldenSparse : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    SKIP_UNLESS_REFERENCE(HaveGolden(), kNoGoldenMessage);
  }
};

TEST_P(GoldenSparse, MatchesPublishedStats) {
  const std::string name = GetParam();
  const Diffs diffs = Compare(name);
  std::string text;
  for (const std::string& line : diffs.lines) text += "  " + line + "\n";
  EXPECT_TRUE(diffs.lines.empty()) << name << " differs from the reference:\n" << text;
}

std::vector<std::string> SparseCases() {
  return {"sparse_01.2.1-DUDU-dot-product",
          "sparse_01.2.2-SUDU-dot-product",
          "sparse_01.2.3-SCDU-dot-product",
          "sparse_02.2.1-spMspM",
          "sparse_02.2.2-spMspM-tiled",
          "sparse_03.2.1-conv1d",
          "sparse_03.2.2-conv1d+oc",
          "sparse_03.2.3-conv1d+oc-spatial",
          "sparse_04.2.1-eyeriss-like-gating",
          "sparse_04.2.2-eyeriss-like-gating-mapspace-search",
          "sparse_04.2.3-eyeriss-like-onchip-compression"};
}

INSTANTIATE_TEST_SUITE_P(Reference, GoldenSparse, ::testing::ValuesIn(SparseCases()),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           std::string s = info.param;
                           for (char& c : s) {
                             if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
                           }
                           return s;
                         });

}  // namespace
}  // namespace sieve::testing
