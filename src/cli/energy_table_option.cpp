// --energy-table FILE (energy_table_option.hpp).
#include "cli/energy_table_option.hpp"

#include <cstdlib>

namespace sieve::cli {

void AddEnergyTableOption(CLI::App* cmd, std::string* path) {
  cmd->add_option("--energy-table", *path,
                  "Energy/area table (configs/energy/energy_table.yaml layout) merged over the built-in one, "
                  "for components the ERT/ART does not list (default: $SIEVE_ENERGY_TABLE, else built-in)");
}

std::shared_ptr<const spec::EnergyLibrary> EnergyTableFromOption(const std::string& path) {
  std::string file = path;
  if (file.empty()) {
    if (const char* env = std::getenv("SIEVE_ENERGY_TABLE")) file = env;
  }
  if (file.empty()) return nullptr;
  return std::make_shared<const spec::EnergyLibrary>(spec::LoadEnergyLibraryOverride(file));
}

}  // namespace sieve::cli
