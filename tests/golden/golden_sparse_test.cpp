// Golden tests of the sparse model: every sparse_* reference case evaluated
// by sieve and compared with its published Sparseloop stats, read at test
// time. Tolerances: cycles and computes (actual, gated, skipped,
// algorithmic) exact; total energy and each level's scalar accesses within
// 0.5%; every kept data space's actual/gated/skipped reads, fills and
// updates exact.
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


constexpr double kRelTol = 0.005;

struct Diffs {
  std::vector<std::string> lines;
  void Exact(double got, double want, const std::string& what) {
    if (std::fabs(got - want) > 1e-6 * std::max(1.0, std::fabs(want))) Add(got, want, what);
  }
  void Rel(double got, double want, const std::string& what) {
    if (std::fabs(got - want) > kRelTol * std::max(1.0, std::fabs(want))) Add(got, want, what);
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

  diffs.Exact(static_cast<double>(r.cycles), exp.at("cycles").get<double>(), "cycles");
  diffs.Exact(static_cast<double>(r.compute.actual), exp.at("computes_actual").get<double>(),
              "actual computes");
  diffs.Exact(static_cast<double>(spec.workload.AlgorithmicComputes()),
              exp.at("computes_algorithmic").get<double>(), "algorithmic computes");
  if (!ref.levels.empty()) {
    const RefLevel& mac = ref.levels.front();
    if (mac.stats.count("Gated Computes (total)")) {
      diffs.Exact(static_cast<double>(r.compute.gated), mac.stats.at("Gated Computes (total)"),
                  "gated computes");
    }
    if (mac.stats.count("Skipped Computes (total)")) {
      diffs.Exact(static_cast<double>(r.compute.skipped), mac.stats.at("Skipped Computes (total)"),
                  "skipped computes");
    }
  }
  diffs.Rel(r.energy_pj, exp.at("energy_pj").get<double>(), "energy (pJ)");
  for (int l = 0; l < r.num_levels; ++l) {
    const spec::StorageLevel& level = spec.arch.levels[l];
    if (level.is_dummy) continue;
    const auto& sa = exp.at("level_scalar_accesses");
    if (sa.contains(level.name)) {
      diffs.Rel(r.levels[l].scalar_accesses, sa.at(level.name).get<double>(),
                level.name + " scalar accesses");
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
          if (it != ref_ds->fields.end()) diffs.Exact(mine[i], it->second, where + key);
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
    if (!HaveGolden()) GTEST_SKIP() << kNoGoldenMessage;
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
