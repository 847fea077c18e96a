// Completes a design's energy and area tables: components the given
// Accelergy ERT/ART lists keep those values; every other component is
// estimated from its class (ClassModel: the inputs' compound classes,
// then sieve's energy table). Runs once per design, before step 3.
//
// Contract:
//   - Storage levels and the compute level are estimated by short name
//     (as the ERT is keyed). Dummy levels not in the ERT cost nothing.
//   - Each component's attributes are its own and inherited ones
//     (StorageLevel::attributes), with the table's defaults (technology,
//     global_cycle_seconds) for those absent and width/depth/datawidth
//     filled from the parsed level when not written.
//   - The built-in table is parsed only when something needs estimating.
//   - A class known neither to the ERT, the inputs' compound classes nor
//     the table is a spec::SpecError at the component (file:line), listing
//     the known classes; so is any failing attribute or expression.
// Units: energy in pJ per action, area in um^2 per instance.
// Thread safety: pure function of its arguments.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "sieve/spec/energy_library.hpp"
#include "sieve/spec/spec.hpp"

namespace sieve::energy {

struct ComponentEnergy {
  std::string name;       // short name (the ERT key)
  std::string path_name;  // as written, e.g. "system_top_level.shared_glb[1..1]"
  std::string cls;
  int64_t instances = 1;
  bool is_compute = false;
  bool is_dummy = false;
  bool energy_estimated = false;  // false: from the given ERT
  bool area_estimated = false;    // false: from the given ART
  std::string estimated_from;     // "class X (built-in compound class)" when estimated
  std::vector<std::pair<std::string, double>> energy_pj;  // per action
  double area_um2 = 0;            // per instance
};

struct CompletedTables {
  spec::EnergyTable ert;  // given entries plus estimates: every component
  spec::AreaTable art;
  std::vector<ComponentEnergy> components;  // storage outermost first, then compute
  std::vector<std::string> notes;           // one line per estimated component
};

struct EstimateOptions {
  // The table to estimate from; null = the built-in table.
  const spec::EnergyLibrary* library = nullptr;
  // Estimate every component, ignoring the given ERT/ART (calibration).
  bool ignore_given_tables = false;
};

CompletedTables CompleteEnergyTables(const spec::Spec& spec, const EstimateOptions& options = {});

}  // namespace sieve::energy
