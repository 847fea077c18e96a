// A whole network on one design, layer by layer (sieve/spec/network.hpp):
// each layer searched (or its given mapping evaluated) through RunInputs,
// layers of the same shape and densities searched once, and the network's
// totals aggregated from each layer's best-EDP mapping, weighted by count.
//
// Thread safety: one call at a time; each layer's search uses
// options.threads workers.
#pragma once

#include <cmath>
#include <cstdint>
#include <limits>
#include <functional>
#include <string>
#include <vector>

#include "search/sweep.hpp"
#include "sieve/spec/network.hpp"

namespace sieve::search {

struct LayerOutcome {
  // As PointResult::status, or "interrupted" for layers a stop left unrun.
  std::string status;
  int64_t macs = 0;        // one instance of the layer (the problem's computes)
  double energy_pj = std::numeric_limits<double>::quiet_NaN();  // of the best-EDP mapping
  double cycles = std::numeric_limits<double>::quiet_NaN();
  double edp = std::numeric_limits<double>::quiet_NaN();
  uint64_t evaluations = 0;
  size_t same_as = 0;        // the layer whose search this one reuses (itself if none)
  std::string mapping_yaml;  // the best-EDP mapping ("" without one)
  bool valid() const { return !std::isnan(edp); }
};

struct NetworkTotals {
  double energy_pj = 0;  // sum of count x energy over valid layers
  double cycles = 0;     // sum of count x cycles (layers run one after another)
  double edp = 0;        // energy (J) x cycles of the whole network
  double macs = 0;       // sum of count x macs over all layers
  size_t layers_valid = 0;
};

// The files of layer `i`: the design's, plus mappings_dir/<name>.map.yaml
// when that exists (the layer's mapping is then fixed).
std::vector<std::string> LayerFiles(const spec::Network& net, size_t i, const std::vector<std::string>& design_files,
                                    const std::string& mappings_dir);

// Runs every layer; on_layer (may be empty) is called after each.
std::vector<LayerOutcome> RunNetworkLayers(const spec::Network& net, const std::vector<std::string>& design_files,
                                           const std::string& mappings_dir, const spec::SweepSearch& search,
                                           const PointOptions& options,
                                           const std::function<void(size_t, const LayerOutcome&)>& on_layer);

NetworkTotals Aggregate(const spec::Network& net, const std::vector<LayerOutcome>& layers);

// The results file of `sieve network` (README "Whole networks"): root
// attributes (tool_version, network, network_yaml, design_files, strategy,
// seed, max_evaluations, objectives, layers_valid, layers_total,
// total_macs, total_energy_pj, total_cycles, total_edp) and the table
// /layers (layer, name, count, one column per instance key, density_<tensor>,
// status, macs, energy_pj, cycles, edp, evaluations, same_as, mapping).
// Written to a temporary name and renamed. Throws std::runtime_error.
void WriteNetworkFile(const std::string& path, const std::string& tool_version, const spec::Network& net,
                      const std::vector<std::string>& design_files, const std::vector<LayerOutcome>& layers,
                      const NetworkTotals& t, const spec::SweepSearch& s);

}  // namespace sieve::search
