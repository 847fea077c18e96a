// ClassModel (class_model.hpp): Accelergy's hierarchical estimation —
// a compound action is a sum of subcomponent actions times their counts
// and energy scales; a compound area is the sum of subcomponent areas
// times their counts and area scales; primitives come from the table.
#include "sieve/energy/class_model.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>

#include "energy/attribute_scope.hpp"
#include "sieve/energy/technology.hpp"

namespace sieve::energy {
namespace {

constexpr int kMaxDepth = 32;

std::string Normalize(const std::string& s) {
  std::string out;
  for (char c : s) out += c == '-' ? '_' : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// "storage[1..width*depth]" -> base "storage", bounds "1", "width*depth";
// "counters[1]" -> base "counters", one instance; "storage" -> one.
struct RangeRef {
  std::string base;
  std::string lo, hi;  // empty: a single instance
};

RangeRef ParseRange(const std::string& name) {
  RangeRef r{name, "", ""};
  const size_t open = name.find('[');
  if (open == std::string::npos || name.back() != ']') return r;
  r.base = name.substr(0, open);
  const std::string inside = name.substr(open + 1, name.size() - open - 2);
  const size_t dots = inside.find("..");
  if (dots != std::string::npos) {
    r.lo = inside.substr(0, dots);
    r.hi = inside.substr(dots + 2);
  }
  return r;
}

double Count(const RangeRef& r, AttributeScope& scope, const std::string& what) {
  if (r.lo.empty() && r.hi.empty()) return 1;
  const double n = scope.Eval(r.hi, what + " upper bound") - scope.Eval(r.lo, what + " lower bound") + 1;
  return std::max(0.0, n);
}

const double* FindAction(const ClassCosts& c, const std::string& name) {
  for (const auto& [n, e] : c.energy_pj)
    if (n == name) return &e;
  return nullptr;
}

void SetAction(ClassCosts& c, const std::string& name, double energy_pj) {
  for (auto& [n, e] : c.energy_pj) {
    if (n == name) {
      e = energy_pj;
      return;
    }
  }
  c.energy_pj.emplace_back(name, energy_pj);
}

std::string ActionList(const ClassCosts& c) {
  std::string out;
  for (const auto& [n, e] : c.energy_pj) out += (out.empty() ? "" : ", ") + n;
  return out.empty() ? "none" : out;
}

}  // namespace

const char* ClassOriginName(ClassOrigin origin) {
  switch (origin) {
    case ClassOrigin::kInputCompound: return "compound class from the inputs";
    case ClassOrigin::kTableCompound: return "built-in compound class";
    case ClassOrigin::kTablePrimitive: return "built-in primitive";
  }
  return "";
}

ClassModel::ClassModel(const spec::EnergyLibrary& library, const std::vector<spec::CompoundClass>& given)
    : library_(library) {
  auto add = [this](const std::string& name, Found f, bool override_existing) {
    if (override_existing) {
      exact_[name] = f;
      normalized_[Normalize(name)] = f;
    } else {
      exact_.emplace(name, f);
      normalized_.emplace(Normalize(name), f);
    }
  };
  for (const spec::CompoundClass& c : given) {
    Found f{&c, nullptr, ClassOrigin::kInputCompound};
    add(c.name, f, true);
    for (const std::string& a : c.aliases) add(a, f, true);
  }
  for (const spec::CompoundClass& c : library.compound_classes) {
    Found f{&c, nullptr, ClassOrigin::kTableCompound};
    add(c.name, f, false);
    for (const std::string& a : c.aliases) add(a, f, false);
  }
  for (const spec::PrimitiveClass& p : library.primitives) {
    Found f{nullptr, &p, ClassOrigin::kTablePrimitive};
    add(p.name, f, false);
    for (const std::string& a : p.aliases) add(a, f, false);
  }
}

std::optional<ClassModel::Found> ClassModel::Find(const std::string& cls) const {
  if (auto it = exact_.find(cls); it != exact_.end()) return it->second;
  if (auto it = normalized_.find(Normalize(cls)); it != normalized_.end()) return it->second;
  return std::nullopt;
}

bool ClassModel::Knows(const std::string& cls) const { return Find(cls).has_value(); }

std::vector<std::string> ClassModel::KnownClasses() const {
  std::vector<std::string> out;
  for (const auto& [name, f] : exact_) out.push_back(name);
  return out;
}

ClassCosts ClassModel::Evaluate(const std::string& cls, const Attributes& attributes,
                                const spec::SourceLoc& where) const {
  // Table defaults (technology, global_cycle_seconds) for what the
  // component does not give.
  Attributes seeded = attributes;
  for (const auto& [key, text] : library_.defaults)
    if (!seeded.count(key)) seeded[key] = LiteralAttribute(text);
  return EvaluateAt(cls, seeded, where, "class " + cls, 0);
}

ClassCosts ClassModel::EvaluateAt(const std::string& cls, const Attributes& attributes,
                                  const spec::SourceLoc& where, const std::string& path, int depth) const {
  if (depth > kMaxDepth) {
    throw spec::SpecError(where, "energy estimate, " + path + ": classes nested deeper than " +
                                     std::to_string(kMaxDepth) + " (a class that contains itself?)");
  }
  const std::optional<Found> f = Find(cls);
  if (!f) {
    std::string known;
    for (const std::string& k : KnownClasses()) known += (known.empty() ? "" : ", ") + k;
    throw spec::SpecError(where, "energy estimate, " + path + ": unknown component class '" + cls +
                                     "' (not in the ERT, the inputs' compound classes or the energy table; "
                                     "known classes: " + known + ")");
  }
  ClassCosts out = f->compound ? EvaluateCompound(*f->compound, attributes, where, path, depth)
                               : EvaluatePrimitive(*f->primitive, attributes, where, path);
  out.origin = f->origin;
  out.resolved_name = f->compound ? f->compound->name : f->primitive->name;
  return out;
}

ClassCosts ClassModel::EvaluateCompound(const spec::CompoundClass& c, const Attributes& attributes,
                                        const spec::SourceLoc& where, const std::string& path,
                                        int depth) const {
  AttributeScope scope(attributes, c.attributes, path, where);
  struct Sub {
    const spec::Subcomponent* decl;
    std::string base;
    ClassCosts costs;
  };
  std::vector<Sub> subs;
  ClassCosts out;
  for (const spec::Subcomponent& s : c.subcomponents) {
    const RangeRef range = ParseRange(s.name);
    const double count = Count(range, scope, "subcomponent '" + s.name + "' count");
    Attributes child;
    // Accelergy passes the node and the clock down implicitly.
    for (const char* inherited : {"technology", "global_cycle_seconds"})
      if (const AttributeValue* v = scope.Get(inherited)) child[inherited] = *v;
    for (const auto& [key, text] : s.attributes) child[key] = scope.Derive(text);
    const double area_scale = s.area_scale.empty() ? 1.0 : scope.Eval(s.area_scale, "area_scale of '" + s.name + "'");
    ClassCosts costs = EvaluateAt(s.cls, child, where, path + " > " + s.name + " (" + s.cls + ")", depth + 1);
    out.area_um2 += count * area_scale * costs.area_um2;
    subs.push_back({&s, range.base, std::move(costs)});
  }
  for (const spec::CompoundAction& a : c.actions) {
    double total = 0;
    for (const spec::CompoundAction::Part& part : a.parts) {
      const RangeRef ref = ParseRange(part.subcomponent);
      auto sub = std::find_if(subs.begin(), subs.end(), [&](const Sub& s) { return s.base == ref.base; });
      if (sub == subs.end()) {
        scope.Fail("action '" + a.name + "' uses subcomponent '" + part.subcomponent +
                   "', which the class does not declare (" + spec::FormatLoc(part.loc) + ")");
      }
      const double count = Count(ref, scope, "action '" + a.name + "' subcomponent '" + part.subcomponent + "'");
      for (const spec::CompoundAction::SubAction& sa : part.actions) {
        const double* e = FindAction(sub->costs, sa.name);
        if (e == nullptr) {
          scope.Fail("action '" + a.name + "' uses action '" + sa.name + "' of subcomponent '" + ref.base +
                     "' (class " + sub->decl->cls + "), which has only: " + ActionList(sub->costs));
        }
        const double scale =
            sa.energy_scale.empty() ? 1.0 : scope.Eval(sa.energy_scale, "energy_scale of action '" + a.name + "'");
        total += count * scale * *e;
      }
    }
    if (total < 0) scope.Fail("action '" + a.name + "' has negative energy " + std::to_string(total) + " pJ");
    SetAction(out, a.name, total);
  }
  return out;
}

ClassCosts ClassModel::EvaluatePrimitive(const spec::PrimitiveClass& p, const Attributes& attributes,
                                         const spec::SourceLoc& where, const std::string& path) const {
  AttributeScope scope(attributes, p.attributes, path, where);
  for (const spec::AttributeSelect& sel : p.selects) {
    const AttributeValue* v = scope.Get(sel.attribute);
    std::string valid;
    for (const auto& [value, vars] : sel.values) valid += (valid.empty() ? "" : ", ") + value;
    if (v == nullptr) scope.Fail("attribute '" + sel.attribute + "' must be given (one of: " + valid + ")");
    auto it = sel.values.find(v->text);
    if (it == sel.values.end()) {
      it = std::find_if(sel.values.begin(), sel.values.end(),
                        [&](const auto& kv) { return Normalize(kv.first) == Normalize(v->text); });
    }
    if (it == sel.values.end()) {
      scope.Fail(sel.attribute + " '" + v->text + "' is not in the energy table (valid: " + valid + ")");
    }
    scope.AddVariables(it->second);
  }
  double energy_scale = 1, area_scale = 1;
  if (p.technology_scaling) {
    const AttributeValue* tech = scope.Get("technology");
    std::string text = tech ? tech->text : std::string();
    if (tech == nullptr) {
      for (const auto& [k, d] : library_.defaults)
        if (k == "technology") text = d;
    }
    const std::optional<double> nm = ParseTechnologyNm(text);
    if (!nm) scope.Fail("technology '" + text + "' is not a process node (expected e.g. 45nm, 32nm or 65)");
    energy_scale = EnergyScale(library_.technology, p.reference_nm, *nm);
    area_scale = AreaScale(library_.technology, p.reference_nm, *nm);
  }
  ClassCosts out;
  for (const spec::PrimitiveAction& a : p.actions) {
    const double e = scope.Eval(a.energy_pj, "energy of action '" + a.names.front() + "'") * energy_scale;
    if (e < 0) scope.Fail("action '" + a.names.front() + "' has negative energy " + std::to_string(e) + " pJ");
    for (const std::string& name : a.names) SetAction(out, name, e);
  }
  if (!p.area_um2.empty()) out.area_um2 = std::max(0.0, scope.Eval(p.area_um2, "area") * area_scale);
  return out;
}

}  // namespace sieve::energy
