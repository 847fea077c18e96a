// ERT / ART (Accelergy energy and area reference tables) -> EnergyTable /
// AreaTable, keyed by component short name (last dotted part without its
// [..] range). ERT: {version, tables: [{name, actions: [{name, arguments,
// energy}]}]}; ART: {version, tables: [{name, area}]}. Where an action (or a
// component) appears more than once, the maximum is kept. Both the v0.3 and
// the v0.4 Accelergy layouts read the same way. Energies and areas must be
// finite and >= 0.
#include <algorithm>

#include "spec/yaml_node.hpp"

namespace sieve::spec::yaml {

EnergyTable ReadErt(const Cursor& ert, std::vector<std::string>& warnings) {
  EnergyTable table;
  if (ert.IsNull()) return table;
  ert.WarnUnknownKeys({"version", "tables"}, warnings);
  if (auto tables = ert.Find("tables")) {
    for (const Cursor& t : tables->Items()) {
      t.WarnUnknownKeys({"name", "actions"}, warnings);
      const std::string component = ShortComponentName(t.Need("name").Str());
      std::map<std::string, double>& actions = table.energy_pj[component];
      if (auto list = t.Find("actions")) {
        for (const Cursor& a : list->Items()) {
          a.WarnUnknownKeys({"name", "arguments", "energy"}, warnings);
          const std::string action = a.Need("name").Str();
          const Cursor energy_c = a.Need("energy");
          const double energy = energy_c.Num();
          if (energy < 0) energy_c.Fail("energy must be >= 0 pJ, got " + energy_c.Str());
          auto [it, inserted] = actions.emplace(action, energy);
          if (!inserted) it->second = std::max(it->second, energy);
        }
      }
    }
  }
  return table;
}

AreaTable ReadArt(const Cursor& art, std::vector<std::string>& warnings) {
  AreaTable table;
  if (art.IsNull()) return table;
  art.WarnUnknownKeys({"version", "tables"}, warnings);
  if (auto tables = art.Find("tables")) {
    for (const Cursor& t : tables->Items()) {
      t.WarnUnknownKeys({"name", "area"}, warnings);
      const std::string component = ShortComponentName(t.Need("name").Str());
      const Cursor area_c = t.Need("area");
      const double area = area_c.Num();
      if (area < 0) area_c.Fail("area must be >= 0 um^2, got " + area_c.Str());
      auto [it, inserted] = table.area_um2.emplace(component, area);
      if (!inserted) it->second = std::max(it->second, area);
    }
  }
  return table;
}

}  // namespace sieve::spec::yaml
