// Constraints and mapper blocks of the reference input sets (v0.3 and
// lowered v0.4 Eyeriss-like mapspace searches, every golden case), with
// hand-read facts; skipped when the reference folder is absent.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "sieve/spec/load.hpp"
#include "support/shared_data.hpp"

namespace sieve::spec {
namespace {

namespace fs = std::filesystem;
using Kind = FactorConstraint::Kind;

// ---- reference data ------------------------------------------------------------------------

using ::sieve::testing::SharedDir;

std::vector<int> Dims(const Workload& w, const std::string& letters) {
  std::vector<int> out;
  for (char c : letters) out.push_back(w.DimIndex(std::string(1, c)));
  return out;
}

TEST(ConstraintsReference, V03EyerissMapspaceSearch) {
  SKIP_WITHOUT_SHARED();
  const fs::path dir =
      SharedDir() / "reference" / "timeloop-exercises" / "v03-2021isca" / "04.2.2-eyeriss-like-gating-mapspace-search";
  std::vector<std::string> files;
  for (const char* sub : {"arch", "components", "constraints", "mapper", "prob", "sparse_opt"})
    for (const auto& e : fs::directory_iterator(dir / sub))
      if (e.path().extension() == ".yaml") files.push_back(e.path().string());
  std::sort(files.begin(), files.end());
  files.push_back((dir / "ref-output" / "timeloop-mapper.ERT.yaml").string());
  files.push_back((dir / "ref-output" / "timeloop-mapper.ART.yaml").string());
  const Spec s = LoadSpec(files);
  for (const std::string& w : s.warnings) EXPECT_EQ(w.find("constraint"), std::string::npos) << w;

  const Workload& w = s.workload;
  const Constraints& c = s.constraints;
  ASSERT_EQ(c.levels.size(), s.arch.levels.size());
  EXPECT_TRUE(c.any);
  const int dummy = s.arch.LevelIndex("DummyBuffer");
  const int weights = s.arch.LevelIndex("weights_spad");
  const int glb = s.arch.LevelIndex("shared_glb");
  const int psum = s.arch.LevelIndex("psum_spad");
  const int dram = s.arch.LevelIndex("DRAM");
  ASSERT_GE(dummy, 0);
  const int Inputs = w.DataSpaceIndex("Inputs"), Outputs = w.DataSpaceIndex("Outputs"),
            Weights = w.DataSpaceIndex("Weights");

  EXPECT_EQ(c.levels[dummy].bypass, (std::vector<int>{Inputs, Outputs, Weights}));
  EXPECT_TRUE(c.levels[dummy].keep.empty());
  EXPECT_EQ(c.levels[glb].bypass, (std::vector<int>{Weights}));
  EXPECT_EQ(c.levels[glb].keep, (std::vector<int>{Inputs, Outputs}));

  // weights_spad temporal "M=1 P=1 Q=1 S=1 R=0", permutation "NMPQS CR".
  const auto& wf = c.levels[weights].temporal_factors;
  const int R = w.DimIndex("R");
  auto r = std::find_if(wf.begin(), wf.end(), [R](const FactorConstraint& f) { return f.dim == R; });
  ASSERT_NE(r, wf.end());
  EXPECT_EQ(r->kind, Kind::kExact);
  EXPECT_EQ(r->value, 0);
  EXPECT_EQ(wf.size(), 5u);
  EXPECT_EQ(c.levels[weights].temporal_order.inner, Dims(w, "NMPQS"));
  EXPECT_EQ(c.levels[weights].temporal_order.outer, Dims(w, "CR"));

  // shared_glb temporal "QRSC PNM" (mapspace constraints).
  EXPECT_EQ(c.levels[glb].temporal_order.inner, Dims(w, "QRSC"));
  EXPECT_EQ(c.levels[glb].temporal_order.outer, Dims(w, "PNM"));
  EXPECT_EQ(c.levels[glb].temporal_order.written, Dims(w, "QRSCPNM"));
  // shared_glb spatial "NCPRSQM" without a space: all inner, split 7.
  EXPECT_EQ(c.levels[glb].spatial_order.inner, Dims(w, "NCPRSQM"));
  EXPECT_TRUE(c.levels[glb].spatial_order.outer.empty());
  EXPECT_EQ(c.levels[glb].spatial_split, 7);

  // DummyBuffer spatial: split 4, "NPQR SCM", S=0; temporal from both sections.
  EXPECT_EQ(c.levels[dummy].spatial_split, 4);
  EXPECT_EQ(c.levels[dummy].spatial_order.inner, Dims(w, "NPQR"));
  EXPECT_EQ(c.levels[dummy].spatial_order.outer, Dims(w, "SCM"));
  EXPECT_EQ(c.levels[dummy].temporal_factors.size(), 7u);
  EXPECT_EQ(c.levels[dummy].temporal_order.inner, Dims(w, "NMCPQRS"));

  EXPECT_EQ(c.levels[psum].temporal_order.inner, Dims(w, "NCPQRS"));
  EXPECT_EQ(c.levels[psum].temporal_order.outer, Dims(w, "M"));
  EXPECT_EQ(c.levels[dram].temporal_order.inner, Dims(w, "RSP"));
  EXPECT_EQ(c.levels[dram].temporal_order.outer, Dims(w, "CMNQ"));

  const MapperSpec& m = s.mapper;
  EXPECT_TRUE(m.given);
  EXPECT_EQ(m.algorithm, "random_pruned");
  EXPECT_EQ(m.victory_condition, 600);
  EXPECT_EQ(m.timeout, 200);
  EXPECT_EQ(m.num_threads, 4);
  EXPECT_EQ(m.optimization_metrics, (std::vector<std::string>{"delay", "energy"}));
}

TEST(ConstraintsReference, V04EyerissMapspaceSearch) {
  SKIP_WITHOUT_SHARED();
  const fs::path dir = SharedDir() / "reference" / "timeloop-exercises" / "v04-sparseloop" /
                       "04.2.2-eyeriss-like-gating-mapspace-search" / "ref_outputs";
  const Spec s = LoadSpec({(dir / "parsed-processed-input.yaml").string(), (dir / "timeloop-mapper.ERT.yaml").string(),
                           (dir / "timeloop-mapper.ART.yaml").string()});
  for (const std::string& w : s.warnings) EXPECT_EQ(w.find("constraint"), std::string::npos) << w;
  const Workload& w = s.workload;
  const Constraints& c = s.constraints;
  EXPECT_TRUE(c.any);
  const int pe = s.arch.LevelIndex("inter_PE_spatial");
  const int column = s.arch.LevelIndex("inter_PE_column_spatial");
  ASSERT_GE(pe, 0);
  ASSERT_GE(column, 0);
  EXPECT_EQ(c.levels[pe].spatial_split, 4);
  EXPECT_EQ(c.levels[pe].spatial_order.written, Dims(w, "NPQRSCM"));
  EXPECT_EQ(c.levels[pe].spatial_order.inner, Dims(w, "NPQRSCM"));
  EXPECT_EQ(c.levels[pe].spatial_factors.size(), 4u);
  EXPECT_EQ(c.levels[pe].bypass.size(), 3u);
  EXPECT_EQ(c.levels[column].spatial_split, 7);
  EXPECT_EQ(c.levels[column].temporal_order.inner, Dims(w, "CMRSNPQ"));
  const int weights = s.arch.LevelIndex("weights_spad");
  EXPECT_EQ(c.levels[weights].temporal_factors.size(), 4u);  // R is free in v0.4
  EXPECT_EQ(c.levels[weights].keep, (std::vector<int>{w.DataSpaceIndex("Weights")}));

  const MapperSpec& m = s.mapper;
  EXPECT_EQ(m.algorithm, "random");
  EXPECT_EQ(m.optimization_metrics, (std::vector<std::string>{"edp"}));
  EXPECT_EQ(m.victory_condition, 100);
  EXPECT_EQ(m.timeout, 10000);
  EXPECT_FALSE(m.search_size.has_value());
}

// Golden cases carry `architecture_constraints: {targets: []}` (or real
// constraints) and a mapper block: they load without constraint warnings.
TEST(ConstraintsReference, GoldenCasesReadConstraintsAndMapper) {
  SKIP_WITHOUT_SHARED();
  int cases = 0;
  for (const auto& entry : fs::directory_iterator(SharedDir() / "reference" / "golden")) {
    if (!entry.is_directory()) continue;
    SCOPED_TRACE(entry.path().filename().string());
    std::vector<std::string> files = {(entry.path() / "input.yaml").string()};
    if (fs::exists(entry.path() / "map.yaml")) files.push_back((entry.path() / "map.yaml").string());
    Spec s;
    ASSERT_NO_THROW(s = LoadSpec(files));
    EXPECT_EQ(s.constraints.levels.size(), s.arch.levels.size());
    EXPECT_TRUE(s.mapper.given);
    ++cases;
  }
  EXPECT_GT(cases, 0);
}

}  // namespace
}  // namespace sieve::spec
