#include "search/results_writer.hpp"

#include <algorithm>
#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <condition_variable>
#include <random>
#include <exception>
#include <filesystem>
#include <fstream>
#include <future>
#include <iostream>
#include <iterator>
#include <cstdio>
#include <mutex>
#include <optional>
#include <set>
#include <stdexcept>
#include <thread>
#include <utility>

#include "search/hdf5_tables.hpp"

namespace sieve::search {
namespace {

namespace fs = std::filesystem;

// Rows per chunk of the evaluations log: large enough that a 2 s batch is a
// few chunks, small enough that a short run does not waste much space.
constexpr size_t kLogChunkRows = 1024;

std::string Join(const std::vector<std::string>& parts, const char* separator) {
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i > 0) out += separator;
    out += parts[i];
  }
  return out;
}

// Checked on the caller's thread so a malformed row fails where it is made,
// not later as a writer error.
void CheckRows(const std::vector<ResultRow>& rows, size_t energy_columns) {
  for (const ResultRow& row : rows) {
    const size_t n = row.level_energy_pj.size();
    if (n != 0 && n != energy_columns) {
      throw std::invalid_argument("result row " + std::to_string(row.eval_index) + " has " +
                                  std::to_string(n) + " level energies for " +
                                  std::to_string(energy_columns) + " energy columns");
    }
    if (row.invalid_reason.size() > h5::RowType::kReasonBytes) {
      throw std::invalid_argument("result row " + std::to_string(row.eval_index) + ": invalid_reason '" +
                                  row.invalid_reason + "' is longer than " +
                                  std::to_string(h5::RowType::kReasonBytes) + " bytes");
    }
  }
}

// The constructor promises that OUT's folder is writable; creating the
// temporary file is the only check that covers permissions, read-only
// mounts and missing folders alike.
void ProbeWritable(const std::string& tmp_path) {
  {
    std::ofstream probe(tmp_path, std::ios::binary | std::ios::trunc);
    if (!probe) {
      throw std::runtime_error("cannot write results: '" + tmp_path +
                               "' cannot be created (is the folder missing or read-only?)");
    }
  }
  std::error_code ignored;
  fs::remove(tmp_path, ignored);
}


}  // namespace

std::vector<std::string> ReadResultAttributes(const std::string& path,
                                              const std::vector<std::string>& names) {
  h5::QuietErrors quiet;
  h5::Id file(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), "open", path);
  std::vector<std::string> values;
  for (const std::string& name : names) values.push_back(h5::ReadStringAttribute(file.get(), name, path));
  return values;
}

struct ResultsWriter::Impl {
  // Immutable after construction; read by both threads without locking.
  std::string out_path;
  std::string tmp_path;
  std::string log_path;
  RunInfo info;
  WriterOptions options;

  std::atomic<bool> log_capped{false};  // set by the writer thread

  // `mutex` guards every field in this block: the work queue (pending,
  // log_rows), the lifecycle flags and the writer's error.
  mutable std::mutex mutex;
  std::condition_variable wake;          // signalled when the block changes
  std::optional<Snapshot> pending;       // newest snapshot not yet taken
  std::vector<ResultRow> log_rows;       // evaluation rows not yet taken
  bool submitted = false;                // any snapshot ever queued
  bool finishing = false;                // Finish() or the destructor ran
  bool failed = false;                   // the writer stopped on an error
  std::exception_ptr error;              // that error, rethrown by Finish()

  std::thread thread;

  // Writer-thread state (never touched by other threads).
  std::optional<h5::RowType> pareto_type;
  std::optional<h5::RowType> best_type;
  std::optional<h5::RowType> log_type;
  h5::Id log_file;
  std::optional<h5::AppendableTable> log_table;

  void Run(std::promise<void> opened);
  void ReleaseIds();
  void OpenLog();
  void CloseLog();
  void WriteSnapshot(const Snapshot& snapshot);
  void WriteRootAttributes(hid_t root, const Snapshot& snapshot);
  void StopAndJoin(std::optional<Snapshot> last);
};

void ResultsWriter::Impl::Run(std::promise<void> opened) {
  try {
    h5::QuietErrors quiet;
    pareto_type.emplace(info.energy_columns, /*with_metric=*/false, /*with_invalid=*/false, out_path);
    best_type.emplace(info.energy_columns, /*with_metric=*/true, /*with_invalid=*/false, out_path);
    log_type.emplace(info.energy_columns, /*with_metric=*/false, /*with_invalid=*/true, log_path);
    if (options.log_evaluations) OpenLog();
  } catch (...) {
    ReleaseIds();
    opened.set_exception(std::current_exception());
    return;
  }
  opened.set_value();

  try {
    for (;;) {
      std::optional<Snapshot> snapshot;
      std::vector<ResultRow> rows;
      {
        std::unique_lock lock(mutex);
        wake.wait(lock, [this] { return pending || !log_rows.empty() || finishing; });
        if (!pending && log_rows.empty()) break;  // finishing and drained
        snapshot.swap(pending);
        rows.swap(log_rows);
      }
      h5::QuietErrors quiet;
      // Rows first, so a snapshot never counts evaluations the log lacks.
      // In slices, the size checked after each: rows queued faster than
      // they are written must not carry the log far past its cap.
      constexpr size_t kSliceRows = 1024;
      for (size_t begin = 0; begin < rows.size() && log_table && !log_capped.load(); begin += kSliceRows) {
        const size_t end = std::min(rows.size(), begin + kSliceRows);
        if (begin == 0 && end == rows.size()) {
          log_table->Append(rows);  // the usual case: one slice, no copy
        } else {
          log_table->Append(std::vector<ResultRow>(std::make_move_iterator(rows.begin() + begin),
                                                   std::make_move_iterator(rows.begin() + end)));
        }
        h5::Check(H5Fflush(log_file.get(), H5F_SCOPE_GLOBAL), "flush", log_path);
        hsize_t bytes = 0;
        if (options.max_log_bytes > 0 &&
            h5::Check(H5Fget_filesize(log_file.get(), &bytes), "size of", log_path) >= 0 &&
            bytes >= options.max_log_bytes) {
          log_capped.store(true);
          if (options.on_log_capped) options.on_log_capped(bytes);
        }
      }
      if (snapshot) WriteSnapshot(*snapshot);
    }
    h5::QuietErrors quiet;
    CloseLog();
  } catch (...) {
    // The first error stops the writer: later snapshots would likely fail
    // the same way, and the caller learns of it from Finish().
    std::lock_guard lock(mutex);
    failed = true;
    error = std::current_exception();
    pending.reset();
    log_rows.clear();
  }
  ReleaseIds();
}

// Closes whatever HDF5 ids are still open, on this thread like all HDF5
// work; after an error, failures to close add nothing useful.
void ResultsWriter::Impl::ReleaseIds() {
  h5::QuietErrors quiet;
  log_table.reset();  // before the row type it refers to
  log_file = h5::Id();
  pareto_type.reset();
  best_type.reset();
  log_type.reset();
}

void ResultsWriter::Impl::OpenLog() {
  log_file = h5::NewFile(log_path);
  log_table.emplace(log_file.get(), "evaluations", *log_type, kLogChunkRows, log_path);
  h5::Check(H5Fflush(log_file.get(), H5F_SCOPE_GLOBAL), "flush", log_path);
}

void ResultsWriter::Impl::CloseLog() {
  if (!log_table) return;
  log_table->Close();
  log_table.reset();
  log_file.Close(log_path);
}

void ResultsWriter::Impl::WriteSnapshot(const Snapshot& snapshot) {
  try {
    h5::Id file = h5::NewFile(tmp_path);
    WriteRootAttributes(file.get(), snapshot);
    h5::WriteTable(file.get(), "pareto", *pareto_type, snapshot.pareto, tmp_path);
    h5::WriteTable(file.get(), "best", *best_type, snapshot.best, tmp_path);
    if (options.log_evaluations) {
      // Relative target: HDF5 resolves it next to OUT, so the pair can move.
      const std::string target = fs::path(log_path).filename().string();
      h5::Check(H5Lcreate_external(target.c_str(), "/evaluations", file.get(), "evaluations",
                                   H5P_DEFAULT, H5P_DEFAULT),
                "linking /evaluations", tmp_path);
    }
    // Every other id is closed by now (NewFile makes a leak an error
    // here), so this really writes and closes the file.
    file.Close(tmp_path);
    h5::SyncToDisk(tmp_path);
    fs::rename(tmp_path, out_path);  // atomic replacement on POSIX
  } catch (...) {
    std::error_code ignored;
    fs::remove(tmp_path, ignored);
    throw;
  }
}

void ResultsWriter::Impl::WriteRootAttributes(hid_t root, const Snapshot& snapshot) {
  const std::string& f = tmp_path;
  h5::WriteStringAttribute(root, "tool_version", info.tool_version, f);
  h5::WriteUint64Attribute(root, "seed", info.seed, f);
  h5::WriteStringAttribute(root, "strategy", info.strategy, f);
  h5::WriteInt64Attribute(root, "threads", info.threads, f);
  h5::WriteStringAttribute(root, "input_yaml", info.input_yaml, f);
  h5::WriteStringAttribute(root, "config_sha256", info.config_sha256, f);
  h5::WriteStringAttribute(root, "start_time", info.start_time, f);
  h5::WriteStringAttribute(root, "end_time", snapshot.end_time, f);
  h5::WriteUint64Attribute(root, "evaluations", snapshot.evaluations, f);
  h5::WriteUint64Attribute(root, "valid", snapshot.valid, f);
  h5::WriteStringAttribute(root, "stop_reason", snapshot.stop_reason, f);
  h5::WriteInt64Attribute(root, "optimal", snapshot.optimal ? 1 : 0, f);
  // Said outright, so a notebook or a sweep tells "nothing fits" from "not
  // searched yet" without reading the counts.
  h5::WriteInt64Attribute(root, "no_valid_mapping",
                          snapshot.evaluations > 0 && snapshot.valid == 0 ? 1 : 0, f);
  if (options.log_evaluations) {
    h5::WriteInt64Attribute(root, "evaluations_log_capped", log_capped.load() ? 1 : 0, f);
  }
  h5::WriteStringAttribute(root, "objectives", info.objectives, f);
  h5::WriteStringAttribute(root, "mapspace_size", info.mapspace_size, f);
  h5::WriteStringAttribute(root, "level_names", Join(info.energy_columns, ","), f);
  for (const auto& [reason, count] : snapshot.invalid_by_reason) {
    h5::WriteUint64Attribute(root, "invalid_" + reason, count, f);
  }
}

// Queues `last` (if any) as the final snapshot, lets the writer drain
// everything and joins it.
void ResultsWriter::Impl::StopAndJoin(std::optional<Snapshot> last) {
  {
    std::lock_guard lock(mutex);
    if (finishing) throw std::logic_error("ResultsWriter::Finish called twice");
    finishing = true;
    if (last && !failed) {
      pending = std::move(last);
      submitted = true;
    }
  }
  wake.notify_one();
  thread.join();
}

ResultsWriter::ResultsWriter(std::string out_path, RunInfo info, WriterOptions options)
    : impl_(std::make_unique<Impl>()) {
  if (out_path.empty()) throw std::invalid_argument("results path is empty");
  std::set<std::string> seen;
  for (const std::string& column : info.energy_columns) {
    if (!seen.insert(column).second) {
      throw std::invalid_argument("duplicate energy column '" + column + "'");
    }
  }
  {
    std::random_device entropy;
    const uint64_t token = (uint64_t{entropy()} << 32) ^ entropy();
    char suffix[64];
    std::snprintf(suffix, sizeof suffix, ".%ld.%016llx.tmp", static_cast<long>(::getpid()),
                  static_cast<unsigned long long>(token));
    impl_->tmp_path = out_path + suffix;
  }
  impl_->log_path = out_path + ".evaluations.h5";
  impl_->out_path = std::move(out_path);
  impl_->info = std::move(info);
  impl_->options = options;
  ProbeWritable(impl_->tmp_path);

  // The writer thread opens the log itself (it owns all HDF5 work); wait
  // for that so an unwritable log fails construction, not the search.
  std::promise<void> opened;
  std::future<void> ready = opened.get_future();
  impl_->thread = std::thread(
      [impl = impl_.get(), opened = std::move(opened)]() mutable { impl->Run(std::move(opened)); });
  try {
    ready.get();
  } catch (...) {
    impl_->thread.join();  // Run() returned right after reporting
    throw;
  }
}

ResultsWriter::~ResultsWriter() {
  try {
    bool finished;
    bool submitted;
    {
      std::lock_guard lock(impl_->mutex);
      finished = impl_->finishing;
      submitted = impl_->submitted;
    }
    if (finished) return;  // Finish() already joined
    // Not finished (e.g. unwinding from an error): the pending snapshot, if
    // any, is the last submitted one; an empty one keeps OUT a valid file.
    impl_->StopAndJoin(submitted ? std::nullopt : std::optional<Snapshot>(Snapshot{}));
    if (impl_->error) std::rethrow_exception(impl_->error);
  } catch (const std::exception& e) {
    // A destructor must not throw; this is the only place left to say it.
    std::cerr << "error: results writer: " << e.what() << "\n";
  } catch (...) {
    std::cerr << "error: results writer failed\n";
  }
}

void ResultsWriter::Submit(Snapshot snapshot) {
  CheckRows(snapshot.pareto, impl_->info.energy_columns.size());
  CheckRows(snapshot.best, impl_->info.energy_columns.size());
  std::optional<Snapshot> replaced;  // freed outside the lock
  {
    std::lock_guard lock(impl_->mutex);
    if (impl_->finishing || impl_->failed) return;
    replaced.swap(impl_->pending);
    impl_->pending = std::move(snapshot);
    impl_->submitted = true;
  }
  impl_->wake.notify_one();
}

void ResultsWriter::LogEvaluations(std::vector<ResultRow> rows) {
  if (!impl_->options.log_evaluations || rows.empty() || impl_->log_capped.load()) return;
  CheckRows(rows, impl_->info.energy_columns.size());
  {
    std::lock_guard lock(impl_->mutex);
    if (impl_->finishing || impl_->failed) return;
    std::vector<ResultRow>& queue = impl_->log_rows;
    if (queue.empty()) {
      queue = std::move(rows);
    } else {
      queue.insert(queue.end(), std::make_move_iterator(rows.begin()),
                   std::make_move_iterator(rows.end()));
    }
  }
  impl_->wake.notify_one();
}

void ResultsWriter::Finish(Snapshot final_snapshot) {
  CheckRows(final_snapshot.pareto, impl_->info.energy_columns.size());
  CheckRows(final_snapshot.best, impl_->info.energy_columns.size());
  impl_->StopAndJoin(std::move(final_snapshot));
  if (impl_->error) std::rethrow_exception(impl_->error);
}

bool ResultsWriter::Failed() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->failed;
}

const std::string& ResultsWriter::temporary_path() const { return impl_->tmp_path; }

}  // namespace sieve::search
