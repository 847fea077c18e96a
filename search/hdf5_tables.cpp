#include "search/hdf5_tables.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <limits>
#include <stdexcept>

namespace sieve::search::h5 {
namespace {

// Keeps the innermost (most specific) error description, e.g. "unable to
// open file: name = '...', errno = 13, error message = 'Permission
// denied'"; the outer entries restate it in API terms.
herr_t InnermostError(unsigned depth, const H5E_error2_t* error, void* out) {
  if (depth != 0) return 0;
  auto& text = *static_cast<std::string*>(out);
  text = std::string(error->func_name ? error->func_name : "?") + ": " +
         (error->desc ? error->desc : "?");
  for (char& c : text) {
    if (c == '\n') c = ' ';  // some descriptions embed ctime() output
  }
  return 0;
}

herr_t CloseAny(hid_t id) {
  switch (H5Iget_type(id)) {
    case H5I_FILE: return H5Fclose(id);
    case H5I_GROUP: return H5Gclose(id);
    case H5I_DATASET: return H5Dclose(id);
    case H5I_DATASPACE: return H5Sclose(id);
    case H5I_DATATYPE: return H5Tclose(id);
    case H5I_ATTR: return H5Aclose(id);
    case H5I_GENPROP_LST: return H5Pclose(id);
    default: return H5Idec_ref(id) < 0 ? -1 : 0;
  }
}

size_t AlignUp(size_t offset, size_t alignment) {
  return (offset + alignment - 1) / alignment * alignment;
}

void WriteScalarAttribute(hid_t loc, const std::string& name, hid_t type, const void* value,
                          const std::string& file) {
  Id space(H5Screate(H5S_SCALAR), "H5Screate", file);
  Id attr(H5Acreate2(loc, name.c_str(), type, space.get(), H5P_DEFAULT, H5P_DEFAULT),
          ("creating attribute " + name).c_str(), file);
  Check(H5Awrite(attr.get(), type, value), ("writing attribute " + name).c_str(), file);
  attr.Close(file);
}

}  // namespace

Id::Id(hid_t id, const char* what, const std::string& file) : id_(id) {
  if (id_ < 0) Fail(what, file);
}

Id::~Id() {
  if (id_ >= 0) CloseAny(id_);
}

Id::Id(Id&& other) noexcept : id_(other.id_) { other.id_ = H5I_INVALID_HID; }

Id& Id::operator=(Id&& other) noexcept {
  if (this != &other) {
    if (id_ >= 0) CloseAny(id_);
    id_ = other.id_;
    other.id_ = H5I_INVALID_HID;
  }
  return *this;
}

void Id::Close(const std::string& file) {
  const hid_t id = id_;
  id_ = H5I_INVALID_HID;  // never close twice, even if this close fails
  if (id >= 0) Check(CloseAny(id), "close", file);
}

QuietErrors::QuietErrors() {
  H5Eget_auto2(H5E_DEFAULT, &old_func_, &old_data_);
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
}

QuietErrors::~QuietErrors() { H5Eset_auto2(H5E_DEFAULT, old_func_, old_data_); }

void Fail(const std::string& what, const std::string& file) {
  std::string details;
  H5Ewalk2(H5E_DEFAULT, H5E_WALK_UPWARD, InnermostError, &details);
  H5Eclear2(H5E_DEFAULT);
  std::string message = "HDF5 " + what + " failed for '" + file + "'";
  if (!details.empty()) message += ": " + details;
  throw std::runtime_error(message);
}

herr_t Check(herr_t status, const char* what, const std::string& file) {
  if (status < 0) Fail(what, file);
  return status;
}

Id NewFile(const std::string& path) {
  Id fapl(H5Pcreate(H5P_FILE_ACCESS), "H5Pcreate", path);
  Check(H5Pset_fclose_degree(fapl.get(), H5F_CLOSE_SEMI), "H5Pset_fclose_degree", path);
  return Id(H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, fapl.get()), "create", path);
}

void WriteStringAttribute(hid_t loc, const std::string& name, const std::string& value,
                          const std::string& file) {
  Id type(H5Tcopy(H5T_C_S1), "H5Tcopy", file);
  Check(H5Tset_size(type.get(), H5T_VARIABLE), "H5Tset_size", file);
  Check(H5Tset_cset(type.get(), H5T_CSET_UTF8), "H5Tset_cset", file);
  const char* text = value.c_str();  // a vlen string is passed as char*
  WriteScalarAttribute(loc, name, type.get(), &text, file);
}

std::string ReadStringAttribute(hid_t loc, const std::string& name, const std::string& file) {
  if (H5Aexists(loc, name.c_str()) <= 0) {
    throw std::runtime_error("'" + file + "' has no attribute '" + name + "'");
  }
  Id attr(H5Aopen(loc, name.c_str(), H5P_DEFAULT), ("opening attribute " + name).c_str(), file);
  Id stored(H5Aget_type(attr.get()), "H5Aget_type", file);
  Id space(H5Aget_space(attr.get()), "H5Aget_space", file);
  if (H5Tget_class(stored.get()) != H5T_STRING || H5Tis_variable_str(stored.get()) <= 0 ||
      H5Sget_simple_extent_type(space.get()) != H5S_SCALAR) {
    throw std::runtime_error("attribute '" + name + "' of '" + file + "' is not a text");
  }
  Id type(H5Tcopy(H5T_C_S1), "H5Tcopy", file);
  Check(H5Tset_size(type.get(), H5T_VARIABLE), "H5Tset_size", file);
  Check(H5Tset_cset(type.get(), H5Tget_cset(stored.get())), "H5Tset_cset", file);
  char* text = nullptr;
  Check(H5Aread(attr.get(), type.get(), &text), ("reading attribute " + name).c_str(), file);
  std::string value = text != nullptr ? text : "";
  H5free_memory(text);
  return value;
}

void WriteUint64Attribute(hid_t loc, const std::string& name, uint64_t value,
                          const std::string& file) {
  WriteScalarAttribute(loc, name, H5T_NATIVE_UINT64, &value, file);
}

void WriteInt64Attribute(hid_t loc, const std::string& name, int64_t value,
                         const std::string& file) {
  WriteScalarAttribute(loc, name, H5T_NATIVE_INT64, &value, file);
}

RowType::RowType(const std::vector<std::string>& energy_columns, bool with_metric,
                 bool with_invalid, const std::string& file)
    : with_metric_(with_metric), with_invalid_(with_invalid), energy_columns_(energy_columns.size()) {
  // Natural alignment in memory so Pack() can memcpy each field; the file
  // type is the same compound packed, so files carry no padding.
  size_t offset = 0;
  auto place = [&offset](size_t bytes) {
    offset = AlignUp(offset, bytes);
    const size_t at = offset;
    offset += bytes;
    return at;
  };
  if (with_metric_) metric_ = place(sizeof(char*));
  mapping_id_ = place(sizeof(char*));
  eval_index_ = place(sizeof(uint64_t));
  valid_ = place(sizeof(uint8_t));
  if (with_invalid_) {
    invalid_reason_ = place(1);
    offset += kReasonBytes - 1;
    invalid_detail_ = place(sizeof(char*));
  }
  metrics_ = place(sizeof(double));
  offset += 5 * sizeof(double);  // cycles .. last_level_accesses follow energy_pj
  levels_ = offset;
  offset += energy_columns_ * sizeof(double);
  mapping_ = place(sizeof(char*));
  row_bytes_ = AlignUp(offset, sizeof(char*));  // widest field: rows stay aligned in arrays

  string_ = Id(H5Tcopy(H5T_C_S1), "H5Tcopy", file);
  Check(H5Tset_size(string_.get(), H5T_VARIABLE), "H5Tset_size", file);
  Check(H5Tset_cset(string_.get(), H5T_CSET_UTF8), "H5Tset_cset", file);

  memory_ = Id(H5Tcreate(H5T_COMPOUND, row_bytes_), "H5Tcreate", file);
  auto insert = [&](const std::string& name, size_t at, hid_t type) {
    Check(H5Tinsert(memory_.get(), name.c_str(), at, type),
          ("adding compound field " + name).c_str(), file);
  };
  if (with_metric_) insert("metric", metric_, string_.get());
  insert("mapping_id", mapping_id_, string_.get());
  insert("eval_index", eval_index_, H5T_NATIVE_UINT64);
  insert("valid", valid_, H5T_NATIVE_UINT8);
  if (with_invalid_) {
    // Fixed length: a variable-length string costs a heap object per row,
    // even when empty, and this field is one of four short names.
    reason_ = Id(H5Tcopy(H5T_C_S1), "H5Tcopy", file);
    Check(H5Tset_size(reason_.get(), kReasonBytes), "H5Tset_size", file);
    Check(H5Tset_strpad(reason_.get(), H5T_STR_NULLPAD), "H5Tset_strpad", file);
    insert("invalid_reason", invalid_reason_, reason_.get());
    insert("invalid_detail", invalid_detail_, string_.get());
  }
  const char* metric_names[] = {"energy_pj",   "cycles",     "edp",
                                "area_um2",    "utilization", "last_level_accesses"};
  for (size_t i = 0; i < 6; ++i) {
    insert(metric_names[i], metrics_ + i * sizeof(double), H5T_NATIVE_DOUBLE);
  }
  for (size_t i = 0; i < energy_columns_; ++i) {
    insert("energy_pj_" + energy_columns[i], levels_ + i * sizeof(double), H5T_NATIVE_DOUBLE);
  }
  insert("mapping", mapping_, string_.get());

  file_ = Id(H5Tcopy(memory_.get()), "H5Tcopy", file);
  Check(H5Tpack(file_.get()), "H5Tpack", file);
}

std::vector<std::byte> RowType::Pack(const ResultRow* rows, size_t count) const {
  std::vector<std::byte> buffer(count * row_bytes_);
  for (size_t r = 0; r < count; ++r) {
    const ResultRow& row = rows[r];
    std::byte* out = buffer.data() + r * row_bytes_;
    // An empty string is written as a null one (read back as ""): HDF5
    // then stores no heap object for it, which matters in the evaluations
    // log, where most rows leave several strings empty.
    auto put_string = [out](size_t at, const std::string& s) {
      const char* text = s.empty() ? nullptr : s.c_str();
      std::memcpy(out + at, &text, sizeof text);
    };
    if (with_metric_) put_string(metric_, row.metric);
    put_string(mapping_id_, row.mapping_id);
    std::memcpy(out + eval_index_, &row.eval_index, sizeof(uint64_t));
    const uint8_t valid = row.valid ? 1 : 0;
    std::memcpy(out + valid_, &valid, 1);
    if (with_invalid_) {
      if (row.invalid_reason.size() > kReasonBytes) {
        throw std::invalid_argument("result row " + std::to_string(row.eval_index) + ": invalid_reason '" +
                                    row.invalid_reason + "' is longer than " + std::to_string(kReasonBytes) +
                                    " bytes");
      }
      // The buffer starts zeroed: shorter names stay NUL-padded.
      std::memcpy(out + invalid_reason_, row.invalid_reason.data(), row.invalid_reason.size());
      put_string(invalid_detail_, row.invalid_detail);
    }
    const double metrics[6] = {row.energy_pj,   row.cycles,      row.edp,
                               row.area_um2,    row.utilization, row.last_level_accesses};
    std::memcpy(out + metrics_, metrics, sizeof metrics);
    if (row.level_energy_pj.size() == energy_columns_) {
      if (energy_columns_ > 0) {
        std::memcpy(out + levels_, row.level_energy_pj.data(), energy_columns_ * sizeof(double));
      }
    } else if (row.level_energy_pj.empty()) {
      // Rows without a breakdown (e.g. invalid mappings) read back as NaN.
      const double nan = std::numeric_limits<double>::quiet_NaN();
      for (size_t i = 0; i < energy_columns_; ++i) {
        std::memcpy(out + levels_ + i * sizeof(double), &nan, sizeof nan);
      }
    } else {
      throw std::invalid_argument("result row " + std::to_string(row.eval_index) + " has " +
                                  std::to_string(row.level_energy_pj.size()) +
                                  " level energies for " + std::to_string(energy_columns_) +
                                  " energy columns");
    }
    put_string(mapping_, row.mapping_yaml);
  }
  return buffer;
}

void WriteTable(hid_t loc, const std::string& name, const RowType& type,
                const std::vector<ResultRow>& rows, const std::string& file) {
  const hsize_t count = rows.size();
  Id space(H5Screate_simple(1, &count, nullptr), "H5Screate_simple", file);
  Id dataset(H5Dcreate2(loc, name.c_str(), type.file_type(), space.get(), H5P_DEFAULT,
                        H5P_DEFAULT, H5P_DEFAULT),
             ("creating dataset /" + name).c_str(), file);
  if (count > 0) {
    const std::vector<std::byte> buffer = type.Pack(rows.data(), rows.size());
    Check(H5Dwrite(dataset.get(), type.memory_type(), H5S_ALL, H5S_ALL, H5P_DEFAULT,
                   buffer.data()),
          ("writing dataset /" + name).c_str(), file);
  }
  dataset.Close(file);
}

AppendableTable::AppendableTable(hid_t loc, const std::string& name, const RowType& type,
                                 size_t chunk_rows, const std::string& file)
    : type_(type), file_(file) {
  const hsize_t initial = 0;
  const hsize_t unlimited = H5S_UNLIMITED;
  const hsize_t chunk = chunk_rows;
  Id space(H5Screate_simple(1, &initial, &unlimited), "H5Screate_simple", file_);
  Id dcpl(H5Pcreate(H5P_DATASET_CREATE), "H5Pcreate", file_);
  Check(H5Pset_chunk(dcpl.get(), 1, &chunk), "H5Pset_chunk", file_);
  dataset_ = Id(H5Dcreate2(loc, name.c_str(), type_.file_type(), space.get(), H5P_DEFAULT,
                           dcpl.get(), H5P_DEFAULT),
                ("creating dataset /" + name).c_str(), file_);
}

void AppendableTable::Append(const std::vector<ResultRow>& rows) {
  if (rows.empty()) return;
  const std::vector<std::byte> buffer = type_.Pack(rows.data(), rows.size());
  const hsize_t start = rows_;
  const hsize_t count = rows.size();
  const hsize_t total = rows_ + count;
  Check(H5Dset_extent(dataset_.get(), &total), "extending the evaluations log", file_);
  Id file_space(H5Dget_space(dataset_.get()), "H5Dget_space", file_);
  Check(H5Sselect_hyperslab(file_space.get(), H5S_SELECT_SET, &start, nullptr, &count, nullptr),
        "H5Sselect_hyperslab", file_);
  Id memory_space(H5Screate_simple(1, &count, nullptr), "H5Screate_simple", file_);
  Check(H5Dwrite(dataset_.get(), type_.memory_type(), memory_space.get(), file_space.get(),
                 H5P_DEFAULT, buffer.data()),
        "appending to the evaluations log", file_);
  rows_ = total;
}

void WriteColumns(hid_t loc, const std::string& name, const std::vector<Column>& columns, const std::string& file) {
  const size_t rows = columns.empty() ? 0 : columns.front().size();
  for (const Column& c : columns) {
    if (c.size() != rows) throw std::invalid_argument("column " + c.name + " has another length than the others");
  }
  // Every kind is 8 bytes in memory (uint64, double, or the char* of a
  // variable-length string), so a row is 8 bytes per column, unpadded.
  const size_t row_bytes = 8 * columns.size();
  Id str(H5Tcopy(H5T_C_S1), "H5Tcopy", file);
  Check(H5Tset_size(str.get(), H5T_VARIABLE), "H5Tset_size", file);
  Check(H5Tset_cset(str.get(), H5T_CSET_UTF8), "H5Tset_cset", file);
  Id type(H5Tcreate(H5T_COMPOUND, std::max<size_t>(row_bytes, 1)), "H5Tcreate", file);
  for (size_t i = 0; i < columns.size(); ++i) {
    const hid_t t = columns[i].kind == Column::kU64   ? H5T_NATIVE_UINT64
                    : columns[i].kind == Column::kF64 ? H5T_NATIVE_DOUBLE
                                                      : str.get();
    Check(H5Tinsert(type.get(), columns[i].name.c_str(), 8 * i, t), "H5Tinsert", file);
  }
  std::vector<std::byte> buf(row_bytes * rows);
  for (size_t c = 0; c < columns.size(); ++c) {
    for (size_t r = 0; r < rows; ++r) {
      std::byte* at = buf.data() + r * row_bytes + 8 * c;
      if (columns[c].kind == Column::kU64) {
        std::memcpy(at, &columns[c].u64[r], 8);
      } else if (columns[c].kind == Column::kF64) {
        std::memcpy(at, &columns[c].f64[r], 8);
      } else {
        const char* text = columns[c].str[r].c_str();  // valid while `columns` lives
        std::memcpy(at, &text, 8);
      }
    }
  }
  const hsize_t dims[1] = {rows};
  Id space(H5Screate_simple(1, dims, nullptr), "H5Screate_simple", file);
  Id dataset(H5Dcreate2(loc, name.c_str(), type.get(), space.get(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
             ("creating /" + name).c_str(), file);
  if (rows > 0) {
    Check(H5Dwrite(dataset.get(), type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, buf.data()), "writing a table", file);
  }
}

void SyncToDisk(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY);
  if (fd < 0 || ::fsync(fd) != 0) {
    if (fd >= 0) ::close(fd);
    throw std::runtime_error("cannot sync '" + path + "' to disk");
  }
  ::close(fd);
}

}  // namespace sieve::search::h5
