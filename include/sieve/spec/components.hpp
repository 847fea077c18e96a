// Accelergy compound component classes (`compound_components.classes` in
// the lowered form, `components.classes` in the v0.4 front end, and the
// `compound_classes` section of sieve's energy table), as plain data:
// attribute defaults, subcomponents and actions. Every value is kept as
// written (an expression text over the class's attributes) for the energy
// estimator (sieve/energy/class_model.hpp) to evaluate.
//
// Thread safety: plain values; immutable once read.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "sieve/spec/error.hpp"

namespace sieve::spec {

// (name, expression text) in file order.
using AttributeTexts = std::vector<std::pair<std::string, std::string>>;

// One subcomponent of a compound class. `name` may carry a count range
// whose bounds are expressions over the parent's attributes:
// "storage[1..width*depth]" is width*depth instances of `cls`.
struct Subcomponent {
  std::string name;        // as written
  std::string cls;         // class of each instance
  AttributeTexts attributes;  // evaluated in the parent's scope
  std::string area_scale;  // expression; "" = 1
  SourceLoc loc;
};

// One action of a compound class: the sum, over the listed subcomponents,
// of their actions' energies times energy_scale.
struct CompoundAction {
  struct SubAction {
    std::string name;          // the subcomponent's action
    std::string energy_scale;  // expression in the parent's scope; "" = 1
  };
  struct Part {
    // Subcomponent name as written; a range counts instances
    // ("storage[1..width]" = width of them), an index or no range is one.
    std::string subcomponent;
    std::vector<SubAction> actions;
    SourceLoc loc;
  };
  std::string name;
  std::vector<Part> parts;
  SourceLoc loc;
};

struct CompoundClass {
  std::string name;
  std::vector<std::string> aliases;  // other class names this definition answers to
  AttributeTexts attributes;         // defaults; "must_specify" = no default
  std::vector<Subcomponent> subcomponents;
  std::vector<CompoundAction> actions;
  std::string source;  // citation (energy table only)
  SourceLoc loc;
};

}  // namespace sieve::spec
