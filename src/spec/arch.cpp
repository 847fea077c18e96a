// Arch lookups and the capacity helper (see arch.hpp).
#include "sieve/spec/arch.hpp"

#include <cmath>

namespace sieve::spec {

// depth (in blocks) x block_size words, divided by multiple_buffering and
// floored: the limit the kept tiles are checked against (SEMANTICS
// "Validity": floor(depth * B / multiple_buffering)).
std::optional<int64_t> StorageLevel::CapacityWords() const {
  if (!depth) return std::nullopt;
  const double words = static_cast<double>(*depth) * static_cast<double>(block_size);
  const double buffering = multiple_buffering > 0 ? multiple_buffering : 1.0;
  return static_cast<int64_t>(std::floor(words / buffering + 1e-9));
}

int Arch::LevelIndex(const std::string& name) const {
  for (size_t i = 0; i < levels.size(); ++i)
    if (levels[i].name == name) return static_cast<int>(i);
  return -1;
}

}  // namespace sieve::spec
