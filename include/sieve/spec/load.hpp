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
//   - the v0.4 front-end `nodes` form (lowered as timeloopfe does, see
//     LowerFrontEnd in src/spec/yaml_node.hpp);
//   - a design directory (DesignDirectoryInputs below) in place of a file.
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

// Each path is a YAML file or a design directory.
Spec LoadSpec(const std::vector<std::string>& paths);

// The files of a v0.4 design directory, assembled as the exercises'
// top.yaml.jinja2 does (without Jinja): DIR/arch.yaml; DIR/problem.yaml,
// else _include/default_problem.yaml; DIR/mapping.yaml as mapspace
// constraints (mapping_as_constraints); _include/mapper.yaml; every
// _components/*.yaml (sorted); and `variables: {global_cycle_seconds:
// 1e-9}`. `_include` and `_components` are looked up in DIR and then in
// its ancestors, nearest first. Throws SpecError when DIR has no arch.yaml.
std::vector<InputFile> DesignDirectoryInputs(const std::string& dir);

// One file as an InputFile; SpecError naming the path when it cannot be read.
InputFile ReadInputFile(const std::string& path);

// Same, from in-memory texts (path is used in messages only).
Spec LoadSpecFromTexts(const std::vector<InputFile>& files);

// Same, with `overrides` applied to the merged YAML tree before any section
// is read (a sweep's key and density axes; see sieve/spec/sweep.hpp). Each
// override's key path must name an existing value (Override::create_leaf
// allows its last key to be new), else SpecError at the override's own
// location naming the path and the first key that is missing. The value
// replaces what the files gave and is read, checked and reported in
// messages as if written at Override::loc. Spec::overrides records them.
Spec LoadSpecFromTexts(const std::vector<InputFile>& files, const std::vector<Override>& overrides);

}  // namespace sieve::spec
