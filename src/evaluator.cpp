#include "sieve/evaluator.hpp"

#include "sieve/dense/traffic.hpp"
#include "sieve/uarch/cost.hpp"

namespace sieve {

Evaluator::Evaluator(const spec::Workload& workload, const spec::Arch& arch,
                     const spec::EnergyTable& ert, const spec::AreaTable& art,
                     EvalOptions options)
    : projection_(workload),
      limits_(dense::ComputeFanoutLimits(arch)),
      costs_(uarch::BuildArchCosts(arch, ert, art)),
      algorithmic_computes_(workload.AlgorithmicComputes()),
      options_(options) {}

Evaluator::Evaluator(const spec::Spec& spec, EvalOptions options)
    : Evaluator(spec.workload, spec.arch, spec.ert, spec.art, options) {}

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
  uarch::EvaluateCosts(traffic, costs_, algorithmic_computes_, out);
}

Result Evaluator::Evaluate(const spec::Mapping& mapping) const {
  Result out;
  Evaluate(mapping, out);
  return out;
}

}  // namespace sieve
