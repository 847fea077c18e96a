// Energy and area reference tables (Accelergy ERT/ART) as plain data.
#pragma once

#include <map>
#include <string>

namespace sieve::spec {

// Energy per action in pJ, by component short name (the last dotted part of
// the ERT name without its [..] range), then action name. Where the ERT
// lists an action several times (argument variants) the maximum is kept.
struct EnergyTable {
  std::map<std::string, std::map<std::string, double>> energy_pj;

  // nullptr when absent.
  const std::map<std::string, double>* Find(const std::string& component) const;
};

// Area per instance in um^2, by component short name.
struct AreaTable {
  std::map<std::string, double> area_um2;
};

}  // namespace sieve::spec
