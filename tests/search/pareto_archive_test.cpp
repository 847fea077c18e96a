// ParetoArchive and BestTracker against brute force: thousands of points
// with small integer objectives (so ties and exact duplicates happen),
// inserted in random orders.
#include "search/pareto_archive.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <set>
#include <string>
#include <tuple>
#include <vector>

namespace sieve::search {
namespace {

// Distinct choices in id order: point i gets fact = (i / 1000, i % 1000 / 10)
// and keep_mask = i % 10, so ChoiceLess(C(i), C(j)) == (i < j).
Choice ChoiceOf(uint64_t id) {
  Choice c;
  c.fact[0] = static_cast<uint32_t>(id / 1000);
  c.fact[1] = static_cast<uint32_t>(id % 1000 / 10);
  c.keep_mask = id % 10;
  return c;
}

uint64_t IdOf(const Choice& c) { return c.fact[0] * 1000ull + c.fact[1] * 10ull + c.keep_mask; }

std::vector<Point> RandomPoints(int n, int objectives, int range, uint32_t seed) {
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int> v(0, range - 1);
  std::vector<Point> pts(n);
  for (int i = 0; i < n; ++i) {
    for (int k = 0; k < objectives; ++k) pts[i].obj[k] = v(rng);
    pts[i].choice = ChoiceOf(static_cast<uint64_t>(i));
    pts[i].eval_index = static_cast<uint64_t>(i);
  }
  return pts;
}

bool DominatesBrute(const Point& a, const Point& b, int n) {
  bool strictly = false;
  for (int k = 0; k < n; ++k) {
    if (a.obj[k] > b.obj[k]) return false;
    strictly = strictly || a.obj[k] < b.obj[k];
  }
  return strictly;
}

// Ids kept: nothing dominates the point, and no point with exactly the same
// objectives has a lower id.
std::set<uint64_t> BruteFront(const std::vector<Point>& pts, int n) {
  std::set<uint64_t> kept;
  for (const Point& p : pts) {
    bool keep = true;
    for (const Point& q : pts) {
      if (DominatesBrute(q, p, n)) keep = false;
      bool equal = true;
      for (int k = 0; k < n; ++k) equal = equal && q.obj[k] == p.obj[k];
      if (equal && IdOf(q.choice) < IdOf(p.choice)) keep = false;
      if (!keep) break;
    }
    if (keep) kept.insert(IdOf(p.choice));
  }
  return kept;
}

std::set<uint64_t> Ids(const ParetoArchive& a) {
  std::set<uint64_t> ids;
  for (const Point& p : a.points()) ids.insert(IdOf(p.choice));
  return ids;
}

TEST(ParetoArchive, ChoiceOrderIsIdOrder) {
  for (uint64_t i : {0ull, 9ull, 10ull, 999ull, 1000ull, 4321ull}) {
    EXPECT_TRUE(ChoiceLess(ChoiceOf(i), ChoiceOf(i + 1))) << i;
    EXPECT_FALSE(ChoiceLess(ChoiceOf(i + 1), ChoiceOf(i))) << i;
    EXPECT_FALSE(ChoiceLess(ChoiceOf(i), ChoiceOf(i))) << i;
    EXPECT_EQ(IdOf(ChoiceOf(i)), i);
  }
}

TEST(ParetoArchive, HandExample) {
  // (3,3) id0; (1,5) id1; (3,3) id2 tie -> id0 stays; (2,2) id3 dominates (3,3);
  // (5,1) id4; (2,2) id5 tie, higher id; (1,5) id6 tie; (0,9) id7; (2,1) id8
  // dominates (2,2) and not (5,1)? (2,1) vs (5,1): 2<5, 1=1 -> dominates it too.
  const double v[][2] = {{3, 3}, {1, 5}, {3, 3}, {2, 2}, {5, 1}, {2, 2}, {1, 5}, {0, 9}, {2, 1}};
  ParetoArchive a(2);
  const bool kept[] = {true, true, false, true, true, false, false, true, true};
  for (int i = 0; i < 9; ++i) {
    Point p;
    p.obj[0] = v[i][0];
    p.obj[1] = v[i][1];
    p.choice = ChoiceOf(static_cast<uint64_t>(i));
    EXPECT_EQ(a.Insert(p), kept[i]) << i;
  }
  // Final: (1,5) id1, (0,9) id7, (2,1) id8.
  EXPECT_EQ(Ids(a), (std::set<uint64_t>{1, 7, 8}));
  // A lower id with equal objectives replaces the kept one.
  Point p;
  p.obj[0] = 2;
  p.obj[1] = 1;
  p.choice = ChoiceOf(0);
  EXPECT_TRUE(a.Insert(p));
  EXPECT_EQ(Ids(a), (std::set<uint64_t>{0, 1, 7}));
}

// The same mapping evaluated twice (eval 9, then eval 4 arriving later, as
// after a merge of shards): the lower eval_index is kept in either order.
TEST(ParetoArchive, RepeatedMappingKeepsLowerEvalIndex) {
  Point early, late;
  early.obj[0] = late.obj[0] = 2;
  early.obj[1] = late.obj[1] = 3;
  early.choice = late.choice = ChoiceOf(42);
  early.eval_index = 4;
  late.eval_index = 9;
  for (bool early_first : {true, false}) {
    ParetoArchive a(2);
    a.Insert(early_first ? early : late);
    a.Insert(early_first ? late : early);
    ASSERT_EQ(a.points().size(), 1u);
    EXPECT_EQ(a.points()[0].eval_index, 4u) << (early_first ? "early first" : "late first");
  }
}

class ParetoRandom : public ::testing::TestWithParam<std::tuple<int, int>> {};

TEST_P(ParetoRandom, MatchesBruteForceInAnyOrder) {
  const auto [objectives, range] = GetParam();
  for (uint32_t seed = 1; seed <= 3; ++seed) {
    std::vector<Point> pts = RandomPoints(3000, objectives, range, seed);
    const std::set<uint64_t> want = BruteFront(pts, objectives);
    ASSERT_FALSE(want.empty());
    std::mt19937 rng(seed * 77);
    std::set<uint64_t> first;
    for (int shuffle = 0; shuffle < 4; ++shuffle) {
      std::shuffle(pts.begin(), pts.end(), rng);
      ParetoArchive a(objectives);
      for (const Point& p : pts) a.Insert(p);
      const std::set<uint64_t> got = Ids(a);
      EXPECT_EQ(got.size(), a.points().size()) << "duplicate ids kept";
      // No dominated (or tied, higher-id) point kept; no front point lost.
      for (uint64_t id : got) EXPECT_TRUE(want.count(id)) << "kept but not in front: " << id;
      for (uint64_t id : want) EXPECT_TRUE(got.count(id)) << "front point lost: " << id;
      if (shuffle == 0) first = got;
      EXPECT_EQ(got, first) << "insertion order changed the front";
      // The stored objectives are those inserted.
      for (const Point& p : a.points()) {
        const Point& orig = *std::find_if(pts.begin(), pts.end(), [&](const Point& q) {
          return IdOf(q.choice) == IdOf(p.choice);
        });
        for (int k = 0; k < objectives; ++k) EXPECT_EQ(p.obj[k], orig.obj[k]);
        EXPECT_EQ(p.eval_index, orig.eval_index);
      }
      if (::testing::Test::HasFailure()) return;
    }
  }
}

// (objectives, values per objective): small ranges force many exact ties.
INSTANTIATE_TEST_SUITE_P(Pareto, ParetoRandom,
                         ::testing::Values(std::make_tuple(2, 30), std::make_tuple(2, 8),
                                           std::make_tuple(3, 12), std::make_tuple(3, 4)));

TEST(ParetoArchive, DominatesIsStrict) {
  Point a, b;
  a.obj = {1, 2, 3, 0, 0};
  b.obj = {1, 2, 3, 0, 0};
  EXPECT_FALSE(Dominates(a, b, 3));
  b.obj[2] = 4;
  EXPECT_TRUE(Dominates(a, b, 3));
  EXPECT_FALSE(Dominates(b, a, 3));
  EXPECT_FALSE(Dominates(a, b, 2));  // only the first two objectives compared
}

// ---- BestTracker --------------------------------------------------------------------------

Point BestPoint(uint64_t id, double e, double c, double edp, uint64_t eval_index = 0) {
  Point p;
  p.energy_pj = e;
  p.cycles = c;
  p.edp = edp;
  p.eval_index = eval_index;
  p.choice = ChoiceOf(id);
  return p;
}

uint64_t BestId(const BestTracker& t, BestTracker::Metric m) { return IdOf(t.best(m)->choice); }

TEST(ParetoBestTracker, HandExample) {
  BestTracker t;
  for (BestTracker::Metric m : BestTracker::kAll) EXPECT_FALSE(t.best(m).has_value());
  EXPECT_TRUE(t.Offer(BestPoint(5, 10, 10, 100)));
  EXPECT_FALSE(t.Offer(BestPoint(6, 10, 10, 100)));  // ties on all three, higher id
  EXPECT_FALSE(t.Offer(BestPoint(4, 10, 20, 200)));  // energy tie, but more cycles
  EXPECT_TRUE(t.Offer(BestPoint(7, 20, 5, 100)));    // cycles; its EDP tie has more energy
  EXPECT_FALSE(t.Offer(BestPoint(3, 30, 30, 100)));  // EDP tie, more energy
  EXPECT_TRUE(t.Offer(BestPoint(2, 10, 10, 100)));   // ties on all three, lower id
  EXPECT_FALSE(t.Offer(BestPoint(1, 40, 40, 1600)));
  EXPECT_EQ(BestId(t, BestTracker::Metric::kEnergy), 2u);
  EXPECT_EQ(BestId(t, BestTracker::Metric::kCycles), 7u);
  EXPECT_EQ(BestId(t, BestTracker::Metric::kEdp), 2u);
}

// Offers `pts` in every order and expects the same bests each time.
void ExpectBestsInAnyOrder(std::vector<Point> pts, uint64_t energy_id, uint64_t cycles_id,
                           uint64_t edp_id, uint64_t cycles_eval_index = 0) {
  std::vector<size_t> order(pts.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  do {
    BestTracker t;
    for (size_t i : order) t.Offer(pts[i]);
    std::string seq;
    for (size_t i : order) seq += std::to_string(i) + " ";
    EXPECT_EQ(BestId(t, BestTracker::Metric::kEnergy), energy_id) << "order " << seq;
    EXPECT_EQ(BestId(t, BestTracker::Metric::kCycles), cycles_id) << "order " << seq;
    EXPECT_EQ(t.best(BestTracker::Metric::kCycles)->eval_index, cycles_eval_index) << "order " << seq;
    EXPECT_EQ(BestId(t, BestTracker::Metric::kEdp), edp_id) << "order " << seq;
    if (::testing::Test::HasFailure()) return;
  } while (std::next_permutation(order.begin(), order.end()));
}

// Best cycles among equal cycles is the lowest energy (then EDP, id,
// eval_index): id 0 (50 pJ) and id 1 (40 pJ) both take 100 cycles, so id 1,
// which dominates id 0, is the best by cycles, not the lower id 0. Id 1 was
// evaluated twice (eval 3 and 7): the earlier evaluation is kept. Best
// energy is id 3 (30 pJ); best EDP is id 3 (30 x 120 = 3600).
TEST(ParetoBestTracker, CyclesTieTakesLowestEnergy) {
  ExpectBestsInAnyOrder({BestPoint(0, 50, 100, 5000, 0), BestPoint(1, 40, 100, 4000, 7),
                         BestPoint(1, 40, 100, 4000, 3), BestPoint(2, 40, 100, 4000, 1),
                         BestPoint(3, 30, 120, 3600, 2)},
                        /*energy*/ 3, /*cycles*/ 1, /*edp*/ 3, /*cycles eval_index*/ 3);
}

// Best energy among equal energy is the lowest cycles, then the lowest
// EDP: ids 0, 4, 5 all take 10 pJ; id 4 and id 5 take 200 cycles (id 0:
// 300), and id 5 has the lower EDP (a made-up 2000 against 2100: EDP is a
// metric of its own here). Best cycles: id 6 (150 cycles). Best EDP: id 5.
TEST(ParetoBestTracker, EnergyTieTakesLowestCyclesThenEdp) {
  ExpectBestsInAnyOrder({BestPoint(0, 10, 300, 3000), BestPoint(4, 10, 200, 2100),
                         BestPoint(5, 10, 200, 2000), BestPoint(6, 20, 150, 3000)},
                        /*energy*/ 5, /*cycles*/ 6, /*edp*/ 5);
}

// Best EDP among equal EDP is the lowest energy, then the lowest cycles:
// 40 x 100, 20 x 200 and (made up) 20 pJ at 150 cycles all have EDP 4000;
// id 2 has the least energy (20 pJ, as id 1) and fewer cycles than id 1.
// Best energy among 20 pJ: id 2 (150 cycles). Best cycles: id 0 (100).
TEST(ParetoBestTracker, EdpTieTakesLowestEnergyThenCycles) {
  ExpectBestsInAnyOrder({BestPoint(0, 40, 100, 4000), BestPoint(1, 20, 200, 4000),
                         BestPoint(2, 20, 150, 4000), BestPoint(3, 50, 100, 5000)},
                        /*energy*/ 2, /*cycles*/ 0, /*edp*/ 2);
}

TEST(ParetoBestTracker, RandomMatchesBruteForce) {
  std::mt19937 rng(11);
  std::uniform_int_distribution<int> v(0, 15);
  std::uniform_int_distribution<int> dup(0, 4);
  std::vector<Point> pts(4000);
  for (size_t i = 0; i < pts.size(); ++i) {
    pts[i].energy_pj = v(rng);
    pts[i].cycles = v(rng);
    pts[i].edp = pts[i].energy_pj * pts[i].cycles;
    pts[i].choice = ChoiceOf(i);
    // About one point in five repeats an earlier mapping with its objectives
    // (a random search draws an id twice), so the eval_index tie-break is used.
    if (i >= 5 && dup(rng) == 0) pts[i] = pts[i - 5];
    pts[i].eval_index = i;
  }
  // Brute force: the minimum of the lexicographic key each metric's rule
  // names (header of pareto_archive.hpp).
  using Key = std::tuple<double, double, double, uint64_t, uint64_t>;
  auto brute = [&](auto key) {
    size_t best = 0;
    for (size_t i = 1; i < pts.size(); ++i) {
      if (key(pts[i]) < key(pts[best])) best = i;
    }
    return std::make_pair(IdOf(pts[best].choice), pts[best].eval_index);
  };
  const auto be = brute([](const Point& p) {
    return Key{p.energy_pj, p.cycles, p.edp, IdOf(p.choice), p.eval_index};
  });
  const auto bc = brute([](const Point& p) {
    return Key{p.cycles, p.energy_pj, p.edp, IdOf(p.choice), p.eval_index};
  });
  const auto bd = brute([](const Point& p) {
    return Key{p.edp, p.energy_pj, p.cycles, IdOf(p.choice), p.eval_index};
  });
  auto got = [](const BestTracker& t, BestTracker::Metric m) {
    return std::make_pair(IdOf(t.best(m)->choice), t.best(m)->eval_index);
  };
  for (int shuffle = 0; shuffle < 3; ++shuffle) {
    std::shuffle(pts.begin(), pts.end(), rng);
    BestTracker t;
    for (const Point& p : pts) t.Offer(p);
    EXPECT_EQ(got(t, BestTracker::Metric::kEnergy), be);
    EXPECT_EQ(got(t, BestTracker::Metric::kCycles), bc);
    EXPECT_EQ(got(t, BestTracker::Metric::kEdp), bd);
  }
}

TEST(ParetoObjectives, ParseAndName) {
  EXPECT_EQ(ParseObjective("energy"), Objective::kEnergy);
  EXPECT_EQ(ParseObjective("delay"), Objective::kCycles);
  EXPECT_EQ(ParseObjective("cycles"), Objective::kCycles);
  EXPECT_EQ(ParseObjective("edp"), Objective::kEdp);
  EXPECT_EQ(ParseObjective("area"), Objective::kArea);
  EXPECT_EQ(ParseObjective("last_level_accesses"), Objective::kLastLevelAccesses);
  EXPECT_FALSE(ParseObjective("speed").has_value());
  for (Objective o : {Objective::kEnergy, Objective::kCycles, Objective::kEdp, Objective::kArea,
                      Objective::kLastLevelAccesses}) {
    EXPECT_EQ(ParseObjective(ObjectiveName(o)), o);
  }
}

}  // namespace
}  // namespace sieve::search
