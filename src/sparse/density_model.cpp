// DensityModel defaults, the factory table, and the tile histogram shared by
// the coordinate-dependent models (paper Sec 5.3.2 and Table 4; SEMANTICS
// "Density models").
#include <algorithm>
#include <cctype>
#include <cmath>

#include "sieve/spec/error.hpp"
#include "sparse/density_models.hpp"

namespace sieve::sparse {

int64_t TileShape::Size() const {
  int64_t size = 1;
  for (int r = 0; r < num_ranks; ++r) size *= extent[r];
  return size;
}

// ---- Base-class defaults: everything follows from the distribution.

double DensityModel::ProbEmpty(const TileShape& tile) const {
  std::vector<double> p;
  Distribution(tile, p);
  return p.empty() ? 1.0 : p[0];
}

double DensityModel::ExpectedOccupancy(const TileShape& tile) const {
  std::vector<double> p;
  Distribution(tile, p);
  double sum = 0;
  for (size_t k = 1; k < p.size(); ++k) sum += static_cast<double>(k) * p[k];
  return sum;
}

double DensityModel::ExpectedVectors(const TileShape& tile, int64_t width) const {
  std::vector<double> p;
  Distribution(tile, p);
  double sum = 0;
  for (size_t k = 1; k < p.size(); ++k) {
    sum += std::ceil(static_cast<double>(k) / static_cast<double>(width)) * p[k];
  }
  return sum;
}

int64_t DensityModel::Occupancy(const TileShape& tile, double confidence) const {
  std::vector<double> p;
  Distribution(tile, p);
  int64_t last = 0;  // the largest k with P(k) > 0
  for (size_t k = 0; k < p.size(); ++k) {
    if (p[k] > 0) last = static_cast<int64_t>(k);
  }
  if (confidence >= 1.0) return last;
  double cumulative = 0;
  for (int64_t k = 0; k < last; ++k) {
    cumulative += p[k];
    if (cumulative >= confidence) return k;
  }
  return last;  // rounding left the running sum just short of confidence
}

// ---- TileHistogram: the fraction of aligned tiles holding k nonzeros.

double TileHistogram::ProbEmpty() const {
  int64_t nonempty = 0;
  for (const auto& [k, n] : count_by_k) nonempty += n;
  return static_cast<double>(total_tiles - nonempty) / static_cast<double>(total_tiles);
}

double TileHistogram::Expected() const {
  return static_cast<double>(total_nonzeros) / static_cast<double>(total_tiles);
}

void TileHistogram::Fill(int64_t tile_size, std::vector<double>& p) const {
  p.assign(static_cast<size_t>(std::max<int64_t>(tile_size, 0)) + 1, 0.0);
  p[0] = ProbEmpty();
  const double total = static_cast<double>(total_tiles);
  for (const auto& [k, n] : count_by_k) {
    if (k < static_cast<int64_t>(p.size())) p[k] = static_cast<double>(n) / total;
  }
}

int64_t TileHistogram::Quantile(double confidence) const {
  if (count_by_k.empty()) return 0;
  if (confidence >= 1.0) return count_by_k.back().first;
  const double needed = confidence * static_cast<double>(total_tiles);
  int64_t seen = total_tiles;  // tiles with occupancy <= k; starts at the empty ones
  for (const auto& [k, n] : count_by_k) seen -= n;
  if (static_cast<double>(seen) >= needed) return 0;
  for (const auto& [k, n] : count_by_k) {
    seen += n;
    if (static_cast<double>(seen) >= needed) return k;
  }
  return count_by_k.back().first;
}

std::vector<int64_t> ClampTile(const TileShape& tile, const std::vector<int64_t>& tensor_extent) {
  std::vector<int64_t> out(tensor_extent.size(), 1);
  for (size_t r = 0; r < out.size(); ++r) {
    if (static_cast<int>(r) < tile.num_ranks) {
      out[r] = std::clamp<int64_t>(tile.extent[r], 1, std::max<int64_t>(tensor_extent[r], 1));
    }
  }
  return out;
}

// ---- Factory table.

const std::map<std::string, DensityFactory>& DensityModelTable() {
  static const std::map<std::string, DensityFactory> table = {
      {"dense", MakeDenseModel},
      {"fixed_structured", MakeFixedStructuredModel},
      {"hypergeometric", MakeHypergeometricModel},
      {"uniform", MakeHypergeometricModel},
      {"banded", MakeBandedModel},
      {"actual_data", MakeActualDataModel},
      {"real_data", MakeActualDataModel},
      {"actual-data", MakeActualDataModel},
  };
  return table;
}

std::unique_ptr<DensityModel> MakeDensityModel(const DensityContext& context) {
  if (context.spec == nullptr || context.spec->distribution.empty()) {
    return MakeDenseModel(context);
  }
  const spec::DensitySpec& spec = *context.spec;
  if (!(spec.density >= 0.0 && spec.density <= 1.0)) {  // also rejects NaN
    throw spec::SpecError(spec.loc, "density must be between 0 and 1, got " +
                                        std::to_string(spec.density));
  }
  for (int64_t e : context.tensor_extent) {
    if (e < 1) throw spec::SpecError(spec.loc, "tensor extents must be positive");
  }
  // Spellings: case-insensitive; "-" and "_" interchangeable ("real-data").
  std::string name = spec.distribution;
  for (char& c : name) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (c == '-') c = '_';
  }
  const auto& table = DensityModelTable();
  auto it = table.find(name);
  if (it == table.end()) {
    std::string valid;
    for (const auto& [key, factory] : table) valid += (valid.empty() ? "" : ", ") + key;
    throw spec::SpecError(spec.loc, "unknown density distribution '" + spec.distribution +
                                        "'; valid names: " + valid);
  }
  return it->second(context);
}

}  // namespace sieve::sparse
