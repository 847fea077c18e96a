// The `--energy-table FILE` option shared by model, search and energy.
// Without the option, the environment variable SIEVE_ENERGY_TABLE names
// the file; without either, the built-in table applies (null library).
#pragma once

#include <CLI/CLI.hpp>
#include <memory>
#include <string>

#include "sieve/spec/energy_library.hpp"

namespace sieve::cli {

void AddEnergyTableOption(CLI::App* cmd, std::string* path);

// The table named by `path` (or $SIEVE_ENERGY_TABLE) merged over the
// built-in one, or null for the built-in table alone. Throws
// spec::SpecError (exit code 2) for an unreadable or malformed file.
std::shared_ptr<const spec::EnergyLibrary> EnergyTableFromOption(const std::string& path);

}  // namespace sieve::cli
