#include "search/strategy.hpp"

#include <boost/random/mersenne_twister.hpp>
#include <boost/random/uniform_int_distribution.hpp>
#include <algorithm>
#include <atomic>
#include <cmath>
#include <stdexcept>

#include "search/lower_bound.hpp"

namespace sieve::search {
namespace {

uint64_t SplitMix64(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

struct Uniform {
  boost::random::mt19937_64& rng;
  uint64_t operator()(uint64_t n) {
    if (n <= 1) return 0;
    return boost::random::uniform_int_distribution<uint64_t>(0, n - 1)(rng);
  }
};

class RandomStrategy : public Strategy {
 public:
  RandomStrategy(const Mapspace& space, const StrategyOptions& o) : space_(space), opt_(o) {}
  const char* name() const override { return "random"; }
  bool Plan(uint64_t chunk, ChunkPlan& plan) override {
    plan.chunk = chunk;
    plan.count = opt_.chunk_size;
    return true;
  }
  void Candidates(const ChunkPlan& plan, std::vector<Choice>& out) const override {
    boost::random::mt19937_64 rng(ChunkSeed(opt_.seed, plan.chunk));
    Uniform next{rng};
    Choice c;
    for (uint32_t i = 0; i < plan.count; ++i) {
      if (opt_.valid_first) {
        space_.SampleValid(next, c);
      } else {
        space_.Sample(next, c);
      }
      out.push_back(c);
    }
  }

 private:
  const Mapspace& space_;
  StrategyOptions opt_;
};

class ExhaustiveStrategy : public Strategy {
 public:
  ExhaustiveStrategy(const Mapspace& space, const StrategyOptions& o) : space_(space), opt_(o) {
    sub_count_ = space_.CanonicalCount(cursor_);
  }
  const char* name() const override { return "exhaustive"; }

 protected:
  // Whether the mappings of c's factorization are worth producing.
  virtual bool Wanted(const Choice& c) const { return !opt_.valid_first || space_.FactorizationFits(c); }

 public:

  bool Plan(uint64_t chunk, ChunkPlan& plan) override {
    // Chunk c covers canonical positions [c*K, (c+1)*K); skip to its start.
    const uint64_t target = chunk * opt_.chunk_size;
    if (!Advance(target - position_)) return false;
    plan.chunk = chunk;
    plan.start = cursor_;
    plan.start_sub = sub_;
    const uint64_t before = position_;
    Advance(opt_.chunk_size);
    plan.count = static_cast<uint32_t>(position_ - before);
    plan.end = cursor_;
    plan.end_sub = sub_;
    plan.end_at_end = exhausted_;
    return plan.count > 0;
  }

  void Candidates(const ChunkPlan& plan, std::vector<Choice>& out) const override {
    Choice c = plan.start;
    uint64_t sub = plan.start_sub;
    uint64_t count = space_.CanonicalCount(c);
    bool fact_fits = Wanted(c);
    for (uint32_t i = 0; i < plan.count; ++i) {
      while (sub >= count) {
        if (!space_.NextFactorization(c)) return;
        sub = 0;
        count = space_.CanonicalCount(c);
        fact_fits = Wanted(c);
      }
      // Positions that cannot fit are walked but not evaluated.
      if (fact_fits) {
        space_.CanonicalChoice(sub, c);
        if (!opt_.valid_first || space_.Fits(c)) out.push_back(c);
      }
      ++sub;
    }
  }

  void Restore(const ChunkPlan& next) override {
    cursor_ = next.start;
    sub_ = next.start_sub;
    sub_count_ = space_.CanonicalCount(cursor_);
    position_ = next.chunk * opt_.chunk_size;
    exhausted_ = next.start_at_end;
  }

  uint64_t KnownTotal() const override {
    Choice c;
    uint64_t total = 0;
    do {
      total += space_.CanonicalCount(c);
    } while (space_.NextFactorization(c));
    return total;
  }

 protected:
  // Moves the cursor n canonical positions on; false if the space ends first.
  bool Advance(uint64_t n) {
    while (n > 0 && !exhausted_) {
      const uint64_t left = sub_count_ - sub_;
      if (n < left) {
        sub_ += n;
        position_ += n;
        return true;
      }
      n -= left;
      position_ += left;
      sub_ = 0;
      if (!space_.NextFactorization(cursor_)) {
        exhausted_ = true;
        break;
      }
      sub_count_ = space_.CanonicalCount(cursor_);
    }
    return !exhausted_;
  }

  const Mapspace& space_;
  StrategyOptions opt_;
  Choice cursor_;
  uint64_t sub_ = 0;
  uint64_t sub_count_ = 0;
  uint64_t position_ = 0;
  bool exhausted_ = false;
};

class OptimalStrategy : public ExhaustiveStrategy {
 public:
  OptimalStrategy(const Mapspace& space, const StrategyOptions& o)
      : ExhaustiveStrategy(space, o),
        pending_(std::max<int>(1, static_cast<int>(o.objectives.size()))),
        per_round_(std::max<uint32_t>(1, o.chunks_per_round)) {}
  const char* name() const override { return "optimal"; }

  bool Plan(uint64_t chunk, ChunkPlan& plan) override {
    if (chunk >= (round_ + 1) * per_round_) return false;  // the round ends
    return ExhaustiveStrategy::Plan(chunk, plan);
  }
  bool WantsFeedback() const override { return opt_.lower_bound != nullptr; }
  void Tell(const ChunkPlan&, const std::vector<Choice>& candidates, const std::vector<Outcome>& outcomes,
            size_t merged) override {
    for (size_t i = 0; i < merged && i < outcomes.size(); ++i) {
      if (!outcomes[i].valid) continue;
      Point p;
      p.obj = outcomes[i].obj;
      p.choice = candidates[i];
      pending_.Insert(p);
    }
  }
  bool NextRound() override {
    if (exhausted_) return false;
    ++round_;
    front_.clear();
    for (const Point& p : pending_.points()) front_.push_back(p.obj);
    return true;
  }
  void Restore(const ChunkPlan& next) override {
    ExhaustiveStrategy::Restore(next);
    round_ = next.chunk / per_round_;  // the front is rebuilt from here on
  }
  std::string Summary() const override {
    return "optimal: " + std::to_string(pruned_.load()) + " factorizations skipped by dominance, " +
           std::to_string(unfit_.load()) + " that cannot fit";
  }

 protected:
  bool Wanted(const Choice& c) const override {
    if (opt_.valid_first && !space_.FactorizationFits(c)) {
      unfit_.fetch_add(1, std::memory_order_relaxed);
      return false;
    }
    if (opt_.lower_bound == nullptr || front_.empty()) return true;
    const std::array<double, kMaxObjectives> bound = opt_.lower_bound->Of(c, opt_.objectives);
    const size_t k = opt_.objectives.size();
    for (const std::array<double, kMaxObjectives>& p : front_) {
      bool all_le = true, any_lt = false;
      for (size_t i = 0; i < k; ++i) {
        all_le = all_le && p[i] <= bound[i];
        any_lt = any_lt || p[i] < bound[i];
      }
      if (all_le && any_lt) {
        pruned_.fetch_add(1, std::memory_order_relaxed);
        return false;
      }
    }
    return true;
  }

 private:
  ParetoArchive pending_;  // every point told so far (Tell, serial)
  std::vector<std::array<double, kMaxObjectives>> front_;  // as of the round's start
  uint64_t round_ = 0;
  uint32_t per_round_;
  // Counted from Candidates (several threads); a position is walked once.
  mutable std::atomic<uint64_t> pruned_{0};
  mutable std::atomic<uint64_t> unfit_{0};
};

class HybridStrategy : public Strategy {
 public:
  HybridStrategy(const Mapspace& space, const StrategyOptions& o) : space_(space), opt_(o) {}
  const char* name() const override { return "hybrid"; }
  bool Plan(uint64_t chunk, ChunkPlan& plan) override {
    plan.chunk = chunk;
    plan.count = opt_.orders_per_factorization;
    return true;
  }
  void Candidates(const ChunkPlan& plan, std::vector<Choice>& out) const override {
    boost::random::mt19937_64 rng(ChunkSeed(opt_.seed, plan.chunk));
    Uniform next{rng};
    Choice c;
    for (int attempt = 0; attempt < 256; ++attempt) {
      for (int d = 0; d < space_.num_dims(); ++d) {
        c.fact[d] = static_cast<uint32_t>(next(space_.NumFactorizations(d)));
      }
      if (!opt_.valid_first || space_.FactorizationFits(c)) break;
    }
    const uint64_t count = space_.CanonicalCount(c);
    if (count <= plan.count) {
      for (uint64_t i = 0; i < count; ++i) {
        space_.CanonicalChoice(i, c);
        if (i == 0 || !opt_.valid_first || space_.Fits(c)) out.push_back(c);
      }
      return;
    }
    // Canonical choice 0 first: it bypasses every free (level, tensor), so
    // it needs the least room; when it overflows, all of them do.
    space_.CanonicalChoice(0, c);
    out.push_back(c);
    for (uint32_t i = 1; i < plan.count; ++i) {
      space_.CanonicalChoice(next(count), c);
      if (!opt_.valid_first || space_.Fits(c)) out.push_back(c);
    }
  }
  bool SkipChunkAfterCapacityFailure() const override { return true; }

 private:
  const Mapspace& space_;
  StrategyOptions opt_;
};

class LocalStrategy : public Strategy {
 public:
  LocalStrategy(const Mapspace& space, const StrategyOptions& o)
      : space_(space), opt_(o), current_(std::max<uint32_t>(1, o.walkers)), pending_(current_) {
    opt_.walkers = static_cast<uint32_t>(current_.size());
    opt_.neighbours = std::max<uint32_t>(1, opt_.neighbours);
    opt_.patience = std::max<uint32_t>(1, opt_.patience);
    // Walker w weighs log(objective i) by its own weights: with two
    // objectives (a, 1-a), a spread over (0, 1) (a = 1/2 is the product,
    // e.g. EDP); with k objectives, one walker per axis-leaning mix.
    const int k = std::max(1, opt_.num_objectives);
    for (uint32_t w = 0; w < opt_.walkers; ++w) {
      Walker& walker = current_[w];
      walker.weight.fill(0);
      if (k == 1) {
        walker.weight[0] = 1;
      } else {
        const double a = (w + 0.5) / opt_.walkers;
        for (int i = 0; i < k; ++i) walker.weight[i] = (1 - a) / (k - 1);
        walker.weight[w % k] = a;
      }
    }
    pending_ = current_;
  }
  const char* name() const override { return "local"; }

  bool Plan(uint64_t chunk, ChunkPlan& plan) override {
    // Round r holds chunks [r*W, (r+1)*W): walker chunk % W.
    if (chunk >= (round_ + 1) * opt_.walkers) return false;
    plan.chunk = chunk;
    plan.count = opt_.neighbours;
    return true;
  }

  void Candidates(const ChunkPlan& plan, std::vector<Choice>& out) const override {
    boost::random::mt19937_64 rng(ChunkSeed(opt_.seed, plan.chunk));
    Uniform next{rng};
    const Walker& w = current_[plan.chunk % opt_.walkers];
    Choice c;
    for (uint32_t i = 0; i < plan.count; ++i) {
      if (w.has_point) {
        // Mostly one move, sometimes two (to step off plateaus), redrawn
        // a few times when the result cannot fit.
        for (int attempt = 0; attempt < 8; ++attempt) {
          c = w.point;
          space_.Neighbor(next, c);
          if (next(4) == 0) space_.Neighbor(next, c);
          if (!opt_.valid_first || space_.Fits(c)) break;
        }
      } else if (opt_.valid_first) {
        space_.SampleValid(next, c);
      } else {
        space_.Sample(next, c);
      }
      out.push_back(c);
    }
  }

  bool WantsFeedback() const override { return true; }

  void Tell(const ChunkPlan& plan, const std::vector<Choice>& candidates, const std::vector<Outcome>& outcomes,
            size_t merged) override {
    Walker& w = pending_[plan.chunk % opt_.walkers];
    int best = -1;
    double best_score = 0;
    for (size_t i = 0; i < merged && i < outcomes.size(); ++i) {
      if (!outcomes[i].valid) continue;
      const double s = Score(w, outcomes[i]);
      if (best < 0 || s < best_score) {
        best = static_cast<int>(i);
        best_score = s;
      }
    }
    if (best >= 0 && (!w.has_point || best_score < w.score)) {
      w.has_point = true;
      w.point = candidates[best];
      w.score = best_score;
      w.stale = 0;
    } else if (w.has_point && ++w.stale >= opt_.patience) {
      w.has_point = false;  // a local optimum (as far as sampling tells): restart
      w.stale = 0;
    }
  }

  bool NextRound() override {
    ++round_;
    current_ = pending_;
    return true;
  }

  void Restore(const ChunkPlan& next) override {
    // Walkers are not checkpointed: a resumed run restarts them at the
    // round of its next chunk.
    round_ = next.chunk / opt_.walkers;
  }

 private:
  struct Walker {
    std::array<double, 5> weight{};
    bool has_point = false;
    Choice point;
    double score = 0;
    uint32_t stale = 0;
  };

  double Score(const Walker& w, const Outcome& o) const {
    double s = 0;
    for (int i = 0; i < std::max(1, opt_.num_objectives); ++i) s += w.weight[i] * std::log(std::max(o.obj[i], 1e-300));
    return s;
  }

  const Mapspace& space_;
  StrategyOptions opt_;
  uint64_t round_ = 0;
  std::vector<Walker> current_;  // read by Candidates during a round
  std::vector<Walker> pending_;  // written by Tell; becomes current_ at NextRound
};

template <class T>
StrategyFactory Factory() {
  return [](const Mapspace& s, const StrategyOptions& o) { return std::make_unique<T>(s, o); };
}

}  // namespace

uint64_t ChunkSeed(uint64_t seed, uint64_t chunk) {
  return SplitMix64(SplitMix64(seed) ^ (chunk * 0xd1342543de82ef95ULL + 1));
}

const std::map<std::string, StrategyFactory>& StrategyTable() {
  static const std::map<std::string, StrategyFactory> table = {
      {"random", Factory<RandomStrategy>()},
      {"exhaustive", Factory<ExhaustiveStrategy>()},
      {"hybrid", Factory<HybridStrategy>()},
      {"local", Factory<LocalStrategy>()},
      {"optimal", Factory<OptimalStrategy>()},
  };
  return table;
}

std::unique_ptr<Strategy> MakeStrategy(const std::string& name, const Mapspace& space,
                                       const StrategyOptions& options) {
  const auto& table = StrategyTable();
  auto it = table.find(name);
  if (it == table.end()) {
    std::string valid;
    for (const auto& [n, f] : table) valid += (valid.empty() ? "" : ", ") + n;
    throw std::invalid_argument("unknown search strategy '" + name + "' (valid: " + valid + ")");
  }
  return it->second(space, options);
}

}  // namespace sieve::search
