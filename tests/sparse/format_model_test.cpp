// Per-rank format models: units for hand-made RankContexts, innermost
// payload 0, UB uncompressed, table and lookup errors.
#include "sieve/sparse/format_model.hpp"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

namespace sieve::sparse {
namespace {

RankUnits UnitsOf(const std::string& format, const RankContext& rank) {
  return MakeFormatModel(format)->Units(rank);
}

// F = 2 fibers, none empty, f = 4, P_sub = 0.5: fibers = 2, nnz per fiber =
// 4 * 0.5 = 2 (an integer, so ceil changes nothing).
//   UOP: 0 / 2*(4+1) = 10     CP: 2*ceil(2) = 4 / 4     RLE: 2*2 = 4 / 4
//   B:   2*4 = 8 / 2*ceil(2) = 4                         UB: 2*4 = 8 / 8
TEST(FormatModel, IntegerNonzerosPerFiber) {
  RankContext r;
  r.fibers = 2;
  r.fiber_shape = 4;
  r.p_fiber_empty = 0;
  r.p_sub_empty = 0.5;
  struct Want { const char* name; double metadata, payload; };
  for (const Want& w : {Want{"UOP", 0, 10}, Want{"CP", 4, 4}, Want{"RLE", 4, 4}, Want{"B", 8, 4},
                        Want{"UB", 8, 8}}) {
    const RankUnits u = UnitsOf(w.name, r);
    EXPECT_DOUBLE_EQ(u.metadata, w.metadata) << w.name;
    EXPECT_DOUBLE_EQ(u.payload, w.payload) << w.name;
  }
}

// F = 3, P_fiber = 0.5 -> fibers = 1.5; f = 5, P_sub = 0.3 -> nnz per
// fiber = 3.5.
//   UOP: 0 / 1.5*6 = 9
//   CP:  1.5*ceil(3.5) = 6 / 6
//   RLE: 1.5*3.5 = 5.25 / 5.25 (no ceil)
//   B:   1.5*5 = 7.5 / 1.5*ceil(3.5) = 6
//   UB:  F*f = 15 / 15 (all F fibers, empty or not)
TEST(FormatModel, FractionalNonzerosCeilExceptRle) {
  RankContext r;
  r.fibers = 3;
  r.fiber_shape = 5;
  r.p_fiber_empty = 0.5;
  r.p_sub_empty = 0.3;
  struct Want { const char* name; double metadata, payload; };
  for (const Want& w : {Want{"UOP", 0, 9}, Want{"CP", 6, 6}, Want{"RLE", 5.25, 5.25},
                        Want{"B", 7.5, 6}, Want{"UB", 15, 15}}) {
    const RankUnits u = UnitsOf(w.name, r);
    EXPECT_NEAR(u.metadata, w.metadata, 1e-12) << w.name;
    EXPECT_NEAR(u.payload, w.payload, 1e-12) << w.name;
  }
}

TEST(FormatModel, InnermostRankHasNoPayload) {
  RankContext r;
  r.fibers = 4;
  r.fiber_shape = 8;
  r.p_fiber_empty = 0.25;  // fibers = 3
  r.p_sub_empty = 0.5;     // nnz per fiber = 4
  r.innermost = true;
  // Metadata as usual: UOP 0, CP 12, RLE 12, B 24, UB 32; payload 0.
  struct Want { const char* name; double metadata; };
  for (const Want& w : {Want{"UOP", 0}, Want{"CP", 12}, Want{"RLE", 12}, Want{"B", 24},
                        Want{"UB", 32}}) {
    const RankUnits u = UnitsOf(w.name, r);
    EXPECT_DOUBLE_EQ(u.metadata, w.metadata) << w.name;
    EXPECT_DOUBLE_EQ(u.payload, 0.0) << w.name;
  }
}

TEST(FormatModel, OnlyUncompressedBitmaskIsUncompressed) {
  for (const auto& [name, factory] : FormatModelTable()) {
    const auto model = factory();
    EXPECT_EQ(std::string(model->name()), name);
    EXPECT_EQ(model->Compressed(), name != "UB") << name;
  }
  // UB ignores emptiness entirely: every fiber and coordinate is stored.
  RankContext r;
  r.fibers = 2;
  r.fiber_shape = 3;
  r.p_fiber_empty = 1.0;
  r.p_sub_empty = 1.0;
  EXPECT_DOUBLE_EQ(UnitsOf("UB", r).metadata, 6.0);
  EXPECT_DOUBLE_EQ(UnitsOf("CP", r).metadata, 0.0);
}

TEST(FormatModel, TableAndUnknownNames) {
  EXPECT_EQ(FormatModelTable().size(), 5u);
  for (const char* name : {"B", "CP", "UOP", "RLE", "UB"}) {
    EXPECT_EQ(FormatModelTable().count(name), 1u) << name;
  }
  try {
    MakeFormatModel("cp");  // names are upper case
    FAIL() << "no error";
  } catch (const std::invalid_argument& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find("'cp'"), std::string::npos) << msg;
    EXPECT_NE(msg.find("B, CP, RLE, UB, UOP"), std::string::npos) << msg;
  }
}

}  // namespace
}  // namespace sieve::sparse
