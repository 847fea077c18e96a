// Sweep: a base design and axes of variants, read from a sweep YAML file
// (`sieve sweep SWEEP.yaml`). Every combination of one value per axis is a
// point; a point is the base inputs, plus the files its `files` values add,
// with its `key` and `density` values set over the merged YAML.
//
//   sweep:
//     inputs: [design.yaml, ERT.yaml]       # relative to the sweep file
//     search: {strategy: random, max_evaluations: 2000, objectives: edp, seed: 1}
//     axes:
//       - name: dataflow                    # files: each value adds input files
//         values:
//           - {label: ReuseAZ, files: [reuse_az.map.yaml]}
//       - name: density_A                   # density: problem.instance.densities.<tensor>
//         density: A
//         values: [0.001, 0.01, 0.1]        # or range: {from, to, steps, scale: log|linear}
//       - name: glb_depth                   # key: any value of the merged inputs
//         key: architecture.subtree[0].local[name=shared_glb].attributes.depth
//         values: [4096, 8192]
//
// Point order: mixed radix over the axes in file order, the last axis
// fastest; point i's value of axis a is PointValues(i)[a].
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sieve/spec/error.hpp"
#include "sieve/spec/spec.hpp"

namespace sieve::spec {

struct SweepValue {
  std::string label;             // in /points and plots
  std::optional<double> number;  // set when the value is a number
  std::string text;              // key/density axes: the YAML scalar to set
  std::vector<std::string> files;  // files axes: paths (resolved) this value adds
  SourceLoc loc;
};

enum class SweepAxisKind { kFiles, kDensity, kKey };

struct SweepAxis {
  std::string name;
  SweepAxisKind kind = SweepAxisKind::kFiles;
  std::string tensor;    // density axes
  std::string key_path;  // key axes
  SourceLoc key_loc;     // where `key` or `density` is written
  std::vector<SweepValue> values;
  SourceLoc loc;
  bool numeric() const;  // every value is a number
};

// How each point is searched (the `search` block; flags of `sieve search`).
// A point whose inputs hold a mapping evaluates that mapping instead.
struct SweepSearch {
  std::string strategy = "random";
  uint64_t max_evaluations = 2000;
  double time_limit_s = 0;  // per point; 0 = none
  uint64_t victory = 0;
  std::string objectives = "energy,cycles";
  uint64_t seed = 1;
};

struct SweepSpec {
  std::string path;                 // the sweep file as given
  std::string text;                 // its text, verbatim
  std::vector<std::string> inputs;  // base input files, resolved
  SweepSearch search;
  std::vector<SweepAxis> axes;

  uint64_t NumPoints() const;
  std::vector<int> PointValues(uint64_t point) const;
  // "dataflow=ReuseAZ density_A=0.01"
  std::string PointLabel(uint64_t point) const;
  // The base inputs plus the point's files, in order (paths, not read).
  std::vector<std::string> PointFiles(uint64_t point) const;
  std::vector<Override> PointOverrides(uint64_t point) const;
};

// Reads and checks a sweep file: known keys only (a typo is an error),
// axes with unique names and at least one value, densities in [0, 1], input
// files that exist, at most 1e6 points. Paths are relative to the sweep
// file's folder. Throws SpecError (file:line:key).
SweepSpec LoadSweep(const std::string& path);
// Same from a text (a sweep file's copy kept in its results); with
// check_files false, input files need not exist (merging elsewhere).
SweepSpec LoadSweepText(const std::string& path, const std::string& text, bool check_files);

// Checks that every key and density axis names a value the inputs give, by
// loading the first point that uses each of its values' files. Throws
// SpecError at the axis.
void CheckSweepAxes(const SweepSpec& sweep);

}  // namespace sieve::spec
