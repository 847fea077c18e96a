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
  sparse::SparseTraffic detail;
  out.status = sparse::AnalyzeSparse(nest, projection_, traffic, sparse_, detail);
  if (!out.status.ok()) return;
  uarch::EvaluateCosts(traffic, &detail, costs_, algorithmic_computes_, out);
}

void Evaluator::Evaluate(const spec::Mapping& mapping, Result& out,
                         sparse::SparseTraffic& detail) const {
  Evaluate(mapping, out);
  if (!sparse_.active || !out.valid()) return;
  // Reports only: redo the (cheap) steps to expose the sparse breakdown.
  dense::LoopNest nest;
  dense::BuildLoopNest(mapping, limits_, projection_.num_dims(), projection_.num_data_spaces(),
                       nest);
  dense::DenseTraffic traffic;
  dense::AnalyzeTraffic(nest, projection_, options_.halo_rule, traffic);
  sparse::AnalyzeSparse(nest, projection_, traffic, sparse_, detail);
}

Result Evaluator::Evaluate(const spec::Mapping& mapping) const {
  Result out;
  Evaluate(mapping, out);
  return out;
}

}  // namespace sieve
