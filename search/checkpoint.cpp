#include "search/checkpoint.hpp"

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <stdexcept>

namespace sieve::search {
namespace {

using nlohmann::json;

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
          {"chunk_size", k.chunk_size},       {"orders_per_factorization", k.orders_per_factorization}};
}

json ReadJson(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error(path + ": cannot read checkpoint");
  try {
    return json::parse(in);
  } catch (const json::exception& e) {
    throw std::runtime_error(path + ": not a sieve checkpoint (" + e.what() + ")");
  }
}

}  // namespace

void SaveCheckpoint(const std::string& path, const CheckpointKey& key, const SearchState& s) {
  json j;
  j["format"] = "sieve-checkpoint-1";
  j["key"] = KeyJson(key);
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

CheckpointKey ReadCheckpointKey(const std::string& path) {
  const json j = ReadJson(path);
  try {
    const json& k = j.at("key");
    CheckpointKey key;
    key.config_sha256 = k.at("config_sha256").get<std::string>();
    key.strategy = k.at("strategy").get<std::string>();
    key.seed = k.at("seed").get<uint64_t>();
    key.objectives = k.at("objectives").get<std::string>();
    key.shard_index = k.at("shard_index").get<int>();
    key.shard_count = k.at("shard_count").get<int>();
    key.chunk_size = k.at("chunk_size").get<uint32_t>();
    key.orders_per_factorization = k.at("orders_per_factorization").get<uint32_t>();
    return key;
  } catch (const json::exception& e) {
    throw std::runtime_error(path + ": not a sieve checkpoint (" + e.what() + ")");
  }
}

SearchState LoadCheckpoint(const std::string& path, const CheckpointKey& key) {
  const json j = ReadJson(path);
  if (j.value("format", "") != "sieve-checkpoint-1") {
    throw std::runtime_error(path + ": not a sieve checkpoint");
  }
  const json expected = KeyJson(key);
  for (const auto& [name, value] : expected.items()) {
    if (j.at("key").value(name, json()) != value) {
      throw std::runtime_error(path + ": checkpoint was written with a different " + name + " (" +
                               j.at("key").value(name, json()).dump() + ", now " + value.dump() +
                               "); resume with the same inputs and settings");
    }
  }
  try {
    SearchState s;
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
    s.front = ParetoArchive(j.at("num_objectives").get<int>());
    for (const json& p : j.at("front")) s.front.Insert(PointFrom(p));
    for (BestTracker::Metric m : BestTracker::kAll) {
      if (j.at("best").contains(BestTracker::Name(m))) {
        s.best.Set(m, PointFrom(j.at("best").at(BestTracker::Name(m))));
      }
    }
    return s;
  } catch (const json::exception& e) {
    throw std::runtime_error(path + ": damaged checkpoint (" + e.what() + ")");
  }
}

}  // namespace sieve::search
