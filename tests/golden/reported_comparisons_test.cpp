// Reported comparisons (aim: within 1%; they print their error and do not
// fail on it): sieve against published model runs that are not part of the
// golden set -- the v0.3 ISCA'21 tutorial model runs, the MICRO'22 sparse
// tensor core variants (fig15) and the Eyeriss V2 PE validation (fig12,
// layers L07 and L21, uniform and actual-data densities). Each case must
// load and evaluate to a valid mapping, or be refused with a clear error
// when it uses a SAF sieve does not model; the relative errors of cycles
// and energy are printed.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "golden/golden_case.hpp"
#include "golden/ref_stats.hpp"
#include "support/shared_data.hpp"
#include "support/temp_dir.hpp"
#include "sieve/evaluator.hpp"
#include "sieve/spec/load.hpp"

namespace sieve::testing {
namespace {

namespace fs = std::filesystem;

const fs::path kExercises = ExercisesDir();

// v0.3 stats print "pJ/Algorithmic-Compute" with a Total line; NaN if absent.
double PjPerAlgorithmicCompute(const std::string& path) {
  std::ifstream in(path);
  std::string line;
  bool in_block = false;
  while (std::getline(in, line)) {
    if (line.rfind("pJ/Algorithmic-Compute", 0) == 0) in_block = true;
    const size_t eq = line.find('=');
    if (in_block && line.find("Total") != std::string::npos && eq != std::string::npos) {
      return std::stod(line.substr(eq + 1));
    }
  }
  return NAN;
}

struct Case {
  std::string name;
  std::vector<std::string> inputs;
  std::string stats;
};

// `scratch`: a folder for the extra input files of ours.
std::vector<Case> Cases(const fs::path& scratch) {
  std::vector<Case> cases;
  // v0.3 model runs: all spec folders merged, plus the run's ERT/ART.
  for (const char* name : {"01.2.1-DUDU-dot-product", "01.2.2-SUDU-dot-product",
                           "01.2.3-SCDU-dot-product", "02.2.1-spMspM", "02.2.2-spMspM-tiled",
                           "03.2.1-conv1d", "03.2.2-conv1d+oc", "03.2.3-conv1d+oc-spatial",
                           "04.2.1-eyeriss-like-gating"}) {
    Case c{std::string("v03/") + name, {}, ""};
    c.inputs = V03Inputs(name, &c.stats);
    cases.push_back(c);
  }
  // fig15: aggregated input + mapping + tables.
  const fs::path fig15 = kExercises / "micro22-artifact" / "fig15-stc-variants" /
                         "M128-K1152-N1024-IAD0.44-WD0.5";
  for (const char* name : {"DSTC-RF2x-24-bandwidth", "STC-RF2x-24-bandwidth",
                           "STC_flexible-RF2x-24-bandwidth", "STC_flexible-RF2x-24-bandwidth-RLE",
                           "STC_flexible_dualCompress-RF2x-24-bandwidth-RLE",
                           "TC-RF2x-24-bandwidth"}) {
    const fs::path dir = fig15 / name;
    cases.push_back({std::string("fig15/") + name,
                     {(dir / "aggregated_input.yaml").string(), (dir / "map.yaml").string(),
                      (dir / "ERT.yaml").string(), (dir / "ART.yaml").string()},
                     (dir / "output" / "timeloop-model.stats.txt").string()});
  }
  // fig12: Eyeriss V2 PE, two layers, uniform and actual-data densities.
  const fs::path fig12 = kExercises / "micro22-artifact" / "fig12-eyerissv2-pe";
  // The artifact's masks store weights [M][C] and inputs [pixel][C] (channel
  // fastest; SEMANTICS "Density models"); sieve reads that layout from a
  // `data_layout` key, given here in an extra input file of ours.
  const fs::path layout = scratch / "fig12_mask_layout.yaml";
  {
    std::ofstream out(layout);
    out << "problem:\n  instance:\n    densities:\n"
           "      Weights: {data_layout: [M, C]}\n"
           "      Inputs: {data_layout: [4, 3, 1]}\n";
  }
  for (const char* layer : {"L07", "L21"}) {
    for (const char* kind : {"uniform", "actual_data"}) {
      const std::string run = std::string(kind) == "uniform" ? "uniform_only" : "uniform_actual";
      const std::string sub = std::string(kind) == "uniform" ? "uniform" : "actual_data";
      cases.push_back(
          {std::string("fig12/") + layer + "/" + kind,
           {(fig12 / "hardware-specs/designs/arch.yaml").string(),
            (fig12 / "hardware-specs/designs/compound_components.yaml").string(),
            (fig12 / "hardware-specs/configurations/SI-SW.yaml").string(),
            (fig12 / "mappings/mobilenet0.5-sparse" / (std::string(layer) + "-perfect_factor.yaml")).string(),
            (fig12 / "workload/mobilenet0.5-sparse" / kind / (std::string(layer) + ".yaml")).string(),
            (fig12 / "ert_art/ERT.yaml").string(), (fig12 / "ert_art/ART.yaml").string()},
           (fig12 / "ref_outputs" / run / layer / sub / "output" / "timeloop-model.stats.txt")
               .string()});
      if (std::string(kind) == "actual_data") cases.back().inputs.push_back(layout.string());
    }
  }
  return cases;
}

TEST(ReportedComparisons, ModelRunsAgainstPublishedStats) {
  SKIP_UNLESS_REFERENCE(fs::is_directory(kExercises), "no exercises at " << kExercises);
  int within_1pct = 0;
  int evaluated = 0;
  const TempDir scratch;
  for (const Case& c : Cases(scratch.path())) {
    if (!fs::exists(c.stats)) {
      ADD_FAILURE() << c.name << ": reference stats missing at " << c.stats;
      continue;
    }
    const spec::Spec spec = spec::LoadSpec(c.inputs);
    ASSERT_TRUE(spec.mapping.has_value()) << c.name;
    std::optional<Design> design;
    try {
      design.emplace(BuildDesign(spec));
    } catch (const spec::SpecError& e) {
      // SAF types sieve refuses (spatial and position skipping) must say so.
      const std::string msg = e.what();
      EXPECT_NE(msg.find("is not modeled"), std::string::npos) << c.name << ": " << msg;
      std::printf("[ comparison ] %-58s REFUSED: %s\n", c.name.c_str(), msg.c_str());
      continue;
    }
    const Result r = Evaluate(*design, *spec.mapping);
    if (!r.valid()) {
      // Reported, not failed: see the closing list of known gaps.
      std::printf("[ comparison ] %-58s INVALID in sieve: %s at level %d (%lld > %lld)\n",
                  c.name.c_str(), StatusName(r.status.code), r.status.level,
                  static_cast<long long>(r.status.required),
                  static_cast<long long>(r.status.available));
      continue;
    }
    const RefStats ref = ParseRefStats(c.stats);
    // Energy from the fJ-per-compute totals (more digits than the uJ line).
    double ref_energy_pj = ref.energy_uj * 1e6;
    const double algorithmic = static_cast<double>(spec.workload.AlgorithmicComputes());
    if (ref.fj_per_algorithmic_compute.count("Total")) {
      ref_energy_pj = ref.fj_per_algorithmic_compute.at("Total") * algorithmic / 1000;
    } else if (ref.fj_per_compute.count("Total") && !std::isnan(ref.computes)) {
      ref_energy_pj = ref.fj_per_compute.at("Total") * ref.computes / 1000;
    } else if (const double pj = PjPerAlgorithmicCompute(c.stats); !std::isnan(pj)) {
      ref_energy_pj = pj * algorithmic;
    }
    const double cycle_err = (static_cast<double>(r.cycles) - ref.cycles) / ref.cycles;
    const double energy_err = ref_energy_pj > 0 ? (r.energy_pj - ref_energy_pj) / ref_energy_pj : NAN;
    ++evaluated;
    if (std::fabs(cycle_err) <= 0.01 && std::fabs(energy_err) <= 0.01) ++within_1pct;
    std::printf("[ comparison ] %-58s cycles %+8.3f%%  energy %+8.3f%%\n", c.name.c_str(),
                100 * cycle_err, 100 * energy_err);
  }
  std::printf("[ comparison ] %d of %d within 1%% on both cycles and energy\n", within_1pct,
              evaluated);
  EXPECT_GT(evaluated, 0);
}

}  // namespace
}  // namespace sieve::testing
