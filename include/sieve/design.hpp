// Design: a validated, resolved, immutable accelerator design, built once
// from the user's spec and shared by every evaluation.
//
// BuildDesign is the validate-then-build layer: it checks what the YAML
// readers cannot (meshes that divide, formats and SAFs naming real levels
// and data spaces, densities in [0, 1], ...) and reads every data file the
// spec names (actual-data tensors). It is the only code past the YAML
// readers that throws spec::SpecError; once a Design exists, evaluating a
// mapping never throws and never touches the file system.
//
// Thread safety: a Design is immutable; share it by const& across threads.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "sieve/dense/delta_walk.hpp"
#include "sieve/dense/loop_nest.hpp"
#include "sieve/dense/projection.hpp"
#include "sieve/sparse/sparse_design.hpp"
#include "sieve/spec/energy_library.hpp"
#include "sieve/spec/spec.hpp"
#include "sieve/uarch/energy_model.hpp"

namespace sieve {

struct DesignOptions {
  // Temporal-delta rule for sliding-window reuse (SEMANTICS "Halo difference").
  dense::HaloRule halo_rule = dense::HaloRule::k2025;
  // Energy table for components the ERT/ART does not list (see
  // sieve/energy/estimator.hpp); null = the built-in table.
  std::shared_ptr<const spec::EnergyLibrary> energy_library;
};

struct Design {
  dense::ProjectionTable projection;  // step 1: tensor projections
  dense::FanoutLimits limits;         // step 1: per-level X/Y fan-out
  sparse::SparseDesign sparse;        // step 2: densities, formats, SAFs
  uarch::ArchCosts costs;             // step 3: energy per action, capacity, bandwidth
  int64_t algorithmic_computes = 0;   // product of the problem bounds
  DesignOptions options;
  std::vector<std::string> warnings;  // design-level notes (e.g. ERT fall-backs)
  // Which components' energy/area were estimated, and from which class.
  std::vector<std::string> energy_notes;

  int num_dims() const { return projection.num_dims(); }
  int num_data_spaces() const { return projection.num_data_spaces(); }
  int num_levels() const { return limits.num_levels; }
};

// Throws spec::SpecError (file:line:key) when the spec is inconsistent.
Design BuildDesign(const spec::Spec& spec, DesignOptions options = {});

}  // namespace sieve
