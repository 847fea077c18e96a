#include "cli/search_options.hpp"

namespace sieve::cli {

std::vector<std::string> ApplyMapperDefaults(const spec::MapperSpec& mapper,
                                             SearchCliOptions& opt) {
  std::vector<std::string> notes;
  if (!mapper.given) return notes;
  const std::string where = FormatLoc(mapper.loc) + ":";
  if (!opt.strategy && !mapper.algorithm.empty()) {
    const std::string& a = mapper.algorithm;
    if (a == "random" || a == "random_pruned") {
      opt.strategy = "random";
      if (a == "random_pruned") {
        notes.push_back(where + " algorithm random_pruned: sieve's random search samples the whole "
                        "mapspace; use --strategy hybrid for pruned loop orders per factorization");
      }
    } else if (a == "exhaustive" || a == "linear_pruned" || a == "linear") {
      opt.strategy = "exhaustive";
    } else if (a == "hybrid") {
      opt.strategy = "hybrid";
    } else {
      notes.push_back(where + " algorithm '" + a + "' is not known to sieve; using random");
    }
  }
  if (!opt.threads && mapper.num_threads && *mapper.num_threads > 0) {
    opt.threads = *mapper.num_threads;
  }
  if (!opt.max_evaluations && mapper.search_size && *mapper.search_size > 0) {
    opt.max_evaluations = static_cast<uint64_t>(*mapper.search_size);
    notes.push_back(where + " search_size " + std::to_string(*mapper.search_size) +
                    " is taken as the total evaluation budget (Timeloop counts it per thread)");
  }
  if (!opt.victory && mapper.victory_condition && *mapper.victory_condition > 0) {
    opt.victory = static_cast<uint64_t>(*mapper.victory_condition);
    notes.push_back(where + " victory_condition " + std::to_string(*mapper.victory_condition) +
                    ": sieve stops after that many consecutive valid evaluations (all threads, "
                    "in evaluation order) that leave the Pareto front unchanged; Timeloop counts "
                    "them per thread. Set --victory to override");
  }
  if (mapper.timeout) {
    notes.push_back(where + " timeout " + std::to_string(*mapper.timeout) +
                    " (consecutive invalid mappings in Timeloop) is ignored; use --time-limit "
                    "SECONDS or --max-evaluations");
  }
  if (!opt.objectives && !mapper.optimization_metrics.empty()) {
    std::string list;
    for (const std::string& m : mapper.optimization_metrics) {
      list += (list.empty() ? "" : ",") + (m == "delay" ? std::string("cycles") : m);
    }
    opt.objectives = list;
    notes.push_back(where + " optimization_metrics: sieve keeps the Pareto front over " + list +
                    " (Timeloop compares them lexicographically)");
  }
  return notes;
}

}  // namespace sieve::cli
