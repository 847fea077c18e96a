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
// (fan-out-only levels skipped), then the compute; the order in which
// LevelEnergies (search/driver.hpp) gives the values.
std::vector<std::string> EnergyColumns(const spec::Arch& arch);

// The /evaluations row of a logged evaluation (no re-evaluation): a valid
// one with its per-level energies; an invalid one with invalid_reason (the
// driver's reason name: capacity, fanout, constraint, other), invalid_detail
// (the model's text, as `sieve model` gives it in sieve.stats.json, which
// starts with the status name; for constraint, which constraint) and no
// per-level energies (written as NaN).
ResultRow EvaluationRow(const spec::Spec& spec, const Mapspace& space, const EvalRecord& record);

ResultRow MakeRow(const spec::Spec& spec, const Design& design, const Mapspace& space,
                  const Choice& choice, uint64_t eval_index);
// The row of `mapping`, already evaluated to `r` (e.g. a mapping given in
// the inputs rather than drawn from a mapspace).
ResultRow MakeRow(const spec::Spec& spec, const spec::Mapping& mapping, const Result& r,
                  const std::string& mapping_id, uint64_t eval_index);

// Pareto rows sorted by the first objective, then mapping id; best rows in
// the order energy, cycles, edp.
Snapshot MakeSnapshot(const spec::Spec& spec, const Design& design, const Mapspace& space,
                      const SearchState& state);

}  // namespace sieve::search
