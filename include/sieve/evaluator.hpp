// Evaluator: the one place the model's steps are chained.
//
//   mapping -> loop nest -> step 1 dense traffic -> step 2 sparse traffic
//           -> step 3 costs -> Result
// (step 2 only runs when the design has sparse_optimizations).
//
// Construction resolves everything that depends only on the design
// (projections, fan-out limits, energy per action). Evaluate() is const,
// uses no globals, allocates nothing and is safe to call from many threads
// at once on one shared Evaluator. An invalid mapping returns fast with
// Result::status describing why.
#pragma once

#include <string>
#include <vector>

#include "sieve/dense/delta_walk.hpp"
#include "sieve/dense/loop_nest.hpp"
#include "sieve/dense/projection.hpp"
#include "sieve/result.hpp"
#include "sieve/sparse/sparse_design.hpp"
#include "sieve/sparse/sparse_traffic.hpp"
#include "sieve/spec/spec.hpp"
#include "sieve/uarch/energy_model.hpp"

namespace sieve {

struct EvalOptions {
  dense::HaloRule halo_rule = dense::HaloRule::k2025;
};

class Evaluator {
 public:
  // Throws spec::SpecError when the architecture is inconsistent (e.g. a
  // mesh that does not divide its child's).
  Evaluator(const spec::Workload& workload, const spec::Arch& arch,
            const spec::EnergyTable& ert, const spec::AreaTable& art,
            const spec::SparseOptimizations& sparse, EvalOptions options = {});
  explicit Evaluator(const spec::Spec& spec, EvalOptions options = {});

  void Evaluate(const spec::Mapping& mapping, Result& out) const;
  Result Evaluate(const spec::Mapping& mapping) const;
  // Same, also returning the sparse breakdown (per-rank format traffic) for
  // reports; `detail` is left untouched for dense designs.
  void Evaluate(const spec::Mapping& mapping, Result& out, sparse::SparseTraffic& detail) const;
  bool sparse() const { return sparse_.active; }

  // Design-level notes (e.g. a component missing from the ERT).
  const std::vector<std::string>& warnings() const { return costs_.warnings; }
  int num_dims() const { return projection_.num_dims(); }
  int num_data_spaces() const { return projection_.num_data_spaces(); }
  int num_levels() const { return limits_.num_levels; }

 private:
  // The pipeline; `detail` (may be null) receives step 2's breakdown.
  void Run(const spec::Mapping& mapping, Result& out, sparse::SparseTraffic* detail) const;

  dense::ProjectionTable projection_;
  dense::FanoutLimits limits_;
  uarch::ArchCosts costs_;
  sparse::SparseDesign sparse_;
  int64_t algorithmic_computes_ = 0;
  EvalOptions options_;
};

}  // namespace sieve
