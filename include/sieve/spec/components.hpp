// Accelergy compound component classes (`compound_components.classes` in
// the lowered form, `components.classes` in the v0.4 front end), as plain
// data: attribute defaults, subcomponents and actions, each value kept as
// written (an expression text) for the energy estimator to evaluate.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "sieve/spec/error.hpp"

namespace sieve::spec {

struct CompoundClass {
  std::string name;
  // (attribute, default expression text) in file order.
  std::vector<std::pair<std::string, std::string>> attributes;
  SourceLoc loc;
};

}  // namespace sieve::spec
