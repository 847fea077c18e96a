// Turning search state into result rows and snapshots for the HDF5 writer:
// each kept point is decoded and re-evaluated once to recover its per-level
// energies and its map.yaml text (fronts are small, so this stays cheap).
#pragma once

#include <string>
#include <vector>

#include "search/driver.hpp"
#include "search/results_writer.hpp"
#include "sieve/spec/spec.hpp"

namespace sieve::search {

// Names of the per-level energy columns: storage levels outermost first
// (fan-out-only levels skipped), then the compute.
std::vector<std::string> EnergyColumns(const spec::Arch& arch);

ResultRow MakeRow(const spec::Spec& spec, const Design& design, const Mapspace& space,
                  const Choice& choice, uint64_t eval_index);

// Pareto rows sorted by the first objective, then mapping id; best rows in
// the order energy, cycles, edp.
Snapshot MakeSnapshot(const spec::Spec& spec, const Design& design, const Mapspace& space,
                      const SearchState& state);

}  // namespace sieve::search
