// Line-oriented reader of Timeloop text stats; the layout and the key scheme are
// described in ref_stats.hpp.
#include "golden/ref_stats.hpp"

#include <cctype>
#include <cstdlib>
#include <fstream>
#include <limits>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <utility>

namespace sieve::testing {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

std::string Trim(const std::string& s) {
  std::size_t b = 0;
  std::size_t e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return s.substr(b, e - b);
}

int Indent(const std::string& s) {
  int n = 0;
  for (char c : s) {
    if (c == ' ') {
      ++n;
    } else if (c == '\t') {
      n += 8;
    } else {
      break;
    }
  }
  return n;
}

bool StartsWith(const std::string& s, const std::string& prefix) {
  return s.compare(0, prefix.size(), prefix) == 0;
}

bool IsRule(const std::string& t) {  // "-------" under a heading
  return !t.empty() && t.find_first_not_of('-') == std::string::npos;
}

// Leading number of `v` ("0.43 pJ" -> 0.43, "168 (14*12)" -> 168); nullopt for "-",
// empty or non-numeric text.
std::optional<double> LeadingNumber(const std::string& v) {
  std::string t = Trim(v);
  if (t.empty() || t == "-") return std::nullopt;
  const char* begin = t.c_str();
  char* end = nullptr;
  double x = std::strtod(begin, &end);
  if (end == begin) return std::nullopt;
  // Reject things like "inf"/"nan" words that strtod accepts only when they are the
  // whole token; Timeloop prints neither, but a name such as "none" must stay text.
  if (std::isalpha(static_cast<unsigned char>(*begin))) return std::nullopt;
  return x;
}

// "=== name ===" -> name.
std::optional<std::string> Banner(const std::string& t) {
  if (t.size() >= 7 && StartsWith(t, "===") && t.compare(t.size() - 3, 3, "===") == 0) {
    return Trim(t.substr(3, t.size() - 6));
  }
  return std::nullopt;
}

std::vector<std::string> SplitCommas(const std::string& s) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : s) {
    if (c == ',') {
      out.push_back(Trim(cur));
      cur.clear();
    } else {
      cur += c;
    }
  }
  out.push_back(Trim(cur));
  return out;
}

// "Rank 1 (metadata, payload)" + "(0,  18)" -> {"Rank 1", {{"metadata",0},{"payload",18}}}.
// Returns false when the line is not of that form.
bool ParseTuple(const std::string& key, const std::string& value, std::string* label,
                std::vector<std::pair<std::string, std::optional<double>>>* items) {
  std::string v = Trim(value);
  if (v.empty() || v[0] != '(' || key.empty() || key.back() != ')') return false;
  std::size_t open = key.rfind('(');
  if (open == std::string::npos) return false;
  std::vector<std::string> names = SplitCommas(key.substr(open + 1, key.size() - open - 2));
  v = v.substr(1);
  if (!v.empty() && v.back() == ')') v.pop_back();  // some lines lack the ')'
  std::vector<std::string> values = SplitCommas(v);
  if (names.size() < 2 || names.size() != values.size()) return false;
  *label = Trim(key.substr(0, open));
  items->clear();
  for (std::size_t i = 0; i < names.size(); ++i) {
    items->emplace_back(names[i], LeadingNumber(values[i]));
  }
  return true;
}

struct KeyValue {
  std::string key;
  std::string value;
  bool has_colon = false;
};

KeyValue SplitKeyValue(const std::string& t, char sep = ':') {
  KeyValue kv;
  std::size_t pos = t.find(sep);
  if (pos == std::string::npos) {
    kv.key = Trim(t);
    return kv;
  }
  kv.key = Trim(t.substr(0, pos));
  kv.value = Trim(t.substr(pos + 1));
  kv.has_colon = true;
  return kv;
}

void Store(const std::string& key, const std::string& value, std::map<std::string, double>* nums,
           std::map<std::string, std::string>* text) {
  if (auto x = LeadingNumber(value)) {
    (*nums)[key] = *x;
  } else if (!value.empty() && value != "-" && text != nullptr) {
    (*text)[key] = value;
  }
}

enum class Section { kNone, kLevels, kNetworks, kOpIntensity, kSummary };
enum class Part { kNone, kSpecs, kMapping, kStats };

class Parser {
 public:
  explicit Parser(std::string origin) : origin_(std::move(origin)) {}

  RefStats Run(std::istream& in) {
    std::string raw;
    while (std::getline(in, raw)) {
      if (!raw.empty() && raw.back() == '\r') raw.pop_back();
      Line(raw);
    }
    if (out_.levels.empty() && out_.summary.empty()) {
      throw std::runtime_error(origin_ +
                               ": not a Timeloop stats file (no levels and no summary stats)");
    }
    auto it = out_.summary.find("Computes");
    if (it == out_.summary.end()) it = out_.summary.find("Actual Computes");
    if (it != out_.summary.end()) out_.computes = it->second;
    return std::move(out_);
  }

 private:
  void Line(const std::string& raw) {
    const std::string t = Trim(raw);
    if (t.empty() || IsRule(t)) return;
    const int indent = Indent(raw);

    if (indent == 0) {
      if (t == "Buffer and Arithmetic Levels") return Enter(Section::kLevels);
      if (t == "Networks") return Enter(Section::kNetworks);
      if (t == "Operational Intensity Stats") return Enter(Section::kOpIntensity);
      if (t == "Summary Stats") return Enter(Section::kSummary);
    }
    switch (section_) {
      case Section::kLevels:
        return LevelLine(t, indent);
      case Section::kOpIntensity:
        return OpIntensityLine(t);
      case Section::kSummary:
        return SummaryLine(t, indent);
      case Section::kNetworks:
      case Section::kNone:
        return;
    }
  }

  void Enter(Section s) {
    section_ = s;
    part_ = Part::kNone;
    data_space_ = nullptr;
    oi_level_.clear();
    fj_block_ = nullptr;
  }

  void LevelLine(const std::string& t, int indent) {
    if (indent == 0 && StartsWith(t, "Level ")) {
      const char* begin = t.c_str() + 6;
      char* end = nullptr;
      long n = std::strtol(begin, &end, 10);
      if (end != begin && Trim(end).empty()) {
        out_.levels.emplace_back();
        out_.levels.back().index = static_cast<int>(n);
        part_ = Part::kNone;
        data_space_ = nullptr;
        return;
      }
    }
    if (out_.levels.empty()) return;
    RefLevel& level = out_.levels.back();
    if (auto name = Banner(t)) {
      level.name = *name;
      return;
    }
    if (t == "SPECS" || t == "MAPPING" || t == "STATS") {
      part_ = t == "SPECS" ? Part::kSpecs : t == "MAPPING" ? Part::kMapping : Part::kStats;
      part_indent_ = indent;
      data_space_ = nullptr;
      return;
    }
    switch (part_) {
      case Part::kSpecs: {
        KeyValue kv = SplitKeyValue(t);
        if (kv.has_colon) Store(kv.key, kv.value, &level.specs, &level.text);
        return;
      }
      case Part::kStats:
        return StatsLine(level, t, indent);
      case Part::kMapping:
      case Part::kNone:
        return;
    }
  }

  void StatsLine(RefLevel& level, const std::string& t, int indent) {
    KeyValue kv = SplitKeyValue(t);
    if (indent <= part_indent_) {
      // Level-wide line, or the start of a data space ("Weights:").
      if (kv.has_colon && kv.value.empty()) {
        data_space_ = &level.data_spaces[kv.key];
        stack_.clear();
      } else {
        data_space_ = nullptr;
        if (kv.has_colon) Store(kv.key, kv.value, &level.stats, &level.text);
      }
      return;
    }
    if (data_space_ == nullptr) {  // deeper line outside a data space: keep it level-wide
      if (kv.has_colon) Store(kv.key, kv.value, &level.stats, &level.text);
      return;
    }
    // Inside a data space: nest under the nearest shallower line.
    while (!stack_.empty() && stack_.back().first >= indent) stack_.pop_back();
    std::string prefix;
    for (const auto& [ind, key] : stack_) prefix += key + "/";

    std::string label;
    std::vector<std::pair<std::string, std::optional<double>>> items;
    if (kv.has_colon && ParseTuple(kv.key, kv.value, &label, &items)) {
      for (const auto& [name, x] : items) {
        if (x) data_space_->fields[prefix + label + "/" + name] = *x;
      }
      stack_.emplace_back(indent, label);
      return;
    }
    if (kv.has_colon) Store(prefix + kv.key, kv.value, &data_space_->fields, &data_space_->text);
    stack_.emplace_back(indent, kv.key);
  }

  void OpIntensityLine(const std::string& t) {
    if (auto name = Banner(t)) {
      oi_level_ = *name;
      return;
    }
    KeyValue kv = SplitKeyValue(t);
    if (!kv.has_colon) return;
    auto x = LeadingNumber(kv.value);
    if (!x) return;
    if (oi_level_.empty()) {
      out_.operational_intensity[kv.key] = *x;
    } else if (kv.key == "Total scalar accesses") {
      out_.total_scalar_accesses[oi_level_] = *x;
    } else if (kv.key == "Op per Byte") {
      out_.op_per_byte[oi_level_] = *x;
    }
  }

  void SummaryLine(const std::string& t, int indent) {
    if (indent == 0) {
      fj_block_ = nullptr;
      if (t == "fJ/Compute") {
        fj_block_ = &out_.fj_per_compute;
        return;
      }
      if (t == "fJ/Algorithmic-Compute") {
        fj_block_ = &out_.fj_per_algorithmic_compute;
        return;
      }
      // "Computes = N", "Actual Computes = N", "Algorithmic Computes = N".
      if (t.find('=') != std::string::npos && t.find(':') == std::string::npos) {
        KeyValue kv = SplitKeyValue(t, '=');
        if (auto x = LeadingNumber(kv.value)) out_.summary[kv.key] = *x;
        return;
      }
      KeyValue kv = SplitKeyValue(t);
      if (!kv.has_colon) return;
      auto x = LeadingNumber(kv.value);
      if (!x) return;
      out_.summary[kv.key] = *x;
      if (kv.key == "Cycles") out_.cycles = *x;
      if (kv.key == "Energy") out_.energy_uj = *x;
      if (kv.key == "Utilization") out_.utilization_pct = *x;
      if (StartsWith(kv.key, "GFLOPs")) out_.gflops = *x;
      if (StartsWith(kv.key, "EDP")) out_.edp = *x;
      return;
    }
    if (fj_block_ != nullptr) {
      KeyValue kv = SplitKeyValue(t, '=');
      if (auto x = LeadingNumber(kv.value); kv.has_colon && x) (*fj_block_)[kv.key] = *x;
    }
  }

  std::string origin_;
  RefStats out_;
  Section section_ = Section::kNone;
  Part part_ = Part::kNone;
  int part_indent_ = 0;
  RefDataSpace* data_space_ = nullptr;            // points into out_.levels.back()
  std::vector<std::pair<int, std::string>> stack_;  // (indent, key) of enclosing lines
  std::string oi_level_;
  std::map<std::string, double>* fj_block_ = nullptr;
};

}  // namespace

const RefDataSpace* RefLevel::DataSpace(const std::string& ds) const {
  auto it = data_spaces.find(ds);
  return it == data_spaces.end() ? nullptr : &it->second;
}

RefStats::RefStats()
    : cycles(kNaN), energy_uj(kNaN), utilization_pct(kNaN), gflops(kNaN), edp(kNaN),
      computes(kNaN) {}

const RefLevel* RefStats::Level(const std::string& name) const {
  for (const RefLevel& level : levels) {
    if (level.name == name) return &level;
  }
  return nullptr;
}

RefStats ParseRefStatsText(const std::string& text, const std::string& origin) {
  std::istringstream in(text);
  return Parser(origin).Run(in);
}

RefStats ParseRefStats(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error(path + ": cannot open stats file");
  Parser parser(path);
  RefStats stats = parser.Run(in);
  if (in.bad()) throw std::runtime_error(path + ": read error");
  return stats;
}

}  // namespace sieve::testing
