// Spec: everything read from a user's input files, as plain data.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "sieve/spec/arch.hpp"
#include "sieve/spec/components.hpp"
#include "sieve/spec/constraints.hpp"
#include "sieve/spec/energy_table.hpp"
#include "sieve/spec/error.hpp"
#include "sieve/spec/mapping.hpp"
#include "sieve/spec/sparse.hpp"
#include "sieve/spec/workload.hpp"

namespace sieve::spec {

struct InputFile {
  std::string path;
  std::string text;
  // A design directory's mapping.yaml: its root `mapping` is read as
  // `extra_mapping_constraints` (mapspace constraints), as the v0.4
  // front end's top.yaml.jinja2 uses it.
  bool mapping_as_constraints = false;
};

// A value set in the merged YAML tree by key path, e.g.
// "architecture.subtree[0].local[name=shared_glb].attributes.depth".
// Path syntax: map keys separated by '.', each optionally followed by
// selectors: `[i]` (0-based sequence index) or `[name=X]` (the sequence
// item whose `name` is X, or X with an instance range such as X[1..16]).
// Keys compare with '-' read as '_'.
struct Override {
  std::string key_path;
  std::string value;         // a YAML scalar, as written
  bool create_leaf = false;  // the last key may be absent (it is added)
  // When the path names a map, set this key of it instead (density axes:
  // "density", so `A: 0.5` and `A: {distribution: ..., density: 0.5}` both
  // work); "" = the path must name a value.
  std::string map_key;
  SourceLoc loc;             // where the value was written (the sweep file)
  SourceLoc path_loc;        // where the key path was written (errors in the path)
};

struct Spec {
  Workload workload;
  Arch arch;
  std::optional<Mapping> mapping;  // absent when no mapping was given
  SparseOptimizations sparse;
  Constraints constraints;  // architecture + mapspace constraints, merged
  MapperSpec mapper;
  EnergyTable ert;
  AreaTable art;
  // Compound component classes given by the inputs (`compound_components`
  // or v0.4 `components`), in file order; the energy estimator prefers them
  // over its built-in classes of the same name.
  std::vector<CompoundClass> compound_classes;
  std::vector<InputFile> inputs;     // every file read, verbatim, in order
  std::vector<Override> overrides;   // applied over the inputs, in order
  std::vector<std::string> warnings;  // e.g. unknown keys, with file:line
};

}  // namespace sieve::spec
