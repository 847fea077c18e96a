// Access to the reference input sets in ../shared/reference/golden (present
// in CI beside the clone, absent on a user's clone: tests then skip).
#pragma once

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

}  // namespace sieve::testing
