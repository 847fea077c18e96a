// sieve: analytical model and mapspace explorer for sparse tensor
// accelerators. Entry point: dispatches to subcommands and maps failures to
// exit codes (0 ok, 2 bad input, 1 anything else).
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <exception>
#include <functional>

#include "cli/commands.hpp"
#include "sieve/spec/error.hpp"

int main(int argc, char** argv) {
  CLI::App app{"sieve: analytical model and mapspace explorer for sparse tensor accelerators"};
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string(SIEVE_VERSION));
  std::function<int()> run;
  sieve::cli::AddModelCommand(app, &run);
  sieve::cli::AddSearchCommand(app, &run);
  sieve::cli::AddEnergyCommand(app, &run);
  sieve::cli::AddDecodeCommand(app, &run);
  sieve::cli::AddSweepCommand(app, &run);
  sieve::cli::AddNetworkCommand(app, &run);
  sieve::cli::AddBenchCommand(app, &run);
  // Diagnostics go to stderr so stdout carries only results.
  spdlog::set_default_logger(spdlog::stderr_color_mt("sieve"));
  spdlog::set_pattern("%^[%l]%$ %v");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? sieve::cli::kExitOk : sieve::cli::kExitBadInput;
  }
  try {
    return run();
  } catch (const sieve::spec::SpecError& e) {
    spdlog::error("{}", e.what());
    return sieve::cli::kExitBadInput;
  } catch (const std::exception& e) {
    spdlog::error("{}", e.what());
    return sieve::cli::kExitFailure;
  }
}
