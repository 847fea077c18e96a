// EnergyTable lookup (see energy_table.hpp).
#include "sieve/spec/energy_table.hpp"

namespace sieve::spec {

const std::map<std::string, double>* EnergyTable::Find(const std::string& component) const {
  auto it = energy_pj.find(component);
  return it == energy_pj.end() ? nullptr : &it->second;
}

}  // namespace sieve::spec
