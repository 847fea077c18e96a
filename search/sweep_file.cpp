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

void WritePoints(hid_t file, const spec::SweepSpec& sweep, const PointMap& points, const std::string& path) {
  using h5::Column;
  auto col = [](Column::Kind kind, std::string name) {
    Column c;
    c.kind = kind;
    c.name = std::move(name);
    return c;
  };
  std::vector<Column> cols{col(Column::kU64, "point"), col(Column::kStr, "label")};
  for (const spec::SweepAxis& a : sweep.axes) cols.push_back(col(a.numeric() ? Column::kF64 : Column::kStr, a.name));
  const size_t first_after_axes = cols.size();
  cols.push_back(col(Column::kStr, "status"));
  for (const char* n : {"evaluations", "valid", "front_size"}) cols.push_back(col(Column::kU64, n));
  for (const char* n : {"best_energy_pj", "best_cycles", "best_edp", "elapsed_s"}) cols.push_back(col(Column::kF64, n));
  cols.push_back(col(Column::kStr, "config_sha256"));
  for (const auto& [index, p] : points) {
    cols[0].u64.push_back(index);
    cols[1].str.push_back(p.label);
    for (size_t a = 0; a < sweep.axes.size(); ++a) {
      const spec::SweepAxis& axis = sweep.axes[a];
      const std::string& label = a < p.values.size() ? p.values[a] : std::string();
      if (axis.numeric()) {
        double v = std::nan("");
        for (const spec::SweepValue& sv : axis.values)
          if (sv.label == label) v = *sv.number;
        cols[2 + a].f64.push_back(v);
      } else {
        cols[2 + a].str.push_back(label);
      }
    }
    size_t k = first_after_axes;
    cols[k++].str.push_back(p.status);
    cols[k++].u64.push_back(p.snapshot.evaluations);
    cols[k++].u64.push_back(p.snapshot.valid);
    cols[k++].u64.push_back(p.snapshot.pareto.size());
    cols[k++].f64.push_back(p.best("energy"));
    cols[k++].f64.push_back(p.best("cycles"));
    cols[k++].f64.push_back(p.best("edp"));
    cols[k++].f64.push_back(p.elapsed_s);
    cols[k++].str.push_back(p.config_sha256);
  }
  h5::WriteColumns(file, "points", cols, path);
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
    h5::SyncToDisk(tmp);
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
