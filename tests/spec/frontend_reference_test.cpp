// The v0.4 front end against the reference's own lowering: every design
// directory in ../shared/reference/frontend (the example designs and the
// Sparseloop exercises) and in timeloop-exercises/v04-sparseloop, read raw must give the spec that its
// ref_outputs/.../parsed-processed-input.yaml (timeloopfe's output) gives,
// and the same energy and cycles for the reference's mapping.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <tuple>

#include "sieve/evaluator.hpp"
#include "sieve/spec/load.hpp"
#include "support/shared_data.hpp"

namespace sieve::spec {
namespace {

namespace fs = std::filesystem;

fs::path FrontendDir() { return testing::SharedDir() / "reference" / "frontend"; }

struct DesignCase {
  fs::path dir;
  fs::path ref;  // ref_outputs/<problem>
};

std::vector<DesignCase> DesignCases() {
  std::vector<DesignCase> out;
  std::vector<fs::path> dirs;
  const fs::path v04 = testing::SharedDir() / "reference" / "timeloop-exercises" / "v04-sparseloop";
  for (const fs::path& parent : {FrontendDir(), FrontendDir() / "sparseloop", v04}) {
    if (!fs::is_directory(parent)) continue;
    for (const auto& e : fs::directory_iterator(parent))
      if (fs::is_regular_file(e.path() / "arch.yaml")) dirs.push_back(e.path());
  }
  std::sort(dirs.begin(), dirs.end());
  for (const fs::path& d : dirs) {
    // ref_outputs/<problem>/ in the example designs, ref_outputs/ itself in
    // the older copy of the Sparseloop exercises.
    if (fs::is_regular_file(d / "ref_outputs" / "parsed-processed-input.yaml")) out.push_back({d, d / "ref_outputs"});
    for (const auto& r : fs::directory_iterator(d / "ref_outputs"))
      if (fs::is_regular_file(r.path() / "parsed-processed-input.yaml")) out.push_back({d, r.path()});
  }
  return out;
}

// The fields the model reads (names, classes, sizes, meshes, bandwidths,
// metadata), not provenance or unread attribute text.
auto ModelFields(const StorageLevel& l) {
  return std::make_tuple(l.name, l.cls, l.is_dram, l.is_dummy, l.depth, l.width_bits, l.word_bits, l.block_size,
                         l.cluster_size, l.instances, l.mesh_x, l.mesh_y, l.read_bw_words_per_cycle,
                         l.write_bw_words_per_cycle, l.shared_bw_words_per_cycle, l.multiple_buffering,
                         l.min_utilization, l.allow_overbooking, l.metadata_word_bits, l.metadata_storage_width_bits,
                         l.metadata_storage_depth, l.metadata_block_size, l.metadata_counter_width,
                         l.compression_supported, l.decompression_supported, l.tile_partition_supported);
}

std::vector<std::tuple<int, int, int64_t>> Sorted(const std::vector<FactorConstraint>& fs) {
  std::vector<std::tuple<int, int, int64_t>> out;
  for (const FactorConstraint& f : fs) out.emplace_back(f.dim, static_cast<int>(f.kind), f.value);
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<int> Sorted(std::vector<int> v) {
  std::sort(v.begin(), v.end());
  return v;
}

auto OrderFields(const OrderConstraint& o) { return std::make_tuple(o.given, o.inner, o.outer, o.written); }

void ExpectSameArch(const Arch& raw, const Arch& lowered) {
  ASSERT_EQ(raw.levels.size(), lowered.levels.size());
  for (size_t i = 0; i < raw.levels.size(); ++i) {
    SCOPED_TRACE("level " + lowered.levels[i].name);
    EXPECT_TRUE(ModelFields(raw.levels[i]) == ModelFields(lowered.levels[i]));
  }
  EXPECT_EQ(raw.compute.name, lowered.compute.name);
  EXPECT_EQ(raw.compute.cls, lowered.compute.cls);
  EXPECT_EQ(raw.compute.instances, lowered.compute.instances);
  EXPECT_EQ(raw.compute.mesh_x, lowered.compute.mesh_x);
  EXPECT_EQ(raw.compute.mesh_y, lowered.compute.mesh_y);
  EXPECT_EQ(raw.compute.word_bits, lowered.compute.word_bits);
}

void ExpectSameConstraints(const Constraints& raw, const Constraints& lowered, const Arch& arch) {
  ASSERT_EQ(raw.levels.size(), lowered.levels.size());
  EXPECT_EQ(raw.any, lowered.any);
  for (size_t i = 0; i < raw.levels.size(); ++i) {
    SCOPED_TRACE("constraints of " + arch.levels[i].name);
    const LevelConstraints& a = raw.levels[i];
    const LevelConstraints& b = lowered.levels[i];
    EXPECT_EQ(Sorted(a.temporal_factors), Sorted(b.temporal_factors));
    EXPECT_EQ(Sorted(a.spatial_factors), Sorted(b.spatial_factors));
    EXPECT_TRUE(OrderFields(a.temporal_order) == OrderFields(b.temporal_order));
    EXPECT_TRUE(OrderFields(a.spatial_order) == OrderFields(b.spatial_order));
    EXPECT_EQ(a.spatial_split, b.spatial_split);
    EXPECT_EQ(Sorted(a.keep), Sorted(b.keep));
    EXPECT_EQ(Sorted(a.bypass), Sorted(b.bypass));
    EXPECT_EQ(a.max_factor, b.max_factor);
    EXPECT_EQ(a.min_spatial_utilization, b.min_spatial_utilization);
    EXPECT_EQ(Sorted(a.no_link_transfer_spaces), Sorted(b.no_link_transfer_spaces));
    EXPECT_EQ(a.max_overbooked_proportion, b.max_overbooked_proportion);
  }
}

void ExpectSameSparse(const SparseOptimizations& raw, const SparseOptimizations& lowered) {
  ASSERT_EQ(raw.targets.size(), lowered.targets.size());
  for (size_t t = 0; t < raw.targets.size(); ++t) {
    const SparseTarget& a = raw.targets[t];
    const SparseTarget& b = lowered.targets[t];
    SCOPED_TRACE("sparse target " + b.level);
    EXPECT_EQ(a.level, b.level);
    ASSERT_EQ(a.formats.size(), b.formats.size());
    for (size_t f = 0; f < a.formats.size(); ++f) {
      EXPECT_EQ(a.formats[f].data_space, b.formats[f].data_space);
      EXPECT_EQ(a.formats[f].rank_application_order, b.formats[f].rank_application_order);
      ASSERT_EQ(a.formats[f].ranks.size(), b.formats[f].ranks.size());
      for (size_t r = 0; r < a.formats[f].ranks.size(); ++r) {
        const RankFormat& x = a.formats[f].ranks[r];
        const RankFormat& y = b.formats[f].ranks[r];
        EXPECT_EQ(std::tie(x.format, x.flattened_rank_ids, x.payload_word_bits, x.metadata_word_bits),
                  std::tie(y.format, y.flattened_rank_ids, y.payload_word_bits, y.metadata_word_bits));
      }
    }
    ASSERT_EQ(a.actions.size(), b.actions.size());
    for (size_t k = 0; k < a.actions.size(); ++k) {
      EXPECT_EQ(std::tie(a.actions[k].type, a.actions[k].target, a.actions[k].condition_on),
                std::tie(b.actions[k].type, b.actions[k].target, b.actions[k].condition_on));
    }
    ASSERT_EQ(a.compute.size(), b.compute.size());
    for (size_t k = 0; k < a.compute.size(); ++k) EXPECT_EQ(a.compute[k].type, b.compute[k].type);
  }
}

void ExpectSameWorkload(const Workload& raw, const Workload& lowered) {
  EXPECT_EQ(raw.dim_names, lowered.dim_names);
  EXPECT_EQ(raw.bounds, lowered.bounds);
  EXPECT_EQ(raw.coefficients, lowered.coefficients);
  ASSERT_EQ(raw.data_spaces.size(), lowered.data_spaces.size());
  for (size_t i = 0; i < raw.data_spaces.size(); ++i) {
    EXPECT_EQ(raw.data_spaces[i].name, lowered.data_spaces[i].name);
    EXPECT_EQ(raw.data_spaces[i].read_write, lowered.data_spaces[i].read_write);
    ASSERT_EQ(raw.data_spaces[i].ranks.size(), lowered.data_spaces[i].ranks.size());
    for (size_t r = 0; r < raw.data_spaces[i].ranks.size(); ++r) {
      const RankProjection& a = raw.data_spaces[i].ranks[r];
      const RankProjection& b = lowered.data_spaces[i].ranks[r];
      ASSERT_EQ(a.size(), b.size());
      for (size_t k = 0; k < a.size(); ++k) EXPECT_EQ(std::tie(a[k].dim, a[k].coef), std::tie(b[k].dim, b[k].coef));
    }
  }
  ASSERT_EQ(raw.densities.size(), lowered.densities.size());
  for (const auto& [name, d] : raw.densities) {
    ASSERT_TRUE(lowered.densities.count(name)) << name;
    const DensitySpec& e = lowered.densities.at(name);
    EXPECT_EQ(std::tie(d.distribution, d.density, d.band_width), std::tie(e.distribution, e.density, e.band_width))
        << name;
  }
}

TEST(FrontendReference, RawDesignsLowerToTheReferenceSpec) {
  SKIP_UNLESS_REFERENCE(fs::is_directory(FrontendDir()), FrontendDir().string());
  const std::vector<DesignCase> cases = DesignCases();
  EXPECT_GE(cases.size(), 28u);  // 5 + 11 example designs, 12 older exercise copies
  for (const DesignCase& c : cases) {
    SCOPED_TRACE(c.dir.string());
    Spec raw, lowered;
    ASSERT_NO_THROW(raw = LoadSpec({c.dir.string()}));
    ASSERT_NO_THROW(lowered = LoadSpec({(c.ref / "parsed-processed-input.yaml").string()}));
    ExpectSameWorkload(raw.workload, lowered.workload);
    ExpectSameArch(raw.arch, lowered.arch);
    ExpectSameConstraints(raw.constraints, lowered.constraints, lowered.arch);
    ExpectSameSparse(raw.sparse, lowered.sparse);
    EXPECT_EQ(raw.mapper.algorithm, lowered.mapper.algorithm);
    EXPECT_EQ(raw.mapper.optimization_metrics, lowered.mapper.optimization_metrics);
    EXPECT_EQ(raw.mapper.victory_condition, lowered.mapper.victory_condition);
    EXPECT_EQ(raw.mapper.timeout, lowered.mapper.timeout);
    // The compound classes the lowered file lists come from _components.
    std::vector<std::string> raw_classes, lowered_classes;
    for (const CompoundClass& k : raw.compound_classes) raw_classes.push_back(k.name);
    for (const CompoundClass& k : lowered.compound_classes) lowered_classes.push_back(k.name);
    std::sort(raw_classes.begin(), raw_classes.end());
    std::sort(lowered_classes.begin(), lowered_classes.end());
    EXPECT_EQ(raw_classes, lowered_classes);
    // Real designs lower without a warning, but for the one section the
    // reference's front end drops (04.2.2 has mapspace_constraints).
    for (const std::string& w : raw.warnings)
      if (w.find("mapspace_constraints: ignored") == std::string::npos) ADD_FAILURE() << w;
  }
}

TEST(FrontendReference, RawAndLoweredGiveTheSameNumbers) {
  SKIP_UNLESS_REFERENCE(fs::is_directory(FrontendDir()), FrontendDir().string());
  for (const DesignCase& c : DesignCases()) {
    SCOPED_TRACE(c.dir.string());
    const std::vector<std::string> tables = {(c.ref / "timeloop-mapper.map.yaml").string(),
                                             (c.ref / "timeloop-mapper.ERT.yaml").string(),
                                             (c.ref / "timeloop-mapper.ART.yaml").string()};
    std::vector<std::string> raw_files = {c.dir.string()};
    std::vector<std::string> lowered_files = {(c.ref / "parsed-processed-input.yaml").string()};
    raw_files.insert(raw_files.end(), tables.begin(), tables.end());
    lowered_files.insert(lowered_files.end(), tables.begin(), tables.end());
    const Spec raw = LoadSpec(raw_files);
    const Spec lowered = LoadSpec(lowered_files);
    ASSERT_TRUE(raw.mapping && lowered.mapping);
    const Result a = Evaluate(BuildDesign(raw), *raw.mapping);
    const Result b = Evaluate(BuildDesign(lowered), *lowered.mapping);
    ASSERT_TRUE(a.valid() && b.valid());
    EXPECT_EQ(a.cycles, b.cycles);
    EXPECT_EQ(a.energy_pj, b.energy_pj);
    EXPECT_GT(b.energy_pj, 0.0);
  }
}

}  // namespace
}  // namespace sieve::spec
