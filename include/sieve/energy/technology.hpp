// Technology node parsing and scaling for the energy estimator.
//
// Contract:
//   - ParseTechnologyNm reads an Accelergy `technology` attribute: "45nm",
//     "0.045um", "45" or 45 (nanometres), "4.5e-08" (metres, any value
//     below 1e-3). Returns nullopt for anything else ("SET ME", -1).
//   - EnergyScale / AreaScale give the factor that takes a figure from
//     `from_nm` to `to_nm` using the table's per-node data: between two
//     listed nodes the per-node factor is interpolated linearly in nm;
//     beyond the listed range, energy scales with the square root of the
//     node ratio and area linearly with it (stated in the table file).
// Thread safety: pure functions.
#pragma once

#include <optional>
#include <string_view>

#include "sieve/spec/energy_library.hpp"

namespace sieve::energy {

std::optional<double> ParseTechnologyNm(std::string_view text);

// REQUIRES: from_nm, to_nm > 0; scaling.nodes has at least two entries.
double EnergyScale(const spec::TechnologyScaling& scaling, double from_nm, double to_nm);
double AreaScale(const spec::TechnologyScaling& scaling, double from_nm, double to_nm);

}  // namespace sieve::energy
