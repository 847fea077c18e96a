#include "sieve/evaluator.hpp"

#include "sieve/dense/traffic.hpp"
#include "sieve/sparse/analysis.hpp"
#include "sieve/uarch/cost.hpp"

namespace sieve {

Evaluator::Evaluator(const spec::Workload& workload, const spec::Arch& arch,
                     const spec::EnergyTable& ert, const spec::AreaTable& art,
                     const spec::SparseOptimizations& sparse, EvalOptions options)
    : projection_(workload),
      limits_(dense::ComputeFanoutLimits(arch)),
      costs_(uarch::BuildArchCosts(arch, ert, art)),
      sparse_(sparse::BuildSparseDesign(workload, arch, sparse)),
      algorithmic_computes_(workload.AlgorithmicComputes()),
      options_(options) {
  for (size_t l = 0; l < arch.levels.size(); ++l) {
    for (size_t ds = 0; ds < workload.data_spaces.size(); ++ds) {
      const int f = sparse_.format[l][ds];
      if (f < 0) continue;
      for (const sparse::ResolvedRank& r : sparse_.formats[f].ranks) {
        costs_.rank_bits[l][ds].emplace_back(r.metadata_bits, r.payload_bits);
      }
    }
  }
}

Evaluator::Evaluator(const spec::Spec& spec, EvalOptions options)
    : Evaluator(spec.workload, spec.arch, spec.ert, spec.art, spec.sparse, options) {}

void Evaluator::Evaluate(const spec::Mapping& mapping, Result& out) const {
  Run(mapping, out, nullptr);
}

void Evaluator::Evaluate(const spec::Mapping& mapping, Result& out,
                         sparse::SparseTraffic& detail) const {
  Run(mapping, out, &detail);
}

void Evaluator::Run(const spec::Mapping& mapping, Result& out,
                    sparse::SparseTraffic* detail) const {
  out.num_levels = limits_.num_levels;
  out.num_data_spaces = projection_.num_data_spaces();
  for (const spec::LevelMapping& lm : mapping.levels) {
    if (static_cast<int>(lm.temporal_factors.size()) != projection_.num_dims() ||
        static_cast<int>(lm.spatial_factors.size()) != projection_.num_dims() ||
        static_cast<int>(lm.keep.size()) != projection_.num_data_spaces()) {
      out.status = Status{StatusCode::kMappingShape, -1, -1, projection_.num_dims(),
                          static_cast<int64_t>(lm.temporal_factors.size())};
      return;
    }
  }
  dense::LoopNest nest;
  out.status = dense::BuildLoopNest(mapping, limits_, projection_.num_dims(),
                                    projection_.num_data_spaces(), nest);
  if (!out.status.ok()) return;
  dense::DenseTraffic traffic;
  dense::AnalyzeTraffic(nest, projection_, options_.halo_rule, traffic);
  if (!sparse_.active) {
    uarch::EvaluateCosts(traffic, nullptr, costs_, algorithmic_computes_, out);
    return;
  }
  // Step 2's breakdown is large: it lives on this frame unless the caller
  // wants it, and a dense design never builds one.
  sparse::SparseTraffic local;
  sparse::SparseTraffic& sparse_traffic = detail != nullptr ? *detail : local;
  out.status = sparse::AnalyzeSparse(nest, projection_, traffic, sparse_, sparse_traffic);
  if (!out.status.ok()) return;
  uarch::EvaluateCosts(traffic, &sparse_traffic, costs_, algorithmic_computes_, out);
}

Result Evaluator::Evaluate(const spec::Mapping& mapping) const {
  Result out;
  Evaluate(mapping, out);
  return out;
}

}  // namespace sieve
