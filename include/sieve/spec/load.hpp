// Loading Timeloop-format YAML input sets. The only entry point to the
// yaml-cpp readers in src/spec/.
//
// Accepts, in any combination and order (later files merge into earlier
// ones at the YAML root, like timeloop-model a.yaml b.yaml):
//   - the lowered single-file form (architecture v0.4 subtree/local,
//     problem, mapping, sparse_optimizations, ...);
//   - the v0.3 multi-file form (arch/, components/, prob/, map/, ...);
//   - a separate map.yaml (root key `mapping`);
//   - Accelergy ERT.yaml / ART.yaml (root keys `ERT` / `ART`).
// Hyphenated and underscored spellings are both accepted for keys and for
// enumerated values.
//
// Throws SpecError (file, line, key path, what was expected) on bad input.
// Unknown keys are reported in Spec::warnings, never silently dropped.
#pragma once

#include <string>
#include <vector>

#include "sieve/spec/spec.hpp"

namespace sieve::spec {

Spec LoadSpec(const std::vector<std::string>& paths);

// Same, from in-memory texts (path is used in messages only).
Spec LoadSpecFromTexts(const std::vector<InputFile>& files);

}  // namespace sieve::spec
