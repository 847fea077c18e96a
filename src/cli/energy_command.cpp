// `sieve energy FILES... -o DIR`: write the energy and area tables the
// model would use for the design in FILES, in Accelergy's layout
// (DIR/ERT.yaml, DIR/ART.yaml): components listed in a given ERT/ART keep
// those values, the others are estimated (sieve/energy/estimator.hpp).
// Both files can be given back to `sieve model` or to timeloop-model.
//
// Why block style with plain names: names like `sys.DRAM[1..1]` must stay
// plain scalars; in flow style the brackets would start a sequence.
#include <spdlog/spdlog.h>

#include <cstdio>
#include <filesystem>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "cli/cli_io.hpp"
#include "cli/commands.hpp"
#include "cli/energy_table_option.hpp"
#include "sieve/energy/estimator.hpp"

namespace sieve::cli {
namespace {

struct EnergyOptions {
  std::vector<std::string> files;
  std::string out_dir = ".";
  std::string energy_table;
  bool ignore_given = false;
  bool quiet = false;
};

std::string Number(double v) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.10g", v);
  return buf;
}

std::string ErtYaml(const energy::CompletedTables& t) {
  std::string s = "ERT:\n  version: '0.4'\n  tables:\n";
  for (const energy::ComponentEnergy& c : t.components) {
    if (c.energy_pj.empty()) continue;  // dummy levels: no actions, as Accelergy writes them
    s += "    - name: " + c.path_name + "\n      actions:\n";
    for (const auto& [action, pj] : c.energy_pj) {
      s += "        - name: " + action + "\n          arguments: null\n          energy: " + Number(pj) + "\n";
    }
  }
  return s;
}

std::string ArtYaml(const energy::CompletedTables& t) {
  std::string s = "ART:\n  version: '0.4'\n  tables:\n";
  for (const energy::ComponentEnergy& c : t.components) {
    s += "    - name: " + c.path_name + "\n      area: " + Number(c.area_um2) + "\n";
  }
  return s;
}

int RunEnergy(const EnergyOptions& opt) {
  const spec::Spec spec = LoadInputs(opt.files);
  const std::shared_ptr<const spec::EnergyLibrary> library = EnergyTableFromOption(opt.energy_table);
  energy::EstimateOptions eo;
  eo.library = library.get();
  eo.ignore_given_tables = opt.ignore_given;
  const energy::CompletedTables tables = energy::CompleteEnergyTables(spec, eo);

  std::filesystem::create_directories(opt.out_dir);
  const std::filesystem::path dir(opt.out_dir);
  WriteTextFile(dir / "ERT.yaml", ErtYaml(tables));
  WriteTextFile(dir / "ART.yaml", ArtYaml(tables));
  if (!opt.quiet) {
    for (const energy::ComponentEnergy& c : tables.components) {
      if (c.is_dummy && !c.energy_estimated && c.energy_pj.empty()) {
        std::cout << c.path_name << " (" << c.cls << "): no hardware (fan-out only)\n";
        continue;
      }
      std::cout << c.path_name << " (" << c.cls << "): energy " << (c.energy_estimated ? "estimated" : "from the ERT")
                << ", area " << (c.area_estimated ? "estimated" : "from the ART") << " " << Number(c.area_um2)
                << " um^2\n";
    }
    for (const std::string& n : tables.notes) std::cout << "note: " << n << "\n";
    std::cout << "wrote " << (dir / "ERT.yaml").string() << " and " << (dir / "ART.yaml").string() << "\n";
  }
  return kExitOk;
}

}  // namespace

void AddEnergyCommand(CLI::App& app, std::function<int()>* run) {
  auto opt = std::make_shared<EnergyOptions>();
  CLI::App* cmd = app.add_subcommand(
      "energy", "Write the design's energy and area tables (Accelergy ERT.yaml/ART.yaml), estimating "
                "components no given ERT/ART lists");
  cmd->add_option("files", opt->files, "Timeloop-format YAML inputs (architecture; ERT/ART optional)")
      ->required();
  cmd->add_option("-o,--output", opt->out_dir, "Directory for ERT.yaml and ART.yaml")->capture_default_str();
  AddEnergyTableOption(cmd, &opt->energy_table);
  cmd->add_flag("--ignore-given", opt->ignore_given,
                "Estimate every component, ignoring any ERT/ART among the inputs");
  cmd->add_flag("-q,--quiet", opt->quiet, "Print nothing but warnings and errors");
  cmd->callback([run, opt] { *run = [opt] { return RunEnergy(*opt); }; });
}

}  // namespace sieve::cli
