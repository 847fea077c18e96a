// libFuzzer target: the YAML spec readers, BuildDesign and, when the input
// carries a mapping, Evaluate.
//
// Input: one or more YAML files separated by a line `#@file` (seeds are
// whole input sets: design, map, ERT, ART). Contract under test: bad input
// ends in spec::SpecError and nothing else (no other exception, no crash,
// no sanitizer report); a design that builds evaluates its mapping without
// throwing, and a valid result has finite, non-negative energy.
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>
#include <string_view>
#include <vector>

#include "sieve/design.hpp"
#include "sieve/evaluator.hpp"
#include "sieve/spec/error.hpp"
#include "sieve/spec/load.hpp"

namespace {

std::vector<sieve::spec::InputFile> SplitFiles(std::string_view all) {
  constexpr std::string_view kSeparator = "#@file\n";
  std::vector<sieve::spec::InputFile> files;
  size_t begin = 0;
  while (true) {
    const size_t at = all.find(kSeparator, begin);
    const std::string_view part = all.substr(begin, at == std::string_view::npos ? all.npos : at - begin);
    files.push_back({"fuzz" + std::to_string(files.size()) + ".yaml", std::string(part)});
    if (at == std::string_view::npos || files.size() >= 8) break;
    begin = at + kSeparator.size();
  }
  return files;
}

[[noreturn]] void Finding(const char* what) {
  std::fprintf(stderr, "spec_fuzz: %s\n", what);
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 64 * 1024) return -1;  // big inputs only slow the search down
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    const sieve::spec::Spec spec = sieve::spec::LoadSpecFromTexts(SplitFiles(text));
    if (spec.workload.bounds.empty() || spec.arch.levels.empty()) return 0;
    const sieve::Design design = sieve::BuildDesign(spec);
    if (!spec.mapping) return 0;
    const sieve::Result r = sieve::Evaluate(design, *spec.mapping);
    if (r.valid() && !(std::isfinite(r.energy_pj) && r.energy_pj >= 0 && r.cycles >= 0)) {
      Finding("a valid result with non-finite or negative energy or cycles");
    }
  } catch (const sieve::spec::SpecError&) {
    // The one way bad input may end.
  } catch (const std::exception& e) {
    std::fprintf(stderr, "spec_fuzz: escaped exception: %s\n", e.what());
    std::abort();
  }
  return 0;
}
