// Access to the reference input sets in ../shared/reference/golden (present
// in CI beside the clone, absent on a user's clone: tests then skip).
#pragma once

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "sieve/spec/load.hpp"
#include "support/shared_data.hpp"

namespace sieve::testing {

inline std::filesystem::path GoldenDir() { return SharedDir() / "reference" / "golden"; }

inline bool HaveGolden() { return std::filesystem::is_directory(GoldenDir()); }

inline constexpr const char* kNoGoldenMessage =
    "expected ../shared/reference/golden beside the source tree";

// The input files of the case in `dir`, in the order the reference run used
// them.
inline std::vector<std::string> GoldenInputsIn(const std::filesystem::path& dir) {
  std::vector<std::string> files = {(dir / "input.yaml").string()};
  if (std::filesystem::exists(dir / "map.yaml")) files.push_back((dir / "map.yaml").string());
  files.push_back((dir / "ERT.yaml").string());
  files.push_back((dir / "ART.yaml").string());
  return files;
}

inline std::vector<std::string> GoldenInputs(const std::string& name) {
  return GoldenInputsIn(GoldenDir() / name);
}

// The wider exercise collection (../shared/reference/timeloop-exercises).
inline std::filesystem::path ExercisesDir() {
  return SharedDir() / "reference" / "timeloop-exercises";
}

// The .yaml files directly in `dir`, sorted; none when it does not exist.
inline std::vector<std::string> YamlFilesIn(const std::filesystem::path& dir) {
  std::vector<std::string> out;
  if (!std::filesystem::is_directory(dir)) return out;
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    if (e.path().extension() == ".yaml") out.push_back(e.path().string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

// A v0.3 tutorial model run: every spec folder merged, then the run's
// ERT/ART; `stats` (optional) receives its published stats file.
inline std::vector<std::string> V03Inputs(const std::string& name, std::string* stats = nullptr) {
  const std::filesystem::path dir = ExercisesDir() / "v03-2021isca" / name;
  std::filesystem::path out = dir / "ref-output";
  if (std::filesystem::is_directory(out / "gating")) out /= "gating";
  std::vector<std::string> files;
  for (const char* sub : {"arch", "components", "prob", "map", "mapping", "sparse-opt", "sparse_opt"}) {
    for (const std::string& f : YamlFilesIn(dir / sub)) files.push_back(f);
  }
  files.push_back((out / "timeloop-model.ERT.yaml").string());
  files.push_back((out / "timeloop-model.ART.yaml").string());
  if (stats != nullptr) *stats = (out / "timeloop-model.stats.txt").string();
  return files;
}

}  // namespace sieve::testing
