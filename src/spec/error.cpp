// SpecError and FormatLoc: "FILE:LINE: KEY.PATH: message" (see error.hpp).
#include "sieve/spec/error.hpp"

namespace sieve::spec {
namespace {

std::string Compose(const SourceLoc& loc, const std::string& message) {
  const std::string where = FormatLoc(loc);
  return where.empty() ? message : where + ": " + message;
}

}  // namespace

SpecError::SpecError(const SourceLoc& loc, const std::string& message)
    : std::runtime_error(Compose(loc, message)), loc_(loc) {}

std::string FormatLoc(const SourceLoc& loc) {
  std::string out = loc.file;
  if (loc.line > 0) {
    out.push_back(':');
    out.append(std::to_string(loc.line));
  }
  if (!loc.key_path.empty()) {
    if (!out.empty()) out.append(": ");
    out.append(loc.key_path);
  }
  return out;
}

}  // namespace sieve::spec
