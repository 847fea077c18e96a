// Attribute expressions (expression.hpp): Python's rules, worked by hand,
// on the forms the v0.4 front-end designs and their components use.
#include "sieve/spec/expression.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <string>

namespace sieve::spec {
namespace {

double Eval(const std::string& text, const std::map<std::string, double>& vars = {}) {
  return EvaluateExpression(text, [&](std::string_view name) -> std::optional<double> {
    const auto it = vars.find(std::string(name));
    if (it == vars.end()) return std::nullopt;
    return it->second;
  });
}

TEST(Expression, NumbersAndArithmetic) {
  EXPECT_EQ(Eval("64"), 64);
  EXPECT_EQ(Eval("1e-9"), 1e-9);
  EXPECT_EQ(Eval("1.56 / 2"), 0.78);
  EXPECT_EQ(Eval("2 + 3 * 4"), 14);
  EXPECT_EQ(Eval("(2 + 3) * 4"), 20);
  EXPECT_EQ(Eval("1024 * 8"), 8192);
}

TEST(Expression, PythonOperatorRules) {
  EXPECT_EQ(Eval("2 ** 3 ** 2"), 512);  // right-associative
  EXPECT_EQ(Eval("-2 ** 2"), -4);       // ** binds tighter than unary minus
  EXPECT_EQ(Eval("2 ** -1"), 0.5);
  EXPECT_EQ(Eval("7 // 2"), 3);
  EXPECT_EQ(Eval("-7 // 2"), -4);  // floor, not truncation
  EXPECT_EQ(Eval("-7 % 3"), 2);    // sign of the divisor
  EXPECT_EQ(Eval("7 % -3"), -2);
  EXPECT_EQ(Eval("7 / 2"), 3.5);   // true division
}

TEST(Expression, ComparisonsAndLogic) {
  EXPECT_EQ(Eval("1 < 2 < 3"), 1);  // chained: 1 < 2 and 2 < 3
  EXPECT_EQ(Eval("1 < 3 < 2"), 0);
  EXPECT_EQ(Eval("2 == 2"), 1);
  EXPECT_EQ(Eval("not 0"), 1);
  EXPECT_EQ(Eval("0 or 5"), 5);  // and/or yield an operand
  EXPECT_EQ(Eval("3 and 4"), 4);
  EXPECT_EQ(Eval("True + True"), 2);
  EXPECT_EQ(Eval("1 if 0 else 2 if 1 else 3"), 2);
}

TEST(Expression, FrontEndComponentForms) {
  // The smartbuffer components' scaling at width 16, depth 16:
  // memory_width max(32, 16) = 32, memory_depth max(64, 16) = 64,
  // widthscale 16 / 32 = 0.5, depthscale 16 / 64 = 0.25,
  // dynamic_energy_scale widthscale * depthscale ** (1.56 / 2).
  const std::map<std::string, double> v = {{"width", 16}, {"depth", 16}};
  EXPECT_EQ(Eval("max(32, width)", v), 32);
  EXPECT_EQ(Eval("max(64, depth)", v), 64);
  EXPECT_EQ(Eval("width / max(32, width)", v), 0.5);
  EXPECT_DOUBLE_EQ(Eval("0.5 * (0.25 ** (1.56 / 2))"), 0.5 * std::pow(0.25, 0.78));
  // Address width of a 100-deep buffer: ceil(log2(100)) = 7.
  EXPECT_EQ(Eval("max(1, ceil(log2(depth))) if depth >= 1 else 1", {{"depth", 100}}), 7);
}

TEST(Expression, UntakenBranchIsNotEvaluated) {
  // log2(0) would be a domain error; at depth 0 the else branch is taken.
  EXPECT_EQ(Eval("max(1, ceil(log2(depth))) if depth >= 1 else 1", {{"depth", 0}}), 1);
  EXPECT_EQ(Eval("0 and 1 / 0"), 0);
  EXPECT_EQ(Eval("1 or 1 / 0"), 1);
}

TEST(Expression, Functions) {
  EXPECT_EQ(Eval("min(3, 1, 2)"), 1);
  EXPECT_EQ(Eval("round(2.5)"), 2);  // halves to even, as Python
  EXPECT_EQ(Eval("round(3.5)"), 4);
  EXPECT_EQ(Eval("int(-2.7)"), -2);
  EXPECT_EQ(Eval("floor(-2.5)"), -3);
  EXPECT_EQ(Eval("log(8, 2)"), 3);
  EXPECT_EQ(Eval("pow(2, 10)"), 1024);
  EXPECT_EQ(Eval("abs(-3)"), 3);
  EXPECT_EQ(Eval("sqrt(16)"), 4);
}

// The message names the column and quotes the text; the column points at
// the offending token.
void ExpectError(const std::string& text, size_t column, const std::string& fragment) {
  try {
    Eval(text, {{"depth", 4}});
    ADD_FAILURE() << "no error for '" << text << "'";
  } catch (const ExpressionError& e) {
    EXPECT_EQ(e.column(), column) << e.what();
    const std::string what = e.what();
    EXPECT_NE(what.find(fragment), std::string::npos) << what;
    EXPECT_NE(what.find("'" + text + "'"), std::string::npos) << what;
  }
}

TEST(Expression, Errors) {
  ExpectError("depht * 2", 1, "unknown variable 'depht'");
  ExpectError("2 * (3 + 4", 11, "unexpected end of expression");
  ExpectError("2 +* 3", 4, "unexpected '*'");
  ExpectError("maxx(1, 2)", 1, "unknown function 'maxx'");
  ExpectError("ceil(1, 2)", 1, "ceil() takes 1 argument(s), got 2");
  ExpectError("max(1)", 1, "max() needs at least 2 arguments");
  ExpectError("depth / (depth - 4)", 7, "division by zero");
  ExpectError("log2(0)", 1, "math domain error");
  ExpectError("1 if depth", 11, "unexpected end of expression");
  ExpectError("2 $ 3", 3, "unexpected character '$'");
  ExpectError("", 1, "unexpected end of expression");
}

}  // namespace
}  // namespace sieve::spec
