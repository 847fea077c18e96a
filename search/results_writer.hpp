// HDF5 results of a search, written by one writer thread.
//
// Layout of OUT (a notebook reads it with h5py/pandas in one line:
// pandas.DataFrame(h5py.File(OUT)["pareto"][:])):
//   /            attributes: tool_version, seed, strategy, threads,
//                input_yaml (all input files, verbatim), config_sha256,
//                start_time, end_time (ISO 8601 UTC), evaluations, valid,
//                stop_reason, objectives, mapspace_size, invalid_<reason>,
//                optimal (1 when an optimal search finished: the front is exact),
//                no_valid_mapping (1 when evaluations > 0 and none was valid),
//                evaluations_log_capped (with the log: 1 once max_log_bytes stopped it)
//                counts, level_names
//   /pareto      1-D compound dataset, one row per non-dominated mapping
//   /best        1-D compound dataset, one row per metric (energy, cycles, edp),
//                with a `metric` field naming it
//   /evaluations external link to OUT.evaluations.h5 (when logging is on)
// Row fields: metric (best only), mapping_id, eval_index, valid,
//   invalid_reason and invalid_detail (evaluations only), energy_pj,
//   cycles, edp, area_um2, utilization, last_level_accesses,
//   energy_pj_<level> per storage level (and the compute), mapping (map.yaml
//   text; "" in the evaluations log).
//
// Crash safety: every Snapshot() is written completely to a temporary file
// OUT.<pid>.<random>.tmp (unique per writer, so no two runs share it),
// flushed and closed, then renamed over OUT, so OUT is always a complete file from
// at most one snapshot interval ago. The evaluations log is a separate file
// with an extendible dataset, flushed at each append.
//
// Thread safety: all public methods may be called from any thread; the
// writer thread does all HDF5 work of a writer (ReadResultAttributes reads
// on the caller's thread; the HDF5 library is built thread-safe).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace sieve::search {

struct ResultRow {
  std::string metric;      // only for /best rows: "energy", "cycles", "edp"
  std::string mapping_id;  // decimal mapping id in the mapspace
  uint64_t eval_index = 0; // position in evaluation order
  bool valid = true;
  // /evaluations only ("" for valid rows): the driver's reason name
  // (capacity, fanout, constraint, other; at most 16 bytes, else the
  // writer's calls throw std::invalid_argument) and the model's text.
  std::string invalid_reason;
  std::string invalid_detail;
  double energy_pj = 0;
  double cycles = 0;
  double edp = 0;
  double area_um2 = 0;
  double utilization = 0;
  double last_level_accesses = 0;
  // One per name in RunInfo::energy_columns, or empty (written as NaN, e.g.
  // for invalid mappings); any other size is std::invalid_argument.
  std::vector<double> level_energy_pj;
  std::string mapping_yaml;             // Timeloop map.yaml text
};

// Static facts about the run, written as root attributes.
struct RunInfo {
  std::string tool_version;
  uint64_t seed = 0;
  std::string strategy;
  int threads = 1;
  std::string input_yaml;
  std::string config_sha256;
  std::string start_time;
  std::string objectives;       // e.g. "energy,cycles"
  std::string mapspace_size;    // decimal, or "~1.2e+31" when huge
  std::vector<std::string> energy_columns;  // names for level_energy_pj
};

// The changing part, written with every snapshot.
struct Snapshot {
  std::vector<ResultRow> pareto;
  std::vector<ResultRow> best;
  uint64_t evaluations = 0;
  uint64_t valid = 0;
  std::map<std::string, uint64_t> invalid_by_reason;
  std::string stop_reason;  // "" while running
  std::string end_time;     // "" while running
  bool optimal = false;     // the front is the space's exact front (optimal search done)
};

struct WriterOptions {
  bool log_evaluations = false;  // write OUT.evaluations.h5
  // Once the log file reaches this size (checked after each append, so it
  // may pass it by one batch), later rows are dropped; 0 = no cap.
  uint64_t max_log_bytes = 0;
  // Called once, from the writer thread, when the cap stops the log, with
  // the log's size in bytes.
  std::function<void(uint64_t)> on_log_capped;
};

// Root string attributes `names` of a results file (e.g. input_yaml,
// config_sha256, mapspace_size), in the order asked. Throws
// std::runtime_error naming the file when it is not a readable HDF5 file
// or lacks one of them.
std::vector<std::string> ReadResultAttributes(const std::string& path,
                                              const std::vector<std::string>& names);

class ResultsWriter {
 public:
  // Starts the writer thread. Throws std::runtime_error if OUT's folder is
  // not writable or the evaluations log cannot be created, and
  // std::invalid_argument on duplicate energy column names.
  ResultsWriter(std::string out_path, RunInfo info, WriterOptions options);
  ~ResultsWriter();  // Finish()es if not done
  ResultsWriter(const ResultsWriter&) = delete;
  ResultsWriter& operator=(const ResultsWriter&) = delete;

  // Queue a complete snapshot (replaces any not yet written).
  void Submit(Snapshot snapshot);
  // Queue rows for the evaluations log (ignored unless log_evaluations).
  void LogEvaluations(std::vector<ResultRow> rows);
  // Write the final snapshot, flush the log, join the writer thread.
  // Returns only when OUT is complete on disk. Rethrows a writer error (the
  // first error stops the writer; later input is dropped). Call once; a
  // second call throws std::logic_error, and Submit/LogEvaluations after it
  // are ignored.
  void Finish(Snapshot final_snapshot);
  // True once the writer stopped on an error (Finish() rethrows it): the
  // caller should stop producing results rather than run on unrecorded.
  bool Failed() const;
  // The temporary snapshot file's path (for tests).
  const std::string& temporary_path() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace sieve::search
