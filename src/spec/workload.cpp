// Workload lookups (see workload.hpp).
#include "sieve/spec/workload.hpp"

namespace sieve::spec {

int Workload::DimIndex(const std::string& name) const {
  for (size_t i = 0; i < dim_names.size(); ++i)
    if (dim_names[i] == name) return static_cast<int>(i);
  return -1;
}

int Workload::DataSpaceIndex(const std::string& name) const {
  for (size_t i = 0; i < data_spaces.size(); ++i)
    if (data_spaces[i].name == name) return static_cast<int>(i);
  return -1;
}

int64_t Workload::AlgorithmicComputes() const {
  int64_t product = 1;
  for (int64_t b : bounds) product *= b;
  return product;
}

}  // namespace sieve::spec
