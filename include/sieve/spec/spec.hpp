// Spec: everything read from a user's input files, as plain data.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "sieve/spec/arch.hpp"
#include "sieve/spec/constraints.hpp"
#include "sieve/spec/energy_table.hpp"
#include "sieve/spec/mapping.hpp"
#include "sieve/spec/sparse.hpp"
#include "sieve/spec/workload.hpp"

namespace sieve::spec {

struct InputFile {
  std::string path;
  std::string text;
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
  std::vector<InputFile> inputs;     // every file read, verbatim, in order
  std::vector<std::string> warnings;  // e.g. unknown keys, with file:line
};

}  // namespace sieve::spec
