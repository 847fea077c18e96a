#include "search/pareto_archive.hpp"

#include <algorithm>

#include "sieve/spec/error.hpp"

namespace sieve::search {

std::optional<Objective> ParseObjective(const std::string& name) {
  if (name == "energy") return Objective::kEnergy;
  if (name == "cycles" || name == "delay" || name == "latency") return Objective::kCycles;
  if (name == "edp") return Objective::kEdp;
  if (name == "area") return Objective::kArea;
  if (name == "last_level_accesses" || name == "last-level-accesses") {
    return Objective::kLastLevelAccesses;
  }
  return std::nullopt;
}

std::vector<Objective> ParseObjectiveList(const std::string& list, const std::string& what) {
  std::vector<Objective> out;
  size_t begin = 0;
  while (begin <= list.size()) {
    const size_t comma = std::min(list.find(',', begin), list.size());
    const std::string name = list.substr(begin, comma - begin);
    const auto o = ParseObjective(name);
    if (!o) {
      throw spec::SpecError(what + ": unknown objective '" + name +
                            "' (valid: energy, cycles, edp, area, last_level_accesses)");
    }
    if (std::find(out.begin(), out.end(), *o) != out.end()) {
      throw spec::SpecError(what + ": objective '" + name + "' given twice");
    }
    out.push_back(*o);
    begin = comma + 1;
  }
  if (out.empty() || out.size() > static_cast<size_t>(kMaxObjectives)) {
    throw spec::SpecError(what + ": give 1 to " + std::to_string(kMaxObjectives) + " comma-separated objectives");
  }
  return out;
}

const char* ObjectiveName(Objective o) {
  switch (o) {
    case Objective::kEnergy: return "energy";
    case Objective::kCycles: return "cycles";
    case Objective::kEdp: return "edp";
    case Objective::kArea: return "area";
    case Objective::kLastLevelAccesses: return "last_level_accesses";
  }
  return "?";
}

bool Dominates(const Point& a, const Point& b, int num_objectives) {
  bool better = false;
  for (int i = 0; i < num_objectives; ++i) {
    if (a.obj[i] > b.obj[i]) return false;
    if (a.obj[i] < b.obj[i]) better = true;
  }
  return better;
}

namespace {

bool SameObjectives(const Point& a, const Point& b, int n) {
  for (int i = 0; i < n; ++i) {
    if (a.obj[i] != b.obj[i]) return false;
  }
  return true;
}

// The final tie-break of points with equal objectives. eval_index only
// separates one mapping evaluated twice (random sampling repeats ids); it
// makes the order total, so arrival order never decides.
bool IdLess(const Point& a, const Point& b) {
  if (ChoiceLess(a.choice, b.choice)) return true;
  if (ChoiceLess(b.choice, a.choice)) return false;
  return a.eval_index < b.eval_index;
}

}  // namespace

bool ParetoArchive::Insert(const Point& p) {
  for (const Point& q : points_) {
    if (Dominates(q, p, num_objectives_)) return false;
    if (SameObjectives(q, p, num_objectives_) && !IdLess(p, q)) return false;
  }
  // p is kept: drop what it dominates and an equal point it precedes.
  points_.erase(std::remove_if(points_.begin(), points_.end(),
                               [&](const Point& q) {
                                 return Dominates(p, q, num_objectives_) ||
                                        SameObjectives(p, q, num_objectives_);
                               }),
                points_.end());
  points_.push_back(p);
  return true;
}

const char* BestTracker::Name(Metric m) {
  switch (m) {
    case Metric::kEnergy: return "energy";
    case Metric::kCycles: return "cycles";
    case Metric::kEdp: return "edp";
  }
  return "?";
}

double BestTracker::Value(const Point& p, Metric m) {
  switch (m) {
    case Metric::kEnergy: return p.energy_pj;
    case Metric::kCycles: return p.cycles;
    case Metric::kEdp: return p.edp;
  }
  return 0;
}

bool BestTracker::Better(const Point& a, const Point& b, Metric m) {
  // Equal values of one metric are common (cycles are integers, and many
  // mappings share a bottleneck): the other metrics decide, so that the
  // best by cycles is never a point that another point of the same cycles
  // dominates on energy.
  std::array<Metric, 3> order = kAll;  // energy, cycles, edp
  if (m == Metric::kCycles) order = {Metric::kCycles, Metric::kEnergy, Metric::kEdp};
  if (m == Metric::kEdp) order = {Metric::kEdp, Metric::kEnergy, Metric::kCycles};
  for (Metric k : order) {
    if (Value(a, k) != Value(b, k)) return Value(a, k) < Value(b, k);
  }
  return IdLess(a, b);
}

bool BestTracker::Offer(const Point& p) {
  bool improved = false;
  for (Metric m : kAll) {
    std::optional<Point>& b = best_[static_cast<int>(m)];
    if (!b || Better(p, *b, m)) {
      b = p;
      improved = true;
    }
  }
  return improved;
}

}  // namespace sieve::search
