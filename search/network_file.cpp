#include "search/network.hpp"

#include <hdf5.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <random>

#include "search/hdf5_tables.hpp"

namespace sieve::search {

namespace fs = std::filesystem;

void WriteNetworkFile(const std::string& path, const std::string& tool_version, const spec::Network& net, const std::vector<std::string>& design_files,
                      const std::vector<LayerOutcome>& layers, const NetworkTotals& t, const spec::SweepSearch& s) {
  using h5::Column;
  std::random_device rd;
  const std::string tmp = path + "." + std::to_string(::getpid()) + "." + std::to_string(rd()) + ".tmp";
  try {
    h5::Id file = h5::NewFile(tmp);
    const hid_t root = file.get();
    h5::WriteStringAttribute(root, "tool_version", tool_version, tmp);
    h5::WriteStringAttribute(root, "network", net.name, tmp);
    h5::WriteStringAttribute(root, "network_yaml", net.text, tmp);
    std::string files;
    for (const std::string& f : design_files) files += (files.empty() ? "" : ",") + f;
    h5::WriteStringAttribute(root, "design_files", files, tmp);
    h5::WriteStringAttribute(root, "strategy", s.strategy, tmp);
    h5::WriteUint64Attribute(root, "seed", s.seed, tmp);
    h5::WriteUint64Attribute(root, "max_evaluations", s.max_evaluations, tmp);
    h5::WriteStringAttribute(root, "objectives", s.objectives, tmp);
    h5::WriteUint64Attribute(root, "layers_valid", t.layers_valid, tmp);
    h5::WriteUint64Attribute(root, "layers_total", layers.size(), tmp);
    h5::WriteUint64Attribute(root, "total_macs", static_cast<uint64_t>(t.macs), tmp);
    for (const auto& [name, v] : std::vector<std::pair<const char*, double>>{
             {"total_energy_pj", t.energy_pj}, {"total_cycles", t.cycles}, {"total_edp", t.edp}}) {
      h5::Id space(H5Screate(H5S_SCALAR), "H5Screate", tmp);
      h5::Id attr(H5Acreate2(root, name, H5T_NATIVE_DOUBLE, space.get(), H5P_DEFAULT, H5P_DEFAULT), "H5Acreate2",
                  tmp);
      h5::Check(H5Awrite(attr.get(), H5T_NATIVE_DOUBLE, &v), "writing an attribute", tmp);
    }
    auto col = [](Column::Kind kind, std::string name) {
      Column c;
      c.kind = kind;
      c.name = std::move(name);
      return c;
    };
    // Instance keys as the network gives them (union, in first-seen order).
    std::vector<std::string> keys;
    for (const spec::NetworkLayer& l : net.layers)
      for (const auto& [k, v] : l.instance)
        if (std::find(keys.begin(), keys.end(), k) == keys.end()) keys.push_back(k);
    std::vector<std::string> tensors;
    for (const spec::NetworkLayer& l : net.layers)
      for (const auto& [k, v] : l.densities)
        if (std::find(tensors.begin(), tensors.end(), k) == tensors.end()) tensors.push_back(k);
    std::vector<Column> cols{col(Column::kU64, "layer"), col(Column::kStr, "name"), col(Column::kU64, "count")};
    for (const std::string& k : keys) cols.push_back(col(Column::kU64, k));
    for (const std::string& t : tensors) cols.push_back(col(Column::kF64, "density_" + t));
    const size_t rest = cols.size();
    cols.push_back(col(Column::kStr, "status"));
    cols.push_back(col(Column::kU64, "macs"));
    for (const char* n : {"energy_pj", "cycles", "edp"}) cols.push_back(col(Column::kF64, n));
    cols.push_back(col(Column::kU64, "evaluations"));
    cols.push_back(col(Column::kU64, "same_as"));
    cols.push_back(col(Column::kStr, "mapping"));
    for (size_t i = 0; i < layers.size(); ++i) {
      const spec::NetworkLayer& l = net.layers[i];
      const LayerOutcome& o = layers[i];
      cols[0].u64.push_back(i);
      cols[1].str.push_back(l.name);
      cols[2].u64.push_back(static_cast<uint64_t>(l.count));
      size_t k = 3;
      for (const std::string& key : keys) {
        uint64_t v = 0;
        for (const auto& [kk, vv] : l.instance)
          if (kk == key) v = static_cast<uint64_t>(vv);
        cols[k++].u64.push_back(v);
      }
      for (const std::string& t : tensors) {
        auto it = l.densities.find(t);
        cols[k++].f64.push_back(it == l.densities.end() ? std::nan("") : it->second);
      }
      k = rest;
      cols[k++].str.push_back(o.status);
      cols[k++].u64.push_back(static_cast<uint64_t>(o.macs));
      cols[k++].f64.push_back(o.energy_pj);
      cols[k++].f64.push_back(o.cycles);
      cols[k++].f64.push_back(o.edp);
      cols[k++].u64.push_back(o.evaluations);
      cols[k++].u64.push_back(o.same_as);
      cols[k++].str.push_back(o.mapping_yaml);
    }
    h5::WriteColumns(root, "layers", cols, tmp);
    file.Close(tmp);
    h5::SyncToDisk(tmp);
    fs::rename(tmp, path);
  } catch (...) {
    std::error_code ignored;
    fs::remove(tmp, ignored);
    throw;
  }
}

}  // namespace sieve::search
