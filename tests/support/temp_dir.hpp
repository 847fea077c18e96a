// A fresh scratch folder for one test, removed with everything in it when the
// object goes out of scope.
//
// The folder is made by mkdtemp(3) under $TMPDIR (else /tmp) and named after
// the running test plus a random suffix, e.g.
// /tmp/sieve_JointCount.DataLayoutReadsAColumnMajorFile.a1B2c3, so tests run
// in parallel (ctest -j), or by two users at once, never share a path, and a
// folder left by a crashed run is never reused.
#pragma once

#include <gtest/gtest.h>
#include <stdlib.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <system_error>
#include <vector>

namespace sieve::testing {

class TempDir {
 public:
  // `label` names the folder when no test is running (or adds to the test's name).
  explicit TempDir(const std::string& label = "") {
    std::string name = "sieve";
    if (const auto* info = ::testing::UnitTest::GetInstance()->current_test_info()) {
      name += std::string("_") + info->test_suite_name() + "." + info->name();
    }
    if (!label.empty()) name += "_" + label;
    for (char& c : name) {
      const bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                         c == '_' || c == '.' || c == '-';
      if (!plain) c = '_';
    }
    if (name.size() > 120) name.resize(120);  // well below NAME_MAX with the suffix
    const char* tmpdir = std::getenv("TMPDIR");
    const std::filesystem::path base = tmpdir != nullptr && *tmpdir != '\0' ? tmpdir : "/tmp";
    std::string pattern = (base / (name + ".XXXXXX")).string();
    std::vector<char> buffer(pattern.begin(), pattern.end());
    buffer.push_back('\0');
    if (::mkdtemp(buffer.data()) == nullptr) {
      const int error = errno;
      throw std::runtime_error("cannot create a temporary folder " + pattern + ": " + std::strerror(error));
    }
    path_ = buffer.data();
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  // A path inside the folder (not created).
  std::filesystem::path operator/(const std::filesystem::path& name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

}  // namespace sieve::testing
