// Loading tests on the reference data: every golden case and every v0.3
// multi-file exercise (skipped when the reference folder is absent), with
// hand-checked facts about what was read.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "sieve/spec/load.hpp"
#include "golden/golden_case.hpp"

namespace sieve::spec {
namespace {

namespace fs = std::filesystem;

// ---- Reference data -----------------------------------------------------------

using ::sieve::testing::GoldenInputs;
using ::sieve::testing::GoldenInputsIn;
using ::sieve::testing::SharedDir;

Spec LoadGolden(const std::string& name) { return LoadSpec(GoldenInputs(name)); }

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
    ASSERT_NO_THROW(s = LoadSpec(GoldenInputsIn(entry.path())));
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
    // Real reference inputs load without a single warning (the H, W, Hpad,
    // Wpad notes of convolution problems are accepted silently).
    for (const std::string& w : s.warnings) ADD_FAILURE() << w;
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
