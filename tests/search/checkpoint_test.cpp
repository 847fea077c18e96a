// Checkpoints: what a resume needs besides the search state (the input
// files, the stop rules, the settings), and the faults that make a
// checkpoint bad input (spec::SpecError naming the file).
#include "search/checkpoint.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "search/config_hash.hpp"
#include "sieve/spec/error.hpp"
#include "support/temp_dir.hpp"

namespace sieve::search {
namespace {

namespace fs = std::filesystem;

class CheckpointTest : public ::testing::Test {
 protected:
  std::string Path(const std::string& name = "ck.json") const { return (dir_ / name).string(); }

  const ::sieve::testing::TempDir tmp_;
  const fs::path dir_ = tmp_.path();
};

CheckpointRun SavedRun() {
  CheckpointRun run;
  run.inputs = {{"d/arch.yaml", "architecture: {}\n", false},
                {"d/mapping.yaml", "mapping: []\n", true},
                {"d/(design directory defaults)", "variables:\n  global_cycle_seconds: 1e-9\n", false}};
  run.max_evaluations = 20000;
  run.victory = 300;  // time_limit_s left unset: not given
  return run;
}

CheckpointKey Key(const CheckpointRun& run) {
  CheckpointKey key;
  key.config_sha256 = ConfigSha256(run.inputs);
  key.strategy = "hybrid";
  key.seed = 7;
  key.objectives = "energy,cycles";
  key.chunk_size = 64;
  key.orders_per_factorization = 4;
  key.halo_rule = "pre2025";
  key.energy_table = "/tables/t.yaml";
  return key;
}

// 10 evaluations: 4 valid, 5 over capacity, 1 over fan-out; one front point.
SearchState State() {
  SearchState s;
  s.evaluations = 10;
  s.valid = 4;
  s.invalid = {5, 1, 0, 0};
  Point p;
  p.obj = {3, 2, 0, 0, 0};
  p.energy_pj = 3;
  p.cycles = 2;
  p.edp = 6;
  p.eval_index = 8;
  s.front.Insert(p);
  s.best.Offer(p);
  return s;
}

nlohmann::json ReadJson(const std::string& path) {
  std::ifstream in(path);
  return nlohmann::json::parse(in);
}

void WriteJson(const std::string& path, const nlohmann::json& j) { std::ofstream(path) << j.dump(); }

// Expects LoadCheckpoint (and, with `header_too`, ReadCheckpointHeader) to
// throw a SpecError whose message starts with the path and holds `text`.
void ExpectBad(const std::string& path, const CheckpointKey& key, const std::string& text,
               bool header_too = false) {
  auto check = [&](const char* what_call, auto call) {
    try {
      call();
      ADD_FAILURE() << what_call << " accepted " << path;
    } catch (const spec::SpecError& e) {
      const std::string what = e.what();
      EXPECT_EQ(what.rfind(path + ": ", 0), 0u) << what;
      EXPECT_NE(what.find(text), std::string::npos) << what;
    }
  };
  check("LoadCheckpoint", [&] { LoadCheckpoint(path, key); });
  if (header_too) check("ReadCheckpointHeader", [&] { ReadCheckpointHeader(path); });
}

TEST_F(CheckpointTest, KeepsInputsStopRulesAndSettings) {
  const CheckpointRun run = SavedRun();
  SaveCheckpoint(Path(), Key(run), State(), run);
  const CheckpointHeader h = ReadCheckpointHeader(Path());
  ASSERT_EQ(h.run.inputs.size(), 3u);
  for (size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(h.run.inputs[i].path, run.inputs[i].path);
    EXPECT_EQ(h.run.inputs[i].text, run.inputs[i].text);
    EXPECT_EQ(h.run.inputs[i].mapping_as_constraints, i == 1) << "input " << i;
  }
  EXPECT_EQ(h.run.max_evaluations, 20000u);
  EXPECT_FALSE(h.run.time_limit_s.has_value());
  EXPECT_EQ(h.run.victory, 300u);
  EXPECT_EQ(h.key.strategy, "hybrid");
  EXPECT_EQ(h.key.seed, 7u);
  EXPECT_EQ(h.key.chunk_size, 64u);
  EXPECT_EQ(h.key.orders_per_factorization, 4u);
  EXPECT_EQ(h.key.halo_rule, "pre2025");
  EXPECT_EQ(h.key.energy_table, "/tables/t.yaml");
  EXPECT_EQ(h.key.config_sha256, ConfigSha256(run.inputs));
  const SearchState s = LoadCheckpoint(Path(), h.key);
  EXPECT_EQ(s.evaluations, 10u);
  EXPECT_EQ(s.front.points().size(), 1u);
}

TEST_F(CheckpointTest, OtherHaloRuleOrEnergyTableIsRefused) {
  const CheckpointRun run = SavedRun();
  SaveCheckpoint(Path(), Key(run), State(), run);
  CheckpointKey other = Key(run);
  other.halo_rule = "2025";
  ExpectBad(Path(), other, "different halo_rule");
  other = Key(run);
  other.energy_table = "";
  ExpectBad(Path(), other, "different energy_table");
}

TEST_F(CheckpointTest, UnreadableOrDamagedIsBadInput) {
  const CheckpointRun run = SavedRun();
  ExpectBad(Path("missing.json"), Key(run), "cannot read checkpoint", true);
  SaveCheckpoint(Path(), Key(run), State(), run);
  std::string text;
  {
    std::ifstream in(Path());
    std::getline(in, text);
  }
  std::ofstream(Path("truncated.json")) << text.substr(0, text.size() / 2);
  ExpectBad(Path("truncated.json"), Key(run), "not a sieve checkpoint", true);
  WriteJson(Path("other.json"), {{"format", "something-else"}});
  ExpectBad(Path("other.json"), Key(run), "not a sieve checkpoint", true);
  nlohmann::json j = ReadJson(Path());
  j.erase("front");
  WriteJson(Path("nofront.json"), j);
  ExpectBad(Path("nofront.json"), Key(run), "damaged checkpoint");
}

TEST_F(CheckpointTest, InconsistentIsBadInput) {
  const CheckpointRun run = SavedRun();
  SaveCheckpoint(Path(), Key(run), State(), run);
  const nlohmann::json good = ReadJson(Path());

  nlohmann::json j = good;
  j["valid"] = 5;  // 5 + 5 + 1 != 10
  WriteJson(Path("counts.json"), j);
  ExpectBad(Path("counts.json"), Key(run), "inconsistent checkpoint: 5 valid and 6 invalid evaluations, but 10");

  j = good;
  j["num_objectives"] = 3;  // objectives "energy,cycles" are two
  WriteJson(Path("width.json"), j);
  ExpectBad(Path("width.json"), Key(run), "inconsistent checkpoint: a front over 3 objectives");

  j = good;
  j["best"] = nlohmann::json::object();  // 4 valid evaluations, but no bests
  WriteJson(Path("bests.json"), j);
  ExpectBad(Path("bests.json"), Key(run), "inconsistent checkpoint");

  j = good;
  j["inputs"][0]["text"] = "architecture: {edited: 1}\n";
  WriteJson(Path("edited.json"), j);
  try {
    ReadCheckpointHeader(Path("edited.json"));
    ADD_FAILURE() << "edited inputs accepted";
  } catch (const spec::SpecError& e) {
    EXPECT_NE(std::string(e.what()).find(Path("edited.json") + ": inconsistent checkpoint: the saved input "
                                         "files do not hash"),
              std::string::npos)
        << e.what();
  }
}

// A checkpoint of format 1 (before inputs and stop rules were saved), as
// written by hand here: still resumable, given the input files again.
TEST_F(CheckpointTest, ReadsFormatOne) {
  const CheckpointRun run = SavedRun();
  SaveCheckpoint(Path(), Key(run), State(), run);
  nlohmann::json j = ReadJson(Path());
  j["format"] = "sieve-checkpoint-1";
  j.erase("inputs");
  j.erase("stop_rules");
  j["key"].erase("halo_rule");
  j["key"].erase("energy_table");
  WriteJson(Path("v1.json"), j);
  const CheckpointHeader h = ReadCheckpointHeader(Path("v1.json"));
  EXPECT_TRUE(h.run.inputs.empty());
  EXPECT_FALSE(h.run.max_evaluations || h.run.time_limit_s || h.run.victory);
  EXPECT_EQ(h.key.halo_rule, "2025");
  EXPECT_EQ(h.key.energy_table, "");
  EXPECT_EQ(h.key.seed, 7u);
  EXPECT_EQ(LoadCheckpoint(Path("v1.json"), h.key).evaluations, 10u);
}

}  // namespace
}  // namespace sieve::search
