// Mapspace constraints and mapper settings (Timeloop `architecture_constraints`,
// `mapspace_constraints`, v0.3 `constraints`, and `mapper`), as plain data.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sieve/spec/error.hpp"

namespace sieve::spec {

// One factor constraint on a dimension at one level and loop type.
//   K=4 -> kExact 4; K=0 -> kExact 0 ("the whole remaining bound");
//   K<=8 -> kMax 8; K>=2 -> kMin 2.
struct FactorConstraint {
  enum class Kind : uint8_t { kExact, kMax, kMin };
  int dim = 0;
  Kind kind = Kind::kExact;
  int64_t value = 1;
};

// A loop-order constraint, Timeloop syntax: "QRSC PNM" means Q,R,S,C are the
// innermost loops in that order and P,N,M the outermost, innermost first;
// dimensions not listed float in between. Without a space, the listed
// dimensions are the innermost ones and the rest float outside them.
struct OrderConstraint {
  bool given = false;
  std::vector<int> inner;  // innermost first
  std::vector<int> outer;  // innermost first (the last is the outermost loop)
  std::vector<int> written;  // every listed dim in written order (for split)
};

// Everything the constraints say about one architecture level.
struct LevelConstraints {
  std::vector<FactorConstraint> temporal_factors;
  std::vector<FactorConstraint> spatial_factors;
  OrderConstraint temporal_order;
  OrderConstraint spatial_order;
  // Spatial split: positions of spatial_order.written below it go to mesh X.
  std::optional<int> spatial_split;
  std::vector<int> keep;    // data-space indices that must be kept
  std::vector<int> bypass;  // data-space indices that must be bypassed
  std::optional<int64_t> max_factor;  // default_max_factor for unlisted dims
  std::optional<double> min_spatial_utilization;  // type: utilization, min
  bool no_link_transfer = false;  // true when no_link_transfer_spaces is non-empty
  // Added: data spaces named by `no_link_transfer: [A, B]` (all of them for
  // `no_link_transfer: true`), and `type: max_overbooked_proportion`.
  std::vector<int> no_link_transfer_spaces;
  std::optional<double> max_overbooked_proportion;
  SourceLoc loc;  // first directive for this level
};

struct Constraints {
  // Indexed like Arch::levels; empty entries where nothing is constrained.
  std::vector<LevelConstraints> levels;
  bool any = false;
};

// Timeloop `mapper` block, normalised (hyphens -> underscores).
struct MapperSpec {
  bool given = false;
  std::string algorithm;  // "random", "exhaustive", "hybrid", "random_pruned", "linear_pruned"
  std::optional<int> num_threads;
  std::optional<int64_t> search_size;        // evaluations (0 = unlimited)
  std::optional<int64_t> timeout;            // Timeloop: consecutive invalid mappings tolerated
  std::optional<int64_t> victory_condition;  // consecutive non-improving evaluations
  std::vector<std::string> optimization_metrics;  // "energy", "delay", "edp", ...
  SourceLoc loc;
};

}  // namespace sieve::spec
