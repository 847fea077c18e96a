// Tests of the Timeloop text-stats reader used by the golden tests.
#include "golden/ref_stats.hpp"
#include "support/shared_data.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <stdexcept>
#include <string>

namespace sieve::testing {
namespace {

// A made-up two-level design in the layout Timeloop prints (dense arithmetic level,
// one sparse-style storage level with nested format lines), with invented numbers.
constexpr const char* kExcerpt = R"(Buffer and Arithmetic Levels
----------------------------
Level 0
-------
=== alu ===

    SPECS
    -----
    Word bits             : 16
    Instances             : 8 (4*2)
    Compute energy        : 1.25 pJ

    STATS
    -----
    Utilized instances (max)     : 6
    Cycles                       : 500
    Algorithmic Computes (total) : 4000
    Actual Computes (total)      : 3000
    Gated Computes (total)       : 250
    Skipped Computes (total)     : 750
    Energy (total)               : 3750.00 pJ
    Area (total)                 : 1200.00 um^2

Level 1
-------
=== Scratch ===

    SPECS
    -----
        Technology                      : SRAM
        Data storage size               : 256
        Metadata storage depth          : -
        Instances                       : 8 (4*2)
        Read bandwidth                  : 4.00
        Vector read energy              : 0.75 pJ
        Non-power-gated utilization     : 100.00%

    MAPPING
    -------
    Loop nest:
      for X in [0:5)
        for Y in [0:100)

    STATS
    -----
    Cycles               : 520
    Bandwidth throttling : 0.96
    Left:
        Partition size                                              : 640
        Tile density distribution                                   : fixed_structured
        Representation format                                       : uop cp 
        Max utilized Repr format storage capacity                   
            Rank 1 (metadata, payload): (0, 7)
            Rank 0 (metadata, payload): (33, 0)
        Algorithmic scalar reads (per-instance)                     : 4000
        Actual scalar reads (per-instance)                          : 3000
        Skipped scalar reads (per-instance)                         : 1000
        Actual scalar format reads (per-instance)                   
            Rank 1 (metadata, payload): (0,  21)
            Rank 0 (metadata, payload): (99,  0)
        Gated scalar format reads (per-instance)                    : 0
        Energy (per-scalar-access)                                  : 0.40 pJ
        Average Read Bandwidth (per-instance)                       : 6.50 words/cycle
            Breakdown (Data, Format): (-12.50%, 13.50%
        Read Bandwidth (total)                                      : 39.00 words/cycle
    Right:
        Partition size                                              : 80
        Scalar fills (per-instance)                                 : 80
        Scalar updates (per-instance)                               : -

Networks
--------

Operational Intensity Stats
---------------------------
    Total elementwise ops                   : 3000
    Total ops                               : 5900
    Optimal Op per Byte                     : 3.21

=== Scratch ===
    Total scalar accesses                   : 48000
    Op per Byte                             : 0.06
=== Padding ===


Summary Stats
-------------
GFLOPs (@1GHz): 7.69
Utilization: 72.12%
Cycles: 520
Energy: 0.04 uJ
EDP(J*cycle): 2.08e-05
Area: 0.01 mm^2

Algorithmic Computes = 4000
fJ/Algorithmic-Compute
    alu                        = 937.50
    Scratch                    = 2500.00
    Total                      = 3437.50

Actual Computes = 3000
fJ/Compute
    alu                        = 1250.00
    Scratch                    = 3333.33
    Total                      = 4583.33
)";

TEST(RefStats, ParsesLevelsSpecsAndArithmeticStats) {
  const RefStats s = ParseRefStatsText(kExcerpt);
  ASSERT_EQ(s.levels.size(), 2u);
  EXPECT_EQ(s.levels[0].index, 0);
  EXPECT_EQ(s.levels[0].name, "alu");
  EXPECT_EQ(s.levels[1].index, 1);

  const RefLevel* alu = s.Level("alu");
  ASSERT_NE(alu, nullptr);
  EXPECT_DOUBLE_EQ(alu->specs.at("Instances"), 8);  // "8 (4*2)": the first number
  EXPECT_DOUBLE_EQ(alu->specs.at("Compute energy"), 1.25);
  EXPECT_DOUBLE_EQ(alu->stats.at("Cycles"), 500);
  EXPECT_DOUBLE_EQ(alu->stats.at("Actual Computes (total)"), 3000);
  EXPECT_DOUBLE_EQ(alu->stats.at("Gated Computes (total)"), 250);
  EXPECT_DOUBLE_EQ(alu->stats.at("Skipped Computes (total)"), 750);
  EXPECT_DOUBLE_EQ(alu->stats.at("Energy (total)"), 3750);
  EXPECT_TRUE(alu->data_spaces.empty());

  const RefLevel* scratch = s.Level("Scratch");
  ASSERT_NE(scratch, nullptr);
  EXPECT_EQ(s.Level("Nope"), nullptr);
  EXPECT_DOUBLE_EQ(scratch->specs.at("Data storage size"), 256);
  EXPECT_EQ(scratch->specs.count("Metadata storage depth"), 0u);  // "-" is absent
  EXPECT_DOUBLE_EQ(scratch->specs.at("Vector read energy"), 0.75);
  EXPECT_DOUBLE_EQ(scratch->specs.at("Non-power-gated utilization"), 100);
  EXPECT_EQ(scratch->text.at("Technology"), "SRAM");
  EXPECT_DOUBLE_EQ(scratch->stats.at("Cycles"), 520);
  EXPECT_DOUBLE_EQ(scratch->stats.at("Bandwidth throttling"), 0.96);
  EXPECT_EQ(scratch->stats.size(), 2u);  // the data-space lines stay out of stats
}

TEST(RefStats, ParsesDataSpacesWithNestedKeys) {
  const RefStats s = ParseRefStatsText(kExcerpt);
  const RefLevel* scratch = s.Level("Scratch");
  ASSERT_NE(scratch, nullptr);
  ASSERT_EQ(scratch->data_spaces.size(), 2u);

  const RefDataSpace* left = scratch->DataSpace("Left");
  ASSERT_NE(left, nullptr);
  const auto& f = left->fields;
  EXPECT_DOUBLE_EQ(f.at("Partition size"), 640);
  EXPECT_DOUBLE_EQ(f.at("Algorithmic scalar reads (per-instance)"), 4000);
  EXPECT_DOUBLE_EQ(f.at("Actual scalar reads (per-instance)"), 3000);
  EXPECT_DOUBLE_EQ(f.at("Skipped scalar reads (per-instance)"), 1000);
  EXPECT_DOUBLE_EQ(f.at("Max utilized Repr format storage capacity/Rank 1/payload"), 7);
  EXPECT_DOUBLE_EQ(f.at("Max utilized Repr format storage capacity/Rank 0/metadata"), 33);
  EXPECT_DOUBLE_EQ(f.at("Actual scalar format reads (per-instance)/Rank 1/metadata"), 0);
  EXPECT_DOUBLE_EQ(f.at("Actual scalar format reads (per-instance)/Rank 1/payload"), 21);
  EXPECT_DOUBLE_EQ(f.at("Actual scalar format reads (per-instance)/Rank 0/metadata"), 99);
  EXPECT_DOUBLE_EQ(f.at("Gated scalar format reads (per-instance)"), 0);
  EXPECT_DOUBLE_EQ(f.at("Energy (per-scalar-access)"), 0.40);
  EXPECT_DOUBLE_EQ(f.at("Average Read Bandwidth (per-instance)"), 6.5);
  EXPECT_DOUBLE_EQ(f.at("Average Read Bandwidth (per-instance)/Breakdown/Data"), -12.5);
  EXPECT_DOUBLE_EQ(f.at("Average Read Bandwidth (per-instance)/Breakdown/Format"), 13.5);
  // The line after a nested block is back at the top of the data space.
  EXPECT_DOUBLE_EQ(f.at("Read Bandwidth (total)"), 39);
  EXPECT_EQ(left->text.at("Tile density distribution"), "fixed_structured");
  EXPECT_EQ(left->text.at("Representation format"), "uop cp");

  const RefDataSpace* right = scratch->DataSpace("Right");
  ASSERT_NE(right, nullptr);
  EXPECT_DOUBLE_EQ(right->fields.at("Scalar fills (per-instance)"), 80);
  EXPECT_EQ(right->fields.count("Scalar updates (per-instance)"), 0u);
}

TEST(RefStats, ParsesOperationalIntensityAndSummary) {
  const RefStats s = ParseRefStatsText(kExcerpt);
  EXPECT_DOUBLE_EQ(s.total_scalar_accesses.at("Scratch"), 48000);
  EXPECT_EQ(s.total_scalar_accesses.count("Padding"), 0u);
  EXPECT_DOUBLE_EQ(s.op_per_byte.at("Scratch"), 0.06);
  EXPECT_DOUBLE_EQ(s.operational_intensity.at("Total ops"), 5900);

  EXPECT_DOUBLE_EQ(s.cycles, 520);
  EXPECT_DOUBLE_EQ(s.energy_uj, 0.04);
  EXPECT_DOUBLE_EQ(s.utilization_pct, 72.12);
  EXPECT_DOUBLE_EQ(s.gflops, 7.69);
  EXPECT_DOUBLE_EQ(s.edp, 2.08e-05);
  EXPECT_DOUBLE_EQ(s.summary.at("Area"), 0.01);
  EXPECT_DOUBLE_EQ(s.summary.at("Algorithmic Computes"), 4000);
  EXPECT_DOUBLE_EQ(s.summary.at("Actual Computes"), 3000);
  EXPECT_DOUBLE_EQ(s.computes, 3000);  // no plain "Computes": the actual ones

  EXPECT_DOUBLE_EQ(s.fj_per_compute.at("alu"), 1250);
  EXPECT_DOUBLE_EQ(s.fj_per_compute.at("Total"), 4583.33);
  EXPECT_DOUBLE_EQ(s.fj_per_algorithmic_compute.at("Scratch"), 2500);
  EXPECT_EQ(s.fj_per_compute.size(), 3u);
  EXPECT_EQ(s.fj_per_algorithmic_compute.size(), 3u);
}

TEST(RefStats, DenseSummaryComputes) {
  const RefStats s = ParseRefStatsText(
      "Summary Stats\n-------------\nCycles: 12\nEnergy: 1.50 uJ\n\n"
      "Computes = 96\nfJ/Compute\n    MAC = 10.00\n    Total = 10.00\n");
  EXPECT_DOUBLE_EQ(s.computes, 96);
  EXPECT_DOUBLE_EQ(s.cycles, 12);
  EXPECT_DOUBLE_EQ(s.fj_per_compute.at("MAC"), 10);
  EXPECT_TRUE(s.levels.empty());
  EXPECT_TRUE(std::isnan(s.edp));  // absent scalars are NaN
}

TEST(RefStats, ErrorsNameTheFile) {
  const std::string missing = "/nonexistent/dir/timeloop-model.stats.txt";
  try {
    ParseRefStats(missing);
    FAIL() << "expected std::runtime_error";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find(missing), std::string::npos) << e.what();
  }
  EXPECT_THROW(ParseRefStatsText("hello\nworld\n", "junk.txt"), std::runtime_error);
}

TEST(RefStats, ParsesPublishedDenseT04) {
  const std::filesystem::path file = std::filesystem::path(SIEVE_SHARED_DIR) / "reference" /
                                     "golden" / "dense_T04_conv1d_oc_3levelspatial_kp" /
                                     "ref.stats.txt";
  SKIP_UNLESS_REFERENCE(std::filesystem::exists(file), file.string());
  const RefStats s = ParseRefStats(file.string());
  const RefLevel* glb = s.Level("GlobalBuffer");
  ASSERT_NE(glb, nullptr);
  const RefDataSpace* inputs = glb->DataSpace("Inputs");
  ASSERT_NE(inputs, nullptr);
  EXPECT_DOUBLE_EQ(inputs->fields.at("Scalar fills (per-instance)"), 576);
  EXPECT_DOUBLE_EQ(s.cycles, 3072);
  EXPECT_DOUBLE_EQ(s.total_scalar_accesses.at("RegisterFile"), 233472);
}

}  // namespace
}  // namespace sieve::testing
