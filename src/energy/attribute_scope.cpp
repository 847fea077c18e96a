// AttributeScope (attribute_scope.hpp).
#include "energy/attribute_scope.hpp"

#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "sieve/spec/expression.hpp"

namespace sieve::energy {
namespace {

std::string Trim(const std::string& s) {
  size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  std::string out = s.substr(b, e - b);
  if (out.size() >= 2 && (out.front() == '"' || out.front() == '\'') && out.back() == out.front())
    out = out.substr(1, out.size() - 2);
  return out;
}

bool IsIdentifier(const std::string& s) {
  if (s.empty() || !(std::isalpha(static_cast<unsigned char>(s[0])) || s[0] == '_')) return false;
  for (char c : s)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_')) return false;
  return true;
}

std::string NumberText(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

}  // namespace

AttributeValue LiteralAttribute(const std::string& raw) {
  const std::string text = Trim(raw);
  AttributeValue v{text, std::nullopt};
  if (text == "true" || text == "True") v.number = 1;
  else if (text == "false" || text == "False") v.number = 0;
  else if (!text.empty()) {
    char* end = nullptr;
    const double d = std::strtod(text.c_str(), &end);
    if (end == text.c_str() + text.size() && std::isfinite(d)) v.number = d;
  }
  return v;
}

AttributeScope::AttributeScope(Attributes given, const spec::AttributeTexts& defaults, std::string context,
                               spec::SourceLoc where)
    : values_(std::move(given)), context_(std::move(context)), where_(std::move(where)) {
  for (const auto& [name, text] : defaults)
    if (!values_.count(name)) pending_[name] = text;  // a later duplicate default wins
}

void AttributeScope::AddVariables(const std::map<std::string, double>& variables) {
  for (const auto& [k, v] : variables) variables_[k] = v;
}

void AttributeScope::Fail(const std::string& message) const {
  throw spec::SpecError(where_, "energy estimate, " + context_ + ": " + message);
}

const AttributeValue* AttributeScope::Get(const std::string& name) {
  if (auto it = values_.find(name); it != values_.end()) return &it->second;
  auto p = pending_.find(name);
  if (p == pending_.end() || resolving_.count(name)) return nullptr;
  resolving_.insert(name);
  const std::string text = p->second;
  AttributeValue v = Derive(text);
  resolving_.erase(name);
  pending_.erase(name);
  return &(values_[name] = std::move(v));
}

std::optional<double> AttributeScope::Lookup(std::string_view name) {
  const std::string key(name);
  if (auto it = variables_.find(key); it != variables_.end()) return it->second;
  const AttributeValue* v = Get(key);
  if (v == nullptr) return std::nullopt;
  if (!v->number) {
    if (v->text == "must_specify") Fail("attribute '" + key + "' must be given (the class has no default for it)");
    Fail("attribute '" + key + "' is '" + v->text + "', not a number");
  }
  return v->number;
}

double AttributeScope::Eval(const std::string& raw, const std::string& what) {
  const std::string text = Trim(raw);
  try {
    const double v = spec::EvaluateExpression(text, [this](std::string_view n) { return Lookup(n); });
    if (!std::isfinite(v)) Fail(what + " '" + text + "' is not finite");
    return v;
  } catch (const spec::ExpressionError& e) {
    Fail(what + " '" + text + "': " + e.what());
  }
}

AttributeValue AttributeScope::Derive(const std::string& raw) {
  const std::string text = Trim(raw);
  if (IsIdentifier(text)) {
    if (auto it = variables_.find(text); it != variables_.end()) return {NumberText(it->second), it->second};
    if (const AttributeValue* v = Get(text)) return *v;
  }
  AttributeValue literal = LiteralAttribute(text);
  if (literal.number) return literal;
  try {
    // A name that is text (e.g. technology "45nm") makes the expression
    // non-numeric: keep the text, as Accelergy keeps unevaluable values.
    const double v = spec::EvaluateExpression(text, [this](std::string_view n) -> std::optional<double> {
      const std::string key(n);
      if (auto it = variables_.find(key); it != variables_.end()) return it->second;
      const AttributeValue* a = Get(key);
      // No default to fall back on: say which attribute is missing rather
      // than keeping the expression as text.
      if (a != nullptr && a->text == "must_specify")
        Fail("attribute '" + key + "' must be given (the class has no default for it)");
      return a ? a->number : std::nullopt;
    });
    return {NumberText(v), v};
  } catch (const spec::ExpressionError&) {
    return literal;
  }
}

}  // namespace sieve::energy
