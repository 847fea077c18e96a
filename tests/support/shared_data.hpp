// The optional reference-data folder (../shared beside the source tree in
// CI, absent on a user's clone) for tests that read it.
#pragma once

#include <filesystem>
#include <string>

namespace sieve::testing {

inline std::filesystem::path SharedDir() { return std::filesystem::path(SIEVE_SHARED_DIR); }

inline bool HaveSharedReference() {
  return !std::string(SIEVE_SHARED_DIR).empty() &&
         std::filesystem::is_directory(SharedDir() / "reference");
}

}  // namespace sieve::testing

// Skips the calling test, with a message, when the reference data is absent.
#define SKIP_WITHOUT_SHARED()                                                         \
  do {                                                                                \
    if (!::sieve::testing::HaveSharedReference())                                    \
      GTEST_SKIP() << "reference data folder not found (SIEVE_SHARED_DIR="            \
                   << SIEVE_SHARED_DIR << "); skipped";                               \
  } while (0)
