// Pareto archive: the non-dominated set of evaluated mappings over the
// chosen objectives (all minimised), plus the best mapping by energy,
// cycles and EDP. Ties on equal objectives go to the lower mapping id, then
// (the same mapping evaluated twice) the lower eval_index, so the content
// depends only on the set of points inserted, never on their arrival order
// or on timing.
// Not thread-safe: the search driver owns one and merges into it serially.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "search/mapspace.hpp"

namespace sieve::search {

inline constexpr int kMaxObjectives = 5;

enum class Objective : uint8_t { kEnergy, kCycles, kEdp, kArea, kLastLevelAccesses };

// "energy", "cycles" (also "delay"), "edp", "area", "last_level_accesses".
std::optional<Objective> ParseObjective(const std::string& name);
// "energy,cycles" -> {kEnergy, kCycles}; "delay" reads as cycles. Throws
// spec::SpecError naming `what` (e.g. "--objectives") on an unknown name,
// a repeat or an empty list.
std::vector<Objective> ParseObjectiveList(const std::string& list, const std::string& what);
const char* ObjectiveName(Objective o);

struct Point {
  std::array<double, kMaxObjectives> obj{};  // in the archive's objective order
  double energy_pj = 0;
  double cycles = 0;
  double edp = 0;
  uint64_t eval_index = 0;
  Choice choice;
};

// True when a is at least as good everywhere and better somewhere.
bool Dominates(const Point& a, const Point& b, int num_objectives);

class ParetoArchive {
 public:
  explicit ParetoArchive(int num_objectives = 2) : num_objectives_(num_objectives) {}

  // Inserts p unless a kept point dominates it or has equal objectives and
  // a lower (mapping id, eval_index); removes the points p dominates and
  // those it so replaces. Returns true if p was kept.
  bool Insert(const Point& p);

  const std::vector<Point>& points() const { return points_; }
  int num_objectives() const { return num_objectives_; }
  void clear() { points_.clear(); }

 private:
  int num_objectives_;
  std::vector<Point> points_;
};

// Best point by one scalar metric (energy, cycles or EDP). Equal values
// are broken lexicographically on the other metrics, then the mapping id,
// then eval_index:
//   energy  (energy, cycles, edp, mapping id, eval_index)
//   cycles  (cycles, energy, edp, mapping id, eval_index)
//   edp     (edp, energy, cycles, mapping id, eval_index)
// The order is total, so the bests depend only on the set of points
// offered, not on their arrival order (hence not on the thread count).
class BestTracker {
 public:
  enum class Metric : uint8_t { kEnergy, kCycles, kEdp };
  static constexpr std::array<Metric, 3> kAll = {Metric::kEnergy, Metric::kCycles, Metric::kEdp};
  static const char* Name(Metric m);
  static double Value(const Point& p, Metric m);
  // True when a comes before b in metric m's order above.
  static bool Better(const Point& a, const Point& b, Metric m);

  // Returns true if p became the best for some metric.
  bool Offer(const Point& p);
  const std::optional<Point>& best(Metric m) const { return best_[static_cast<int>(m)]; }
  void Set(Metric m, const Point& p) { best_[static_cast<int>(m)] = p; }

 private:
  std::array<std::optional<Point>, 3> best_;
};

}  // namespace sieve::search
