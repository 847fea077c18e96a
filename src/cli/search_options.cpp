#include "cli/search_options.hpp"

#include <charconv>
#include <cmath>
#include <cstdlib>

#include "sieve/spec/error.hpp"

namespace sieve::cli {

std::string CheckUnsignedText(const std::string& text) {
  uint64_t value = 0;
  const char* end = text.data() + text.size();
  const bool digits = !text.empty() && text.find_first_not_of("0123456789") == std::string::npos;
  const auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (!digits || ec == std::errc::invalid_argument || ptr != end) {
    return "'" + text + "' is not a whole number >= 0";
  }
  if (ec == std::errc::result_out_of_range) return "'" + text + "' is above 2^64-1 (18446744073709551615)";
  return "";
}

std::string CheckPositiveText(const std::string& text) {
  std::string why = CheckUnsignedText(text);
  if (why.empty() && text.find_first_not_of('0') == std::string::npos) why = "must be at least 1, not " + text;
  return why;
}

std::string CheckSecondsText(const std::string& text, bool allow_zero) {
  const char* begin = text.c_str();
  char* end = nullptr;
  const double value = std::strtod(begin, &end);
  if (text.empty() || end != begin + text.size() || !std::isfinite(value)) {
    return "'" + text + "' is not a finite number of seconds";
  }
  if (value < 0 || (!allow_zero && value == 0)) {
    return "must be " + std::string(allow_zero ? ">= 0" : "> 0") + " seconds, not " + text;
  }
  return "";
}

MapperNotes ApplyMapperDefaults(const spec::MapperSpec& mapper, SearchCliOptions& opt) {
  MapperNotes notes;
  if (!mapper.given) return notes;
  const std::string where = FormatLoc(mapper.loc) + ":";
  if (!opt.strategy && !mapper.algorithm.empty()) {
    const std::string& a = mapper.algorithm;
    if (a == "random" || a == "random_pruned") {
      opt.strategy = "random";
      if (a == "random_pruned") {
        notes.warnings.push_back(where + " algorithm random_pruned: sieve's random search samples the whole "
                                 "mapspace; use --strategy hybrid for pruned loop orders per factorization");
      }
    } else if (a == "exhaustive" || a == "linear_pruned" || a == "linear") {
      opt.strategy = "exhaustive";
    } else if (a == "hybrid") {
      opt.strategy = "hybrid";
    } else {
      notes.warnings.push_back(where + " algorithm '" + a + "' is not known to sieve; using random");
    }
  }
  if (!opt.threads && mapper.num_threads && *mapper.num_threads > 0) {
    if (*mapper.num_threads > kMaxThreads) {
      spec::SourceLoc at = mapper.loc;
      at.key_path += ".num_threads";
      throw spec::SpecError(at, "num_threads " + std::to_string(*mapper.num_threads) + " is above " +
                                    std::to_string(kMaxThreads) + " (give --threads N to override)");
    }
    opt.threads = *mapper.num_threads;
  }
  // The stop rules come from one place: the command line when it gives any
  // (it states the run's budget; a victory condition of 100 from a design's
  // shared mapper.yaml would otherwise end a --max-evaluations 20000 run
  // after a few hundred evaluations), else the mapper block.
  std::string cli_stop;
  for (const auto& [given, flag] : {std::pair{opt.max_evaluations.has_value(), "--max-evaluations"},
                                    std::pair{opt.time_limit_s.has_value(), "--time-limit"},
                                    std::pair{opt.victory.has_value(), "--victory"}}) {
    if (given) cli_stop += (cli_stop.empty() ? "" : ", ") + std::string(flag);
  }
  auto ignored = [&](const std::string& what) {
    notes.info.push_back(where + " " + what + " ignored: the command line gives " + cli_stop +
                         ", and stop rules on the command line replace the mapper block's" +
                         (opt.victory ? "" : " (add --victory N to stop on convergence too)"));
  };
  if (mapper.search_size && *mapper.search_size > 0) {
    if (!cli_stop.empty()) {
      ignored("search_size " + std::to_string(*mapper.search_size));
    } else {
      opt.max_evaluations = static_cast<uint64_t>(*mapper.search_size);
      notes.warnings.push_back(where + " search_size " + std::to_string(*mapper.search_size) +
                               " is taken as the total evaluation budget (Timeloop counts it per thread)");
    }
  }
  if (mapper.victory_condition && *mapper.victory_condition > 0) {
    if (!cli_stop.empty()) {
      ignored("victory_condition " + std::to_string(*mapper.victory_condition));
    } else {
      opt.victory = static_cast<uint64_t>(*mapper.victory_condition);
      notes.warnings.push_back(where + " victory_condition " + std::to_string(*mapper.victory_condition) +
                               ": sieve stops after that many consecutive valid evaluations (all threads, "
                               "in evaluation order) that leave the Pareto front unchanged; Timeloop counts "
                               "them per thread. Set --victory to override");
    }
  }
  if (mapper.timeout) {
    notes.warnings.push_back(where + " timeout " + std::to_string(*mapper.timeout) +
                             " (consecutive invalid mappings in Timeloop) is ignored; use --time-limit "
                             "SECONDS or --max-evaluations");
  }
  if (!opt.objectives && !mapper.optimization_metrics.empty()) {
    std::string list;
    for (const std::string& m : mapper.optimization_metrics) {
      list += (list.empty() ? "" : ",") + (m == "delay" ? std::string("cycles") : m);
    }
    opt.objectives = list;
    notes.warnings.push_back(where + " optimization_metrics: sieve keeps the Pareto front over " + list +
                             " (Timeloop compares them lexicographically)");
  }
  return notes;
}

void ParseShardFlag(const std::string& text, const std::string& flag, int& index, int& count) {
  const size_t slash = text.find('/');
  const std::string i = slash == std::string::npos ? "" : text.substr(0, slash);
  const std::string n = slash == std::string::npos ? "" : text.substr(slash + 1);
  auto digits = [](const std::string& t) {
    return !t.empty() && t.size() <= 6 && t.find_first_not_of("0123456789") == std::string::npos;
  };
  if (!digits(i) || !digits(n)) throw spec::SpecError(flag + ": expected i/N (e.g. 0/4), got '" + text + "'");
  index = std::stoi(i);
  count = std::stoi(n);
  if (count < 1 || index >= count) {
    throw spec::SpecError(flag + ": expected 0 <= i < N, got '" + text + "'");
  }
}

}  // namespace sieve::cli
