// MappingYaml round trip: a decoded mapping written as map.yaml, loaded back
// with the design's files and evaluated, gives exactly the same result as
// evaluating the decoded mapping directly.
#include "sieve/report/map_yaml.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "search/mapspace.hpp"
#include "search/strategy.hpp"
#include "sieve/evaluator.hpp"
#include "sieve/spec/load.hpp"

namespace sieve::search {
namespace {

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::vector<spec::InputFile> DefaultFiles() {
  const std::string dir = SIEVE_SOURCE_DIR "/configs/default/";
  std::vector<spec::InputFile> files;
  for (const char* name : {"design.yaml", "constraints.yaml", "ERT.yaml", "ART.yaml"})
    files.push_back({dir + name, ReadFile(dir + name)});
  return files;
}

// K=4, KS=3 (multi-letter: permutations are written with separators), C=6,
// on Buf[4] as a free 2x2 mesh under inter_PE_spatial, a GLB, and DRAM.
const char* kInline = R"(problem:
  shape:
    name: xy
    dimensions: [K, KS, C]
    data_spaces:
      - {name: W, projection: [[[K]], [[C]], [[KS]]]}
      - {name: I, projection: [[[C]], [[KS]]]}
      - {name: O, projection: [[[K]]], read_write: true}
  instance: {K: 4, KS: 3, C: 6}
architecture:
  version: 0.4
  subtree:
    - name: top
      local:
        - name: DRAM[1..1]
          class: DRAM
          attributes: {width: 64, datawidth: 8}
        - name: GLB[1..1]
          class: SRAM
          attributes: {depth: 128, width: 16, datawidth: 8, read_bandwidth: 2}
        - name: inter_PE_spatial[1..1]
          class: dummy_storage
          attributes: {width: 1, depth: 1, datawidth: 1}
        - name: Buf[1..4]
          class: SRAM
          attributes: {depth: 24, width: 8, datawidth: 8, meshX: 2, meshY: 2}
        - name: mac[1..4]
          class: intmac
          attributes: {meshX: 2, meshY: 2}
ERT:
  version: '0.4'
  tables:
    - name: top.DRAM[1..1]
      actions:
        - {name: read, arguments: {}, energy: 64.0}
        - {name: write, arguments: {}, energy: 70.0}
        - {name: update, arguments: {}, energy: 70.0}
    - name: top.GLB[1..1]
      actions:
        - {name: read, arguments: {}, energy: 6.25}
        - {name: write, arguments: {}, energy: 7.5}
        - {name: update, arguments: {}, energy: 7.5}
        - {name: leak, arguments: {}, energy: 0.03}
    - name: top.Buf[1..4]
      actions:
        - {name: read, arguments: {}, energy: 0.7}
        - {name: write, arguments: {}, energy: 0.9}
        - {name: update, arguments: {}, energy: 0.9}
    - name: top.mac[1..4]
      actions:
        - {name: compute, arguments: {}, energy: 0.3}
)";

// Level by level, the loaded mapping says what the decoded one says (the
// spatial directive is written only where a level fans out).
void ExpectSameMapping(const spec::Mapping& got, const spec::Mapping& want) {
  ASSERT_EQ(got.levels.size(), want.levels.size());
  for (size_t l = 0; l < want.levels.size(); ++l) {
    const spec::LevelMapping& g = got.levels[l];
    const spec::LevelMapping& w = want.levels[l];
    EXPECT_EQ(g.temporal_factors, w.temporal_factors) << "level " << l;
    EXPECT_EQ(g.temporal_order, w.temporal_order) << "level " << l;
    EXPECT_EQ(g.spatial_factors, w.spatial_factors) << "level " << l;
    EXPECT_EQ(g.keep, w.keep) << "level " << l;
    bool fans_out = false;
    for (int64_t f : w.spatial_factors) fans_out = fans_out || f > 1;
    if (fans_out) {
      EXPECT_EQ(g.spatial_order, w.spatial_order) << "level " << l;
      EXPECT_EQ(g.spatial_split, w.spatial_split) << "level " << l;
    }
  }
}

// Round-trips up to `want_valid` valid mappings drawn by `strategy`; returns
// how many, and how many of those used the mesh Y direction somewhere.
std::pair<int, int> RoundTrip(const std::vector<spec::InputFile>& files, const std::string& strategy,
                              int want_valid, uint64_t max_draws) {
  const spec::Spec s = spec::LoadSpecFromTexts(files);
  const Mapspace space(s);
  const Design design = BuildDesign(s);
  StrategyOptions o;
  o.seed = 99;
  o.chunk_size = 256;
  auto strat = MakeStrategy(strategy, space, o);
  spec::Mapping m;
  space.Prepare(m);
  int valid = 0, used_y = 0;
  uint64_t drawn = 0;
  std::vector<Choice> cands;
  ChunkPlan plan;
  for (uint64_t c = 0; valid < want_valid && drawn < max_draws && strat->Plan(c, plan); ++c) {
    cands.clear();
    strat->Candidates(plan, cands);
    for (const Choice& choice : cands) {
      ++drawn;
      space.Decode(choice, m);
      if (space.ViolatesUtilization(m)) continue;
      const Result direct = Evaluate(design, m);
      if (!direct.valid()) continue;
      const std::string yaml = report::MappingYaml(s.workload, s.arch, m);
      std::vector<spec::InputFile> with_map = files;
      with_map.push_back({"map.yaml", yaml});
      SCOPED_TRACE(space.IdText(choice) + "\n" + yaml);
      spec::Spec loaded;
      try {
        loaded = spec::LoadSpecFromTexts(with_map);
      } catch (const std::exception& e) {
        ADD_FAILURE() << "map.yaml does not load: " << e.what();
        return {valid, used_y};
      }
      if (!loaded.mapping.has_value()) {
        ADD_FAILURE() << "no mapping loaded";
        return {valid, used_y};
      }
      ExpectSameMapping(*loaded.mapping, m);
      const Result back = Evaluate(BuildDesign(loaded), *loaded.mapping);
      EXPECT_EQ(back.status.code, direct.status.code);
      EXPECT_EQ(back.cycles, direct.cycles);
      EXPECT_EQ(back.energy_pj, direct.energy_pj);
      EXPECT_EQ(back.edp, direct.edp);
      EXPECT_EQ(back.num_levels, direct.num_levels);
      for (int l = 0; l < std::min(back.num_levels, direct.num_levels); ++l) {
        EXPECT_EQ(back.levels[l].scalar_accesses, direct.levels[l].scalar_accesses) << "level " << l;
        EXPECT_EQ(back.levels[l].energy_pj, direct.levels[l].energy_pj) << "level " << l;
      }
      for (const spec::LevelMapping& lm : m.levels) {
        for (size_t pos = 0; pos < lm.spatial_order.size(); ++pos) {
          if (static_cast<int>(pos) >= lm.spatial_split && lm.spatial_factors[lm.spatial_order[pos]] > 1) {
            ++used_y;
            goto counted;
          }
        }
      }
    counted:
      ++valid;
      if (::testing::Test::HasFailure()) return {valid, used_y};
      if (valid >= want_valid) break;
    }
  }
  return {valid, used_y};
}

TEST(MapYaml, RoundTripInlineFreeXY) {
  const std::vector<spec::InputFile> files = {{"design.yaml", kInline}};
  for (const char* strategy : {"random", "hybrid"}) {
    const auto [valid, used_y] = RoundTrip(files, strategy, 200, 200000);
    EXPECT_EQ(valid, 200) << strategy;
    EXPECT_GT(used_y, 20) << strategy << ": too few mappings with spatial loops on Y";
  }
}

TEST(MapYaml, RoundTripDefaultDesign) {
  // Eyeriss-like 14x12 array; the constraints fix Q on X and S, C, M on Y.
  const auto [valid, used_y] = RoundTrip(DefaultFiles(), "hybrid", 150, 300000);
  EXPECT_EQ(valid, 150);
  EXPECT_GT(used_y, 0);
}

TEST(MapYaml, DefaultMapFileRoundTrips) {
  // The bundled map.yaml itself: load, write, load again.
  std::vector<spec::InputFile> files = DefaultFiles();
  const std::string dir = SIEVE_SOURCE_DIR "/configs/default/";
  files.push_back({dir + "map.yaml", ReadFile(dir + "map.yaml")});
  const spec::Spec s = spec::LoadSpecFromTexts(files);
  ASSERT_TRUE(s.mapping.has_value());
  const Result direct = Evaluate(BuildDesign(s), *s.mapping);
  ASSERT_TRUE(direct.valid());
  files.back() = {"map2.yaml", report::MappingYaml(s.workload, s.arch, *s.mapping)};
  const spec::Spec again = spec::LoadSpecFromTexts(files);
  ExpectSameMapping(*again.mapping, *s.mapping);
  const Result back = Evaluate(BuildDesign(again), *again.mapping);
  EXPECT_EQ(back.cycles, direct.cycles);
  // README: 28,901,376 MACs on 168 PEs = 172,032 compute cycles (more only if throttled).
  EXPECT_GE(direct.cycles, 172032);
  EXPECT_EQ(back.energy_pj, direct.energy_pj);
}

}  // namespace
}  // namespace sieve::search
