// Workload: an extended-Einsum problem (dimensions, data spaces and their
// projections, densities) as plain data. No YAML beyond spec/.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "sieve/spec/error.hpp"

namespace sieve::spec {

// One term coef * dim of a tensor rank's affine projection (coefficients
// such as Wstride are resolved to numbers at load time).
struct ProjectionTerm {
  int dim = 0;
  int64_t coef = 1;
};

// A tensor rank's coordinate is sum(coef * dim) over its terms.
using RankProjection = std::vector<ProjectionTerm>;

struct DataSpace {
  std::string name;
  std::vector<RankProjection> ranks;  // outermost tensor rank first, as written
  bool read_write = false;            // true for outputs (updated, reduced)
};

// Density of one data space, kept as written for the sparse step.
// distribution is normalised to underscores ("fixed_structured",
// "hypergeometric", "banded", "real_data", ...); empty = dense.
struct DensitySpec {
  std::string distribution;
  double density = 1.0;
  int64_t band_width = 0;
  std::string data_file_path;  // as written; resolve relative to loc.file
  // Ranks of the data file, outermost first, when it is not stored in the
  // projection's rank order: rank indices or single-dimension rank names.
  std::vector<std::string> data_layout;
  std::map<std::string, std::string> extra;  // any other keys, raw text
  SourceLoc loc;
};

struct Workload {
  std::string name;
  std::vector<std::string> dim_names;  // problem order
  std::vector<int64_t> bounds;         // per dim, > 0
  std::map<std::string, int64_t> coefficients;
  std::vector<DataSpace> data_spaces;
  std::map<std::string, DensitySpec> densities;  // by data-space name

  int DimIndex(const std::string& name) const;        // -1 if absent
  int DataSpaceIndex(const std::string& name) const;  // -1 if absent
  int64_t AlgorithmicComputes() const;                // product of bounds
};

}  // namespace sieve::spec
