#include "sieve/report/map_yaml.hpp"

namespace sieve::report {
namespace {

std::string Factors(const spec::Workload& w, const std::vector<int64_t>& f,
                    const std::vector<int>& order) {
  std::string out;
  for (int d : order) out += (out.empty() ? "" : " ") + w.dim_names[d] + "=" + std::to_string(f[d]);
  return out;
}

std::string Permutation(const spec::Workload& w, const std::vector<int>& order) {
  // Multi-letter dimension names need separators to be read back unambiguously.
  bool single = true;
  for (const std::string& n : w.dim_names) single = single && n.size() == 1;
  std::string out;
  for (int d : order) out += (single || out.empty() ? "" : " ") + w.dim_names[d];
  return out;
}

std::string NameList(const spec::Workload& w, const std::vector<bool>& keep, bool kept) {
  std::string out;
  for (size_t ds = 0; ds < keep.size(); ++ds) {
    if (keep[ds] == kept) out += (out.empty() ? "" : ", ") + w.data_spaces[ds].name;
  }
  return "[" + out + "]";
}

}  // namespace

std::string MappingYaml(const spec::Workload& w, const spec::Arch& arch,
                        const spec::Mapping& m) {
  std::string out = "mapping:\n";
  for (int l = static_cast<int>(m.levels.size()) - 1; l >= 0; --l) {
    const spec::LevelMapping& lm = m.levels[l];
    const std::string& target = arch.levels[l].name;
    out += "  - target: " + target + "\n    type: datatype\n";
    out += "    keep: " + NameList(w, lm.keep, true) + "\n";
    out += "    bypass: " + NameList(w, lm.keep, false) + "\n";
    bool fans_out = false;
    for (int64_t f : lm.spatial_factors) fans_out = fans_out || f > 1;
    if (fans_out) {
      out += "  - target: " + target + "\n    type: spatial\n";
      out += "    factors: " + Factors(w, lm.spatial_factors, lm.spatial_order) + "\n";
      out += "    permutation: " + Permutation(w, lm.spatial_order) + "\n";
      out += "    split: " + std::to_string(lm.spatial_split) + "\n";
      bool any_no_link = false;
      for (bool b : lm.no_link_transfer) any_no_link = any_no_link || b;
      if (any_no_link) out += "    no_link_transfer: " + NameList(w, lm.no_link_transfer, true) + "\n";
    }
    out += "  - target: " + target + "\n    type: temporal\n";
    out += "    factors: " + Factors(w, lm.temporal_factors, lm.temporal_order) + "\n";
    out += "    permutation: " + Permutation(w, lm.temporal_order) + "\n";
  }
  return out;
}

}  // namespace sieve::report
