// A hand-built design used by several unit tests: the 1-D convolution with
// output channels of SEMANTICS' worked example (C32 K32 R3 P16), on
// MainMemory -> (16x fan-out) -> GlobalBuffer -> RegisterFile -> MACC.
// Built in code (no YAML) so the model's tests stand without reference data.
#pragma once

#include <algorithm>
#include <optional>
#include <string>

#include "sieve/spec/spec.hpp"

namespace sieve::testing {

inline spec::LevelMapping LevelMap(const spec::Workload& w, const std::string& temporal,
                                   const std::string& spatial, bool keep_all) {
  const int dims = static_cast<int>(w.dim_names.size());
  spec::LevelMapping m;
  m.temporal_factors.assign(dims, 1);
  m.spatial_factors.assign(dims, 1);
  // "P16" / "R3 K2 C32": dim letter then bound, innermost first.
  auto parse = [&](const std::string& text, std::vector<int64_t>& factors, std::vector<int>& order) {
    size_t i = 0;
    while (i < text.size()) {
      if (text[i] == ' ') { ++i; continue; }
      const int d = w.DimIndex(std::string(1, text[i]));
      size_t j = i + 1;
      while (j < text.size() && text[j] != ' ') ++j;
      factors[d] = std::stoll(text.substr(i + 1, j - i - 1));
      order.push_back(d);
      i = j;
    }
    for (int d = 0; d < dims; ++d) {
      if (std::find(order.begin(), order.end(), d) == order.end()) order.push_back(d);
    }
  };
  parse(temporal, m.temporal_factors, m.temporal_order);
  parse(spatial, m.spatial_factors, m.spatial_order);
  m.spatial_split = dims;
  m.keep.assign(w.data_spaces.size(), keep_all);
  return m;
}

inline spec::Spec T04Design() {
  spec::Spec s;
  spec::Workload& w = s.workload;
  w.name = "Conv1D_OC";
  w.dim_names = {"C", "K", "R", "P"};
  w.bounds = {32, 32, 3, 16};
  w.data_spaces = {
      {"Weights", {{{0, 1}}, {{1, 1}}, {{2, 1}}}, false},
      {"Inputs", {{{0, 1}}, {{2, 1}, {3, 1}}}, false},
      {"Outputs", {{{1, 1}}, {{3, 1}}}, true},
  };
  auto storage = [](std::string name, int64_t instances, std::optional<int64_t> depth,
                    int64_t block) {
    spec::StorageLevel l;
    l.name = name;
    l.cls = "SRAM";
    l.instances = instances;
    l.mesh_x = instances;
    l.depth = depth;
    l.block_size = block;
    l.word_bits = 8;
    return l;
  };
  spec::StorageLevel rf = storage("RegisterFile", 16, 64, 1);
  spec::StorageLevel glb = storage("GlobalBuffer", 16, 32768, 8);
  spec::StorageLevel inter = storage("inter_PE_spatial", 1, 1, 1);
  inter.is_dummy = true;
  spec::StorageLevel dram = storage("MainMemory", 1, std::nullopt, 32);
  dram.is_dram = true;
  s.arch.levels = {rf, glb, inter, dram};
  s.arch.compute.name = "MACC";
  s.arch.compute.instances = 16;
  s.arch.compute.mesh_x = 16;

  spec::Mapping m;
  m.levels.push_back(LevelMap(w, "P16", "", true));
  m.levels.push_back(LevelMap(w, "R3 K2 C32", "", true));
  m.levels.push_back(LevelMap(w, "", "K16", false));
  m.levels.push_back(LevelMap(w, "", "", true));
  s.mapping = m;

  s.ert.energy_pj["MainMemory"] = {{"read", 2048.0}, {"write", 2048.0}, {"update", 2048.0}};
  s.ert.energy_pj["GlobalBuffer"] = {
      {"read", 43.353054}, {"write", 30.878292}, {"update", 30.878292}, {"leak", 0.007972}};
  s.ert.energy_pj["RegisterFile"] = {
      {"read", 0.42564}, {"write", 0.42564}, {"update", 0.42564}, {"leak", 0.000861}};
  s.ert.energy_pj["MACC"] = {{"compute", 0.845}};
  return s;
}

}  // namespace sieve::testing
