#include "cli/run_control.hpp"

#include <csignal>
#include <ctime>

#include "cli/commands.hpp"

namespace sieve::cli {
namespace {

std::atomic<bool> g_stop{false};
std::atomic<int> g_signal{0};

extern "C" void OnStopSignal(int sig) {
  g_signal.store(sig);
  g_stop.store(true);
}

}  // namespace

std::atomic<bool>& StopFlag() { return g_stop; }
int StopSignal() { return g_signal.load(); }

void InstallStopSignals() {
  std::signal(SIGINT, OnStopSignal);
  std::signal(SIGTERM, OnStopSignal);
}

void RestoreDefaultSignals() {
  std::signal(SIGINT, SIG_DFL);
  std::signal(SIGTERM, SIG_DFL);
}

int ExitCodeAfterSignals() { return StopSignal() != 0 ? 128 + StopSignal() : kExitOk; }

std::string UtcNow() {
  const std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

}  // namespace sieve::cli
