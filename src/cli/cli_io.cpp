#include "cli/cli_io.hpp"

#include <spdlog/spdlog.h>

#include <fstream>
#include <stdexcept>

#include "sieve/spec/error.hpp"
#include "sieve/spec/load.hpp"

namespace sieve::cli {

spec::Spec LoadInputs(const std::vector<std::string>& files) {
  for (const std::string& f : files) {
    if (!std::filesystem::is_regular_file(f) && !std::filesystem::is_directory(f)) {
      throw spec::SpecError(spec::SourceLoc{f, 0, ""}, "no such input file or design directory");
    }
  }
  spec::Spec spec = spec::LoadSpec(files);
  for (const std::string& w : spec.warnings) spdlog::warn("{}", w);
  return spec;
}

void WriteTextFile(const std::filesystem::path& path, const std::string& text) {
  std::ofstream out(path);
  out << text;
  if (!out) throw std::runtime_error("cannot write " + path.string());
}

}  // namespace sieve::cli
