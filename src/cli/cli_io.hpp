// Input and output helpers shared by the subcommands.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "sieve/spec/spec.hpp"

namespace sieve::cli {

// Loads the input files, logging the loader's warnings. Throws
// spec::SpecError (exit code 2) for a missing file or bad input.
spec::Spec LoadInputs(const std::vector<std::string>& files);

// Writes `text` to `path`; throws std::runtime_error naming the path.
void WriteTextFile(const std::filesystem::path& path, const std::string& text);

}  // namespace sieve::cli
