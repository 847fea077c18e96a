// sieve's energy and area table (configs/energy/energy_table.yaml, built
// into the binary) as plain data: technology scaling, primitive classes
// whose per-action energy (pJ) and area (um^2) are expressions over their
// attributes, and compound classes built from them (Accelergy's method).
// The numbers and formulas live in the YAML file only; see its comments
// for every source. The estimator (sieve/energy/) evaluates this struct.
//
// Thread safety: plain values; the loaders are pure (they read the named
// file, or the embedded text) and may run on any thread.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sieve/spec/components.hpp"
#include "sieve/spec/error.hpp"

namespace sieve::spec {

// Per-node factors from published scaling data. A node's relative dynamic
// energy is energy_poly[0]*vdd^2 + energy_poly[1]*vdd + energy_poly[2];
// area_factor is its relative area. Only ratios between nodes are used.
struct TechnologyNode {
  double nm = 0;
  double energy_poly[3] = {0, 0, 0};
  double area_factor = 1;
};

struct TechnologyScaling {
  double vdd = 0.8;
  std::vector<TechnologyNode> nodes;  // largest node first
  std::string source;
};

// A string-valued attribute that selects numeric variables, e.g. the DRAM
// `type`: LPDDR4 -> {pj_per_bit: 8}.
struct AttributeSelect {
  std::string attribute;
  std::map<std::string, std::map<std::string, double>> values;
};

struct PrimitiveAction {
  std::vector<std::string> names;  // one energy for all of them
  std::string energy_pj;           // expression, per action
};

struct PrimitiveClass {
  std::string name;
  std::vector<std::string> aliases;
  AttributeTexts attributes;  // defaults, evaluated lazily in the component's scope
  std::vector<AttributeSelect> selects;
  std::vector<PrimitiveAction> actions;
  std::string area_um2;  // expression; "" = 0
  double reference_nm = 45;   // node the expressions are written for
  bool technology_scaling = true;  // false: energies do not depend on `technology`
  std::string source;
  SourceLoc loc;
};

struct EnergyLibrary {
  std::string origin;  // "built-in table" or the file path
  // Values assumed for components that do not give them (technology,
  // global_cycle_seconds).
  AttributeTexts defaults;
  TechnologyScaling technology;
  std::vector<PrimitiveClass> primitives;
  std::vector<CompoundClass> compound_classes;
};

// The table text embedded at build time (generated from
// configs/energy/energy_table.yaml).
std::string_view BuiltinEnergyTableText();

// Parses a table; `path` names it in messages. Throws SpecError
// (file:line: key: message) on bad input.
EnergyLibrary ParseEnergyLibrary(const std::string& path, const std::string& text);

// The embedded table, parsed.
EnergyLibrary BuiltinEnergyLibrary();

// The built-in table with the file at `path` merged over it: its
// primitives and compound classes replace built-in ones of the same name,
// its defaults and technology section (when given) replace the built-in
// ones. Throws SpecError when the file cannot be read or is malformed.
EnergyLibrary LoadEnergyLibraryOverride(const std::string& path);

}  // namespace sieve::spec
