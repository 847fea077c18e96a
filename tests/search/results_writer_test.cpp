// ResultsWriter: files are read back with the plain HDF5 C API, the way any
// other consumer would see them.
#include "search/results_writer.hpp"

#include <gtest/gtest.h>
#include <hdf5.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "support/temp_dir.hpp"

namespace sieve::search {
namespace {

namespace fs = std::filesystem;

// A fresh folder per test, removed afterwards.
class ResultsWriterTest : public ::testing::Test {
 protected:
  std::string Out() const { return (dir_ / "out.h5").string(); }
  // Files named *.tmp left in the folder.
  int TemporaryFiles() const {
    int n = 0;
    for (const auto& entry : fs::directory_iterator(dir_)) n += entry.path().extension() == ".tmp";
    return n;
  }

  const ::sieve::testing::TempDir tmp_;
  const fs::path dir_ = tmp_.path();
};

WriterOptions Logging(uint64_t max_log_bytes = 0) {
  WriterOptions options;
  options.log_evaluations = true;
  options.max_log_bytes = max_log_bytes;
  return options;
}

RunInfo TestInfo() {
  RunInfo info;
  info.tool_version = "0.1.0-test";
  info.seed = 42;
  info.strategy = "random";
  info.threads = 4;
  info.input_yaml = "arch:\n  version: 0.4\n";
  info.config_sha256 = std::string(64, 'a');
  info.start_time = "2024-01-02T03:04:05Z";
  info.objectives = "energy,cycles";
  info.mapspace_size = "123456";
  info.energy_columns = {"DRAM", "MAC"};
  return info;
}

ResultRow Row(uint64_t i, std::string metric = "") {
  ResultRow row;
  row.metric = std::move(metric);
  row.mapping_id = std::to_string(1000 + i);
  row.eval_index = i;
  row.valid = i % 2 == 0;
  row.energy_pj = 10.0 * i + 0.5;
  row.cycles = 100.0 + i;
  row.edp = row.energy_pj * row.cycles;
  row.area_um2 = 7;
  row.utilization = 0.25;
  row.last_level_accesses = 3.0 * i;
  row.level_energy_pj = {1.0 * i, 2.0 * i};
  row.mapping_yaml = "mapping:\n  - target: DRAM  # row " + std::to_string(i) + "\n";
  return row;
}

Snapshot ThreeRowSnapshot() {
  Snapshot s;
  for (uint64_t i = 0; i < 3; ++i) s.pareto.push_back(Row(i));
  s.best = {Row(0, "energy"), Row(1, "cycles"), Row(2, "edp")};
  s.evaluations = 500;
  s.valid = 300;
  s.invalid_by_reason = {{"capacity", 150}, {"fanout", 50}};
  s.stop_reason = "evaluations";
  s.end_time = "2024-01-02T03:05:00Z";
  return s;
}

// --- Readers over the HDF5 C API; every id is closed before returning. ---

std::vector<std::string> FieldNames(hid_t dataset) {
  const hid_t type = H5Dget_type(dataset);
  std::vector<std::string> names;
  for (int i = 0; i < H5Tget_nmembers(type); ++i) {
    char* name = H5Tget_member_name(type, i);
    names.emplace_back(name);
    H5free_memory(name);
  }
  H5Tclose(type);
  return names;
}

hsize_t RowCount(hid_t dataset) {
  const hid_t space = H5Dget_space(dataset);
  hsize_t n = 0;
  H5Sget_simple_extent_dims(space, &n, nullptr);
  H5Sclose(space);
  return n;
}

hid_t VlenString() {
  const hid_t type = H5Tcopy(H5T_C_S1);
  H5Tset_size(type, H5T_VARIABLE);
  H5Tset_cset(type, H5T_CSET_UTF8);
  return type;
}

// Reads one field of a compound dataset (HDF5 converts by field name).
std::vector<double> DoubleField(hid_t dataset, const char* field) {
  const hid_t mem = H5Tcreate(H5T_COMPOUND, sizeof(double));
  H5Tinsert(mem, field, 0, H5T_NATIVE_DOUBLE);
  std::vector<double> values(RowCount(dataset));
  EXPECT_GE(H5Dread(dataset, mem, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()), 0) << field;
  H5Tclose(mem);
  return values;
}

std::vector<std::string> StringField(hid_t dataset, const char* field) {
  const hid_t str = VlenString();
  const hid_t mem = H5Tcreate(H5T_COMPOUND, sizeof(char*));
  H5Tinsert(mem, field, 0, str);
  std::vector<char*> raw(RowCount(dataset), nullptr);
  EXPECT_GE(H5Dread(dataset, mem, H5S_ALL, H5S_ALL, H5P_DEFAULT, raw.data()), 0) << field;
  std::vector<std::string> values;
  for (char* p : raw) {
    values.emplace_back(p ? p : "");
    H5free_memory(p);
  }
  H5Tclose(mem);
  H5Tclose(str);
  return values;
}

// A fixed-length string field of `bytes` (NUL-padded).
std::vector<std::string> FixedStringField(hid_t dataset, const char* field, size_t bytes) {
  const hid_t str = H5Tcopy(H5T_C_S1);
  H5Tset_size(str, bytes);
  H5Tset_strpad(str, H5T_STR_NULLPAD);
  const hid_t mem = H5Tcreate(H5T_COMPOUND, bytes);
  H5Tinsert(mem, field, 0, str);
  std::vector<char> raw(RowCount(dataset) * bytes, '\0');
  EXPECT_GE(H5Dread(dataset, mem, H5S_ALL, H5S_ALL, H5P_DEFAULT, raw.data()), 0) << field;
  std::vector<std::string> values;
  for (size_t i = 0; i < raw.size(); i += bytes) {
    const char* p = raw.data() + i;
    values.emplace_back(p, std::find(p, p + bytes, '\0'));
  }
  H5Tclose(mem);
  H5Tclose(str);
  return values;
}

std::string StringAttribute(hid_t loc, const char* name) {
  const hid_t attr = H5Aopen(loc, name, H5P_DEFAULT);
  if (attr < 0) return "<missing " + std::string(name) + ">";
  const hid_t str = VlenString();
  char* raw = nullptr;
  H5Aread(attr, str, &raw);
  std::string value = raw ? raw : "";
  H5free_memory(raw);
  H5Tclose(str);
  H5Aclose(attr);
  return value;
}

template <typename T>
T NumberAttribute(hid_t loc, const char* name, hid_t native) {
  T value{};
  const hid_t attr = H5Aopen(loc, name, H5P_DEFAULT);
  EXPECT_GE(attr, 0) << name;
  if (attr < 0) return value;
  H5Aread(attr, native, &value);
  H5Aclose(attr);
  return value;
}

const std::vector<std::string> kRowFields = {
    "mapping_id", "eval_index", "valid",  "energy_pj",    "cycles",      "edp",
    "area_um2",   "utilization", "last_level_accesses", "energy_pj_DRAM", "energy_pj_MAC",
    "mapping"};

// The evaluations log adds why a row is invalid, after `valid`.
std::vector<std::string> LogFields() {
  std::vector<std::string> fields = kRowFields;
  fields.insert(fields.begin() + 3, {"invalid_reason", "invalid_detail"});
  return fields;
}

TEST_F(ResultsWriterTest, SnapshotRoundTrip) {
  {
    ResultsWriter writer(Out(), TestInfo(), {});
    writer.Submit(Snapshot{});  // superseded or overwritten by the final one
    writer.Finish(ThreeRowSnapshot());
  }
  EXPECT_EQ(TemporaryFiles(), 0);
  EXPECT_FALSE(fs::exists(Out() + ".evaluations.h5"));

  const hid_t file = H5Fopen(Out().c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  ASSERT_GE(file, 0);
  const hid_t pareto = H5Dopen2(file, "pareto", H5P_DEFAULT);
  ASSERT_GE(pareto, 0);
  EXPECT_EQ(RowCount(pareto), 3u);
  EXPECT_EQ(FieldNames(pareto), kRowFields);
  EXPECT_EQ(DoubleField(pareto, "energy_pj"), (std::vector<double>{0.5, 10.5, 20.5}));
  EXPECT_EQ(DoubleField(pareto, "energy_pj_MAC"), (std::vector<double>{0, 2, 4}));
  EXPECT_EQ(DoubleField(pareto, "valid"), (std::vector<double>{1, 0, 1}));
  EXPECT_EQ(StringField(pareto, "mapping_id"), (std::vector<std::string>{"1000", "1001", "1002"}));
  EXPECT_EQ(StringField(pareto, "mapping")[1], Row(1).mapping_yaml);

  const hid_t best = H5Dopen2(file, "best", H5P_DEFAULT);
  ASSERT_GE(best, 0);
  EXPECT_EQ(RowCount(best), 3u);
  std::vector<std::string> best_fields = {"metric"};
  best_fields.insert(best_fields.end(), kRowFields.begin(), kRowFields.end());
  EXPECT_EQ(FieldNames(best), best_fields);
  EXPECT_EQ(StringField(best, "metric"), (std::vector<std::string>{"energy", "cycles", "edp"}));
  EXPECT_EQ(DoubleField(best, "cycles")[2], 102.0);

  EXPECT_EQ(StringAttribute(file, "tool_version"), "0.1.0-test");
  EXPECT_EQ(StringAttribute(file, "strategy"), "random");
  EXPECT_EQ(StringAttribute(file, "input_yaml"), "arch:\n  version: 0.4\n");
  EXPECT_EQ(StringAttribute(file, "stop_reason"), "evaluations");
  EXPECT_EQ(StringAttribute(file, "end_time"), "2024-01-02T03:05:00Z");
  EXPECT_EQ(StringAttribute(file, "level_names"), "DRAM,MAC");
  EXPECT_EQ(StringAttribute(file, "objectives"), "energy,cycles");
  EXPECT_EQ(StringAttribute(file, "mapspace_size"), "123456");
  EXPECT_EQ(NumberAttribute<uint64_t>(file, "seed", H5T_NATIVE_UINT64), 42u);
  EXPECT_EQ(NumberAttribute<int64_t>(file, "threads", H5T_NATIVE_INT64), 4);
  EXPECT_EQ(NumberAttribute<uint64_t>(file, "evaluations", H5T_NATIVE_UINT64), 500u);
  EXPECT_EQ(NumberAttribute<uint64_t>(file, "valid", H5T_NATIVE_UINT64), 300u);
  EXPECT_EQ(NumberAttribute<uint64_t>(file, "invalid_capacity", H5T_NATIVE_UINT64), 150u);
  EXPECT_EQ(NumberAttribute<uint64_t>(file, "invalid_fanout", H5T_NATIVE_UINT64), 50u);
  EXPECT_LE(H5Lexists(file, "evaluations", H5P_DEFAULT), 0);

  H5Dclose(best);
  H5Dclose(pareto);
  H5Fclose(file);
}

TEST_F(ResultsWriterTest, RootAttributesReadBack) {
  {
    ResultsWriter writer(Out(), TestInfo(), {});
    writer.Finish(ThreeRowSnapshot());
  }
  EXPECT_EQ(ReadResultAttributes(Out(), {"input_yaml", "mapspace_size", "strategy"}),
            (std::vector<std::string>{"arch:\n  version: 0.4\n", "123456", "random"}));
  EXPECT_THROW(ReadResultAttributes(Out(), {"no_such_attribute"}), std::runtime_error);
  EXPECT_THROW(ReadResultAttributes(Out(), {"seed"}), std::runtime_error);  // a number, not a text
  EXPECT_THROW(ReadResultAttributes((dir_ / "missing.h5").string(), {"input_yaml"}), std::runtime_error);
}

TEST_F(ResultsWriterTest, OverlongInvalidReasonIsRefused) {
  ResultsWriter writer(Out(), TestInfo(), Logging());
  std::vector<ResultRow> rows = {Row(1)};
  rows[0].invalid_reason = std::string(17, 'x');
  EXPECT_THROW(writer.LogEvaluations(rows), std::invalid_argument);
  rows[0].invalid_reason = std::string(16, 'x');
  EXPECT_NO_THROW(writer.LogEvaluations(rows));
  writer.Finish(Snapshot{});
}

TEST_F(ResultsWriterTest, EvaluationLogOfTenBatches) {
  {
    ResultsWriter writer(Out(), TestInfo(), Logging());
    for (uint64_t batch = 0; batch < 10; ++batch) {
      std::vector<ResultRow> rows;
      for (uint64_t i = 0; i < 100; ++i) rows.push_back(Row(batch * 100 + i));
      if (batch == 3) rows[0].level_energy_pj.clear();  // no breakdown: NaN
      if (batch == 4) {
        rows[1].invalid_reason = "capacity";
        rows[1].invalid_detail = "capacity: level 'GLB' needs 300 words for its kept tiles but holds 256";
      }
      writer.LogEvaluations(std::move(rows));
      if (batch == 5) writer.Submit(ThreeRowSnapshot());
    }
    writer.Finish(ThreeRowSnapshot());
  }
  const hid_t log = H5Fopen((Out() + ".evaluations.h5").c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  ASSERT_GE(log, 0);
  const hid_t rows = H5Dopen2(log, "evaluations", H5P_DEFAULT);
  ASSERT_GE(rows, 0);
  EXPECT_EQ(RowCount(rows), 1000u);
  EXPECT_EQ(FieldNames(rows), LogFields());
  const std::vector<std::string> reason = FixedStringField(rows, "invalid_reason", 16);
  EXPECT_EQ(reason[401], "capacity");
  EXPECT_EQ(reason[400], "");
  EXPECT_EQ(StringField(rows, "invalid_detail")[401],
            "capacity: level 'GLB' needs 300 words for its kept tiles but holds 256");
  EXPECT_EQ(StringField(rows, "invalid_detail")[400], "");
  const std::vector<double> index = DoubleField(rows, "eval_index");
  for (size_t i = 0; i < index.size(); ++i) ASSERT_EQ(index[i], double(i));
  const std::vector<double> dram = DoubleField(rows, "energy_pj_DRAM");
  EXPECT_TRUE(std::isnan(dram[300]));
  EXPECT_EQ(dram[301], 301.0);
  H5Dclose(rows);
  H5Fclose(log);

  // The main file reaches the log through its external link, from any
  // working directory.
  const hid_t file = H5Fopen(Out().c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  ASSERT_GE(file, 0);
  const hid_t linked = H5Dopen2(file, "evaluations", H5P_DEFAULT);
  ASSERT_GE(linked, 0);
  EXPECT_EQ(RowCount(linked), 1000u);
  H5Dclose(linked);
  H5Fclose(file);
}

TEST_F(ResultsWriterTest, ConcurrentCallersLoseNoLogRows) {
  {
    ResultsWriter writer(Out(), TestInfo(), Logging());
    std::vector<std::thread> callers;
    for (uint64_t t = 0; t < 4; ++t) {
      callers.emplace_back([&writer, t] {
        for (uint64_t b = 0; b < 25; ++b) {
          std::vector<ResultRow> rows;
          for (uint64_t i = 0; i < 10; ++i) rows.push_back(Row(t * 1000 + b * 10 + i));
          writer.LogEvaluations(std::move(rows));
          writer.Submit(ThreeRowSnapshot());
        }
      });
    }
    for (std::thread& caller : callers) caller.join();
    writer.Finish(ThreeRowSnapshot());
  }
  const hid_t log = H5Fopen((Out() + ".evaluations.h5").c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  ASSERT_GE(log, 0);
  const hid_t rows = H5Dopen2(log, "evaluations", H5P_DEFAULT);
  EXPECT_EQ(RowCount(rows), 4u * 25 * 10);
  H5Dclose(rows);
  H5Fclose(log);
}

TEST_F(ResultsWriterTest, ZeroRowSnapshotIsValid) {
  {
    ResultsWriter writer(Out(), TestInfo(), {});
    writer.Finish(Snapshot{});
  }
  const hid_t file = H5Fopen(Out().c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  ASSERT_GE(file, 0);
  for (const char* name : {"pareto", "best"}) {
    const hid_t dataset = H5Dopen2(file, name, H5P_DEFAULT);
    ASSERT_GE(dataset, 0) << name;
    EXPECT_EQ(RowCount(dataset), 0u);
    EXPECT_EQ(FieldNames(dataset).back(), "mapping");
    EXPECT_EQ(FieldNames(dataset).size(), kRowFields.size() + (name[0] == 'b' ? 1 : 0));
    H5Dclose(dataset);
  }
  EXPECT_EQ(StringAttribute(file, "stop_reason"), "");
  EXPECT_EQ(NumberAttribute<uint64_t>(file, "evaluations", H5T_NATIVE_UINT64), 0u);
  H5Fclose(file);
}

TEST_F(ResultsWriterTest, DestructorWritesLastSubmittedSnapshot) {
  {
    ResultsWriter writer(Out(), TestInfo(), {});
    writer.Submit(ThreeRowSnapshot());
  }
  const hid_t file = H5Fopen(Out().c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  ASSERT_GE(file, 0);
  const hid_t pareto = H5Dopen2(file, "pareto", H5P_DEFAULT);
  EXPECT_EQ(RowCount(pareto), 3u);
  H5Dclose(pareto);
  H5Fclose(file);
  EXPECT_EQ(TemporaryFiles(), 0);
}

TEST_F(ResultsWriterTest, UnwritableFolderFailsConstruction) {
  const std::string out = (dir_ / "missing" / "out.h5").string();
  EXPECT_THROW(ResultsWriter(out, TestInfo(), {}), std::runtime_error);
}

TEST_F(ResultsWriterTest, WriterErrorIsRethrownByFinish) {
  // OUT is a non-empty folder: writing the temporary file works, the rename cannot.
  fs::create_directories(fs::path(Out()) / "occupied");
  ResultsWriter writer(Out(), TestInfo(), {});
  try {
    writer.Finish(ThreeRowSnapshot());
    ADD_FAILURE() << "Finish did not rethrow";
  } catch (const std::exception& e) {
    EXPECT_NE(std::string(e.what()).find(Out()), std::string::npos) << e.what();
  }
  EXPECT_EQ(TemporaryFiles(), 0);
}

TEST_F(ResultsWriterTest, Hdf5FailureNamesTheFileQuietly) {
  // A folder where the log file should go: H5Fcreate itself fails.
  fs::create_directories(Out() + ".evaluations.h5");
  ::testing::internal::CaptureStderr();
  std::string message;
  try {
    ResultsWriter writer(Out(), TestInfo(), Logging());
  } catch (const std::runtime_error& e) {
    message = e.what();
  }
  const std::string printed = ::testing::internal::GetCapturedStderr();
  EXPECT_NE(message.find(Out() + ".evaluations.h5"), std::string::npos) << message;
  EXPECT_EQ(printed.find("HDF5-DIAG"), std::string::npos) << printed;
}

TEST_F(ResultsWriterTest, LevelEnergyCountMustMatchColumns) {
  ResultsWriter writer(Out(), TestInfo(), {});
  Snapshot s = ThreeRowSnapshot();
  s.pareto[1].level_energy_pj = {1.0};
  EXPECT_THROW(writer.Submit(s), std::invalid_argument);
  writer.Finish(ThreeRowSnapshot());
}

TEST_F(ResultsWriterTest, TemporaryFileIsUniquePerWriter) {
  ResultsWriter first(Out(), TestInfo(), {});
  ResultsWriter second((dir_ / "other.h5").string(), TestInfo(), {});
  const std::string pid = "." + std::to_string(::getpid()) + ".";
  EXPECT_EQ(first.temporary_path().rfind(Out() + pid, 0), 0u) << first.temporary_path();
  EXPECT_EQ(fs::path(first.temporary_path()).extension(), ".tmp");
  ResultsWriter third(Out(), TestInfo(), {});  // same OUT: still another name
  EXPECT_NE(first.temporary_path(), third.temporary_path());
}

TEST_F(ResultsWriterTest, LogCapStopsLoggingOnce) {
  std::atomic<int> warnings{0};
  {
    WriterOptions options = Logging(64 * 1024);
    options.on_log_capped = [&](uint64_t bytes) {
      EXPECT_GE(bytes, 64u * 1024);
      ++warnings;
    };
    ResultsWriter writer(Out(), TestInfo(), options);
    for (uint64_t batch = 0; batch < 200; ++batch) {
      std::vector<ResultRow> rows;
      for (uint64_t i = 0; i < 100; ++i) rows.push_back(Row(batch * 100 + i));
      writer.LogEvaluations(std::move(rows));
    }
    writer.Finish(ThreeRowSnapshot());
  }
  EXPECT_EQ(warnings.load(), 1);
  const hid_t log = H5Fopen((Out() + ".evaluations.h5").c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  ASSERT_GE(log, 0);
  const hid_t rows = H5Dopen2(log, "evaluations", H5P_DEFAULT);
  EXPECT_LT(RowCount(rows), 20000u);
  EXPECT_GT(RowCount(rows), 0u);
  H5Dclose(rows);
  H5Fclose(log);
  EXPECT_LT(fs::file_size(Out() + ".evaluations.h5"), 4u * 1024 * 1024);
  const hid_t file = H5Fopen(Out().c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  ASSERT_GE(file, 0);
  EXPECT_EQ(NumberAttribute<int64_t>(file, "evaluations_log_capped", H5T_NATIVE_INT64), 1);
  H5Fclose(file);
}

TEST_F(ResultsWriterTest, FailedTurnsTrueAfterAWriteError) {
  fs::create_directories(fs::path(Out()) / "occupied");  // the rename cannot replace it
  ResultsWriter writer(Out(), TestInfo(), {});
  EXPECT_FALSE(writer.Failed());
  writer.Submit(ThreeRowSnapshot());
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (!writer.Failed() && std::chrono::steady_clock::now() < deadline) std::this_thread::yield();
  EXPECT_TRUE(writer.Failed());
  EXPECT_THROW(writer.Finish(ThreeRowSnapshot()), std::exception);
}

}  // namespace
}  // namespace sieve::search
