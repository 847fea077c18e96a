// SpecError: the one exception type for bad input.
//
// Contract: what() reads "FILE:LINE: KEY.PATH: message" (line omitted when
// unknown, key path omitted when empty), so a user can jump to the spot.
// Thrown only while loading specs; the evaluator never throws it for a
// mapping that merely does not fit (that is a Result with valid == false).
#pragma once

#include <stdexcept>
#include <string>

namespace sieve::spec {

// Where a value came from in the user's files. line is 1-based; 0 = unknown.
struct SourceLoc {
  std::string file;
  int line = 0;
  std::string key_path;  // e.g. "architecture.subtree[0].local[2].attributes.depth"
};

class SpecError : public std::runtime_error {
 public:
  SpecError(const SourceLoc& loc, const std::string& message);
  explicit SpecError(const std::string& message) : std::runtime_error(message) {}

  const SourceLoc& loc() const { return loc_; }

 private:
  SourceLoc loc_;
};

std::string FormatLoc(const SourceLoc& loc);

}  // namespace sieve::spec
