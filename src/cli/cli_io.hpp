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

// Warnings (file:line: key: ...) for sparse optimizations on a data space
// that spec.mapping bypasses at the targeted storage level: legal (the
// model then applies a SAF at the next level up that keeps the data space,
// and a format nowhere) but seldom what was meant. Empty without a mapping.
std::vector<std::string> BypassedSparseTargets(const spec::Spec& spec);

// Writes `text` to `path`; throws std::runtime_error naming the path.
void WriteTextFile(const std::filesystem::path& path, const std::string& text);

// Refuses (spec::SpecError, exit 2; the message names `flag` and the path)
// an output file path that exists and is not a regular file (a folder,
// /dev/null or another device: replacing it would destroy it), or whose
// folder does not exist or is not writable. Run before any work.
void CheckOutputFile(const std::string& path, const std::string& flag);

// An exclusive lock on PATH, held from construction to destruction, so two
// runs never write the same output: flock(2) on PATH.lock (which holds the
// holder's pid). The kernel drops the lock when its holder dies, so a lock
// file left by a killed run is simply taken over (an info line says so).
// The destructor removes PATH.lock. Throws spec::SpecError (exit 2) when
// another live process holds the lock or PATH.lock cannot be created.
class OutputLock {
 public:
  OutputLock(const std::string& path, const std::string& flag);
  ~OutputLock();
  OutputLock(const OutputLock&) = delete;
  OutputLock& operator=(const OutputLock&) = delete;

 private:
  std::string lock_path_;
  int fd_ = -1;
};

}  // namespace sieve::cli
