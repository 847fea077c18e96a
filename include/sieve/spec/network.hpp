// Network: a DNN as a list of layers in the 7-D CONV form (configs/workloads,
// README "Whole networks"), run layer by layer on one design by
// `sieve network` and `sieve bench cphc`.
//
//   network:
//     name: resnet50
//     densities: {Weights: 1.0, Inputs: 0.5}    # default for every layer
//     layers:
//       - name: conv1
//         instance: {C: 3, M: 64, R: 7, S: 7, N: 1, P: 112, Q: 112, Wstride: 2, Hstride: 2}
//         densities: {Inputs: 1.0}               # per layer, over the default
//         count: 1                               # identical layers in the network
//
// A layer becomes the design's problem through overrides of
// problem.instance.<key> (each instance key) and
// problem.instance.densities.<tensor>.density, so the design's problem
// block fixes the shape (dimension and data-space names) and the density
// distributions.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "sieve/spec/error.hpp"
#include "sieve/spec/spec.hpp"

namespace sieve::spec {

struct NetworkLayer {
  std::string name;
  std::vector<std::pair<std::string, int64_t>> instance;  // in file order
  std::map<std::string, double> densities;                // the default merged in
  int64_t count = 1;
  SourceLoc loc;
};

struct Network {
  std::string path;
  std::string text;  // verbatim
  std::string name;
  std::vector<NetworkLayer> layers;

  // The overrides that make `layer` the design's problem.
  std::vector<Override> LayerOverrides(size_t layer) const;
};

// Reads and checks a network file: known keys only, unique layer names,
// positive instance values, densities in [0, 1], count >= 1. Throws
// SpecError (file:line:key).
Network LoadNetwork(const std::string& path);

}  // namespace sieve::spec
