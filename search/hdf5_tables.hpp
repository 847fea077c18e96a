// Low-level HDF5 helpers for the results writer: owned identifiers, error
// handling, scalar/string attributes and 1-D compound tables of ResultRow.
//
// Private to search/: only results_writer.cpp includes this; its writer
// thread calls these functions, and ReadResultAttributes the readers. Every failure throws
// std::runtime_error whose message names the file being written.
#pragma once

#include <hdf5.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "search/results_writer.hpp"

namespace sieve::search::h5 {

// Owns one HDF5 identifier (file, group, dataset, dataspace, datatype,
// attribute or property list) and closes it on destruction. Move-only.
class Id {
 public:
  Id() = default;
  // Takes ownership; `what` and `file` name the failed call if id < 0.
  Id(hid_t id, const char* what, const std::string& file);
  ~Id();
  Id(Id&& other) noexcept;
  Id& operator=(Id&& other) noexcept;
  Id(const Id&) = delete;
  Id& operator=(const Id&) = delete;

  hid_t get() const { return id_; }
  // Closes now and throws on failure (the destructor ignores failures).
  void Close(const std::string& file);

 private:
  hid_t id_ = H5I_INVALID_HID;
};

// While alive, HDF5 does not print its error stack for this thread (the
// library is built thread-safe, so the setting is per thread); the previous
// handler is restored on destruction.
class QuietErrors {
 public:
  QuietErrors();
  ~QuietErrors();
  QuietErrors(const QuietErrors&) = delete;
  QuietErrors& operator=(const QuietErrors&) = delete;

 private:
  H5E_auto2_t old_func_ = nullptr;
  void* old_data_ = nullptr;
};

// Throws std::runtime_error("HDF5 <what> failed for '<file>': <details>"),
// with details taken from (and then clearing) this thread's error stack.
[[noreturn]] void Fail(const std::string& what, const std::string& file);
// Returns `status` if >= 0, else Fail()s.
herr_t Check(herr_t status, const char* what, const std::string& file);

// Creates (truncating) `path`. Its H5Fclose fails, instead of silently
// leaving the file open, if any object in it is still open.
Id NewFile(const std::string& path);

// fsync(path): H5Fclose only hands data to the OS, so a file about to be
// renamed over a result is synced first. Throws std::runtime_error.
void SyncToDisk(const std::string& path);

// Scalar root-level attributes. Strings are variable-length UTF-8 (h5py
// reads them as str; no 64 KiB attribute limit for large input_yaml).
void WriteStringAttribute(hid_t loc, const std::string& name, const std::string& value,
                          const std::string& file);
void WriteUint64Attribute(hid_t loc, const std::string& name, uint64_t value,
                          const std::string& file);
void WriteInt64Attribute(hid_t loc, const std::string& name, int64_t value,
                         const std::string& file);

// Reads scalar string attribute `name` of `loc` (variable-length, as
// WriteStringAttribute writes it). Fails when it is missing or not one.
std::string ReadStringAttribute(hid_t loc, const std::string& name, const std::string& file);

// Compound row type for ResultRow. Fields, in order: [metric], mapping_id,
// eval_index (uint64), valid (uint8), [invalid_reason, invalid_detail],
// energy_pj, cycles, edp, area_um2, utilization, last_level_accesses
// (double), energy_pj_<column> (double) per energy column, mapping. Strings
// are variable-length UTF-8 (an empty one written as a null string, which
// h5py reads as b"" and the C API as a null pointer) but invalid_reason, a
// NUL-padded string of kReasonBytes. `metric` comes with `with_metric` (/best), the invalid
// fields with `with_invalid` (/evaluations). Pack() throws
// std::invalid_argument for an invalid_reason longer than kReasonBytes.
// A row's level_energy_pj must be empty (written as NaN) or have one value
// per energy column; Pack() throws std::invalid_argument otherwise.
class RowType {
 public:
  static constexpr size_t kReasonBytes = 16;

  RowType(const std::vector<std::string>& energy_columns, bool with_metric, bool with_invalid,
          const std::string& file);

  hid_t memory_type() const { return memory_.get(); }
  hid_t file_type() const { return file_.get(); }
  size_t row_bytes() const { return row_bytes_; }
  // Rows in memory_type() layout. String fields point into `rows`, so the
  // buffer is valid only while `rows` is alive and unchanged.
  std::vector<std::byte> Pack(const ResultRow* rows, size_t count) const;

 private:
  bool with_metric_;
  bool with_invalid_;
  size_t energy_columns_;
  size_t row_bytes_ = 0;
  // Byte offsets of the fields in one packed row.
  size_t metric_ = 0, mapping_id_ = 0, eval_index_ = 0, valid_ = 0, invalid_reason_ = 0,
         invalid_detail_ = 0, metrics_ = 0, levels_ = 0, mapping_ = 0;
  Id string_;  // variable-length UTF-8 string type shared by the string fields
  Id reason_;  // fixed-length string type of invalid_reason
  Id memory_;
  Id file_;
};

// Writes `rows` as a fixed-size 1-D dataset `name` under `loc` (an empty
// dataset, still carrying the full compound type, when there are no rows).
void WriteTable(hid_t loc, const std::string& name, const RowType& type,
                const std::vector<ResultRow>& rows, const std::string& file);

// A column of a table written by WriteColumns: one of the three vectors
// holds the values, by `kind`.
struct Column {
  enum Kind { kU64, kF64, kStr } kind = kF64;
  std::string name;
  std::vector<uint64_t> u64;
  std::vector<double> f64;
  std::vector<std::string> str;  // variable-length UTF-8
  size_t size() const { return kind == kU64 ? u64.size() : kind == kF64 ? f64.size() : str.size(); }
};

// Writes the columns (all of one length) as a 1-D compound dataset `name`
// under `loc`, one field per column in order. Throws std::invalid_argument
// on columns of different lengths.
void WriteColumns(hid_t loc, const std::string& name, const std::vector<Column>& columns, const std::string& file);

// A chunked 1-D dataset with unlimited maximum size that grows by appends.
class AppendableTable {
 public:
  AppendableTable(hid_t loc, const std::string& name, const RowType& type, size_t chunk_rows,
                  const std::string& file);
  // Extends the dataset by rows.size() rows and writes them at the end.
  void Append(const std::vector<ResultRow>& rows);
  uint64_t rows() const { return rows_; }
  void Close() { dataset_.Close(file_); }

 private:
  const RowType& type_;
  std::string file_;
  Id dataset_;
  uint64_t rows_ = 0;
};

}  // namespace sieve::search::h5
