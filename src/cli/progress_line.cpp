#include "cli/progress_line.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <cstdio>

namespace sieve::cli {
namespace {

std::string Hms(double s) {
  if (s < 0) return "--:--:--";
  const long t = static_cast<long>(s + 0.5);
  return fmt::format("{:02}:{:02}:{:02}", t / 3600, (t / 60) % 60, t % 60);
}

std::string Count(double n) {
  if (n >= 1e9) return fmt::format("{:.2f}G", n / 1e9);
  if (n >= 1e6) return fmt::format("{:.2f}M", n / 1e6);
  if (n >= 1e3) return fmt::format("{:.1f}k", n / 1e3);
  return fmt::format("{:.0f}", n);
}

std::string Describe(const search::Progress& p) {
  const search::SearchState& s = *p.state;
  const double valid_pct = s.evaluations ? 100.0 * s.valid / s.evaluations : 0;
  std::string best = "no valid mapping yet";
  using M = search::BestTracker::Metric;
  if (s.best.best(M::kEnergy)) {
    best = fmt::format("best E {:.4g} pJ, C {:.0f}, EDP {:.4g}", s.best.best(M::kEnergy)->energy_pj,
                       s.best.best(M::kCycles)->cycles, s.best.best(M::kEdp)->edp);
  }
  return fmt::format("{} evals, {}/s, valid {:.1f}%, front {}, {}, elapsed {}, ETA {}",
                     Count(static_cast<double>(s.evaluations)), Count(p.rate_per_s), valid_pct,
                     s.front.points().size(), best, Hms(s.elapsed_s), Hms(p.eta_s));
}

}  // namespace

void ProgressLine::Update(const search::Progress& p) {
  if (quiet_) return;
  if (live_) {
    std::fprintf(stderr, "\r\033[K%s", Describe(p).c_str());
    std::fflush(stderr);
    drawn_ = true;
    return;
  }
  const auto now = std::chrono::steady_clock::now();
  if (now - last_log_ >= std::chrono::seconds(10)) {
    last_log_ = now;
    spdlog::info("{}", Describe(p));
  }
}

void ProgressLine::Finish() {
  if (drawn_) std::fprintf(stderr, "\n");
  drawn_ = false;
}

std::string FrontTable(const search::Snapshot& snap, const search::SearchState& state,
                       const search::RunInfo& info) {
  std::string out = fmt::format("Pareto front ({} points, objectives {}) after {} evaluations, "
                                "{} valid; stop: {}\n",
                                snap.pareto.size(), info.objectives, state.evaluations,
                                state.valid, state.stop_reason);
  out += fmt::format("{:>18} {:>14} {:>12} {:>8} {:>10}  {}\n", "energy_pj", "cycles", "edp",
                     "util", "eval", "mapping_id");
  for (const search::ResultRow& r : snap.pareto) {
    out += fmt::format("{:>18.2f} {:>14.0f} {:>12.4e} {:>7.1f}% {:>10}  {}\n", r.energy_pj,
                       r.cycles, r.edp, 100 * r.utilization, r.eval_index, r.mapping_id);
  }
  for (const search::ResultRow& r : snap.best) {
    out += fmt::format("best {:<7} energy {:.2f} pJ, cycles {:.0f}, EDP {:.4e} (eval {})\n",
                       r.metric, r.energy_pj, r.cycles, r.edp, r.eval_index);
  }
  return out;
}

}  // namespace sieve::cli
