// Technology parsing and per-node scaling (technology.hpp).
//
// Why interpolate linearly in nm between listed nodes: the published data
// (Stillmaker & Baas 2017) gives fits at discrete nodes only, and a node
// such as 40 nm sits between 45 and 32; linear interpolation is the
// simplest rule that is continuous and exact at the listed nodes.
#include "sieve/energy/technology.hpp"

#include <cctype>
#include <cmath>
#include <cstdlib>
#include <string>

namespace sieve::energy {
namespace {

double NodeEnergy(const spec::TechnologyScaling& s, const spec::TechnologyNode& n) {
  return n.energy_poly[0] * s.vdd * s.vdd + n.energy_poly[1] * s.vdd + n.energy_poly[2];
}

// Per-node factor at `nm` (energy when `energy` is true, else area),
// interpolated between listed nodes and extrapolated beyond them.
double FactorAt(const spec::TechnologyScaling& s, double nm, bool energy) {
  auto value = [&](const spec::TechnologyNode& n) { return energy ? NodeEnergy(s, n) : n.area_factor; };
  const spec::TechnologyNode& largest = s.nodes.front();
  const spec::TechnologyNode& smallest = s.nodes.back();
  if (nm >= largest.nm) {
    const double ratio = nm / largest.nm;
    return value(largest) * (energy ? std::sqrt(ratio) : ratio);
  }
  if (nm <= smallest.nm) {
    const double ratio = nm / smallest.nm;
    return value(smallest) * (energy ? std::sqrt(ratio) : ratio);
  }
  for (size_t i = 0; i + 1 < s.nodes.size(); ++i) {
    const spec::TechnologyNode& big = s.nodes[i];
    const spec::TechnologyNode& small = s.nodes[i + 1];
    if (nm <= big.nm && nm >= small.nm) {
      const double t = (big.nm - nm) / (big.nm - small.nm);
      return value(big) * (1 - t) + value(small) * t;
    }
  }
  return value(smallest);  // unreachable: the nodes are sorted
}

}  // namespace

std::optional<double> ParseTechnologyNm(std::string_view text) {
  std::string s;
  for (char c : text)
    if (!std::isspace(static_cast<unsigned char>(c)) && c != '"' && c != '\'') s += static_cast<char>(std::tolower(c));
  if (s.empty()) return std::nullopt;
  double unit_nm = 0;  // 0 = bare number
  for (auto [suffix, scale] : {std::pair<const char*, double>{"nm", 1.0}, {"um", 1000.0}}) {
    const std::string suf(suffix);
    if (s.size() > suf.size() && s.compare(s.size() - suf.size(), suf.size(), suf) == 0) {
      s.resize(s.size() - suf.size());
      unit_nm = scale;
      break;
    }
  }
  char* end = nullptr;
  const double v = std::strtod(s.c_str(), &end);
  if (end != s.c_str() + s.size() || !std::isfinite(v) || v <= 0) return std::nullopt;
  if (unit_nm > 0) return v * unit_nm;
  return v < 1e-3 ? v * 1e9 : v;  // a bare number below 1e-3 is in metres
}

double EnergyScale(const spec::TechnologyScaling& scaling, double from_nm, double to_nm) {
  if (from_nm == to_nm) return 1.0;
  return FactorAt(scaling, to_nm, true) / FactorAt(scaling, from_nm, true);
}

double AreaScale(const spec::TechnologyScaling& scaling, double from_nm, double to_nm) {
  if (from_nm == to_nm) return 1.0;
  return FactorAt(scaling, to_nm, false) / FactorAt(scaling, from_nm, false);
}

}  // namespace sieve::energy
