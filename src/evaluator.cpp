#include "sieve/evaluator.hpp"

#include <memory>

#include "sieve/sparse/analysis.hpp"
#include "sieve/uarch/cost.hpp"

namespace sieve {

void Evaluate(const Design& design, const spec::Mapping& mapping, Scratch& scratch,
              Result& out) {
  const int num_dims = design.num_dims();
  const int num_ds = design.num_data_spaces();
  out.num_levels = design.num_levels();
  out.num_data_spaces = num_ds;
  for (const spec::LevelMapping& lm : mapping.levels) {
    if (static_cast<int>(lm.temporal_factors.size()) != num_dims ||
        static_cast<int>(lm.spatial_factors.size()) != num_dims ||
        static_cast<int>(lm.keep.size()) != num_ds) {
      out.status = Status{StatusCode::kMappingShape, -1, -1, num_dims,
                          static_cast<int64_t>(lm.temporal_factors.size())};
      return;
    }
  }
  out.status = dense::BuildLoopNest(mapping, design.limits, num_dims, num_ds, scratch.nest);
  if (!out.status.ok()) return;
  dense::AnalyzeTraffic(scratch.nest, design.projection, design.options.halo_rule,
                        scratch.links, scratch.dense);
  out.status = sparse::AnalyzeSparse(scratch.nest, design.projection, scratch.dense,
                                     design.sparse, scratch.sparse);
  if (!out.status.ok()) return;
  uarch::EvaluateCosts(scratch.dense, scratch.sparse, design.costs,
                       design.algorithmic_computes, out);
}

Result Evaluate(const Design& design, const spec::Mapping& mapping) {
  auto scratch = std::make_unique<Scratch>();  // large: kept off the stack
  Result out;
  Evaluate(design, mapping, *scratch, out);
  return out;
}

}  // namespace sieve
