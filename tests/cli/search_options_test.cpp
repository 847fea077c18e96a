// ApplyMapperDefaults: which stop rules a search runs with when both the
// command line and a Timeloop `mapper` block give some (search_options.hpp).
#include "cli/search_options.hpp"

#include <gtest/gtest.h>

#include <string>

#include "sieve/spec/error.hpp"

namespace sieve::cli {
namespace {

// A mapper block as the v0.4 exercises' _include/mapper.yaml gives it,
// plus a search_size.
spec::MapperSpec Mapper() {
  spec::MapperSpec m;
  m.given = true;
  m.algorithm = "random";
  m.search_size = 500;
  m.victory_condition = 100;
  m.loc = spec::SourceLoc{"mapper.yaml", 1, "mapper"};
  return m;
}

bool Mentions(const std::vector<std::string>& lines, const std::string& text) {
  for (const std::string& l : lines)
    if (l.find(text) != std::string::npos) return true;
  return false;
}

TEST(SearchOptionsMapper, MaxEvaluationsOnCommandLineDropsMapperStopRules) {
  SearchCliOptions opt;
  opt.max_evaluations = 20000;
  const MapperNotes notes = ApplyMapperDefaults(Mapper(), opt);
  EXPECT_EQ(opt.max_evaluations, 20000u);
  EXPECT_FALSE(opt.victory.has_value()) << "the mapper's victory_condition cut the budget short";
  EXPECT_TRUE(Mentions(notes.info, "victory_condition 100 ignored")) << testing::PrintToString(notes.info);
  EXPECT_TRUE(Mentions(notes.info, "search_size 500 ignored")) << testing::PrintToString(notes.info);
  EXPECT_TRUE(Mentions(notes.info, "--max-evaluations"));
  EXPECT_EQ(opt.strategy, "random");  // other mapper settings still fill in
}

TEST(SearchOptionsMapper, TimeLimitOnCommandLineDropsMapperStopRules) {
  SearchCliOptions opt;
  opt.time_limit_s = 60;
  const MapperNotes notes = ApplyMapperDefaults(Mapper(), opt);
  EXPECT_FALSE(opt.victory.has_value());
  EXPECT_FALSE(opt.max_evaluations.has_value()) << "the mapper's search_size cut the time limit short";
  EXPECT_TRUE(Mentions(notes.info, "victory_condition 100 ignored"));
  EXPECT_TRUE(Mentions(notes.info, "--time-limit"));
}

TEST(SearchOptionsMapper, VictoryOnCommandLineAlwaysApplies) {
  SearchCliOptions opt;
  opt.max_evaluations = 20000;
  opt.victory = 300;
  ApplyMapperDefaults(Mapper(), opt);
  EXPECT_EQ(opt.victory, 300u);
  EXPECT_EQ(opt.max_evaluations, 20000u);

  SearchCliOptions only_victory;
  only_victory.victory = 300;
  ApplyMapperDefaults(Mapper(), only_victory);
  EXPECT_EQ(only_victory.victory, 300u);
  EXPECT_FALSE(only_victory.max_evaluations.has_value());
}

TEST(SearchOptionsMapper, WithoutCommandLineStopRulesTheMapperApplies) {
  SearchCliOptions opt;
  const MapperNotes notes = ApplyMapperDefaults(Mapper(), opt);
  EXPECT_EQ(opt.victory, 100u);
  EXPECT_EQ(opt.max_evaluations, 500u);
  EXPECT_TRUE(notes.info.empty()) << testing::PrintToString(notes.info);
  EXPECT_TRUE(Mentions(notes.warnings, "victory_condition 100"));
}

TEST(SearchOptionsMapper, NoMapperBlockChangesNothing) {
  SearchCliOptions opt;
  opt.max_evaluations = 7;
  const MapperNotes notes = ApplyMapperDefaults(spec::MapperSpec{}, opt);
  EXPECT_EQ(opt.max_evaluations, 7u);
  EXPECT_FALSE(opt.victory.has_value());
  EXPECT_TRUE(notes.info.empty() && notes.warnings.empty());
}

TEST(SearchOptionsText, UnsignedTakesOnlyDigitsUpTo2To64Minus1) {
  EXPECT_EQ(CheckUnsignedText("0"), "");
  EXPECT_EQ(CheckUnsignedText("18446744073709551615"), "");
  EXPECT_NE(CheckUnsignedText("18446744073709551616"), "");
  EXPECT_NE(CheckUnsignedText("-1"), "");
  EXPECT_NE(CheckUnsignedText("+1"), "");
  EXPECT_NE(CheckUnsignedText("1e3"), "");
  EXPECT_NE(CheckUnsignedText(""), "");
  EXPECT_EQ(CheckPositiveText("1"), "");
  EXPECT_NE(CheckPositiveText("0"), "");
  EXPECT_NE(CheckPositiveText("000"), "");
}

TEST(SearchOptionsText, SecondsMustBeFiniteAndNotNegative) {
  EXPECT_EQ(CheckSecondsText("0", true), "");
  EXPECT_EQ(CheckSecondsText("2.5", true), "");
  EXPECT_NE(CheckSecondsText("0", false), "");
  EXPECT_NE(CheckSecondsText("-5", true), "");
  EXPECT_NE(CheckSecondsText("nan", true), "");
  EXPECT_NE(CheckSecondsText("inf", true), "");
  EXPECT_NE(CheckSecondsText("1e999", true), "");
  EXPECT_NE(CheckSecondsText("3s", true), "");
}

TEST(SearchOptionsMapper, NumThreadsAboveTheCapIsRefused) {
  spec::MapperSpec m = Mapper();
  m.num_threads = kMaxThreads + 1;
  SearchCliOptions opt;
  EXPECT_THROW(ApplyMapperDefaults(m, opt), spec::SpecError);
  opt.threads = 2;  // the command line wins: no error
  EXPECT_NO_THROW(ApplyMapperDefaults(m, opt));
}

}  // namespace
}  // namespace sieve::cli
