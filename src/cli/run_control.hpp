// What the long-running commands (search, sweep) share: stopping cleanly on
// SIGINT/SIGTERM, and timestamps for their results files.
//
// The stop flag is process-wide because a signal handler can reach nothing
// else; commands poll it (the search driver reads it between chunks) and
// exit with 128 + the signal's number once their results are written.
#pragma once

#include <atomic>
#include <string>

namespace sieve::cli {

// Set by the handlers InstallStopSignals() installs (or by a command that
// must stop, e.g. when its results writer failed).
std::atomic<bool>& StopFlag();
// The signal that set the flag, 0 if none.
int StopSignal();
// Handlers for SIGINT and SIGTERM that set the flag; RestoreDefaultSignals
// puts the default actions back.
void InstallStopSignals();
void RestoreDefaultSignals();
// The exit code for a command that ran to its end: 128 + signal if one
// stopped it, else 0.
int ExitCodeAfterSignals();

// "2026-12-03T11:44:08Z".
std::string UtcNow();

}  // namespace sieve::cli
