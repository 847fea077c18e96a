// BuildSparseDesign's validation: SAF types sieve does not model are
// refused with the file, line and key of the offending entry, rather than
// evaluated as plain skipping.
#include <gtest/gtest.h>

#include <string>

#include "sieve/design.hpp"
#include "sieve/spec/error.hpp"
#include "support/t04_design.hpp"

namespace sieve::testing {
namespace {

spec::Spec WithSaf(const std::string& type) {
  spec::Spec s = T04Design();
  spec::SparseTarget t;
  t.level = "GlobalBuffer";
  spec::ActionOptimization a;
  a.type = type;
  a.target = "Weights";
  a.condition_on = {"Inputs"};
  a.loc = {"sparse.yaml", 7, "sparse_optimizations.targets[0].action_optimization[0].type"};
  t.actions.push_back(a);
  s.sparse.targets.push_back(t);
  return s;
}

TEST(SparseDesign, RefusesSpatialAndPositionSkipping) {
  for (const char* type : {"skipping_spatial", "position_skipping"}) {
    try {
      (void)BuildDesign(WithSaf(type));
      ADD_FAILURE() << type << " was accepted";
    } catch (const spec::SpecError& e) {
      const std::string msg = e.what();
      EXPECT_NE(msg.find("sparse.yaml:7:"), std::string::npos) << msg;
      EXPECT_NE(msg.find("action_optimization[0].type"), std::string::npos) << msg;
      EXPECT_NE(msg.find(type), std::string::npos) << msg;
      EXPECT_NE(msg.find("not modeled"), std::string::npos) << msg;
    }
  }
}

TEST(SparseDesign, AcceptsGatingAndSkipping) {
  for (const char* type : {"gating", "skipping"}) {
    const Design d = BuildDesign(WithSaf(type));
    ASSERT_EQ(d.sparse.safs.size(), 1u);
    EXPECT_EQ(d.sparse.safs[0].skipping, std::string(type) == "skipping");
  }
}

}  // namespace
}  // namespace sieve::testing
