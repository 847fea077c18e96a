// SHA-256 of a search's inputs (every input file's path-independent text,
// in order), identifying the configuration in results and checkpoints.
#pragma once

#include <string>
#include <vector>

#include "sieve/spec/spec.hpp"

namespace sieve::search {

std::string Sha256Hex(const std::string& data);

// Hash of the input texts in order (file names excluded, so a moved copy of
// the same inputs hashes the same).
std::string ConfigSha256(const std::vector<spec::InputFile>& inputs);

// The input files concatenated, each preceded by a "# file: PATH" line.
std::string InputsText(const std::vector<spec::InputFile>& inputs);

}  // namespace sieve::search
