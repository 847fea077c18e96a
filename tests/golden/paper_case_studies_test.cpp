// Paper case studies (configs/paper): the qualitative findings of the
// Sparseloop paper's Fig. 1 (Sec. 2.2) and Table 7 / Fig. 12 (Sec. 6.4),
// checked on sieve's evaluation of our own input sets for them.
//
// The expected orderings come from the paper's text (quoted at each test),
// not from sieve's output. configs/paper/README.md describes the designs and
// lists the numbers these tests see.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "sieve/evaluator.hpp"
#include "sieve/spec/load.hpp"

namespace sieve::testing {
namespace {

namespace fs = std::filesystem;

fs::path PaperDir() { return fs::path(SIEVE_SOURCE_DIR) / "configs" / "paper"; }

// Loads the files (merged in order, as `sieve model` does) and evaluates the
// mapping they hold.
Result Evaluate(const std::vector<fs::path>& files) {
  std::vector<std::string> paths;
  for (const fs::path& f : files) paths.push_back(f.string());
  const spec::Spec spec = spec::LoadSpec(paths);
  // The density files override the design's problem: sieve merges them and
  // warns that timeloop-model would not (see configs/paper/README.md);
  // anything else is a defect of the configs.
  for (const std::string& w : spec.warnings) {
    EXPECT_NE(w.find("timeloop-model keeps only the first"), std::string::npos) << w;
  }
  if (!spec.mapping) {
    ADD_FAILURE() << "no mapping in " << paths.front() << " ...";
    Result none;
    none.status.code = StatusCode::kMappingShape;
    return none;
  }
  const Design design = BuildDesign(spec);
  return Evaluate(design, *spec.mapping);
}

std::string Describe(const Result& r) {
  if (!r.valid()) {
    return std::string("invalid (") + StatusName(r.status.code) + ", level " +
           std::to_string(r.status.level) + ", needs " + std::to_string(r.status.required) +
           ", has " + std::to_string(r.status.available) + ")";
  }
  char buf[160];
  std::snprintf(buf, sizeof buf, "cycles %lld, energy %.6g pJ, EDP %.6g",
                static_cast<long long>(r.cycles), r.energy_pj, r.edp);
  return buf;
}

// Data-space indices, in problem order (A, B, Z) in both studies.
constexpr int kA = 0;
constexpr int kB = 1;

// ---------------------------------------------------------------------------
// Fig. 1: bitmask (B format, gating) vs coordinate list (CP format, skipping),
// same architecture and dataflow, both operands at the same density.

const std::vector<std::string> kFig1Densities = {"0.01", "0.05", "0.1", "0.2",
                                                 "0.4",  "0.6",  "0.8", "1.0"};
// "Low-density tensors": the points below one half.
constexpr double kFig1LowDensityBelow = 0.5;

struct Fig1Point {
  double density = 0;
  Result bitmask;
  Result coordinate_list;
};

// Evaluated once for all Fig. 1 tests.
const std::vector<Fig1Point>& Fig1() {
  static const std::vector<Fig1Point> points = [] {
    const fs::path dir = PaperDir() / "fig1";
    std::vector<Fig1Point> out;
    for (const std::string& d : kFig1Densities) {
      auto run = [&](const std::string& design) {
        return Evaluate({dir / "design.yaml", dir / (design + ".yaml"), dir / "map.yaml",
                         dir / "ERT.yaml", dir / "ART.yaml", dir / "density" / ("d" + d + ".yaml")});
      };
      Fig1Point p;
      p.density = std::stod(d);
      p.bitmask = run("bitmask");
      p.coordinate_list = run("coordinate_list");
      out.push_back(std::move(p));
    }
    return out;
  }();
  return points;
}

// Metadata (encoding) energy of the two operands, all levels.
double OperandMetadataPj(const Result& r) {
  double pj = 0;
  for (int l = 0; l < r.num_levels; ++l) {
    pj += r.levels[l].ds[kA].metadata_energy_pj + r.levels[l].ds[kB].metadata_energy_pj;
  }
  return pj;
}

// Expected nonzeros of A and B (64 x 64 each).
double OperandNonzeros(double density) { return 2 * 64 * 64 * density; }

TEST(PaperFig1, AllMappingsValid) {
  for (const Fig1Point& p : Fig1()) {
    EXPECT_TRUE(p.bitmask.valid()) << "bitmask, density " << p.density << ": "
                                   << Describe(p.bitmask);
    EXPECT_TRUE(p.coordinate_list.valid()) << "coordinate list, density " << p.density << ": "
                                           << Describe(p.coordinate_list);
  }
}

// Sec. 2.2: "since the bitmask-based design does not improve processing
// speed, with low-density tensors, *bitmask* always runs slower than
// *coordinate list*."
TEST(PaperFig1, BitmaskRunsSlowerThanCoordinateListAtLowDensity) {
  int checked = 0;
  for (const Fig1Point& p : Fig1()) {
    if (p.density >= kFig1LowDensityBelow) continue;
    ++checked;
    EXPECT_GT(p.bitmask.cycles, p.coordinate_list.cycles)
        << "density " << p.density << ": bitmask " << Describe(p.bitmask)
        << "; coordinate list " << Describe(p.coordinate_list);
  }
  EXPECT_GE(checked, 3);
}

// Sec. 2.2: "since *coordinate list* needs to encode the exact coordinates
// with multiple bits, it incurs more significant encoding overhead per
// nonzero value." Encoding overhead = metadata energy of the operands; per
// nonzero it is higher for the coordinate list than for the bitmask at the
// densest point, and the coordinate list's share relative to the bitmask's
// grows with density.
TEST(PaperFig1, CoordinateListEncodingOverheadPerNonzeroGrowsWithDensity) {
  double previous_ratio = 0;
  for (const Fig1Point& p : Fig1()) {
    const double nnz = OperandNonzeros(p.density);
    const double cp = OperandMetadataPj(p.coordinate_list) / nnz;
    const double b = OperandMetadataPj(p.bitmask) / nnz;
    ASSERT_GT(b, 0) << "density " << p.density;
    const double ratio = cp / b;
    EXPECT_GT(ratio, previous_ratio)
        << "density " << p.density << ": metadata pJ per nonzero, coordinate list " << cp
        << ", bitmask " << b;
    previous_ratio = ratio;
  }
  const Fig1Point& densest = Fig1().back();
  const double nnz = OperandNonzeros(densest.density);
  EXPECT_GT(OperandMetadataPj(densest.coordinate_list) / nnz,
            OperandMetadataPj(densest.bitmask) / nnz);
}

// Sec. 2.2: "As the tensors become denser, *coordinate list* leads to lower
// energy efficiency and/or processing speed." Both designs do the same
// work, so energy efficiency is 1 / energy: the coordinate list's energy
// relative to the bitmask's rises with density over the sparse range, and
// at the densest point the coordinate list is worse in energy or in cycles
// (or both). The fully dense point is left out of the trend: there both
// formats hold every value, and the reference build reports no Buffer reads
// of A and B at all (sieve does count them; configs/paper/README.md).
TEST(PaperFig1, CoordinateListLosesEfficiencyAsTensorsBecomeDenser) {
  double previous_ratio = 0;
  for (const Fig1Point& p : Fig1()) {
    if (p.density >= 1.0) continue;
    const double ratio = p.coordinate_list.energy_pj / p.bitmask.energy_pj;
    EXPECT_GT(ratio, previous_ratio)
        << "density " << p.density << ": coordinate list " << Describe(p.coordinate_list)
        << "; bitmask " << Describe(p.bitmask);
    previous_ratio = ratio;
  }
  const Fig1Point& densest = Fig1().back();
  EXPECT_TRUE(densest.coordinate_list.energy_pj > densest.bitmask.energy_pj ||
              densest.coordinate_list.cycles > densest.bitmask.cycles)
      << "density " << densest.density << ": coordinate list "
      << Describe(densest.coordinate_list) << "; bitmask " << Describe(densest.bitmask);
}

// Sec. 2.2: "the best design choice is a function of the input density":
// the sparsest point favours the coordinate list on both speed and energy,
// the densest favours the bitmask on energy.
TEST(PaperFig1, BestDesignDependsOnDensity) {
  const Fig1Point& sparsest = Fig1().front();
  EXPECT_LT(sparsest.coordinate_list.cycles, sparsest.bitmask.cycles);
  EXPECT_LT(sparsest.coordinate_list.energy_pj, sparsest.bitmask.energy_pj);
  const Fig1Point& densest = Fig1().back();
  EXPECT_LT(densest.bitmask.energy_pj, densest.coordinate_list.energy_pj);
}

// ---------------------------------------------------------------------------
// Table 7 / Fig. 12: {ReuseABZ, ReuseAZ} x {InnermostSkip, HierarchicalSkip}
// on spMspM (M = N = K = 1024, B at 0.5), A's density swept. The paper's
// metric is EDP.

const std::vector<std::string> kTable7Densities = {"0.00001", "0.0001", "0.001", "0.01",
                                                   "0.1",     "0.25",   "0.5"};
// "NN workloads (i.e., A density >6%)".
constexpr double kNnDensityAbove = 0.06;

enum Design { kAbzInner = 0, kAbzHier, kAzInner, kAzHier, kNumDesigns };
const char* const kDesignNames[kNumDesigns] = {
    "ReuseABZ.InnermostSkip", "ReuseABZ.HierarchicalSkip", "ReuseAZ.InnermostSkip",
    "ReuseAZ.HierarchicalSkip"};

struct Table7Point {
  double density = 0;
  std::string label;
  Result design[kNumDesigns];
};

const std::vector<Table7Point>& Table7() {
  static const std::vector<Table7Point> points = [] {
    const fs::path dir = PaperDir() / "table7";
    std::vector<Table7Point> out;
    for (const std::string& d : kTable7Densities) {
      auto run = [&](const char* map, const char* saf) {
        return Evaluate({dir / "design.yaml", dir / map, dir / saf, dir / "ERT.yaml",
                         dir / "ART.yaml", dir / "density" / ("a" + d + ".yaml")});
      };
      Table7Point p;
      p.density = std::stod(d);
      p.label = d;
      p.design[kAbzInner] = run("reuse_abz.map.yaml", "innermost_skip.yaml");
      p.design[kAbzHier] = run("reuse_abz.map.yaml", "hierarchical_skip.yaml");
      p.design[kAzInner] = run("reuse_az.map.yaml", "innermost_skip.yaml");
      p.design[kAzHier] = run("reuse_az.map.yaml", "hierarchical_skip.yaml");
      out.push_back(std::move(p));
    }
    return out;
  }();
  return points;
}

std::string DescribeAll(const Table7Point& p) {
  std::string s = "A density " + p.label + ":";
  for (int d = 0; d < kNumDesigns; ++d) {
    s += std::string("\n  ") + kDesignNames[d] + ": " + Describe(p.design[d]);
  }
  return s;
}

double MinEdpExcept(const Table7Point& p, Design excluded) {
  double best = -1;
  for (int d = 0; d < kNumDesigns; ++d) {
    if (d == excluded) continue;
    if (best < 0 || p.design[d].edp < best) best = p.design[d].edp;
  }
  return best;
}

TEST(PaperTable7, AllMappingsValid) {
  for (const Table7Point& p : Table7()) {
    for (int d = 0; d < kNumDesigns; ++d) {
      EXPECT_TRUE(p.design[d].valid()) << kDesignNames[d] << ", A density " << p.label << ": "
                                       << Describe(p.design[d]);
    }
  }
}

// Sec. 6.4.2: "*ReuseAZ.HierarchicalSkip* performs the best with
// hyper-sparse workloads since this design performs early off-chip traffic
// eliminations". At the sparsest point of the sweep its EDP is the lowest
// of the four.
TEST(PaperTable7, ReuseAZHierarchicalSkipIsBestWhenHyperSparse) {
  const Table7Point& p = Table7().front();
  EXPECT_LT(p.design[kAzHier].edp, MinEdpExcept(p, kAzHier)) << DescribeAll(p);
}

// Sec. 6.4.2: "while *ReuseABZ.InnermostSkip* is the best design for NN
// workloads (i.e., A density >6%), for sparser workloads, such as
// scientific simulations or graph algorithm, this design is sub-optimal
// due to its large off-chip bandwidth requirement." At NN densities the
// ReuseABZ dataflow wins: ReuseABZ.InnermostSkip beats both ReuseAZ designs.
// (Its hierarchical twin comes out slightly lower still: the reference
// build, which sieve follows, charges no PEBuffer metadata reads for a
// tensor that is also skipped off-chip; see OffChipSkipOfReuseABZ below.)
TEST(PaperTable7, ReuseABZInnermostSkipIsBestForNNWorkloads) {
  int checked = 0;
  for (const Table7Point& p : Table7()) {
    if (p.density <= kNnDensityAbove) continue;
    ++checked;
    EXPECT_LT(p.design[kAbzInner].edp, p.design[kAzInner].edp) << DescribeAll(p);
    EXPECT_LT(p.design[kAbzInner].edp, p.design[kAzHier].edp) << DescribeAll(p);
  }
  EXPECT_GE(checked, 2);
}

TEST(PaperTable7, ReuseABZInnermostSkipIsSubOptimalWhenHyperSparse) {
  const Table7Point& p = Table7().front();
  EXPECT_GT(p.design[kAbzInner].edp, MinEdpExcept(p, kAbzInner)) << DescribeAll(p);
}

// Sec. 6.4.2: "[ReuseAZ.HierarchicalSkip] fails to reduce EDP with NN
// workloads due to its inability to perform effective off-chip
// intersections on denser operands and its lack of on-chip B reuse."
// Fig. 12 normalises EDP to ReuseABZ.InnermostSkip: the normalised EDP of
// ReuseAZ.HierarchicalSkip is not below 1 at NN densities.
TEST(PaperTable7, ReuseAZHierarchicalSkipFailsToReduceEdpForNNWorkloads) {
  for (const Table7Point& p : Table7()) {
    if (p.density <= kNnDensityAbove) continue;
    EXPECT_GE(p.design[kAzHier].edp / p.design[kAbzInner].edp, 1.0) << DescribeAll(p);
  }
}

// Sec. 6.4.2: "*ReuseABZ.HierarchicalSkip* is never the best design in terms
// of EDP", because its off-chip skipping buys nothing under ReuseABZ. What
// the paper's reason predicts holds: its DRAM and GlobalBuffer traffic
// equals ReuseABZ.InnermostSkip's at every density. Its EDP does not stay
// above the others': the reference build drops the PEBuffer metadata reads
// of a tensor skipped at two levels (read as its metadata updates, none for
// an operand), and sieve counts as the reference does.
TEST(PaperTable7, ReuseABZHierarchicalSkipGainsNothingOffChip) {
  for (const Table7Point& p : Table7()) {
    const Result& inner = p.design[kAbzInner];
    const Result& hier = p.design[kAbzHier];
    for (int l = 1; l < inner.num_levels; ++l) {
      EXPECT_EQ(inner.levels[l].scalar_accesses, hier.levels[l].scalar_accesses)
          << "level " << l << ", A density " << p.label;
      for (int ds = 0; ds < inner.num_data_spaces; ++ds) {
        EXPECT_EQ(inner.levels[l].ds[ds].read_actions.actual,
                  hier.levels[l].ds[ds].read_actions.actual)
            << "level " << l << ", data space " << ds << ", A density " << p.label;
      }
    }
  }
}

// Sec. 6.4.2, the reason: "since *ReuseABZ* reuses each on-chip B tile for
// multiple A tiles, B tile transfers can be eliminated by the off-chip
// skipping SAF only when all values in its corresponding A tiles are zeros,
// which rarely happens." Under ReuseABZ the off-chip Skip B <- A removes
// (almost) none of B's DRAM reads at any density; under ReuseAZ, whose B
// tiles meet one small block of A each, it removes most of them when A is
// hyper-sparse.
TEST(PaperTable7, OffChipSkippingOfBNeedsAnEmptyATile) {
  for (const Table7Point& p : Table7()) {
    const Result& abz = p.design[kAbzHier];
    const int dram = abz.num_levels - 1;
    const ActionCounts& b = abz.levels[dram].ds[kB].read_actions;
    const double total = b.actual + b.gated + b.skipped;
    ASSERT_GT(total, 0);
    EXPECT_LT(b.skipped / total, 0.01) << "A density " << p.label;
  }
  const Result& az = Table7().front().design[kAzHier];
  const ActionCounts& b = az.levels[az.num_levels - 1].ds[kB].read_actions;
  EXPECT_GT(b.skipped / (b.actual + b.gated + b.skipped), 0.5);
}

}  // namespace
}  // namespace sieve::testing
