// `sieve model FILES... [-o DIR]`: evaluate the one mapping given in the
// input files and write DIR/sieve.stats.json and DIR/sieve.stats.txt.
#include <spdlog/spdlog.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "cli/cli_io.hpp"
#include "cli/commands.hpp"
#include "cli/energy_table_option.hpp"
#include "sieve/evaluator.hpp"
#include "sieve/report/stats.hpp"
#include "sieve/spec/error.hpp"
#include "sieve/spec/load.hpp"

namespace sieve::cli {
namespace {

struct ModelOptions {
  std::vector<std::string> files;
  std::string out_dir = ".";
  std::string halo_rule = "2025";
  std::string energy_table;
  bool quiet = false;
};


int RunModel(const ModelOptions& opt) {
  const spec::Spec spec = LoadInputs(opt.files);
  const std::vector<std::string> bypassed = BypassedSparseTargets(spec);
  for (const std::string& w : bypassed) spdlog::warn("{}", w);
  if (!spec.mapping) {
    std::string files;
    for (const spec::InputFile& f : spec.inputs) files += (files.empty() ? "" : ", ") + f.path;
    throw spec::SpecError(spec::SourceLoc{files, 0, "mapping"},
                          "no mapping in the inputs (none of the files has a non-empty `mapping` "
                          "section): give a map.yaml");
  }
  DesignOptions design_options;
  design_options.halo_rule =
      opt.halo_rule == "pre2025" ? dense::HaloRule::kPre2025 : dense::HaloRule::k2025;
  design_options.energy_library = EnergyTableFromOption(opt.energy_table);
  const Design design = BuildDesign(spec, design_options);
  for (const std::string& w : design.warnings) spdlog::warn("{}", w);
  if (!opt.quiet)
    for (const std::string& n : design.energy_notes) std::cout << "note: " << n << "\n";
  Result result;
  auto scratch = std::make_unique<Scratch>();
  Evaluate(design, *spec.mapping, *scratch, result);

  std::vector<std::string> warnings = spec.warnings;
  warnings.insert(warnings.end(), bypassed.begin(), bypassed.end());
  warnings.insert(warnings.end(), design.warnings.begin(), design.warnings.end());
  warnings.insert(warnings.end(), design.energy_notes.begin(), design.energy_notes.end());
  std::filesystem::create_directories(opt.out_dir);
  const std::filesystem::path dir(opt.out_dir);
  WriteTextFile(dir / "sieve.stats.json", report::StatsJson(spec, result, warnings, &scratch->sparse));
  WriteTextFile(dir / "sieve.stats.txt", report::StatsText(spec, result));
  if (!opt.quiet) {
    std::cout << report::SummaryTable(spec, result);
    std::cout << "wrote " << (dir / "sieve.stats.json").string() << " and "
              << (dir / "sieve.stats.txt").string() << "\n";
  }
  return kExitOk;
}

}  // namespace

void AddModelCommand(CLI::App& app, std::function<int()>* run) {
  auto opt = std::make_shared<ModelOptions>();
  CLI::App* cmd = app.add_subcommand("model", "Evaluate one mapping of a design");
  cmd->add_option("files", opt->files,
                  "Timeloop-format YAML inputs (architecture, problem, mapping, ERT, ART, ...)")
      ->required();
  cmd->add_option("-o,--output", opt->out_dir, "Directory for sieve.stats.json/.txt")
      ->capture_default_str();
  cmd->add_option("--halo-rule", opt->halo_rule,
                  "Sliding-window reuse rule: 2025 (current) or pre2025 (older outputs)")
      ->check(CLI::IsMember({"2025", "pre2025"}))
      ->capture_default_str();
  AddEnergyTableOption(cmd, &opt->energy_table);
  cmd->add_flag("-q,--quiet", opt->quiet, "Print nothing but warnings and errors");
  cmd->callback([run, opt] { *run = [opt] { return RunModel(*opt); }; });
}

}  // namespace sieve::cli
