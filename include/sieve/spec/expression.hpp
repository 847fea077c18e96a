// Arithmetic in attribute values of v0.4 front-end designs.
//
// Contract: EvaluateExpression parses `text` as the subset of Python
// expressions those files are written in and returns its value as a double
// (booleans are 1 and 0):
//   numbers (`64`, `1.56`, `1e-9`), names looked up through `lookup`,
//   `True`/`False`, parentheses, unary + - and `not`, `**` (right
//   associative, binding tighter than a unary minus on its left), `*`, `/`,
//   `//` (floor division), `%` (sign of the divisor), `+`, `-`, comparisons
//   (chained as in Python), `and`/`or` (yielding an operand),
//   `A if C else B`, and the calls max, min (two or more arguments), abs,
//   ceil, floor, round (halves to even), int (toward zero), float, sqrt,
//   exp, log (natural, or to a base given second), log2, log10, pow.
// A branch not taken is not evaluated (`max(1, ceil(log2(depth))) if
// depth >= 1 else 1` is fine at depth 0).
// Errors (syntax, unknown name or function, wrong argument count, division
// by zero, a math domain error) throw ExpressionError; what() names the
// column and quotes the expression, and the caller adds file, line and key.
// Thread safety: pure; `lookup` is called from the calling thread only.
#pragma once

#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace sieve::spec {

class ExpressionError : public std::runtime_error {
 public:
  ExpressionError(size_t column, const std::string& message)
      : std::runtime_error(message), column_(column) {}
  // 1-based column in the expression text of the offending token.
  size_t column() const { return column_; }

 private:
  size_t column_;
};

// The value of a name, or nullopt when the name is not defined.
using VariableLookup = std::function<std::optional<double>(std::string_view name)>;

double EvaluateExpression(std::string_view text, const VariableLookup& lookup);

}  // namespace sieve::spec
