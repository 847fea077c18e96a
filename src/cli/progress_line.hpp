// Search progress for people: a live, self-overwriting line on a terminal,
// periodic log lines otherwise; and the final front as a table.
#pragma once

#include <chrono>
#include <string>

#include "search/driver.hpp"
#include "search/results_writer.hpp"

namespace sieve::cli {

class ProgressLine {
 public:
  ProgressLine(bool live, bool quiet) : live_(live), quiet_(quiet) {}
  bool live() const { return live_ && !quiet_; }
  void Update(const search::Progress& p);  // called from one thread at a time
  void Finish();                           // ends the live line

 private:
  bool live_;
  bool quiet_;
  bool drawn_ = false;
  std::chrono::steady_clock::time_point last_log_{};
};

std::string FrontTable(const search::Snapshot& snap, const search::SearchState& state,
                       const search::RunInfo& info);

}  // namespace sieve::cli
