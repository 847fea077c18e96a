// Loading tests on inline YAML, one per accepted form (the reference data
// is covered by load_reference_test.cpp).
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "sieve/spec/load.hpp"

namespace sieve::spec {
namespace {

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
                payload_word_bits: 3
              - format: RLE
                payload-word-bits: 5
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
  EXPECT_EQ(rf.formats[0].ranks[0].payload_word_bits, 3);
  EXPECT_EQ(rf.formats[0].ranks[0].metadata_word_bits, -1);
  EXPECT_EQ(rf.formats[0].ranks[1].format, "RLE");
  EXPECT_EQ(rf.formats[0].ranks[1].metadata_word_bits, 4);
  // Timeloop does not translate the hyphenated payload-word-bits (it does
  // metadata-word-bits): ignored, with a warning naming it.
  EXPECT_EQ(rf.formats[0].ranks[1].payload_word_bits, -1);
  EXPECT_TRUE(std::any_of(s.warnings.begin(), s.warnings.end(), [](const std::string& w) {
    return w.find("'payload-word-bits' is ignored") != std::string::npos;
  }));
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

}  // namespace
}  // namespace sieve::spec
