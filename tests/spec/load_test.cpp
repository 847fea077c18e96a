// Loading tests: inline YAML for each accepted form, then every golden case
// and every v0.3 multi-file exercise from the reference data (skipped when
// SIEVE_SHARED_DIR is absent), with hand-checked facts.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "sieve/spec/load.hpp"

namespace sieve::spec {
namespace {

namespace fs = std::filesystem;

#ifndef SIEVE_SHARED_DIR
#define SIEVE_SHARED_DIR ""
#endif

// A small valid problem + architecture used by the inline tests.
const char* kProblem = R"(
problem:
  shape:
    name: Conv1D_OC
    dimensions: [K, R, P]
    data-spaces:
      - name: Weights
        projection: [ [[K]], [[R]] ]
      - name: Inputs
        projection:
          - [ [R], [P, Wstride] ]
      - name: Outputs
        projection:
          - [ [K] ]
          - [ [P] ]
        read-write: True
    coefficients:
      - name: Wstride
        default: 1
  instance:
    K: 8
    R: 3
    P: 16
    Wstride: 2
    densities:
      Weights: 0.5
      Inputs: {distribution: fixed-structured, density: 0.25}
)";

const char* kArch = R"(
architecture:
  version: 0.3
  subtree:
    - name: system
      attributes:
        technology: 45nm
      local:
        - name: DRAM
          class: DRAM
          attributes:
            width: 64
            datawidth: 8
        - name: GLB
          class: storage
          subclass: smartbuffer_SRAM
          attributes:
            data_storage_depth: 1024
            data_storage_width: 64
            word-bits: 8
            bandwidth: 8
      subtree:
        - name: PE[0..3]
          local:
            - name: RF
              class: storage
              subclass: regfile
              attributes:
                entries: 32
                width: 16
                datawidth: 8
                multiple_buffering: 2
            - name: MAC
              class: compute
              subclass: intmac
              attributes:
                datawidth: 8
)";

const char* kMapping = R"(
mapping:
  - target: DRAM
    type: temporal
    factors: K2 R1 P1
    permutation: K R P
  - target: GLB
    type: spatial
    factors: K=4 R=1 P=1
    permutation: KRP
    split: 1
  - target: GLB
    type: temporal
    factors: P=0
  - target: RF
    type: temporal
    factors: R=3,P=2
    permutation: RPK
  - target: RF
    type: bypass
    bypass: [Weights]
    keep: [Outputs]
)";

Spec LoadInline(const std::vector<std::string>& texts) {
  std::vector<InputFile> files;
  for (size_t i = 0; i < texts.size(); ++i) files.push_back({"inline" + std::to_string(i) + ".yaml", texts[i]});
  return LoadSpecFromTexts(files);
}

TEST(LoadInline, ProblemFormsAndCoefficients) {
  Spec s = LoadInline({kProblem, kArch, kMapping});
  const Workload& w = s.workload;
  EXPECT_EQ(w.name, "Conv1D_OC");
  ASSERT_EQ(w.dim_names, (std::vector<std::string>{"K", "R", "P"}));
  EXPECT_EQ(w.bounds, (std::vector<int64_t>{8, 3, 16}));
  EXPECT_EQ(w.AlgorithmicComputes(), 8 * 3 * 16);
  EXPECT_EQ(w.DimIndex("P"), 2);
  EXPECT_EQ(w.DimIndex("X"), -1);
  ASSERT_EQ(w.data_spaces.size(), 3u);
  EXPECT_EQ(w.DataSpaceIndex("Outputs"), 2);
  EXPECT_TRUE(w.data_spaces[2].read_write);
  EXPECT_FALSE(w.data_spaces[0].read_write);
  // Weights: v0.3 compact form [ [[K]], [[R]] ] = two ranks.
  ASSERT_EQ(w.data_spaces[0].ranks.size(), 2u);
  EXPECT_EQ(w.data_spaces[0].ranks[1][0].dim, 1);
  // Inputs: R + Wstride*P with the instance override Wstride = 2.
  ASSERT_EQ(w.data_spaces[1].ranks.size(), 1u);
  ASSERT_EQ(w.data_spaces[1].ranks[0].size(), 2u);
  EXPECT_EQ(w.data_spaces[1].ranks[0][0].dim, 1);
  EXPECT_EQ(w.data_spaces[1].ranks[0][0].coef, 1);
  EXPECT_EQ(w.data_spaces[1].ranks[0][1].dim, 2);
  EXPECT_EQ(w.data_spaces[1].ranks[0][1].coef, 2);
  EXPECT_EQ(w.coefficients.at("Wstride"), 2);
  // Densities: bare number and hyphenated distribution both mean fixed_structured.
  EXPECT_EQ(w.densities.at("Weights").distribution, "fixed_structured");
  EXPECT_DOUBLE_EQ(w.densities.at("Weights").density, 0.5);
  EXPECT_EQ(w.densities.at("Inputs").distribution, "fixed_structured");
  EXPECT_DOUBLE_EQ(w.densities.at("Inputs").density, 0.25);
  EXPECT_EQ(w.densities.count("Outputs"), 0u);
  EXPECT_TRUE(s.warnings.empty()) << s.warnings.front();
}

TEST(LoadInline, ArchV03Flattening) {
  Spec s = LoadInline({kProblem, kArch, kMapping});
  const Arch& a = s.arch;
  ASSERT_EQ(a.levels.size(), 3u);
  EXPECT_EQ(a.levels[0].name, "RF");
  EXPECT_EQ(a.levels[1].name, "GLB");
  EXPECT_EQ(a.levels[2].name, "DRAM");
  EXPECT_EQ(a.LevelIndex("GLB"), 1);
  EXPECT_EQ(a.LevelIndex("MAC"), -1);
  EXPECT_EQ(a.levels[0].path_name, "system.PE[0..3].RF");

  const StorageLevel& rf = a.levels[0];
  EXPECT_EQ(rf.cls, "regfile");
  EXPECT_EQ(rf.instances, 4);
  EXPECT_EQ(rf.mesh_x, 4);
  EXPECT_EQ(rf.mesh_y, 1);
  EXPECT_EQ(rf.block_size, 2);         // width 16 / datawidth 8
  ASSERT_TRUE(rf.depth.has_value());
  EXPECT_EQ(*rf.depth, 16);            // entries 32 words / block 2
  EXPECT_EQ(rf.CapacityWords(), 16);   // 32 words / multiple_buffering 2

  const StorageLevel& glb = a.levels[1];
  EXPECT_EQ(glb.word_bits, 8);         // word-bits spelling
  EXPECT_EQ(glb.width_bits, 64);
  EXPECT_EQ(glb.block_size, 8);
  EXPECT_EQ(glb.depth, 1024);
  EXPECT_EQ(glb.CapacityWords(), 8192);
  ASSERT_TRUE(glb.read_bw_words_per_cycle && glb.write_bw_words_per_cycle);
  EXPECT_DOUBLE_EQ(*glb.read_bw_words_per_cycle, 4.0);   // legacy bandwidth: half each way
  EXPECT_DOUBLE_EQ(*glb.write_bw_words_per_cycle, 4.0);
  EXPECT_FALSE(glb.shared_bw_words_per_cycle.has_value());
  EXPECT_FALSE(glb.is_dram);

  const StorageLevel& dram = a.levels[2];
  EXPECT_TRUE(dram.is_dram);
  EXPECT_FALSE(dram.depth.has_value());
  EXPECT_FALSE(dram.CapacityWords().has_value());
  EXPECT_EQ(dram.instances, 1);

  EXPECT_EQ(a.compute.name, "MAC");
  EXPECT_EQ(a.compute.cls, "intmac");
  EXPECT_EQ(a.compute.instances, 4);
  EXPECT_EQ(a.compute.word_bits, 8);
}

TEST(LoadInline, MappingForms) {
  Spec s = LoadInline({kProblem, kArch, kMapping});
  ASSERT_TRUE(s.mapping.has_value());
  const Mapping& m = *s.mapping;
  ASSERT_EQ(m.levels.size(), 3u);
  // RF: "R=3,P=2", permutation RPK.
  EXPECT_EQ(m.levels[0].temporal_factors, (std::vector<int64_t>{1, 3, 2}));
  EXPECT_EQ(m.levels[0].temporal_order, (std::vector<int>{1, 2, 0}));
  EXPECT_EQ(m.levels[0].keep, (std::vector<bool>{false, true, true}));
  // GLB: spatial K4 split 1; temporal P=0 resolves to 16 / 2 = 8.
  EXPECT_EQ(m.levels[1].spatial_factors, (std::vector<int64_t>{4, 1, 1}));
  EXPECT_EQ(m.levels[1].spatial_split, 1);
  EXPECT_EQ(m.levels[1].temporal_factors, (std::vector<int64_t>{1, 1, 8}));
  EXPECT_EQ(m.levels[1].temporal_order, (std::vector<int>{0, 1, 2}));  // none given: problem order
  // DRAM: "K2 R1 P1", permutation with spaces.
  EXPECT_EQ(m.levels[2].temporal_factors, (std::vector<int64_t>{2, 1, 1}));
  EXPECT_EQ(m.levels[2].spatial_split, 3);  // default: all X
  EXPECT_EQ(m.levels[2].keep, (std::vector<bool>{true, true, true}));
}

TEST(LoadInline, NoMappingIsFine) {
  Spec s = LoadInline({kProblem, kArch});
  EXPECT_FALSE(s.mapping.has_value());
  EXPECT_TRUE(s.sparse.empty());
  ASSERT_EQ(s.inputs.size(), 2u);
  EXPECT_EQ(s.inputs[0].text, kProblem);
}

TEST(LoadInline, LaterFilesMergeAndReplaceMapping) {
  const char* override_bound = R"(
problem:
  instance:
    K: 16
)";
  const char* other_mapping = R"(
mapping:
  - target: DRAM
    type: temporal
    factors: K=0 R=3 P=16
)";
  Spec s = LoadInline({kProblem, kArch, kMapping, override_bound, other_mapping});
  EXPECT_EQ(s.workload.bounds[0], 16);
  EXPECT_EQ(s.workload.densities.size(), 2u);  // the rest of `instance` survives the merge
  ASSERT_TRUE(s.mapping.has_value());
  EXPECT_EQ(s.mapping->levels[2].temporal_factors, (std::vector<int64_t>{16, 3, 16}));
  EXPECT_EQ(s.mapping->levels[0].temporal_factors, (std::vector<int64_t>{1, 1, 1}));
  EXPECT_EQ(s.inputs.size(), 5u);
}

TEST(LoadInline, MultiLetterDimensionsInPermutation) {
  const char* text = R"(
problem:
  shape:
    name: t
    dimensions: [W, Wx, C]
    data_spaces:
      - {name: A, projection: [[[W]], [[Wx]]]}
      - {name: Z, projection: [[[C]]], read_write: true}
  instance: {W: 2, Wx: 3, C: 4}
architecture:
  subtree:
    - name: top
      local:
        - {name: Mem, class: DRAM, attributes: {width: 8, datawidth: 8}}
        - {name: alu, class: fpmac}
mapping:
  - {target: Mem, type: temporal, factors: "Wx3 W2 C4", permutation: "WxWC"}
)";
  Spec s = LoadInline({text});
  ASSERT_TRUE(s.mapping.has_value());
  EXPECT_EQ(s.mapping->levels[0].temporal_order, (std::vector<int>{1, 0, 2}));
  EXPECT_EQ(s.mapping->levels[0].temporal_factors, (std::vector<int64_t>{2, 3, 4}));
  EXPECT_EQ(s.arch.compute.word_bits, 16);  // default
}

TEST(LoadInline, AttributeSynonymsAndDefaults) {
  const char* text = R"(
problem:
  shape:
    name: t
    dimensions: [K]
    data_spaces: [{name: A, projection: [[[K]]]}]
  instance: {K: 4}
architecture:
  version: 0.4
  subtree:
    - name: top
      local:
        - name: Big[1..1]
          class: SRAM
          attributes: {sizeKB: 2, memory_width: 128, word_width: 16, read_bandwidth: 4, shared_bandwidth: 6}
        - name: Tiny[1..8]
          class: regfile
          attributes: {depth: 4, instances: 16, meshX: 4, n_words: 3, cluster_size: 2,
                       metadata_datawidth: 4, metadata_storage_width: 12, metadata_storage_depth: 8,
                       metadata_block_size: 3, metadata_counter_width: 5,
                       compression_supported: true, allow_overbooking: true, min_utilization: 0.5,
                       n_banks: 2}
        - name: mac[1..16]
          class: intmac
          attributes: {multiplier_width: 8, meshX: 4, meshY: 4}
)";
  Spec s = LoadInline({text});
  const StorageLevel& big = s.arch.levels[1];
  EXPECT_EQ(big.width_bits, 128);
  EXPECT_EQ(big.word_bits, 16);
  EXPECT_EQ(big.block_size, 8);
  EXPECT_EQ(big.depth, 2 * 1024 * 8 / 128);
  EXPECT_EQ(big.read_bw_words_per_cycle, 4.0);
  EXPECT_FALSE(big.write_bw_words_per_cycle.has_value());
  EXPECT_EQ(big.shared_bw_words_per_cycle, 6.0);
  const StorageLevel& tiny = s.arch.levels[0];
  EXPECT_EQ(tiny.instances, 16);  // the attribute overrides [1..8]
  EXPECT_EQ(tiny.mesh_x, 4);
  EXPECT_EQ(tiny.mesh_y, 4);
  EXPECT_EQ(tiny.block_size, 3);
  EXPECT_EQ(tiny.cluster_size, 2);
  EXPECT_EQ(tiny.word_bits, 16);
  EXPECT_EQ(tiny.metadata_word_bits, 4);
  EXPECT_EQ(tiny.metadata_storage_width_bits, 12);
  EXPECT_EQ(tiny.metadata_storage_depth, 8);
  EXPECT_EQ(tiny.metadata_block_size, 3);
  EXPECT_EQ(tiny.metadata_counter_width, 5);
  EXPECT_TRUE(tiny.compression_supported);
  EXPECT_FALSE(tiny.decompression_supported);
  EXPECT_TRUE(tiny.allow_overbooking);
  EXPECT_DOUBLE_EQ(tiny.min_utilization, 0.5);
  EXPECT_EQ(tiny.extra.at("n_banks"), "2");
  EXPECT_EQ(s.arch.compute.word_bits, 8);
  EXPECT_EQ(s.arch.compute.mesh_x, 4);
  EXPECT_EQ(s.arch.compute.mesh_y, 4);
}

TEST(LoadInline, SparseAndTables) {
  const char* sparse = R"(
sparse_optimizations:
  targets:
    - name: RF
      representation-format:
        data-spaces:
          - name: Weights
            rank-application-order: inner-to-outer
            ranks:
              - format: uop
                payload-word-bits: 0
              - format: RLE
                metadata-word-bits: 4
                flattened-rankIDs: [ [K, R] ]
      action-optimization:
        - type: skipping
          options:
            - target: Inputs
              condition-on: [ Weights ]
        - type: gating
          target: Outputs
          condition-on: [ Weights, Inputs ]
    - name: MAC
      compute-optimization:
        - type: skipping
)";
  const char* ert = R"(
ERT:
  version: 0.3
  tables:
    - name: system.PE[0..3].RF
      actions:
        - {name: read, arguments: {address_delta: 0}, energy: 0.5}
        - {name: read, arguments: {address_delta: 1}, energy: 1.5}
        - {name: write, arguments: null, energy: 1}
    - name: system.PE[0..3].MAC
      actions:
        - {name: mac_random, energy: 2.25}
)";
  const char* art = R"(
ART:
  tables:
    - {name: system.GLB, area: 100}
)";
  Spec s = LoadInline({kProblem, kArch, sparse, ert, art});
  ASSERT_EQ(s.sparse.targets.size(), 2u);
  const SparseTarget& rf = s.sparse.targets[0];
  EXPECT_EQ(rf.level, "RF");
  ASSERT_EQ(rf.formats.size(), 1u);
  EXPECT_EQ(rf.formats[0].data_space, "Weights");
  EXPECT_EQ(rf.formats[0].rank_application_order, "inner_to_outer");
  ASSERT_EQ(rf.formats[0].ranks.size(), 2u);
  EXPECT_EQ(rf.formats[0].ranks[0].format, "UOP");
  EXPECT_EQ(rf.formats[0].ranks[0].payload_word_bits, 0);
  EXPECT_EQ(rf.formats[0].ranks[0].metadata_word_bits, -1);
  EXPECT_EQ(rf.formats[0].ranks[1].format, "RLE");
  EXPECT_EQ(rf.formats[0].ranks[1].metadata_word_bits, 4);
  EXPECT_EQ(rf.formats[0].ranks[1].flattened_rank_ids,
            (std::vector<std::vector<std::string>>{{"K", "R"}}));
  ASSERT_EQ(rf.actions.size(), 2u);
  EXPECT_EQ(rf.actions[0].type, "skipping");
  EXPECT_EQ(rf.actions[0].target, "Inputs");
  EXPECT_EQ(rf.actions[0].condition_on, (std::vector<std::string>{"Weights"}));
  EXPECT_EQ(rf.actions[1].type, "gating");
  EXPECT_EQ(rf.actions[1].condition_on, (std::vector<std::string>{"Weights", "Inputs"}));
  EXPECT_EQ(s.sparse.targets[1].level, "MAC");
  ASSERT_EQ(s.sparse.targets[1].compute.size(), 1u);
  EXPECT_EQ(s.sparse.targets[1].compute[0].type, "skipping");

  const auto* rf_energy = s.ert.Find("RF");
  ASSERT_NE(rf_energy, nullptr);
  EXPECT_DOUBLE_EQ(rf_energy->at("read"), 1.5);  // max over argument variants
  EXPECT_DOUBLE_EQ(rf_energy->at("write"), 1.0);
  EXPECT_DOUBLE_EQ(s.ert.Find("MAC")->at("mac_random"), 2.25);
  EXPECT_EQ(s.ert.Find("GLB"), nullptr);
  EXPECT_DOUBLE_EQ(s.art.area_um2.at("GLB"), 100.0);
}

TEST(LoadInline, UnknownStructuralKeysWarn) {
  const char* extra = R"(
problem:
  shape:
    colour: blue
mapping:
  - target: RF
    type: temporal
    factors: K8 R3 P16
    colour: red
unheard_of_section: 1
)";
  Spec s = LoadInline({kProblem, kArch, kMapping, extra});
  auto has = [&s](const std::string& needle) {
    return std::any_of(s.warnings.begin(), s.warnings.end(),
                       [&](const std::string& w) { return w.find(needle) != std::string::npos; });
  };
  EXPECT_TRUE(has("inline3.yaml:4: problem.shape: unknown key 'colour' ignored"));
  EXPECT_TRUE(has("inline3.yaml:9: mapping[0]: unknown key 'colour' ignored"));
  EXPECT_TRUE(has("unknown top-level key 'unheard_of_section'"));
}

TEST(SpecHelpers, TrivialMappingAndFormatLoc) {
  Mapping m = TrivialMapping(3, 2, 2, {4, 5});
  ASSERT_EQ(m.levels.size(), 3u);
  EXPECT_EQ(m.levels[0].temporal_factors, (std::vector<int64_t>{1, 1}));
  EXPECT_EQ(m.levels[2].temporal_factors, (std::vector<int64_t>{4, 5}));
  EXPECT_EQ(m.levels[1].keep, (std::vector<bool>{true, true}));
  EXPECT_EQ(m.levels[1].temporal_order, (std::vector<int>{0, 1}));
  EXPECT_EQ(FormatLoc({"a.yaml", 3, "x.y"}), "a.yaml:3: x.y");
  EXPECT_EQ(FormatLoc({"a.yaml", 0, ""}), "a.yaml");
  EXPECT_EQ(std::string(SpecError({"a.yaml", 2, "k"}, "bad").what()), "a.yaml:2: k: bad");
}

// ---- Reference data -----------------------------------------------------------

fs::path SharedDir() { return fs::path(SIEVE_SHARED_DIR); }

#define SKIP_WITHOUT_SHARED()                                                             \
  do {                                                                                    \
    if (std::string(SIEVE_SHARED_DIR).empty() || !fs::is_directory(SharedDir() / "reference")) \
      GTEST_SKIP() << "reference data folder not found (SIEVE_SHARED_DIR=" << SIEVE_SHARED_DIR << ")"; \
  } while (0)

std::vector<std::string> GoldenFiles(const fs::path& dir) {
  std::vector<std::string> files = {(dir / "input.yaml").string()};
  if (fs::exists(dir / "map.yaml")) files.push_back((dir / "map.yaml").string());
  files.push_back((dir / "ERT.yaml").string());
  files.push_back((dir / "ART.yaml").string());
  return files;
}

Spec LoadGolden(const std::string& name) {
  return LoadSpec(GoldenFiles(SharedDir() / "reference" / "golden" / name));
}

std::vector<std::string> LevelNames(const Spec& s) {
  std::vector<std::string> names;
  for (const StorageLevel& l : s.arch.levels) names.push_back(l.name);
  return names;
}

TEST(LoadGolden, EveryCaseLoads) {
  SKIP_WITHOUT_SHARED();
  int cases = 0;
  for (const auto& entry : fs::directory_iterator(SharedDir() / "reference" / "golden")) {
    if (!entry.is_directory()) continue;
    SCOPED_TRACE(entry.path().filename().string());
    Spec s;
    ASSERT_NO_THROW(s = LoadSpec(GoldenFiles(entry.path())));
    ++cases;
    EXPECT_TRUE(s.mapping.has_value());
    EXPECT_FALSE(s.arch.levels.empty());
    // Accelergy tables cover the compute and every real (non-dummy) level.
    EXPECT_NE(s.ert.Find(s.arch.compute.name), nullptr);
    for (const StorageLevel& l : s.arch.levels) {
      if (!l.is_dummy) {
        EXPECT_NE(s.ert.Find(l.name), nullptr) << l.name;
      }
    }
    // Only the benign H/W/Hpad/Wpad instance keys may warn.
    for (const std::string& w : s.warnings) EXPECT_NE(w.find("problem.instance"), std::string::npos) << w;
  }
  EXPECT_EQ(cases, 23);
}

TEST(LoadGolden, DenseT04) {
  SKIP_WITHOUT_SHARED();
  Spec s = LoadGolden("dense_T04_conv1d_oc_3levelspatial_kp");
  EXPECT_EQ(LevelNames(s),
            (std::vector<std::string>{"RegisterFile", "GlobalBuffer", "inter_PE_spatial", "MainMemory"}));
  const StorageLevel& glb = s.arch.levels[1];
  EXPECT_EQ(glb.instances, 16);
  EXPECT_EQ(glb.mesh_x, 16);
  EXPECT_EQ(glb.mesh_y, 1);
  EXPECT_EQ(glb.block_size, 8);  // width 64 / datawidth 8
  EXPECT_EQ(glb.word_bits, 8);
  EXPECT_EQ(glb.depth, 32768);
  EXPECT_EQ(glb.path_name, "System_top_level.GlobalBuffer[1..16]");
  EXPECT_TRUE(s.arch.levels[2].is_dummy);
  EXPECT_TRUE(s.arch.levels[3].is_dram);
  EXPECT_FALSE(s.arch.levels[3].depth.has_value());
  EXPECT_EQ(s.arch.compute.name, "MACC");
  EXPECT_EQ(s.arch.compute.instances, 16);

  ASSERT_TRUE(s.mapping.has_value());
  const Mapping& m = *s.mapping;
  // Dimensions C K R P.
  EXPECT_EQ(m.levels[1].temporal_factors, (std::vector<int64_t>{32, 2, 3, 1}));
  EXPECT_EQ(m.levels[2].spatial_factors, (std::vector<int64_t>{1, 16, 1, 1}));
  EXPECT_EQ(m.levels[2].keep, (std::vector<bool>{false, false, false}));
  EXPECT_EQ(m.levels[0].temporal_factors, (std::vector<int64_t>{1, 1, 1, 16}));
  EXPECT_EQ(m.levels[0].temporal_order, (std::vector<int>{2, 3, 1, 0}));  // RPKC
  EXPECT_EQ(m.levels[3].keep, (std::vector<bool>{true, true, true}));

  EXPECT_DOUBLE_EQ(s.ert.Find("GlobalBuffer")->at("read"), 43.353054);
  EXPECT_DOUBLE_EQ(s.ert.Find("MACC")->at("compute"), 0.845);
  EXPECT_DOUBLE_EQ(s.art.area_um2.at("GlobalBuffer"), 707084.0);
  EXPECT_TRUE(s.workload.densities.empty());
}

TEST(LoadGolden, EyerissLike) {
  SKIP_WITHOUT_SHARED();
  Spec s = LoadGolden("dense_eyeriss_like");
  EXPECT_EQ(LevelNames(s), (std::vector<std::string>{"psum_spad", "weights_spad", "ifmap_spad", "inter_PE_spatial",
                                                     "inter_PE_column_spatial", "shared_glb", "DRAM"}));
  const Arch& a = s.arch;
  EXPECT_EQ(a.levels[0].instances, 168);
  EXPECT_EQ(a.levels[0].mesh_x, 14);
  EXPECT_EQ(a.levels[0].mesh_y, 12);
  EXPECT_EQ(a.levels[3].mesh_x, 14);
  EXPECT_EQ(a.levels[3].mesh_y, 1);
  EXPECT_EQ(a.levels[5].read_bw_words_per_cycle, 16.0);
  EXPECT_EQ(a.levels[2].block_size, 2);  // width 16 / datawidth 8
  EXPECT_EQ(a.compute.mesh_x, 14);
  EXPECT_EQ(a.compute.word_bits, 8);  // multiplier_width

  // Inputs rank 2 = R*Wdilation + P*Wstride with Wstride = 2.
  const DataSpace& inputs = s.workload.data_spaces[1];
  ASSERT_EQ(inputs.ranks.size(), 4u);
  EXPECT_EQ(inputs.ranks[2][1].dim, s.workload.DimIndex("P"));
  EXPECT_EQ(inputs.ranks[2][1].coef, 2);

  const Mapping& m = *s.mapping;
  EXPECT_EQ(m.levels[0].keep, (std::vector<bool>{false, false, true}));
  EXPECT_EQ(m.levels[5].keep, (std::vector<bool>{false, true, true}));
  // inter_PE_spatial: C3 S3, split 0 (all Y); column: Q14 split 1.
  const int C = s.workload.DimIndex("C"), S = s.workload.DimIndex("S"), Q = s.workload.DimIndex("Q");
  EXPECT_EQ(m.levels[3].spatial_factors[C], 3);
  EXPECT_EQ(m.levels[3].spatial_factors[S], 3);
  EXPECT_EQ(m.levels[3].spatial_split, 0);
  EXPECT_EQ(m.levels[4].spatial_factors[Q], 14);
  EXPECT_EQ(m.levels[4].spatial_split, 1);
  EXPECT_EQ(m.levels[4].spatial_order[0], Q);
}

TEST(LoadGolden, SimbaLike) {
  SKIP_WITHOUT_SHARED();
  Spec s = LoadGolden("dense_simba_like");
  ASSERT_EQ(s.arch.levels.size(), 9u);
  const StorageLevel& regs = s.arch.levels[0];
  EXPECT_EQ(regs.name, "PEWeightRegs");
  EXPECT_EQ(regs.cls, "smartbuffer_RF");  // v0.3-style class: storage + subclass
  EXPECT_EQ(regs.cluster_size, 64);
  EXPECT_EQ(regs.block_size, 1);  // 512 / (8 * 64)
  EXPECT_EQ(regs.mesh_x, 16);
  EXPECT_EQ(regs.mesh_y, 16);
  EXPECT_EQ(s.mapping->levels[6].spatial_split, 2);
}

TEST(LoadGolden, SparseEyerissGating) {
  SKIP_WITHOUT_SHARED();
  Spec s = LoadGolden("sparse_04.2.1-eyeriss-like-gating");
  EXPECT_EQ(s.workload.densities.at("Inputs").distribution, "fixed_structured");
  EXPECT_DOUBLE_EQ(s.workload.densities.at("Inputs").density, 0.275);
  const StorageLevel& glb = s.arch.levels[s.arch.LevelIndex("shared_glb")];
  EXPECT_TRUE(glb.compression_supported);
  EXPECT_TRUE(glb.decompression_supported);
  EXPECT_EQ(glb.metadata_counter_width, 9);
  EXPECT_EQ(s.arch.levels[s.arch.LevelIndex("DRAM")].metadata_word_bits, 5);
  ASSERT_EQ(s.sparse.targets.size(), 2u);
  const SparseTarget& dram = s.sparse.targets[0];
  EXPECT_EQ(dram.level, "DRAM");
  ASSERT_EQ(dram.formats.size(), 2u);
  EXPECT_EQ(dram.formats[0].data_space, "Inputs");
  ASSERT_EQ(dram.formats[0].ranks.size(), 2u);
  EXPECT_EQ(dram.formats[0].ranks[0].format, "UOP");
  EXPECT_EQ(dram.formats[0].ranks[1].format, "RLE");
  EXPECT_EQ(dram.formats[0].ranks[1].flattened_rank_ids,
            (std::vector<std::vector<std::string>>{{"R", "S", "P", "C", "M", "N", "Q"}}));
  const SparseTarget& ws = s.sparse.targets[1];
  EXPECT_EQ(ws.level, "weights_spad");
  ASSERT_EQ(ws.actions.size(), 1u);
  EXPECT_EQ(ws.actions[0].type, "gating");
  EXPECT_EQ(ws.actions[0].target, "Weights");
  EXPECT_EQ(ws.actions[0].condition_on, (std::vector<std::string>{"Inputs"}));
}

TEST(LoadGolden, SparseScduAndTensorCore) {
  SKIP_WITHOUT_SHARED();
  Spec s = LoadGolden("sparse_01.2.3-SCDU-dot-product");
  EXPECT_EQ(s.arch.levels[0].metadata_word_bits, 4);
  EXPECT_EQ(s.arch.levels[0].metadata_storage_width_bits, 4);
  EXPECT_EQ(s.arch.levels[0].metadata_storage_depth, 32);
  ASSERT_EQ(s.sparse.targets.size(), 1u);
  EXPECT_EQ(s.sparse.targets[0].formats[0].ranks[0].format, "CP");
  EXPECT_EQ(s.sparse.targets[0].actions.size(), 2u);

  Spec tc = LoadGolden("sparse_tensor_core_like");
  EXPECT_TRUE(tc.sparse.empty());
  EXPECT_DOUBLE_EQ(tc.workload.densities.at("A").density, 0.5);
  EXPECT_EQ(tc.arch.levels[0].name, "LRF");
  EXPECT_EQ(tc.arch.levels[0].mesh_y, 64);
}

// v0.3 multi-file sets: every yaml under the exercise folder except the
// reference outputs, plus the Accelergy tables from ref-output/.
std::vector<std::string> V03Files(const fs::path& dir, const fs::path& ref_dir) {
  std::vector<std::string> files;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    if (!e.is_regular_file() || e.path().extension() != ".yaml") continue;
    if (e.path().string().find("ref-output") != std::string::npos) continue;
    files.push_back(e.path().string());
  }
  std::sort(files.begin(), files.end());
  for (const auto& e : fs::directory_iterator(ref_dir)) {
    const std::string n = e.path().filename().string();
    if (n.size() > 9 && (n.ends_with(".ERT.yaml") || n.ends_with(".ART.yaml"))) files.push_back(e.path().string());
  }
  return files;
}

fs::path V03Dir() { return SharedDir() / "reference" / "timeloop-exercises" / "v03-2021isca"; }

TEST(LoadV03, EveryExerciseLoads) {
  SKIP_WITHOUT_SHARED();
  int sets = 0;
  for (const auto& entry : fs::directory_iterator(V03Dir())) {
    if (!entry.is_directory()) continue;
    // ref-output/ holds the tables directly or one folder per variant.
    std::vector<fs::path> ref_dirs;
    for (const auto& r : fs::directory_iterator(entry.path() / "ref-output"))
      if (r.is_directory()) ref_dirs.push_back(r.path());
    if (ref_dirs.empty()) ref_dirs.push_back(entry.path() / "ref-output");
    for (const fs::path& ref : ref_dirs) {
      SCOPED_TRACE(ref.string());
      Spec s;
      ASSERT_NO_THROW(s = LoadSpec(V03Files(entry.path(), ref)));
      ++sets;
      const std::string name = entry.path().filename().string();
      const bool mapper_run = name.starts_with("04.2.2") || name.starts_with("04.2.3");
      EXPECT_EQ(s.mapping.has_value(), !mapper_run);
      EXPECT_NE(s.ert.Find(s.arch.compute.name), nullptr);
      for (const StorageLevel& l : s.arch.levels) EXPECT_NE(s.ert.Find(l.name), nullptr) << l.name;
    }
  }
  EXPECT_EQ(sets, 12);
}

TEST(LoadV03, ConvSpatial) {
  SKIP_WITHOUT_SHARED();
  const fs::path dir = V03Dir() / "03.2.3-conv1d+oc-spatial";
  Spec s = LoadSpec(V03Files(dir, dir / "ref-output"));
  EXPECT_EQ(LevelNames(s), (std::vector<std::string>{"Buffer", "BackingStorage"}));
  EXPECT_EQ(s.arch.levels[0].instances, 4);
  EXPECT_EQ(s.arch.levels[0].mesh_x, 4);
  EXPECT_EQ(s.arch.levels[0].path_name, "system.PE[0..3].Buffer");
  EXPECT_EQ(s.arch.levels[1].cls, "SRAM_metadata");
  EXPECT_EQ(s.arch.levels[1].block_size, 4);
  EXPECT_EQ(s.arch.compute.instances, 4);
  // Dimensions M S Q; the spatial directive sits on the real level (v0.3).
  EXPECT_EQ(s.mapping->levels[1].spatial_factors, (std::vector<int64_t>{4, 1, 1}));
  EXPECT_EQ(s.mapping->levels[1].temporal_factors, (std::vector<int64_t>{4, 1, 1}));
  EXPECT_EQ(s.mapping->levels[0].temporal_factors, (std::vector<int64_t>{1, 3, 9}));
  EXPECT_DOUBLE_EQ(s.workload.densities.at("Weights").density, 0.3333);
  ASSERT_EQ(s.sparse.targets.size(), 2u);
  EXPECT_EQ(s.sparse.targets[1].actions.size(), 2u);
  EXPECT_EQ(s.sparse.targets[0].formats[0].ranks.size(), 3u);
}

TEST(LoadV03, EyerissGating) {
  SKIP_WITHOUT_SHARED();
  const fs::path dir = V03Dir() / "04.2.1-eyeriss-like-gating";
  Spec s = LoadSpec(V03Files(dir, dir / "ref-output"));
  EXPECT_EQ(LevelNames(s), (std::vector<std::string>{"psum_spad", "weights_spad", "ifmap_spad", "DummyBuffer",
                                                     "shared_glb", "DRAM"}));
  const StorageLevel& dummy = s.arch.levels[3];
  EXPECT_FALSE(dummy.is_dummy);           // a v0.3 SRAM, bypassed by the mapping
  EXPECT_FALSE(dummy.depth.has_value());  // depth 0 = not given
  EXPECT_EQ(dummy.instances, 14);
  EXPECT_EQ(dummy.mesh_x, 14);
  const StorageLevel& ifmap = s.arch.levels[2];
  EXPECT_EQ(ifmap.instances, 168);
  EXPECT_EQ(ifmap.mesh_x, 14);
  EXPECT_EQ(ifmap.mesh_y, 12);
  EXPECT_EQ(ifmap.word_bits, 17);
  EXPECT_EQ(s.arch.compute.cls, "mac");
  EXPECT_EQ(s.arch.compute.instances, 168);
  EXPECT_EQ(s.workload.densities.at("Weights").distribution, "fixed_structured");
  EXPECT_DOUBLE_EQ(s.workload.densities.at("Weights").density, 0.346133);

  const Workload& w = s.workload;
  const Mapping& m = *s.mapping;
  // 0 factors: shared_glb spatial Q=0 -> 13, temporal P=0 -> 13; weights_spad R=0 -> 3.
  EXPECT_EQ(m.levels[4].spatial_factors[w.DimIndex("Q")], 13);
  EXPECT_EQ(m.levels[4].temporal_factors[w.DimIndex("P")], 13);
  EXPECT_EQ(m.levels[4].temporal_factors[w.DimIndex("N")], 4);
  EXPECT_EQ(m.levels[1].temporal_factors[w.DimIndex("R")], 3);
  EXPECT_EQ(m.levels[3].spatial_factors[w.DimIndex("S")], 3);
  EXPECT_EQ(m.levels[3].spatial_split, 4);
  EXPECT_EQ(m.levels[3].keep, (std::vector<bool>{false, false, false}));
  // "RSP CMNQ": whitespace ignored.
  std::vector<int> expect;
  for (const char* d : {"R", "S", "P", "C", "M", "N", "Q"}) expect.push_back(w.DimIndex(d));
  EXPECT_EQ(m.levels[5].temporal_order, expect);
  EXPECT_EQ(s.sparse.targets[1].actions[0].type, "gating");
}

}  // namespace
}  // namespace sieve::spec
