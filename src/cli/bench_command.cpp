// `sieve bench cphc`: the paper's speed metric (Table 5), computes simulated
// per host cycle, for designs x networks with one fixed mapping per layer
// (configs/designs/<design>/mappings/<network>/<layer>.map.yaml).
//
// Host cycles: the x86 time-stamp counter (rdtsc, fenced) around each
// Evaluate call, on one thread. The TSC ticks at the processor's nominal
// frequency whatever the core's clock does, so these are "reference
// cycles", the unit perf calls ref-cycles; its rate is measured against the
// steady clock and printed. Loading the inputs and building the Design are
// not counted: the paper's figure is the model's evaluation alone. Each
// layer is evaluated `repeats` times after one warm-up call and its median
// taken. The warm-up also fills the per-thread memo of the hypergeometric
// pdf (sieve/sparse/pdf_memo.hpp), as a search's earlier mappings of the
// layer would; `--cold` clears it before every timed call (outside the
// timed region), so every pdf is computed afresh. Two figures per cell:
//  - per network evaluation (the headline, cphc.json): the host cycles a
//    network's evaluation spends, as `sieve network` evaluates it: each
//    distinct layer (same inputs, overrides and mapping) once, its computes
//    counted `count` times (ResNet's repeated blocks, BERT's 12 encoders);
//  - every instance: each of the `count` instances of every layer listed
//    evaluated anew, no layer reused.
#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <set>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli/commands.hpp"
#include "search/network.hpp"
#include "search/sweep.hpp"
#include "sieve/design.hpp"
#include "sieve/evaluator.hpp"
#include "sieve/sparse/pdf_memo.hpp"
#include "sieve/spec/load.hpp"
#include "sieve/spec/network.hpp"

#if defined(__x86_64__) || defined(__i386__)
#include <x86intrin.h>
#define SIEVE_HAVE_TSC 1
#endif

namespace sieve::cli {
namespace {

namespace fs = std::filesystem;

struct BenchOptions {
  std::string designs_dir = "configs/designs";
  std::string workloads_dir = "configs/workloads";
  std::vector<std::string> designs{"eyeriss", "eyeriss_v2_pe", "scnn"};
  std::vector<std::string> networks{"resnet50", "bert_base", "vgg16", "alexnet"};
  std::string out_path = "cphc.json";
  int repeats = 5;
  bool per_layer = false;  // print each layer's computes, cycles and cphc
  bool cold = false;       // clear the pdf memos before every timed evaluation
};

uint64_t Ticks() {
#ifdef SIEVE_HAVE_TSC
  _mm_lfence();
  const uint64_t t = __rdtsc();
  _mm_lfence();
  return t;
#else
  return static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(
                                   std::chrono::steady_clock::now().time_since_epoch())
                                   .count());
#endif
}

// The design's files: every YAML in its folder but map.yaml (the layers'
// mappings come from mappings/<network>/) and constraints (not needed to
// evaluate a fixed mapping).
std::vector<std::string> DesignFiles(const fs::path& dir) {
  std::vector<std::string> files;
  for (const char* name : {"arch.yaml", "problem.yaml", "sparse.yaml", "ERT.yaml", "ART.yaml"}) {
    if (fs::exists(dir / name)) files.push_back((dir / name).string());
  }
  if (files.empty()) throw spec::SpecError("bench cphc: no design files (arch.yaml, problem.yaml, ...) in " + dir.string());
  return files;
}

struct Cell {
  double macs = 0;
  double ticks = 0;           // each distinct layer once
  double ticks_every = 0;     // every instance of every layer
  double cphc() const { return ticks > 0 ? macs / ticks : 0; }
  double cphc_every() const { return ticks_every > 0 ? macs / ticks_every : 0; }
};

Cell BenchCell(const BenchOptions& opt, const std::string& design, const std::string& network) {
  const fs::path ddir = fs::path(opt.designs_dir) / design;
  const std::vector<std::string> design_files = DesignFiles(ddir);
  const spec::Network net = spec::LoadNetwork((fs::path(opt.workloads_dir) / (network + ".yaml")).string());
  const fs::path maps = ddir / "mappings" / network;
  Cell cell;
  Scratch scratch;
  Result result;
  std::vector<uint64_t> samples(static_cast<size_t>(opt.repeats));
  std::set<std::string> seen;  // inputs' hashes of the layers timed so far
  for (size_t i = 0; i < net.layers.size(); ++i) {
    const fs::path map = maps / (net.layers[i].name + ".map.yaml");
    if (!fs::exists(map)) {
      throw spec::SpecError("bench cphc: no mapping " + map.string() + "; make them with `sieve network " +
                            net.path + " <design files> -o X.h5 --write-mappings " + maps.string() + "`");
    }
    std::vector<std::string> files = design_files;
    files.push_back(map.string());
    const std::vector<spec::InputFile> inputs = search::ReadInputFiles(files);
    const std::vector<spec::Override> overrides = net.LayerOverrides(i);
    const bool repeat = !seen.insert(search::InputsSha256(inputs, overrides)).second;
    const spec::Spec spec = spec::LoadSpecFromTexts(inputs, overrides);
    const Design d = BuildDesign(spec);
    Evaluate(d, *spec.mapping, scratch, result);  // warm-up (caches, branch predictors)
    if (!result.valid()) {
      throw spec::SpecError(map.string() + ": the mapping is not valid for layer " + net.layers[i].name + " (" +
                            std::string(StatusName(result.status.code)) + ")");
    }
    for (uint64_t& s : samples) {
      if (opt.cold) sparse::ClearPdfMemo();
      const uint64_t t0 = Ticks();
      Evaluate(d, *spec.mapping, scratch, result);
      s = Ticks() - t0;
    }
    std::nth_element(samples.begin(), samples.begin() + samples.size() / 2, samples.end());
    const double count = static_cast<double>(net.layers[i].count);
    const double median = static_cast<double>(samples[samples.size() / 2]);
    cell.ticks_every += count * median;
    if (!repeat) cell.ticks += median;
    cell.macs += count * static_cast<double>(d.algorithmic_computes);
    if (opt.per_layer) {
      std::cerr << fmt::format("  {}/{}/{:<24} x{:<3} {:>14} computes {:>10.0f} cycles {:>12.1f} cphc\n", design,
                               network, net.layers[i].name, net.layers[i].count, d.algorithmic_computes, median,
                               median > 0 ? static_cast<double>(d.algorithmic_computes) / median : 0.0);
    }
  }
  return cell;
}

double TicksPerSecond() {
  const auto c0 = std::chrono::steady_clock::now();
  const uint64_t t0 = Ticks();
  while (std::chrono::steady_clock::now() - c0 < std::chrono::milliseconds(200)) {
  }
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - c0).count();
  return static_cast<double>(Ticks() - t0) / s;
}

int RunBenchCphc(const BenchOptions& opt) {
  nlohmann::json out = nlohmann::json::object();
  std::cout << fmt::format("{:<16}", "cphc");
  for (const std::string& n : opt.networks) std::cout << fmt::format(" {:>12}", n);
  std::cout << "\n";
  for (const std::string& d : opt.designs) {
    // A design's row is printed whole: --per-layer lines (stderr) come first.
    std::string row = fmt::format("{:<16}", d);
    std::string every = fmt::format("{:<16}", "  every instance");
    for (const std::string& n : opt.networks) {
      const Cell c = BenchCell(opt, d, n);
      out[d][n] = c.cphc();
      row += fmt::format(" {:>12.1f}", c.cphc());
      every += fmt::format(" {:>12.1f}", c.cphc_every());
    }
    std::cout << row << "\n" << every << "\n" << std::flush;
  }
  const double rate = TicksPerSecond();
#ifdef SIEVE_HAVE_TSC
  spdlog::info("host cycles: TSC reference cycles (rdtsc) around Evaluate, one thread, median of {} runs per "
               "layer; the TSC runs at {:.3f} GHz here",
               opt.repeats, rate / 1e9);
  spdlog::info("each network evaluated as `sieve network` does: every distinct layer once, its computes counted "
               "`count` times; `every instance` re-evaluates each instance of each layer");
  spdlog::info(opt.cold ? "pdf memos: cleared before every timed evaluation (--cold)"
                        : "pdf memos: warm (filled by the warm-up call, as by a search's earlier mappings; "
                          "--cold to clear them before every timed evaluation)");
#else
  spdlog::info("host cycles: no TSC on this processor; nanoseconds are counted instead ({:.3f} per ns)",
               rate / 1e9);
#endif
  std::ofstream f(opt.out_path);
  f << out.dump(2) << "\n";
  if (!f) throw std::runtime_error("cannot write " + opt.out_path);
  spdlog::info("wrote {}", opt.out_path);
  return kExitOk;
}

}  // namespace

void AddBenchCommand(CLI::App& app, std::function<int()>* run) {
  CLI::App* bench = app.add_subcommand("bench", "Benchmarks");
  bench->require_subcommand(1);
  auto opt = std::make_shared<BenchOptions>();
  CLI::App* cphc = bench->add_subcommand(
      "cphc", "Computes simulated per host cycle (paper Table 5) for designs x networks, fixed mappings");
  cphc->add_option("--designs-dir", opt->designs_dir, "Design library (default configs/designs)");
  cphc->add_option("--workloads-dir", opt->workloads_dir, "Network files (default configs/workloads)");
  cphc->add_option("--designs", opt->designs, "Designs (default eyeriss eyeriss_v2_pe scnn)")->delimiter(',');
  cphc->add_option("--networks", opt->networks, "Networks (default resnet50 bert_base vgg16 alexnet)")
      ->delimiter(',');
  cphc->add_option("-o,--output", opt->out_path, "JSON {design: {network: cphc}} (default cphc.json)");
  cphc->add_option("--repeats", opt->repeats, "Timed evaluations per layer (median taken; default 5)")
      ->check(CLI::Range(1, 1000));
  cphc->add_flag("--per-layer", opt->per_layer,
                 "Also print each layer's computes, median cycles and cphc (to stderr)");
  cphc->add_flag("--cold", opt->cold,
                 "Clear the per-thread pdf memos before every timed evaluation (every pdf computed afresh)");
  cphc->callback([opt, run] { *run = [opt] { return RunBenchCphc(*opt); }; });
}

}  // namespace sieve::cli
