// The optional reference-data folder (../shared beside the source tree in
// CI, absent on a user's clone) for tests that read it.
//
// Without it, such tests skip with a message; but when the environment says
// CI=true the folder must be there, and a missing one fails the test instead
// (a CI run whose golden tests silently skipped would prove nothing).
#pragma once

#include <cstdlib>
#include <filesystem>
#include <string>

namespace sieve::testing {

inline std::filesystem::path SharedDir() { return std::filesystem::path(SIEVE_SHARED_DIR); }

inline bool HaveSharedReference() {
  return !std::string(SIEVE_SHARED_DIR).empty() &&
         std::filesystem::is_directory(SharedDir() / "reference");
}

inline bool RunningInCi() {
  const char* ci = std::getenv("CI");
  return ci != nullptr && std::string(ci) == "true";
}

}  // namespace sieve::testing

// Skips the calling test (fails it under CI=true) when `present` is false.
#define SKIP_UNLESS_REFERENCE(present, what)                                              \
  do {                                                                                    \
    if (!(present)) {                                                                     \
      if (::sieve::testing::RunningInCi()) {                                              \
        FAIL() << "CI=true but the reference data is missing: " << what;                  \
      }                                                                                   \
      GTEST_SKIP() << "reference data not found: " << what << "; skipped";               \
    }                                                                                     \
  } while (0)

// Skips the calling test, with a message, when the reference data is absent.
#define SKIP_WITHOUT_SHARED()                                                             \
  SKIP_UNLESS_REFERENCE(::sieve::testing::HaveSharedReference(),                          \
                        "SIEVE_SHARED_DIR=" << SIEVE_SHARED_DIR << " has no reference/")
