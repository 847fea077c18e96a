#include "search/sweep_file.hpp"

#include <fcntl.h>
#include <hdf5.h>
#include <unistd.h>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <random>
#include <stdexcept>
#include <vector>

#include "search/hdf5_tables.hpp"

namespace sieve::search {
namespace {

namespace fs = std::filesystem;

// One /points field. Every kind is 8 bytes in memory (uint64, double, or a
// char* for a variable-length string), so a row is 8 bytes per field with
// no padding to compute.
struct Field {
  enum Kind { kU64, kF64, kStr } kind;
  std::string name;
};

std::vector<Field> PointFields(const spec::SweepSpec& sweep) {
  std::vector<Field> f{{Field::kU64, "point"}, {Field::kStr, "label"}};
  for (const spec::SweepAxis& a : sweep.axes) f.push_back({a.numeric() ? Field::kF64 : Field::kStr, a.name});
  for (const char* n : {"status"}) f.push_back({Field::kStr, n});
  for (const char* n : {"evaluations", "valid", "front_size"}) f.push_back({Field::kU64, n});
  for (const char* n : {"best_energy_pj", "best_cycles", "best_edp", "elapsed_s"}) f.push_back({Field::kF64, n});
  f.push_back({Field::kStr, "config_sha256"});
  return f;
}

void WritePoints(hid_t file, const spec::SweepSpec& sweep, const PointMap& points, const std::string& path) {
  const std::vector<Field> fields = PointFields(sweep);
  const size_t row_bytes = 8 * fields.size();
  h5::Id str(H5Tcopy(H5T_C_S1), "H5Tcopy", path);
  h5::Check(H5Tset_size(str.get(), H5T_VARIABLE), "H5Tset_size", path);
  h5::Check(H5Tset_cset(str.get(), H5T_CSET_UTF8), "H5Tset_cset", path);
  h5::Id type(H5Tcreate(H5T_COMPOUND, row_bytes), "H5Tcreate", path);
  for (size_t i = 0; i < fields.size(); ++i) {
    const hid_t t = fields[i].kind == Field::kU64   ? H5T_NATIVE_UINT64
                    : fields[i].kind == Field::kF64 ? H5T_NATIVE_DOUBLE
                                                    : str.get();
    h5::Check(H5Tinsert(type.get(), fields[i].name.c_str(), 8 * i, t), "H5Tinsert", path);
  }
  // Strings are pointed at, so they must outlive the write.
  std::vector<std::string> strings;
  strings.reserve(points.size() * fields.size());
  std::vector<std::byte> buf(row_bytes * points.size());
  size_t row = 0;
  for (const auto& [index, p] : points) {
    std::byte* at = buf.data() + row * row_bytes;
    size_t k = 0;
    auto put_u64 = [&](uint64_t v) { std::memcpy(at + 8 * k++, &v, 8); };
    auto put_f64 = [&](double v) { std::memcpy(at + 8 * k++, &v, 8); };
    auto put_str = [&](const std::string& s) {
      strings.push_back(s);
      const char* c = strings.back().c_str();
      std::memcpy(at + 8 * k++, &c, 8);
    };
    put_u64(index);
    put_str(p.label);
    for (size_t a = 0; a < sweep.axes.size(); ++a) {
      const spec::SweepAxis& axis = sweep.axes[a];
      const std::string& label = a < p.values.size() ? p.values[a] : std::string();
      if (axis.numeric()) {
        double v = std::nan("");
        for (const spec::SweepValue& sv : axis.values)
          if (sv.label == label) v = *sv.number;
        put_f64(v);
      } else {
        put_str(label);
      }
    }
    put_str(p.status);
    put_u64(p.snapshot.evaluations);
    put_u64(p.snapshot.valid);
    put_u64(p.snapshot.pareto.size());
    put_f64(p.best("energy"));
    put_f64(p.best("cycles"));
    put_f64(p.best("edp"));
    put_f64(p.elapsed_s);
    put_str(p.config_sha256);
    ++row;
  }
  const hsize_t dims[1] = {points.size()};
  h5::Id space(H5Screate_simple(1, dims, nullptr), "H5Screate_simple", path);
  h5::Id dataset(H5Dcreate2(file, "points", type.get(), space.get(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
                 "creating /points", path);
  if (!points.empty()) {
    h5::Check(H5Dwrite(dataset.get(), type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, buf.data()), "writing /points",
              path);
  }
}

void WriteFront(hid_t fronts, const PointResult& p, const std::string& path) {
  const std::string name = std::to_string(p.point);
  h5::Id group(H5Gcreate2(fronts, name.c_str(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), "creating a front group",
               path);
  const h5::RowType pareto(p.energy_columns, false, false, path);
  const h5::RowType best(p.energy_columns, true, false, path);
  h5::WriteTable(group.get(), "pareto", pareto, p.snapshot.pareto, path);
  h5::WriteTable(group.get(), "best", best, p.snapshot.best, path);
  h5::WriteStringAttribute(group.get(), "label", p.label, path);
  h5::WriteStringAttribute(group.get(), "status", p.status, path);
  h5::WriteStringAttribute(group.get(), "point_json", PointToJson(p), path);
}

void SyncFile(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY);
  if (fd < 0 || ::fsync(fd) != 0) {
    if (fd >= 0) ::close(fd);
    throw std::runtime_error("cannot sync '" + path + "' to disk");
  }
  ::close(fd);
}

std::string ReadStringAttr(hid_t loc, const char* name, const std::string& path) {
  h5::Id attr(H5Aopen(loc, name, H5P_DEFAULT), (std::string("opening attribute ") + name).c_str(), path);
  h5::Id type(H5Aget_type(attr.get()), "H5Aget_type", path);
  if (H5Tget_class(type.get()) != H5T_STRING || H5Tis_variable_str(type.get()) <= 0) {
    throw std::runtime_error("'" + path + "': attribute " + name + " is not a string");
  }
  h5::Id mem(H5Tcopy(H5T_C_S1), "H5Tcopy", path);
  h5::Check(H5Tset_size(mem.get(), H5T_VARIABLE), "H5Tset_size", path);
  h5::Check(H5Tset_cset(mem.get(), H5T_CSET_UTF8), "H5Tset_cset", path);
  char* text = nullptr;
  h5::Check(H5Aread(attr.get(), mem.get(), &text), "reading a string attribute", path);
  std::string out = text != nullptr ? text : "";
  H5free_memory(text);
  return out;
}

uint64_t ReadU64Attr(hid_t loc, const char* name, const std::string& path) {
  h5::Id attr(H5Aopen(loc, name, H5P_DEFAULT), (std::string("opening attribute ") + name).c_str(), path);
  uint64_t v = 0;
  h5::Check(H5Aread(attr.get(), H5T_NATIVE_UINT64, &v), "reading an attribute", path);
  return v;
}

}  // namespace

void WriteSweepFile(const std::string& path, const spec::SweepSpec& sweep, const SweepFileInfo& info,
                    const PointMap& points) {
  std::random_device rd;
  const std::string tmp = path + "." + std::to_string(::getpid()) + "." + std::to_string(rd()) + ".tmp";
  try {
    h5::Id file = h5::NewFile(tmp);
    const hid_t root = file.get();
    h5::WriteStringAttribute(root, "tool_version", info.tool_version, tmp);
    h5::WriteStringAttribute(root, "sweep_sha256", info.sweep_sha256, tmp);
    h5::WriteStringAttribute(root, "sweep_yaml", sweep.text, tmp);
    h5::WriteStringAttribute(root, "sweep_path", sweep.path, tmp);
    std::string axes;
    for (const spec::SweepAxis& a : sweep.axes) axes += (axes.empty() ? "" : ",") + a.name;
    h5::WriteStringAttribute(root, "axes", axes, tmp);
    h5::WriteUint64Attribute(root, "points_total", sweep.NumPoints(), tmp);
    h5::WriteUint64Attribute(root, "points_done", points.size(), tmp);
    h5::WriteStringAttribute(root, "shard", info.shard, tmp);
    h5::WriteStringAttribute(root, "strategy", sweep.search.strategy, tmp);
    h5::WriteStringAttribute(root, "objectives", sweep.search.objectives, tmp);
    h5::WriteUint64Attribute(root, "seed", sweep.search.seed, tmp);
    h5::WriteUint64Attribute(root, "max_evaluations", sweep.search.max_evaluations, tmp);
    h5::WriteStringAttribute(root, "start_time", info.start_time, tmp);
    h5::WriteStringAttribute(root, "end_time", info.end_time, tmp);
    WritePoints(root, sweep, points, tmp);
    {
      h5::Id fronts(H5Gcreate2(root, "fronts", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), "creating /fronts", tmp);
      for (const auto& [index, p] : points) WriteFront(fronts.get(), p, tmp);
    }
    file.Close(tmp);
    SyncFile(tmp);
    fs::rename(tmp, path);
  } catch (...) {
    std::error_code ignored;
    fs::remove(tmp, ignored);
    throw;
  }
}

SweepFileContents ReadSweepFile(const std::string& path) {
  h5::QuietErrors quiet;
  if (H5Fis_hdf5(path.c_str()) <= 0) {
    throw std::runtime_error("'" + path + "' is not an HDF5 file");
  }
  h5::Id file(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), "opening", path);
  const hid_t root = file.get();
  if (H5Aexists(root, "sweep_sha256") <= 0 || H5Lexists(root, "fronts", H5P_DEFAULT) <= 0) {
    throw std::runtime_error("'" + path + "' is not a sieve sweep file (no sweep_sha256 or /fronts)");
  }
  SweepFileContents c;
  c.info.tool_version = ReadStringAttr(root, "tool_version", path);
  c.info.sweep_sha256 = ReadStringAttr(root, "sweep_sha256", path);
  c.info.shard = ReadStringAttr(root, "shard", path);
  c.info.start_time = ReadStringAttr(root, "start_time", path);
  c.info.end_time = ReadStringAttr(root, "end_time", path);
  c.sweep_yaml = ReadStringAttr(root, "sweep_yaml", path);
  c.sweep_path = ReadStringAttr(root, "sweep_path", path);
  c.points_total = ReadU64Attr(root, "points_total", path);
  h5::Id fronts(H5Gopen2(root, "fronts", H5P_DEFAULT), "opening /fronts", path);
  H5G_info_t ginfo;
  h5::Check(H5Gget_info(fronts.get(), &ginfo), "H5Gget_info", path);
  for (hsize_t i = 0; i < ginfo.nlinks; ++i) {
    char name[64] = {0};
    if (H5Lget_name_by_idx(fronts.get(), ".", H5_INDEX_NAME, H5_ITER_INC, i, name, sizeof name, H5P_DEFAULT) < 0) {
      h5::Fail("listing /fronts", path);
    }
    h5::Id group(H5Gopen2(fronts.get(), name, H5P_DEFAULT), "opening a front group", path);
    PointResult p;
    try {
      p = PointFromJson(ReadStringAttr(group.get(), "point_json", path));
    } catch (const std::runtime_error& e) {
      throw std::runtime_error("'" + path + "': /fronts/" + name + ": " + e.what());
    }
    if (std::to_string(p.point) != name) {
      throw std::runtime_error("'" + path + "': /fronts/" + name + " holds point " + std::to_string(p.point));
    }
    c.points.emplace(p.point, std::move(p));
  }
  return c;
}

}  // namespace sieve::search
