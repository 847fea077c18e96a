// Private to src/energy/: the attribute scope of one component instance
// while its class is evaluated (the scoping rules are stated in
// sieve/energy/class_model.hpp).
//
// Contract: values given at construction win over the class defaults;
// defaults are evaluated on first use (so they may refer to each other in
// any order; a cycle reads as "not given"). Every failure throws
// spec::SpecError at `where`, its message prefixed by `context` (the class
// path). Not thread-safe (lazy evaluation mutates it); one per evaluation.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>

#include "sieve/energy/class_model.hpp"

namespace sieve::energy {

class AttributeScope {
 public:
  AttributeScope(Attributes given, const spec::AttributeTexts& defaults, std::string context,
                 spec::SourceLoc where);

  // Numeric variables looked up before attributes (a primitive's selected
  // figures, e.g. pj_per_bit).
  void AddVariables(const std::map<std::string, double>& variables);

  // The attribute, resolving its default if needed; nullptr when absent.
  const AttributeValue* Get(const std::string& name);

  // `text` as an expression in this scope; `what` names it in errors.
  double Eval(const std::string& text, const std::string& what);

  // The value `text` gives a child attribute: a copy of the attribute it
  // names, else its numeric value, else the literal text.
  AttributeValue Derive(const std::string& text);

  [[noreturn]] void Fail(const std::string& message) const;
  const std::string& context() const { return context_; }

 private:
  std::optional<double> Lookup(std::string_view name);

  Attributes values_;
  std::map<std::string, std::string> pending_;  // defaults not evaluated yet
  std::set<std::string> resolving_;
  std::map<std::string, double> variables_;
  std::string context_;
  spec::SourceLoc where_;
};

}  // namespace sieve::energy
