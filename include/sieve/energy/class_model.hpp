// Per-action energy and area of one component class, Accelergy's way:
// primitive classes from the energy table's expressions (scaled to the
// component's technology), compound classes as the sum of their
// subcomponents' actions.
//
// Class lookup order: compound classes given by the user's inputs (the
// last definition of a name wins), then the table's compound classes,
// then its primitives; names and aliases match exactly first, then with
// case and '-'/'_' ignored.
//
// Attribute scoping (as Accelergy does): a component's scope holds every
// attribute it was given, then its class's defaults (evaluated lazily, in
// any order they refer to each other). A subcomponent receives the
// expressions listed for it, evaluated in its parent's scope, plus the
// parent's `technology` and `global_cycle_seconds`. An expression that is
// one attribute name copies that value (text or number); one that does not
// evaluate (`45nm`, `LPDDR4`, `must_specify`) stays text, and is an error
// only where a number is needed.
//
// Units: energy in pJ per action, area in um^2 per instance.
// Thread safety: a ClassModel is immutable after construction; Evaluate is
// const and may run on several threads.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "sieve/spec/components.hpp"
#include "sieve/spec/energy_library.hpp"
#include "sieve/spec/error.hpp"

namespace sieve::energy {

struct AttributeValue {
  std::string text;
  std::optional<double> number;  // when the text is a number (or true/false)
};
using Attributes = std::map<std::string, AttributeValue>;

// Reads a literal attribute value: numbers, true/false (1/0), else text.
AttributeValue LiteralAttribute(const std::string& text);

enum class ClassOrigin { kInputCompound, kTableCompound, kTablePrimitive };
const char* ClassOriginName(ClassOrigin origin);  // e.g. "built-in compound class"

struct ClassCosts {
  std::vector<std::pair<std::string, double>> energy_pj;  // per action, class order
  double area_um2 = 0;
  ClassOrigin origin = ClassOrigin::kTablePrimitive;
  std::string resolved_name;  // the definition used (an alias resolves to it)
};

class ClassModel {
 public:
  // REQUIRES: `library` and `given` outlive the model.
  ClassModel(const spec::EnergyLibrary& library, const std::vector<spec::CompoundClass>& given);

  bool Knows(const std::string& cls) const;
  // Every class name and alias the model answers to, sorted.
  std::vector<std::string> KnownClasses() const;

  // Costs of one instance of `cls` with `attributes`. Throws
  // spec::SpecError at `where` naming the class path and the attribute or
  // expression at fault (unknown class, missing attribute, bad expression,
  // an action a subcomponent lacks, negative energy).
  ClassCosts Evaluate(const std::string& cls, const Attributes& attributes, const spec::SourceLoc& where) const;

 private:
  struct Found {
    const spec::CompoundClass* compound = nullptr;
    const spec::PrimitiveClass* primitive = nullptr;
    ClassOrigin origin = ClassOrigin::kTablePrimitive;
  };
  std::optional<Found> Find(const std::string& cls) const;
  ClassCosts EvaluateAt(const std::string& cls, const Attributes& attributes, const spec::SourceLoc& where,
                        const std::string& path, int depth) const;
  ClassCosts EvaluateCompound(const spec::CompoundClass& c, const Attributes& attributes,
                              const spec::SourceLoc& where, const std::string& path, int depth) const;
  ClassCosts EvaluatePrimitive(const spec::PrimitiveClass& p, const Attributes& attributes,
                               const spec::SourceLoc& where, const std::string& path) const;

  const spec::EnergyLibrary& library_;
  std::map<std::string, Found> exact_;       // name or alias -> definition
  std::map<std::string, Found> normalized_;  // lower case, '-' -> '_'
};

}  // namespace sieve::energy
