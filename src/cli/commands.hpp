// Subcommands of the `sieve` command line. Each registers its options on a
// CLI11 app and returns the process exit code when run:
//   0 success, 2 bad input (message names file, line, key path), 1 other.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>

namespace sieve::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;
inline constexpr int kExitBadInput = 2;

// Adds `model` to `app`; *run is set to the function that executes it.
void AddModelCommand(CLI::App& app, std::function<int()>* run);
// Adds `search`.
void AddSearchCommand(CLI::App& app, std::function<int()>* run);
// Adds `energy` (write ERT.yaml/ART.yaml, estimating what no given table lists).
void AddEnergyCommand(CLI::App& app, std::function<int()>* run);
// Adds `decode` (the map.yaml of a mapping id of a search's mapspace).
void AddDecodeCommand(CLI::App& app, std::function<int()>* run);
void AddSweepCommand(CLI::App& app, std::function<int()>* run);  // sweep and merge
void AddNetworkCommand(CLI::App& app, std::function<int()>* run);
void AddBenchCommand(CLI::App& app, std::function<int()>* run);  // bench cphc

}  // namespace sieve::cli
