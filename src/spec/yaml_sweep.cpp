// The sweep file reader (sieve/spec/sweep.hpp). Strict where input files
// are lenient: a sweep is sieve's own format, so an unknown key is an error
// rather than a warning (an ignored typo would silently sweep nothing).
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "sieve/spec/load.hpp"
#include "sieve/spec/sweep.hpp"
#include "spec/yaml_node.hpp"

namespace sieve::spec {
namespace {

using yaml::Cursor;
namespace fs = std::filesystem;

constexpr uint64_t kMaxPoints = 1000000;
constexpr int kMaxRangeSteps = 10000;


std::string NumberLabel(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}

std::string Resolve(const fs::path& dir, const std::string& file) {
  const fs::path p(file);
  return (p.is_absolute() ? p : dir / p).lexically_normal().string();
}

void CheckFileExists(const std::string& path, const Cursor& where, bool check = true) {
  if (!check) return;
  std::error_code ec;
  if (!fs::exists(path, ec)) where.Fail("file '" + path + "' does not exist");
  if (fs::is_directory(path, ec)) where.Fail("'" + path + "' is a folder; give the YAML files");
}

SweepValue ScalarValue(const Cursor& v) {
  SweepValue out;
  out.loc = v.Loc();
  out.text = v.Str();
  out.label = out.text;
  char* end = nullptr;
  const double d = std::strtod(out.text.c_str(), &end);
  if (!out.text.empty() && end != nullptr && *end == '\0' && std::isfinite(d)) {
    out.number = d;
    out.label = NumberLabel(d);
  }
  return out;
}

std::vector<SweepValue> RangeValues(const Cursor& r) {
  r.RejectUnknownKeys({"from", "to", "steps", "scale"});
  const double from = r.Need("from").Num();
  const double to = r.Need("to").Num();
  const Cursor steps_at = r.Need("steps");
  const int64_t steps = steps_at.Int();
  if (steps < 1 || steps > kMaxRangeSteps) steps_at.Fail("steps must be 1 to " + std::to_string(kMaxRangeSteps));
  std::string scale = "linear";
  if (auto s = r.Find("scale")) scale = yaml::NormalizeEnum(s->Str());
  if (scale != "linear" && scale != "log") r.Need("scale").Fail("scale must be linear or log");
  if (!std::isfinite(from) || !std::isfinite(to)) r.Fail("from and to must be finite");
  if (scale == "log" && (from <= 0 || to <= 0)) r.Fail("a log range needs from and to above 0");
  std::vector<SweepValue> out;
  for (int64_t i = 0; i < steps; ++i) {
    const double t = steps == 1 ? 0.0 : static_cast<double>(i) / static_cast<double>(steps - 1);
    const double v = scale == "log" ? std::exp(std::log(from) + t * (std::log(to) - std::log(from)))
                                    : from + t * (to - from);
    SweepValue sv;
    sv.loc = r.Loc();
    sv.number = v;
    sv.label = NumberLabel(v);
    char buf[40];
    std::snprintf(buf, sizeof buf, "%.17g", v);
    sv.text = buf;
    out.push_back(std::move(sv));
  }
  return out;
}

SweepAxis ReadAxis(const Cursor& a, const fs::path& dir, bool check_files) {
  a.RejectUnknownKeys({"name", "values", "range", "density", "key"});
  SweepAxis axis;
  axis.loc = a.Loc();
  axis.name = a.Need("name").Str();
  if (axis.name.empty()) a.Need("name").Fail("an axis name may not be empty");
  for (char c : axis.name) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.'))
      a.Need("name").Fail("axis name '" + axis.name + "': use letters, digits, '_', '-' or '.' (it names an HDF5 field)");
  }
  const auto density = a.Find("density");
  const auto key = a.Find("key");
  if (density && key) a.Fail("an axis sets either `density` or `key`, not both");
  if (density) {
    axis.kind = SweepAxisKind::kDensity;
    axis.tensor = density->Str();
    axis.key_loc = density->Loc();
  } else if (key) {
    axis.kind = SweepAxisKind::kKey;
    axis.key_path = key->Str();
    axis.key_loc = key->Loc();
    if (axis.key_path.empty()) key->Fail("empty key path");
  }
  const auto values = a.Find("values");
  const auto range = a.Find("range");
  if (values && range) a.Fail("give `values` or `range`, not both");
  if (!values && !range) a.Fail("axis '" + axis.name + "' has neither `values` nor `range`");
  if (range) {
    if (axis.kind == SweepAxisKind::kFiles) range->Fail("a range needs `density` or `key` on the axis");
    axis.values = RangeValues(*range);
  } else {
    if (!values->IsSeq()) values->Fail("expected a list of values");
    for (const Cursor& v : values->Items()) {
      if (axis.kind == SweepAxisKind::kFiles) {
        if (!v.IsMap()) v.Fail("a files axis value is a map {label, files} (or give the axis `density` or `key`)");
        v.RejectUnknownKeys({"label", "files"});
        SweepValue sv;
        sv.loc = v.Loc();
        sv.label = v.Need("label").Str();
        const Cursor files = v.Need("files");
        for (const Cursor& f : files.Items()) {
          sv.files.push_back(Resolve(dir, f.Str()));
          CheckFileExists(sv.files.back(), f, check_files);
        }
        if (files.IsScalar()) {
          sv.files.push_back(Resolve(dir, files.Str()));
          CheckFileExists(sv.files.back(), files, check_files);
        }
        sv.text = sv.label;
        axis.values.push_back(std::move(sv));
      } else {
        if (!v.IsScalar()) v.Fail("expected a number or a word");
        axis.values.push_back(ScalarValue(v));
      }
    }
  }
  if (axis.values.empty()) a.Fail("axis '" + axis.name + "' has no values");
  std::set<std::string> labels;
  for (const SweepValue& v : axis.values) {
    if (!labels.insert(v.label).second) {
      throw SpecError(v.loc, "axis '" + axis.name + "': value '" + v.label + "' given twice");
    }
    if (axis.kind == SweepAxisKind::kDensity) {
      if (!v.number) throw SpecError(v.loc, "density '" + v.text + "' is not a number");
      if (!(*v.number >= 0.0 && *v.number <= 1.0)) {
        throw SpecError(v.loc, "axis '" + axis.name + "': density " + v.text + " is outside [0, 1]");
      }
    }
  }
  return axis;
}

SweepSearch ReadSearch(const Cursor& s) {
  s.RejectUnknownKeys({"strategy", "max_evaluations", "time_limit", "victory", "objectives", "seed"});
  SweepSearch out;
  if (auto v = s.Find("strategy")) out.strategy = yaml::NormalizeEnum(v->Str());
  auto whole = [](const Cursor& v) {
    const int64_t n = v.Int();
    if (n < 0) v.Fail("must be 0 or more");
    return static_cast<uint64_t>(n);
  };
  if (auto v = s.Find("max_evaluations")) out.max_evaluations = whole(*v);
  if (auto v = s.Find("victory")) out.victory = whole(*v);
  if (auto v = s.Find("seed")) out.seed = whole(*v);
  if (auto v = s.Find("time_limit")) {
    out.time_limit_s = v->Num();
    if (!(out.time_limit_s >= 0) || !std::isfinite(out.time_limit_s)) v->Fail("must be a finite number of seconds >= 0");
  }
  if (auto v = s.Find("objectives")) {
    std::string list;
    for (const std::string& o : v->StrList()) list += (list.empty() ? "" : ",") + o;
    out.objectives = list;
  }
  return out;
}

}  // namespace

bool SweepAxis::numeric() const {
  for (const SweepValue& v : values)
    if (!v.number) return false;
  return kind != SweepAxisKind::kFiles;
}

uint64_t SweepSpec::NumPoints() const {
  uint64_t n = 1;
  for (const SweepAxis& a : axes) n *= a.values.size();
  return n;
}

std::vector<int> SweepSpec::PointValues(uint64_t point) const {
  std::vector<int> out(axes.size(), 0);
  for (size_t a = axes.size(); a-- > 0;) {
    const uint64_t radix = axes[a].values.size();
    out[a] = static_cast<int>(point % radix);
    point /= radix;
  }
  return out;
}

std::string SweepSpec::PointLabel(uint64_t point) const {
  const std::vector<int> v = PointValues(point);
  std::string out;
  for (size_t a = 0; a < axes.size(); ++a)
    out += (out.empty() ? "" : " ") + axes[a].name + "=" + axes[a].values[v[a]].label;
  return out;
}

std::vector<std::string> SweepSpec::PointFiles(uint64_t point) const {
  std::vector<std::string> files = inputs;
  const std::vector<int> v = PointValues(point);
  for (size_t a = 0; a < axes.size(); ++a)
    for (const std::string& f : axes[a].values[v[a]].files) files.push_back(f);
  return files;
}

std::vector<Override> SweepSpec::PointOverrides(uint64_t point) const {
  std::vector<Override> out;
  const std::vector<int> v = PointValues(point);
  for (size_t a = 0; a < axes.size(); ++a) {
    const SweepAxis& axis = axes[a];
    const SweepValue& value = axis.values[v[a]];
    if (axis.kind == SweepAxisKind::kFiles) continue;
    Override o;
    o.value = value.text;
    o.loc = value.loc;
    if (axis.kind == SweepAxisKind::kDensity) {
      o.key_path = "problem.instance.densities." + axis.tensor;
      o.map_key = "density";
      o.create_leaf = true;  // a tensor without a density yet gets one
    } else {
      o.key_path = axis.key_path;
    }
    o.loc.key_path = o.key_path;
    o.path_loc = axis.key_loc;
    o.path_loc.key_path = o.key_path;
    out.push_back(std::move(o));
  }
  return out;
}

SweepSpec LoadSweep(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw SpecError(SourceLoc{path, 0, ""}, "cannot open sweep file");
  std::ostringstream text;
  text << in.rdbuf();
  return LoadSweepText(path, text.str(), true);
}

SweepSpec LoadSweepText(const std::string& path, const std::string& text, bool check_files) {
  SweepSpec sweep;
  sweep.path = path;
  sweep.text = text;
  const yaml::YNode root = yaml::ParseYamlText(path, sweep.text);
  const Cursor rc(root, "");
  if (!rc.IsMap()) throw SpecError(SourceLoc{path, root.line, ""}, "expected a map with the key `sweep`");
  rc.RejectUnknownKeys({"sweep"});
  const Cursor s = rc.Need("sweep");
  s.RejectUnknownKeys({"inputs", "search", "axes"});
  const fs::path dir = fs::path(path).parent_path();
  const Cursor inputs = s.Need("inputs");
  for (const Cursor& f : inputs.Items()) {
    sweep.inputs.push_back(Resolve(dir, f.Str()));
    CheckFileExists(sweep.inputs.back(), f, check_files);
  }
  if (sweep.inputs.empty()) inputs.Fail("no base input files");
  if (auto sr = s.Find("search")) sweep.search = ReadSearch(*sr);
  const Cursor axes = s.Need("axes");
  if (!axes.IsSeq()) axes.Fail("expected a list of axes");
  std::set<std::string> names;
  double points = 1;
  for (const Cursor& a : axes.Items()) {
    sweep.axes.push_back(ReadAxis(a, dir, check_files));
    if (!names.insert(sweep.axes.back().name).second) a.Need("name").Fail("axis name given twice");
    points *= static_cast<double>(sweep.axes.back().values.size());
    if (points > static_cast<double>(kMaxPoints)) {
      a.Fail("the sweep has more than " + std::to_string(kMaxPoints) + " points; split it");
    }
  }
  if (sweep.axes.empty()) axes.Fail("no axes");
  return sweep;
}

void CheckSweepAxes(const SweepSpec& sweep) {
  // Each axis value with every other axis at its first value: every file a
  // value adds and every key path is then tried once.
  std::set<uint64_t> probes{0};
  uint64_t stride = 1;
  for (size_t a = sweep.axes.size(); a-- > 0;) {
    for (uint64_t v = 1; v < sweep.axes[a].values.size(); ++v) probes.insert(v * stride);
    stride *= sweep.axes[a].values.size();
  }
  for (uint64_t p : probes) {
    std::vector<InputFile> files;
    for (const std::string& f : sweep.PointFiles(p)) files.push_back(ReadInputFile(f));
    (void)LoadSpecFromTexts(files, sweep.PointOverrides(p));
  }
}

}  // namespace sieve::spec
