#include "search/network.hpp"

#include <filesystem>
#include <map>

namespace sieve::search {

std::vector<std::string> LayerFiles(const spec::Network& net, size_t i, const std::vector<std::string>& design_files,
                                    const std::string& mappings_dir) {
  std::vector<std::string> files = design_files;
  if (!mappings_dir.empty()) {
    const std::filesystem::path map = std::filesystem::path(mappings_dir) / (net.layers[i].name + ".map.yaml");
    std::error_code ec;
    if (std::filesystem::exists(map, ec)) files.push_back(map.string());
  }
  return files;
}

std::vector<LayerOutcome> RunNetworkLayers(const spec::Network& net, const std::vector<std::string>& design_files,
                                           const std::string& mappings_dir, const spec::SweepSearch& search,
                                           const PointOptions& options,
                                           const std::function<void(size_t, const LayerOutcome&)>& on_layer) {
  std::vector<LayerOutcome> out(net.layers.size());
  // Networks repeat shapes (ResNet stages, BERT's 12 encoders): a layer
  // whose inputs and overrides hash like an earlier one's is that layer.
  std::map<std::string, size_t> first_with;
  for (size_t i = 0; i < net.layers.size(); ++i) {
    if (options.stop_requested != nullptr && options.stop_requested->load()) {
      for (size_t j = i; j < out.size(); ++j) out[j].status = "interrupted";
      break;
    }
    const std::vector<spec::InputFile> files = ReadInputFiles(LayerFiles(net, i, design_files, mappings_dir));
    const std::vector<spec::Override> overrides = net.LayerOverrides(i);
    const std::string sha = InputsSha256(files, overrides);
    if (auto it = first_with.find(sha); it != first_with.end()) {
      out[i] = out[it->second];
      out[i].same_as = it->second;
      if (on_layer) on_layer(i, out[i]);
      continue;
    }
    const PointResult r = RunInputs(files, overrides, search, options);
    LayerOutcome& o = out[i];
    o.status = r.finished() ? r.status : "interrupted";
    o.macs = r.algorithmic_computes;
    o.evaluations = r.snapshot.evaluations;
    o.same_as = i;
    for (const ResultRow& row : r.snapshot.best) {
      if (row.metric != "edp") continue;
      o.energy_pj = row.energy_pj;
      o.cycles = row.cycles;
      o.edp = row.edp;
      o.mapping_yaml = row.mapping_yaml;
    }
    if (r.finished()) first_with.emplace(sha, i);
    if (on_layer) on_layer(i, o);
  }
  return out;
}

NetworkTotals Aggregate(const spec::Network& net, const std::vector<LayerOutcome>& layers) {
  NetworkTotals t;
  for (size_t i = 0; i < layers.size(); ++i) {
    const double count = static_cast<double>(net.layers[i].count);
    t.macs += count * static_cast<double>(layers[i].macs);
    if (!layers[i].valid()) continue;
    ++t.layers_valid;
    t.energy_pj += count * layers[i].energy_pj;
    t.cycles += count * layers[i].cycles;
  }
  // The reference's EDP unit: joules times cycles.
  t.edp = t.energy_pj * 1e-12 * t.cycles;
  return t;
}

}  // namespace sieve::search
