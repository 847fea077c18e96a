#include "search/pareto_archive.hpp"

#include <algorithm>

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

}  // namespace

bool ParetoArchive::Insert(const Point& p) {
  for (const Point& q : points_) {
    if (Dominates(q, p, num_objectives_)) return false;
    if (SameObjectives(q, p, num_objectives_) && !ChoiceLess(p.choice, q.choice)) return false;
  }
  // p is kept: drop what it dominates and an equal point with a higher id.
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

bool BestTracker::Offer(const Point& p) {
  bool improved = false;
  for (Metric m : kAll) {
    std::optional<Point>& b = best_[static_cast<int>(m)];
    const double v = Value(p, m);
    if (!b || v < Value(*b, m) || (v == Value(*b, m) && ChoiceLess(p.choice, b->choice))) {
      b = p;
      improved = true;
    }
  }
  return improved;
}

}  // namespace sieve::search
