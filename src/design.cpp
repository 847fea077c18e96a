#include "sieve/design.hpp"

#include <utility>

#include "sieve/energy/estimator.hpp"

namespace sieve {

Design BuildDesign(const spec::Spec& spec, DesignOptions options) {
  // Components the ERT/ART leaves out are estimated once, here.
  energy::EstimateOptions estimate;
  estimate.library = options.energy_library.get();
  energy::CompletedTables tables = energy::CompleteEnergyTables(spec, estimate);
  Design d{dense::ProjectionTable(spec.workload),
           dense::ComputeFanoutLimits(spec.arch),
           sparse::BuildSparseDesign(spec.workload, spec.arch, spec.sparse),
           uarch::BuildArchCosts(spec.arch, tables.ert, tables.art),
           spec.workload.AlgorithmicComputes(),
           options,
           {},
           std::move(tables.notes)};
  d.warnings = d.costs.warnings;
  // The energy model charges metadata by the bits each format rank moves.
  for (size_t l = 0; l < spec.arch.levels.size(); ++l) {
    for (size_t ds = 0; ds < spec.workload.data_spaces.size(); ++ds) {
      const int f = d.sparse.format[l][ds];
      if (f < 0) continue;
      for (const sparse::ResolvedRank& r : d.sparse.formats[f].ranks) {
        d.costs.rank_bits[l][ds].emplace_back(r.metadata_bits, r.payload_bits);
      }
    }
  }
  return d;
}

}  // namespace sieve
