// `sieve network NET.yaml DESIGN_FILES... -o OUT.h5`: a whole DNN on one
// design, layer by layer (paper Sec. 6.1: each layer with its dataflow and
// SAFs, aggregated to the network). Each layer is a mapspace search (or the
// mapping given for it in --mappings), layers with the same shape and
// densities are searched once, and the network's energy and cycles are the
// count-weighted sums of the layers' best-EDP mappings.
#include <spdlog/spdlog.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>

#include "cli/cli_io.hpp"
#include "cli/commands.hpp"
#include "cli/run_control.hpp"
#include "cli/search_options.hpp"
#include "search/network.hpp"
#include "search/sweep.hpp"
#include "sieve/spec/network.hpp"

namespace sieve::cli {
namespace {

namespace fs = std::filesystem;
using search::LayerOutcome;
using search::NetworkTotals;

struct NetworkCliOptions {
  std::string network_path;
  std::vector<std::string> design_files;
  std::string out_path;
  std::string mappings_dir;        // --mappings: <layer>.map.yaml fixes a layer's mapping
  std::string write_mappings_dir;  // --write-mappings: the best-EDP mapping of every layer
  std::optional<int> threads;
  spec::SweepSearch search;
  bool quiet = false;
};

std::string Short(double v) { return std::isnan(v) ? "-" : fmt::format("{:.4g}", v); }

int RunNetworkCommand(const NetworkCliOptions& opt) {
  CheckOutputFile(opt.out_path, "-o");
  const OutputLock lock(opt.out_path, "-o");
  const spec::Network net = spec::LoadNetwork(opt.network_path);
  if (!opt.mappings_dir.empty() && !fs::is_directory(opt.mappings_dir)) {
    throw spec::SpecError("--mappings: '" + opt.mappings_dir + "' is not a folder");
  }
  if (!opt.write_mappings_dir.empty()) fs::create_directories(opt.write_mappings_dir);
  search::PointOptions po;
  po.threads = opt.threads.value_or(0);
  po.stop_requested = &StopFlag();
  InstallStopSignals();
  const std::vector<LayerOutcome> layers = search::RunNetworkLayers(
      net, opt.design_files, opt.mappings_dir, opt.search, po, [&](size_t i, const LayerOutcome& o) {
        if (opt.quiet) return;
        spdlog::info("[{}/{}] {} x{}: {}{}, energy {} pJ, cycles {}, edp {}", i + 1, net.layers.size(),
                     net.layers[i].name, net.layers[i].count, o.status.substr(0, o.status.find(':')),
                     o.same_as != i ? " (same as " + net.layers[o.same_as].name + ")" : "", Short(o.energy_pj),
                     Short(o.cycles), Short(o.edp));
        if (o.status.rfind("invalid input", 0) == 0) spdlog::warn("{}: {}", net.layers[i].name, o.status);
      });
  RestoreDefaultSignals();
  const NetworkTotals totals = search::Aggregate(net, layers);
  search::WriteNetworkFile(opt.out_path, SIEVE_VERSION, net, opt.design_files, layers, totals, opt.search);
  if (!opt.write_mappings_dir.empty()) {
    for (size_t i = 0; i < layers.size(); ++i) {
      if (layers[i].mapping_yaml.empty()) continue;
      WriteTextFile(fs::path(opt.write_mappings_dir) / (net.layers[i].name + ".map.yaml"), layers[i].mapping_yaml);
    }
  }
  if (!opt.quiet) {
    std::cout << fmt::format("{:<24} {:>5} {:>14} {:>14} {:>14} {:>12}  {}\n", "layer", "count", "macs",
                             "energy_pj", "cycles", "edp", "status");
    for (size_t i = 0; i < layers.size(); ++i) {
      const LayerOutcome& o = layers[i];
      std::cout << fmt::format("{:<24} {:>5} {:>14} {:>14} {:>14} {:>12}  {}\n", net.layers[i].name,
                               net.layers[i].count, o.macs, Short(o.energy_pj), Short(o.cycles), Short(o.edp),
                               o.status.substr(0, o.status.find(':')));
    }
    std::cout << fmt::format("{:<24} {:>5} {:>14} {:>14} {:>14} {:>12}  {} of {} layers valid\n", "total", "",
                             static_cast<uint64_t>(totals.macs), Short(totals.energy_pj), Short(totals.cycles),
                             Short(totals.edp), totals.layers_valid, layers.size());
  }
  if (totals.layers_valid != layers.size()) {
    spdlog::warn("{} layer(s) without a valid mapping: the totals cover the others only",
                 layers.size() - totals.layers_valid);
  }
  spdlog::info("network {}: {} layers, energy {} pJ, cycles {}, EDP {}; wrote {}", net.name, layers.size(),
               Short(totals.energy_pj), Short(totals.cycles), Short(totals.edp), opt.out_path);
  return ExitCodeAfterSignals();
}

}  // namespace

void AddNetworkCommand(CLI::App& app, std::function<int()>* run) {
  auto opt = std::make_shared<NetworkCliOptions>();
  opt->search.max_evaluations = 5000;
  opt->search.objectives = "energy,cycles";
  CLI::App* cmd = app.add_subcommand("network", "Run a whole network on a design, layer by layer");
  cmd->add_option("network", opt->network_path, "Network file (configs/workloads)")->required();
  cmd->add_option("files", opt->design_files, "The design's YAML files (with a CONV problem block)")->required();
  cmd->add_option("-o,--output", opt->out_path, "Results file (HDF5)")->required();
  cmd->add_option("--threads", opt->threads, "Worker threads per layer search (default: all cores)")
      ->check(CLI::Range(1, kMaxThreads));
  const CLI::Validator whole([](std::string& t) { return CheckUnsignedText(t); }, "UINT");
  cmd->add_option("--seed", opt->search.seed, "Seed of every layer's search (default 1)")->check(whole);
  cmd->add_option("--max-evaluations", opt->search.max_evaluations, "Evaluations per layer search (default 5000)")
      ->check(whole);
  cmd->add_option("--time-limit-per-layer", opt->search.time_limit_s, "Seconds per layer search (default: none)")
      ->check(CLI::NonNegativeNumber);
  cmd->add_option("--strategy", opt->search.strategy, "Search strategy per layer (default random)");
  cmd->add_option("--objectives", opt->search.objectives, "Objectives of each layer's search (default energy,cycles)");
  cmd->add_option("--mappings", opt->mappings_dir, "Folder of <layer>.map.yaml: those layers use that mapping");
  cmd->add_option("--write-mappings", opt->write_mappings_dir, "Write every layer's best-EDP map.yaml here");
  cmd->add_flag("-q,--quiet", opt->quiet, "No per-layer lines or table");
  cmd->callback([opt, run] { *run = [opt] { return RunNetworkCommand(*opt); }; });
}

}  // namespace sieve::cli
