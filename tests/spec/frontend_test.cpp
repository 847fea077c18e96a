// The v0.4 front end (`architecture: nodes:`), on hand-written designs whose
// lowered form is derived below by the rules of src/spec/yaml_nodes.cpp.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "sieve/spec/load.hpp"
#include "support/temp_dir.hpp"

namespace sieve::spec {
namespace {

constexpr const char* kProblem = R"yaml(
problem:
  shape:
    name: mm
    dimensions: [M, N, K]
    data_spaces:
    - name: A
      projection: [[[M]], [[K]]]
    - name: B
      projection: [[[N]], [[K]]]
    - name: Z
      projection: [[[M]], [[N]]]
      read_write: true
  instance: {M: 8, N: 1, K: 16}
)yaml";

// DRAM -> GLB -> (4x2 PEs) -> ABuf | ZBuf in parallel -> mac.
constexpr const char* kArch = R"yaml(
variables:
  buf_depth: 64
architecture:
  version: 0.4
  nodes:
  - !Container
    name: system
    attributes: {technology: "45nm", datawidth: 8}
  - !Component
    name: DRAM
    class: DRAM
    attributes: {type: LPDDR4, width: 64}
  - !Component
    name: GLB
    class: smartbuffer_SRAM
    attributes: {depth: buf_depth * 4, width: 64}
    constraints:
      dataspace: {keep: [A, Z], bypass: [B]}
  - !Container
    name: PE
    spatial: {meshX: 4, meshY: 2}
    constraints:
      spatial: {factors: [K=1], permutation: [M, N]}
  - !Parallel
    nodes:
    - !Component
      name: ABuf
      class: regfile
      attributes: {depth: buf_depth, width: 8}
      constraints: {dataspace: {keep: [A]}}
    - !Component
      name: ZBuf
      class: storage
      subclass: regfile
      attributes: {depth: "max(16, buf_depth // 8)", width: 8, datawidth: 16}
      constraints: {dataspace: {keep: [Z, B]}}
      sparse_optimizations:
        action_optimization:
        - type: gating
          options:
          - target: Z
            condition_on: [A]
  - !Component
    name: mac
    class: intmac
    attributes: {multiplier_width: 8, adder_width: 16}
)yaml";

Spec Load(const std::string& arch, const std::string& extra = "") {
  std::vector<InputFile> files = {{"arch.yaml", arch}, {"problem.yaml", kProblem}};
  if (!extra.empty()) files.push_back({"extra.yaml", extra});
  return LoadSpecFromTexts(files);
}

std::vector<int> Dims(const Spec& s, std::initializer_list<const char*> names) {
  std::vector<int> out;
  for (const char* n : names) out.push_back(s.workload.DimIndex(n));
  return out;
}

std::vector<int> Spaces(const Spec& s, std::initializer_list<const char*> names) {
  std::vector<int> out;
  for (const char* n : names) out.push_back(s.workload.DataSpaceIndex(n));
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<int> SortedCopy(std::vector<int> v) {
  std::sort(v.begin(), v.end());
  return v;
}

TEST(Frontend, LevelsInstancesAndMeshes) {
  const Spec s = Load(kArch);
  for (const std::string& w : s.warnings) ADD_FAILURE() << w;
  std::vector<std::string> names;
  for (const StorageLevel& l : s.arch.levels) names.push_back(l.name);
  // Innermost first; the parallel siblings stack in the order written; the
  // 4x2 fan-out gets a dummy level below GLB.
  EXPECT_EQ(names, (std::vector<std::string>{"ZBuf", "ABuf", "inter_PE_spatial", "GLB", "DRAM"}));
  const StorageLevel& zbuf = s.arch.levels[0];
  EXPECT_EQ(zbuf.instances, 8);
  EXPECT_EQ(zbuf.mesh_x, 4);
  EXPECT_EQ(zbuf.mesh_y, 2);
  EXPECT_EQ(zbuf.depth, 16);     // max(16, 64 // 8)
  EXPECT_EQ(zbuf.word_bits, 16);  // its own datawidth beats the container's
  EXPECT_EQ(zbuf.cls, "regfile");
  const StorageLevel& abuf = s.arch.levels[1];
  EXPECT_EQ(abuf.depth, 64);
  EXPECT_EQ(abuf.word_bits, 8);  // container attribute copied down
  EXPECT_EQ(abuf.attributes.at("technology"), "45nm");
  const StorageLevel& dummy = s.arch.levels[2];
  EXPECT_TRUE(dummy.is_dummy);
  EXPECT_EQ(dummy.instances, 1);  // one instance per fan-out above it (none)
  EXPECT_EQ(s.arch.levels[3].depth, 256);  // buf_depth * 4
  EXPECT_TRUE(s.arch.levels[4].is_dram);
  EXPECT_EQ(s.arch.compute.name, "mac");
  EXPECT_EQ(s.arch.compute.instances, 8);
  EXPECT_EQ(s.arch.compute.mesh_x, 4);
  EXPECT_EQ(s.arch.compute.mesh_y, 2);
}

TEST(Frontend, ConstraintsMoveToTheirLevels) {
  const Spec s = Load(kArch);
  const std::vector<LevelConstraints>& c = s.constraints.levels;
  ASSERT_EQ(c.size(), 5u);
  // A parallel sibling that keeps some data spaces bypasses the others.
  EXPECT_EQ(SortedCopy(c[1].keep), Spaces(s, {"A"}));
  EXPECT_EQ(SortedCopy(c[1].bypass), Spaces(s, {"B", "Z"}));
  EXPECT_EQ(SortedCopy(c[0].keep), Spaces(s, {"B", "Z"}));
  EXPECT_EQ(SortedCopy(c[0].bypass), Spaces(s, {"A"}));
  // GLB says both itself: nothing added.
  EXPECT_EQ(SortedCopy(c[3].keep), Spaces(s, {"A", "Z"}));
  EXPECT_EQ(SortedCopy(c[3].bypass), Spaces(s, {"B"}));
  // The container's spatial constraints land on the dummy level; K (factor
  // 1) is put innermost of the given order M N, then N (bound 1) is
  // already listed.
  const LevelConstraints& d = c[2];
  ASSERT_EQ(d.spatial_factors.size(), 1u);
  EXPECT_EQ(d.spatial_factors[0].dim, s.workload.DimIndex("K"));
  EXPECT_EQ(d.spatial_factors[0].value, 1);
  EXPECT_EQ(d.spatial_order.inner, Dims(s, {"K", "M", "N"}));
  // ... which keeps nothing and has no temporal loops.
  EXPECT_EQ(d.temporal_factors.size(), 3u);
  for (const FactorConstraint& f : d.temporal_factors) EXPECT_EQ(f.value, 1);
  EXPECT_EQ(SortedCopy(d.bypass), Spaces(s, {"A", "B", "Z"}));
  // Storage levels without a permutation get the bound-1 dimension N
  // innermost (no cost change: its loop has bound 1).
  EXPECT_EQ(c[4].temporal_order.inner, Dims(s, {"N"}));
  EXPECT_EQ(c[1].temporal_order.inner, Dims(s, {"N"}));
}

TEST(Frontend, InlineSparseOptimizations) {
  const Spec s = Load(kArch);
  ASSERT_EQ(s.sparse.targets.size(), 1u);
  EXPECT_EQ(s.sparse.targets[0].level, "ZBuf");
  ASSERT_EQ(s.sparse.targets[0].actions.size(), 1u);
  EXPECT_EQ(s.sparse.targets[0].actions[0].type, "gating");
  EXPECT_EQ(s.sparse.targets[0].actions[0].target, "Z");
  EXPECT_EQ(s.sparse.targets[0].actions[0].condition_on, std::vector<std::string>{"A"});
}

TEST(Frontend, MappingTargetsNameContainersAndSpacedPermutations) {
  // A mapping may name the container for its fan-out; the front end reads
  // "K M N" as three loops, innermost first.
  const std::string mapping = R"yaml(
mapping:
- {target: DRAM, type: temporal, factors: M=1 N=1 K=1, permutation: K M N}
- {target: GLB, type: temporal, factors: M=1 N=1 K=16, permutation: K M N}
- {target: PE, type: spatial, factors: M=8 N=1 K=1, permutation: M N K, split: 1}
- {target: ABuf, type: temporal, factors: M=1 N=1 K=1, permutation: K M N}
- {target: ZBuf, type: temporal, factors: M=1 N=1 K=1, permutation: K M N}
)yaml";
  const Spec s = Load(kArch, mapping);
  ASSERT_TRUE(s.mapping.has_value());
  const int dummy = s.arch.LevelIndex("inter_PE_spatial");
  ASSERT_GE(dummy, 0);
  EXPECT_EQ(s.mapping->levels[dummy].spatial_factors[s.workload.DimIndex("M")], 8);
  EXPECT_EQ(s.mapping->levels[3].temporal_factors[s.workload.DimIndex("K")], 16);
  EXPECT_EQ(s.mapping->levels[3].temporal_order.front(), s.workload.DimIndex("K"));
}

TEST(Frontend, ErrorsNameFileLineAndKey) {
  const std::string bad_tag = R"yaml(architecture:
  nodes:
  - !Containr
    name: system
)yaml";
  try {
    Load(bad_tag);
    FAIL() << "expected a SpecError";
  } catch (const SpecError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("arch.yaml:3"), std::string::npos) << what;
    EXPECT_NE(what.find("!Containr"), std::string::npos) << what;
  }
  const std::string bad_mesh = R"yaml(architecture:
  nodes:
  - !Container
    name: PE
    spatial: {meshX: 0}
  - !Component {name: mac, class: intmac}
)yaml";
  try {
    Load(bad_mesh);
    FAIL() << "expected a SpecError";
  } catch (const SpecError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("arch.yaml:5"), std::string::npos) << what;
    EXPECT_NE(what.find("meshX"), std::string::npos) << what;
  }
}

class FrontendDirectory : public ::testing::Test {
 protected:
  void SetUp() override {
    std::filesystem::create_directories(root_ / "designs" / "mine");
    std::filesystem::create_directories(root_ / "_components");
  }
  void Write(const std::filesystem::path& p, const std::string& text) { std::ofstream(p) << text; }
  const ::sieve::testing::TempDir tmp_;
  const std::filesystem::path root_ = tmp_.path();
};

TEST_F(FrontendDirectory, AssemblesArchProblemMappingAndComponents) {
  const std::filesystem::path design = root_ / "designs" / "mine";
  Write(design / "arch.yaml", kArch);
  Write(design / "problem.yaml", kProblem);
  // mapping.yaml of a design directory constrains the mapspace.
  Write(design / "mapping.yaml", "mapping:\n- {target: GLB, type: temporal, factors: K=16, permutation: K}\n");
  Write(root_ / "_components" / "a.yaml", "compound_components:\n  version: 0.4\n  classes:\n  - name: one\n");
  Write(root_ / "_components" / "b.yaml", "compound_components:\n  version: 0.4\n  classes:\n  - name: two\n");
  const Spec s = LoadSpec({design.string()});
  EXPECT_FALSE(s.mapping.has_value());
  const LevelConstraints& glb = s.constraints.levels[3];
  ASSERT_EQ(glb.temporal_factors.size(), 1u);
  EXPECT_EQ(glb.temporal_factors[0].value, 16);
  // Given K, then N (bound 1) put innermost.
  EXPECT_EQ(glb.temporal_order.inner, Dims(s, {"N", "K"}));
  // Both files' classes, found in an ancestor's _components.
  ASSERT_EQ(s.compound_classes.size(), 2u);
  EXPECT_EQ(s.compound_classes[0].name, "one");
  EXPECT_EQ(s.compound_classes[1].name, "two");
}

TEST_F(FrontendDirectory, DirectoryWithoutArchIsAClearError) {
  try {
    LoadSpec({(root_ / "designs").string()});
    FAIL() << "expected a SpecError";
  } catch (const SpecError& e) {
    EXPECT_NE(std::string(e.what()).find("without arch.yaml"), std::string::npos) << e.what();
  }
}

TEST_F(FrontendDirectory, JinjaTemplateSaysWhatToGiveInstead) {
  Write(root_ / "top.yaml.jinja2", "{{add_to_path(cwd())}}\n");
  try {
    LoadSpec({(root_ / "top.yaml.jinja2").string()});
    FAIL() << "expected a SpecError";
  } catch (const SpecError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("top.yaml.jinja2"), std::string::npos) << what;
    EXPECT_NE(what.find("design directory"), std::string::npos) << what;
  }
}

}  // namespace
}  // namespace sieve::spec
