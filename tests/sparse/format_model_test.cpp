// Per-rank format models: units for hand-made RankContexts, innermost
// payload 0, UB uncompressed, rows over occupancies equal to per-occupancy
// units, table and lookup errors.
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

// A row over occupancies gives, bit for bit, what Units() gives for each:
// the format analysis sums whole rows and its results must not depend on
// it. By hand for B with F = 2, f = 4: at P_fiber 0, P_sub 0.5 metadata
// 2*4 = 8, payload 2*ceil(2) = 4; at P_fiber 0.5, P_sub 0.3 metadata
// 2*0.5*4 = 4, payload 1*ceil(2.8) = 3.
TEST(FormatModel, RowEqualsUnitsAtEachOccupancy) {
  RankContext base;
  base.fibers = 2;
  base.fiber_shape = 4;
  const double p_fiber[] = {0, 0.5, 0.1, 1.0 / 3.0, 0.999, 1};
  const double p_sub[] = {0.5, 0.3, 0.7, 2.0 / 7.0, 1e-17, 0};
  constexpr int kCount = 6;
  for (const char* name : {"B", "CP", "UOP", "RLE", "UB"}) {
    const auto model = MakeFormatModel(name);
    double metadata[kCount], payload[kCount];
    model->UnitsRow(base, p_fiber, p_sub, kCount, metadata, payload);
    for (int i = 0; i < kCount; ++i) {
      RankContext c = base;
      c.p_fiber_empty = p_fiber[i];
      c.p_sub_empty = p_sub[i];
      const RankUnits u = model->Units(c);
      EXPECT_EQ(metadata[i], u.metadata) << name << " at " << i;
      EXPECT_EQ(payload[i], u.payload) << name << " at " << i;
    }
  }
  const auto b = MakeFormatModel("B");
  double metadata[2], payload[2];
  b->UnitsRow(base, p_fiber, p_sub, 2, metadata, payload);
  EXPECT_DOUBLE_EQ(metadata[0], 8);  // 2 * 4
  EXPECT_DOUBLE_EQ(payload[0], 4);   // 2 * ceil(4 * 0.5)
  EXPECT_DOUBLE_EQ(metadata[1], 4);  // 2 * 0.5 * 4
  EXPECT_DOUBLE_EQ(payload[1], 3);   // 1 * ceil(4 * 0.7 = 2.8)
}

// A format written outside the table gets UnitsRow from the interface's
// default, which asks its Units() once per occupancy.
TEST(FormatModel, DefaultRowCallsUnitsPerOccupancy) {
  class Counting final : public FormatModel {
   public:
    const char* name() const override { return "counting"; }
    RankUnits Units(const RankContext& c) const override {
      ++calls;
      return {c.p_fiber_empty + 10 * c.fibers, c.p_sub_empty};
    }
    mutable int calls = 0;
  };
  Counting f;
  RankContext base;
  base.fibers = 3;
  const double p_fiber[] = {0.25, 0.5, 0.75};
  const double p_sub[] = {0.1, 0.2, 0.3};
  double metadata[3], payload[3];
  f.UnitsRow(base, p_fiber, p_sub, 3, metadata, payload);
  EXPECT_EQ(f.calls, 3);
  for (int i = 0; i < 3; ++i) {
    EXPECT_DOUBLE_EQ(metadata[i], 30 + p_fiber[i]);
    EXPECT_DOUBLE_EQ(payload[i], p_sub[i]);
  }
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
