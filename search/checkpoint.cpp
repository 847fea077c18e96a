#include "search/checkpoint.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <numeric>
#include <stdexcept>

#include "search/config_hash.hpp"
#include "sieve/spec/error.hpp"

namespace sieve::search {
namespace {

using nlohmann::json;

// Format 2 adds the inputs, the stop rules, halo_rule and energy_table;
// format 1 files are still read (their inputs must be given again).
constexpr const char* kFormat = "sieve-checkpoint-2";
constexpr const char* kFormat1 = "sieve-checkpoint-1";

// A checkpoint the user points --resume at is input: its faults are bad
// input (exit code 2), named by file.
[[noreturn]] void Bad(const std::string& path, const std::string& message) {
  throw spec::SpecError(spec::SourceLoc{path, 0, ""}, message);
}

json ChoiceJson(const Choice& c) {
  return {{"fact", c.fact}, {"perm", c.perm}, {"y", c.y_mask}, {"keep", c.keep_mask}};
}

Choice ChoiceFrom(const json& j) {
  Choice c;
  c.fact = j.at("fact").get<decltype(c.fact)>();
  c.perm = j.at("perm").get<decltype(c.perm)>();
  c.y_mask = j.at("y").get<decltype(c.y_mask)>();
  c.keep_mask = j.at("keep").get<uint64_t>();
  return c;
}

json PointJson(const Point& p) {
  return {{"obj", p.obj},       {"energy_pj", p.energy_pj},   {"cycles", p.cycles},
          {"edp", p.edp},       {"eval_index", p.eval_index}, {"choice", ChoiceJson(p.choice)}};
}

Point PointFrom(const json& j) {
  Point p;
  p.obj = j.at("obj").get<decltype(p.obj)>();
  p.energy_pj = j.at("energy_pj").get<double>();
  p.cycles = j.at("cycles").get<double>();
  p.edp = j.at("edp").get<double>();
  p.eval_index = j.at("eval_index").get<uint64_t>();
  p.choice = ChoiceFrom(j.at("choice"));
  return p;
}

json KeyJson(const CheckpointKey& k) {
  return {{"config_sha256", k.config_sha256}, {"strategy", k.strategy},
          {"seed", k.seed},                   {"objectives", k.objectives},
          {"shard_index", k.shard_index},     {"shard_count", k.shard_count},
          {"chunk_size", k.chunk_size},       {"orders_per_factorization", k.orders_per_factorization},
          {"halo_rule", k.halo_rule},         {"energy_table", k.energy_table}};
}

CheckpointKey KeyFrom(const json& k) {
  CheckpointKey key;
  key.config_sha256 = k.at("config_sha256").get<std::string>();
  key.strategy = k.at("strategy").get<std::string>();
  key.seed = k.at("seed").get<uint64_t>();
  key.objectives = k.at("objectives").get<std::string>();
  key.shard_index = k.at("shard_index").get<int>();
  key.shard_count = k.at("shard_count").get<int>();
  key.chunk_size = k.at("chunk_size").get<uint32_t>();
  key.orders_per_factorization = k.at("orders_per_factorization").get<uint32_t>();
  // Absent from format 1, whose runs could not set them apart from these.
  key.halo_rule = k.value("halo_rule", std::string("2025"));
  key.energy_table = k.value("energy_table", std::string());
  return key;
}

template <typename T>
json OptionalJson(const std::optional<T>& v) {
  return v ? json(*v) : json();
}

template <typename T>
std::optional<T> OptionalFrom(const json& j, const char* name) {
  if (!j.contains(name) || j.at(name).is_null()) return std::nullopt;
  return j.at(name).get<T>();
}

json ReadJson(const std::string& path) {
  std::ifstream in(path);
  if (!in) Bad(path, "cannot read checkpoint");
  json j;
  try {
    j = json::parse(in);
  } catch (const json::exception& e) {
    Bad(path, std::string("not a sieve checkpoint (") + e.what() + ")");
  }
  const std::string format = j.is_object() && j.contains("format") && j.at("format").is_string()
                                 ? j.at("format").get<std::string>()
                                 : std::string();
  if (format != kFormat && format != kFormat1) {
    Bad(path, "not a sieve checkpoint (format '" + format + "', expected " + kFormat + ")");
  }
  return j;
}

size_t CountObjectives(const std::string& list) {
  return list.empty() ? 0 : 1 + static_cast<size_t>(std::count(list.begin(), list.end(), ','));
}

}  // namespace

void SaveCheckpoint(const std::string& path, const CheckpointKey& key, const SearchState& s,
                    const CheckpointRun& run) {
  json j;
  j["format"] = kFormat;
  j["key"] = KeyJson(key);
  json inputs = json::array();
  for (const spec::InputFile& f : run.inputs) {
    inputs.push_back({{"path", f.path}, {"text", f.text},
                      {"mapping_as_constraints", f.mapping_as_constraints}});
  }
  j["inputs"] = inputs;
  j["stop_rules"] = {{"max_evaluations", OptionalJson(run.max_evaluations)},
                     {"time_limit_s", OptionalJson(run.time_limit_s)},
                     {"victory", OptionalJson(run.victory)}};
  j["evaluations"] = s.evaluations;
  j["valid"] = s.valid;
  j["invalid"] = s.invalid;
  j["since_improvement"] = s.since_improvement;
  j["next_chunk_index"] = s.next_chunk_index;
  j["next_chunk_skip"] = s.next_chunk_skip;
  j["next_plan"] = {{"chunk", s.next_plan.chunk},
                    {"start", ChoiceJson(s.next_plan.start)},
                    {"start_sub", s.next_plan.start_sub},
                    {"start_at_end", s.next_plan.start_at_end}};
  j["elapsed_s"] = s.elapsed_s;
  j["stop_reason"] = s.stop_reason;
  json front = json::array();
  for (const Point& p : s.front.points()) front.push_back(PointJson(p));
  j["front"] = front;
  j["num_objectives"] = s.front.num_objectives();
  json best = json::object();
  for (BestTracker::Metric m : BestTracker::kAll) {
    if (s.best.best(m)) best[BestTracker::Name(m)] = PointJson(*s.best.best(m));
  }
  j["best"] = best;
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp);
    out << j.dump() << "\n";
    if (!out) throw std::runtime_error(tmp + ": cannot write checkpoint");
  }
  std::filesystem::rename(tmp, path);
}

CheckpointHeader ReadCheckpointHeader(const std::string& path) {
  const json j = ReadJson(path);
  CheckpointHeader h;
  try {
    h.key = KeyFrom(j.at("key"));
    if (j.contains("inputs")) {
      for (const json& f : j.at("inputs")) {
        h.run.inputs.push_back(spec::InputFile{f.at("path").get<std::string>(),
                                               f.at("text").get<std::string>(),
                                               f.at("mapping_as_constraints").get<bool>()});
      }
    }
    if (j.contains("stop_rules")) {
      const json& r = j.at("stop_rules");
      h.run.max_evaluations = OptionalFrom<uint64_t>(r, "max_evaluations");
      h.run.time_limit_s = OptionalFrom<double>(r, "time_limit_s");
      h.run.victory = OptionalFrom<uint64_t>(r, "victory");
    }
  } catch (const json::exception& e) {
    Bad(path, std::string("damaged checkpoint (") + e.what() + ")");
  }
  // Saved inputs that are not the ones the key names were edited or mixed
  // up: resuming from them would continue another search.
  if (!h.run.inputs.empty() && ConfigSha256(h.run.inputs) != h.key.config_sha256) {
    Bad(path, "inconsistent checkpoint: the saved input files do not hash to its config_sha256");
  }
  return h;
}

SearchState LoadCheckpoint(const std::string& path, const CheckpointKey& key) {
  const json j = ReadJson(path);
  json saved;
  try {
    saved = KeyJson(KeyFrom(j.at("key")));
  } catch (const json::exception& e) {
    Bad(path, std::string("damaged checkpoint (") + e.what() + ")");
  }
  const json expected = KeyJson(key);
  for (const auto& [name, value] : expected.items()) {
    if (saved.at(name) != value) {
      Bad(path, "checkpoint was written with a different " + name + " (" + saved.at(name).dump() +
                    ", now " + value.dump() + "); resume with the same inputs and settings");
    }
  }
  SearchState s;
  try {
    s.evaluations = j.at("evaluations").get<uint64_t>();
    s.valid = j.at("valid").get<uint64_t>();
    s.invalid = j.at("invalid").get<decltype(s.invalid)>();
    s.since_improvement = j.at("since_improvement").get<uint64_t>();
    s.next_chunk_index = j.at("next_chunk_index").get<uint64_t>();
    s.next_chunk_skip = j.at("next_chunk_skip").get<uint32_t>();
    s.next_plan.chunk = j.at("next_plan").at("chunk").get<uint64_t>();
    s.next_plan.start = ChoiceFrom(j.at("next_plan").at("start"));
    s.next_plan.start_sub = j.at("next_plan").at("start_sub").get<uint64_t>();
    s.next_plan.start_at_end = j.at("next_plan").at("start_at_end").get<bool>();
    s.elapsed_s = j.at("elapsed_s").get<double>();
    const int num_objectives = j.at("num_objectives").get<int>();
    if (static_cast<size_t>(num_objectives) != CountObjectives(key.objectives)) {
      Bad(path, "inconsistent checkpoint: a front over " + std::to_string(num_objectives) +
                    " objectives, but the objectives are '" + key.objectives + "'");
    }
    s.front = ParetoArchive(num_objectives);
    for (const json& p : j.at("front")) s.front.Insert(PointFrom(p));
    for (BestTracker::Metric m : BestTracker::kAll) {
      if (j.at("best").contains(BestTracker::Name(m))) {
        s.best.Set(m, PointFrom(j.at("best").at(BestTracker::Name(m))));
      }
    }
  } catch (const json::exception& e) {
    Bad(path, std::string("damaged checkpoint (") + e.what() + ")");
  }
  // Counts that do not add up, or a front without bests, come from a file
  // edited or damaged by hand: continuing would report nonsense.
  const uint64_t counted = std::accumulate(s.invalid.begin(), s.invalid.end(), s.valid);
  if (counted != s.evaluations) {
    Bad(path, "inconsistent checkpoint: " + std::to_string(s.valid) + " valid and " +
                  std::to_string(counted - s.valid) + " invalid evaluations, but " +
                  std::to_string(s.evaluations) + " in all");
  }
  bool all_bests = true;
  for (BestTracker::Metric m : BestTracker::kAll) all_bests = all_bests && s.best.best(m).has_value();
  if (s.front.points().empty() != (s.valid == 0) || (s.valid > 0 && !all_bests)) {
    Bad(path, "inconsistent checkpoint: " + std::to_string(s.valid) + " valid evaluations, a front of " +
                  std::to_string(s.front.points().size()) + " points and " +
                  (all_bests ? "all" : "not all") + " bests");
  }
  return s;
}

}  // namespace sieve::search
