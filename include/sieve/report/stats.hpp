// Human- and machine-readable reports of one evaluated mapping.
//
// sieve.stats.json keys (stable; later features only add keys):
//   valid, invalid_reason, cycles, energy_pj, edp (J x cycles), utilization,
//   area_um2, computes {actual, gated, skipped, algorithmic},
//   compute {name, energy_pj, used_instances},
//   levels: innermost first, dummy (fan-out only) levels omitted, each
//     {name, energy_pj (accesses + leakage), leakage_pj, scalar_accesses,
//      utilization (kept words / capacity), cycles, bandwidth_throttle,
//      used_instances, instances, area_um2,
//      dataspaces {NAME: {tile_size, partition, reads, fills, updates,
//                         instances, energy_pj,
//                         actual_/gated_/skipped_{reads,fills,updates},
//                         representation_format, occupancy_words
//                           {data, metadata: [[md, payload] per rank]},
//                         metadata_{reads,fills,updates}: [[md, payload] per
//                           rank] (actual), metadata_energy_pj}}}
//     (kept data spaces only; counts per instance; reads/fills/updates are
//     algorithmic, the actual/gated/skipped split is the sparse breakdown)
//   warnings: [text]
#pragma once

#include <string>
#include <vector>

#include "sieve/result.hpp"
#include "sieve/sparse/sparse_traffic.hpp"
#include "sieve/spec/spec.hpp"

namespace sieve::report {

// One line saying why a mapping is invalid, naming the level, data space
// and sizes; empty for a valid result.
std::string InvalidReason(const spec::Spec& spec, const Result& result);

// `detail` (the sparse breakdown) adds per-rank format traffic; may be null.
std::string StatsJson(const spec::Spec& spec, const Result& result,
                      const std::vector<std::string>& warnings,
                      const sparse::SparseTraffic* detail = nullptr);

// The stats text: per level and data space, then totals.
std::string StatsText(const spec::Spec& spec, const Result& result);

// A compact per-level table with totals, for the terminal.
std::string SummaryTable(const spec::Spec& spec, const Result& result);

}  // namespace sieve::report
