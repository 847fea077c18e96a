// YNode conversion from yaml-cpp, merging, and the Cursor accessors.
// See yaml_node.hpp for the contracts.
#include "spec/yaml_node.hpp"

#include <yaml-cpp/yaml.h>

#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>

namespace sieve::spec::yaml {
namespace {

int LineOf(const YAML::Mark& mark) { return mark.line >= 0 ? mark.line + 1 : 0; }

// Deeper nesting than any real input has (a spec is a handful of levels)
// is refused rather than recursed into.
constexpr int kMaxDepth = 64;

YNode Convert(const YAML::Node& in, const std::shared_ptr<const std::string>& file, int fallback_line,
              int depth = 0) {
  if (depth > kMaxDepth) {
    throw SpecError(SourceLoc{*file, LineOf(in.Mark()) > 0 ? LineOf(in.Mark()) : fallback_line, ""},
                    "nested more than " + std::to_string(kMaxDepth) + " levels deep");
  }
  YNode out;
  out.file = file;
  out.line = LineOf(in.Mark());
  if (out.line == 0) out.line = fallback_line;
  // Only explicit local tags (v0.4 `!Container`, `!Component`, ...) matter;
  // yaml-cpp reports "?" or "!" for untagged nodes.
  if (const std::string& tag = in.Tag(); tag.size() > 1 && tag[0] == '!') out.tag = tag;
  switch (in.Type()) {
    case YAML::NodeType::Scalar:
      out.kind = YNode::Kind::kScalar;
      out.scalar = in.Scalar();
      break;
    case YAML::NodeType::Sequence:
      out.kind = YNode::Kind::kSeq;
      for (const auto& item : in) out.items.push_back(Convert(item, file, out.line, depth + 1));
      break;
    case YAML::NodeType::Map:
      out.kind = YNode::Kind::kMap;
      for (auto it = in.begin(); it != in.end(); ++it) {
        YEntry entry;
        entry.key_line = LineOf(it->first.Mark());
        if (!it->first.IsScalar()) {
          SourceLoc loc{*file, entry.key_line, ""};
          throw SpecError(loc, "map keys must be plain names");
        }
        entry.key = it->first.Scalar();
        entry.value = Convert(it->second, file, entry.key_line, depth + 1);
        // A value is reported at its key's line: block maps and lists start
        // on the next line, and a missing value ("key:") has no line at all.
        entry.value.line = entry.key_line;
        out.entries.push_back(std::move(entry));
      }
      break;
    default:  // Null / Undefined
      out.kind = YNode::Kind::kNull;
      break;
  }
  return out;
}

std::string Trim(std::string_view s) {
  size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return std::string(s.substr(b, e - b));
}

bool ParseDouble(const std::string& text, double* out) {
  if (text.empty()) return false;
  char* end = nullptr;
  *out = std::strtod(text.c_str(), &end);
  return end == text.c_str() + text.size() && std::isfinite(*out);
}

const char* KindName(YNode::Kind k) {
  switch (k) {
    case YNode::Kind::kNull: return "nothing (null)";
    case YNode::Kind::kScalar: return "a single value";
    case YNode::Kind::kSeq: return "a list";
    case YNode::Kind::kMap: return "a map";
  }
  return "?";
}

}  // namespace

std::string NormalizeKey(std::string_view key) {
  std::string out(key);
  for (char& c : out)
    if (c == '-') c = '_';
  return out;
}

std::string NormalizeEnum(std::string_view value) {
  std::string out = Trim(value);
  for (char& c : out) {
    if (c == '-') c = '_';
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

// YAML text is Unicode: a byte sequence that is not UTF-8 is refused with
// its line (keys and values end up in JSON reports, which need UTF-8), and
// so is flow nesting ([ {) deeper than the converter accepts, before the
// parser recurses into it.
void CheckText(const std::string& path, const std::string& text) {
  int line = 1, flow_depth = 0;
  bool in_comment = false;
  char quote = 0;
  for (size_t i = 0; i < text.size();) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    size_t len = 1;
    if (c >= 0x80) {
      len = (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 0;
      bool ok = len > 0 && i + len <= text.size() && c != 0xC0 && c != 0xC1 && c <= 0xF4;
      for (size_t k = 1; ok && k < len; ++k) ok = (static_cast<unsigned char>(text[i + k]) & 0xC0) == 0x80;
      if (!ok) {
        char hex[8];
        std::snprintf(hex, sizeof hex, "0x%02X", c);
        throw SpecError(SourceLoc{path, line, ""}, std::string("invalid UTF-8 (byte ") + hex +
                                                        "): YAML files must be UTF-8 text");
      }
    } else if (c == '\n') {
      ++line;
      in_comment = false;
    } else if (!in_comment) {
      if (quote != 0) {
        if (c == static_cast<unsigned char>(quote)) quote = 0;
      } else if (c == '#' && (i == 0 || std::isspace(static_cast<unsigned char>(text[i - 1])))) {
        in_comment = true;
      } else if (c == '"' || c == '\'') {
        quote = static_cast<char>(c);
      } else if (c == '[' || c == '{') {
        if (++flow_depth > kMaxDepth)
          throw SpecError(SourceLoc{path, line, ""},
                          "nested more than " + std::to_string(kMaxDepth) + " levels deep");
      } else if ((c == ']' || c == '}') && flow_depth > 0) {
        --flow_depth;
      }
    }
    i += len;
  }
}

YNode ParseYamlText(const std::string& path, const std::string& text) {
  auto file = std::make_shared<const std::string>(path);
  CheckText(path, text);
  try {
    YAML::Node root = YAML::Load(text);
    return Convert(root, file, 1);
  } catch (const YAML::Exception& e) {  // ParserException and friends
    throw SpecError(SourceLoc{path, LineOf(e.mark), ""}, "YAML syntax error: " + e.msg);
  }
}

void MergeInto(YNode& base, const YNode& over) {
  if (base.kind != YNode::Kind::kMap || over.kind != YNode::Kind::kMap) {
    base = over;
    return;
  }
  for (const YEntry& entry : over.entries) {
    const std::string norm = NormalizeKey(entry.key);
    YEntry* match = nullptr;
    for (YEntry& mine : base.entries)
      if (NormalizeKey(mine.key) == norm) match = &mine;
    if (match == nullptr) {
      base.entries.push_back(entry);
    } else {
      MergeInto(match->value, entry.value);
    }
  }
}

std::string FlowText(const YNode& node) {
  switch (node.kind) {
    case YNode::Kind::kNull: return "";
    case YNode::Kind::kScalar: return node.scalar;
    case YNode::Kind::kSeq: {
      std::string s = "[";
      for (size_t i = 0; i < node.items.size(); ++i) s += (i ? ", " : "") + FlowText(node.items[i]);
      return s + "]";
    }
    case YNode::Kind::kMap: {
      std::string s = "{";
      for (size_t i = 0; i < node.entries.size(); ++i)
        s += (i ? ", " : "") + node.entries[i].key + ": " + FlowText(node.entries[i].value);
      return s + "}";
    }
  }
  return "";
}

// ---- Cursor ----------------------------------------------------------------

SourceLoc Cursor::Loc() const {
  return SourceLoc{node_->file ? *node_->file : std::string(), node_->line, path_};
}

void Cursor::Fail(const std::string& message) const { throw SpecError(Loc(), message); }

Cursor Cursor::Child(const YEntry& entry) const {
  return Cursor(entry.value, path_.empty() ? entry.key : path_ + "." + entry.key);
}

std::optional<Cursor> Cursor::Find(std::string_view key) const {
  if (IsNull()) return std::nullopt;
  if (!IsMap()) Fail(std::string("expected a map with key '") + std::string(key) + "', got " + KindName(node_->kind));
  const std::string norm = NormalizeKey(key);
  const YEntry* found = nullptr;  // the last one wins, like a later file
  for (const YEntry& e : node_->entries)
    if (NormalizeKey(e.key) == norm) found = &e;
  if (found == nullptr) return std::nullopt;
  return Child(*found);
}

Cursor Cursor::Need(std::string_view key) const {
  std::optional<Cursor> c = Find(key);
  if (!c) Fail("missing required key '" + std::string(key) + "'");
  return *c;
}

std::vector<std::pair<std::string, Cursor>> Cursor::Entries() const {
  std::vector<std::pair<std::string, Cursor>> out;
  if (IsNull()) return out;
  if (!IsMap()) Fail(std::string("expected a map, got ") + KindName(node_->kind));
  for (const YEntry& e : node_->entries) out.emplace_back(e.key, Child(e));
  return out;
}

std::vector<Cursor> Cursor::Items() const {
  std::vector<Cursor> out;
  if (IsNull()) return out;
  if (!IsSeq()) Fail(std::string("expected a list, got ") + KindName(node_->kind));
  for (size_t i = 0; i < node_->items.size(); ++i)
    out.emplace_back(node_->items[i], path_ + "[" + std::to_string(i) + "]");
  return out;
}

std::string Cursor::Str() const {
  if (!IsScalar()) Fail(std::string("expected a name or value, got ") + KindName(node_->kind));
  return node_->scalar;
}

int64_t Cursor::Int() const {
  if (!IsScalar()) Fail(std::string("expected an integer, got ") + KindName(node_->kind));
  const std::string text = Trim(node_->scalar);
  int64_t value = 0;
  const char* first = text.data();
  const char* last = text.data() + text.size();
  if (!text.empty() && text[0] == '+') ++first;
  auto [ptr, ec] = std::from_chars(first, last, value);
  if (ec == std::errc() && ptr == last && first != last) return value;
  double d = 0;
  if (ParseDouble(text, &d) && d == std::floor(d) && std::fabs(d) < 9.0e18) return static_cast<int64_t>(d);
  Fail("expected an integer, got '" + node_->scalar + "'");
}

double Cursor::Num() const {
  if (!IsScalar()) Fail(std::string("expected a number, got ") + KindName(node_->kind));
  double d = 0;
  if (!ParseDouble(Trim(node_->scalar), &d)) Fail("expected a number, got '" + node_->scalar + "'");
  return d;
}

bool Cursor::Bool() const {
  if (IsScalar()) {
    const std::string v = NormalizeEnum(node_->scalar);
    if (v == "true" || v == "yes" || v == "on" || v == "1") return true;
    if (v == "false" || v == "no" || v == "off" || v == "0") return false;
  }
  Fail("expected true or false, got '" + FlowText(*node_) + "'");
}

std::vector<std::string> Cursor::StrList() const {
  std::vector<std::string> out;
  if (IsScalar()) {
    out.push_back(Str());
    return out;
  }
  for (const Cursor& item : Items()) out.push_back(item.Str());
  return out;
}

void Cursor::WarnUnknownKeys(std::initializer_list<std::string_view> known,
                             std::vector<std::string>& warnings) const {
  if (!IsMap()) return;
  for (const YEntry& e : node_->entries) {
    const std::string norm = NormalizeKey(e.key);
    bool ok = false;
    for (std::string_view k : known)
      if (NormalizeKey(k) == norm) ok = true;
    if (ok) continue;
    // The entry may come from a later file merged into this map.
    const auto& file = e.value.file ? e.value.file : node_->file;
    SourceLoc loc{file ? *file : std::string(), e.key_line, path_};
    warnings.push_back(FormatLoc(loc) + ": unknown key '" + e.key + "' ignored");
  }
}

// ---- Names -------------------------------------------------------------------

RangedName SplitRangedName(const std::string& name, const Cursor& where) {
  RangedName out;
  const size_t open = name.find('[');
  if (open == std::string::npos) {
    out.base = Trim(name);
    return out;
  }
  const size_t close = name.find(']', open);
  const size_t dots = name.find("..", open);
  if (close == std::string::npos || close != name.size() - 1 || dots == std::string::npos || dots > close)
    where.Fail("malformed name '" + name + "': expected NAME or NAME[a..b]");
  const std::string a_text = Trim(name.substr(open + 1, dots - open - 1));
  const std::string b_text = Trim(name.substr(dots + 2, close - dots - 2));
  int64_t a = 0, b = 0;
  auto ra = std::from_chars(a_text.data(), a_text.data() + a_text.size(), a);
  auto rb = std::from_chars(b_text.data(), b_text.data() + b_text.size(), b);
  if (ra.ec != std::errc() || ra.ptr != a_text.data() + a_text.size() || rb.ec != std::errc() ||
      rb.ptr != b_text.data() + b_text.size() || a_text.empty() || b_text.empty())
    where.Fail("malformed range in '" + name + "': expected [a..b] with integers a <= b");
  if (b < a) where.Fail("empty range in '" + name + "': expected [a..b] with a <= b");
  out.base = Trim(name.substr(0, open));
  out.count = b - a + 1;
  return out;
}

std::string ShortComponentName(const std::string& dotted) {
  // Split on '.' outside brackets, take the last part, drop its [..] suffix.
  int depth = 0;
  size_t start = 0;
  for (size_t i = 0; i < dotted.size(); ++i) {
    if (dotted[i] == '[') ++depth;
    else if (dotted[i] == ']') --depth;
    else if (dotted[i] == '.' && depth == 0) start = i + 1;
  }
  std::string last = dotted.substr(start);
  const size_t open = last.find('[');
  if (open != std::string::npos) last = last.substr(0, open);
  return Trim(last);
}

// ---- Dimension and data-space names ------------------------------------------

std::vector<int> MatchDimNames(const std::string& text, const Workload& w, const Cursor& where,
                               std::string_view field) {
  std::vector<int> out;
  size_t pos = 0;
  while (pos < text.size()) {
    if (std::isspace(static_cast<unsigned char>(text[pos]))) {
      ++pos;
      continue;
    }
    int best = -1;
    size_t best_len = 0;
    for (size_t d = 0; d < w.dim_names.size(); ++d) {
      const std::string& n = w.dim_names[d];
      if (n.size() > best_len && text.compare(pos, n.size(), n) == 0) {
        best = static_cast<int>(d);
        best_len = n.size();
      }
    }
    if (best < 0)
      where.Fail("unknown dimension at '" + text.substr(pos) + "' in " + std::string(field) + " '" + text + "'");
    out.push_back(best);
    pos += best_len;
  }
  return out;
}

std::vector<int> DataSpaceIndices(const Cursor& names, const Workload& w) {
  std::vector<int> out;
  const std::vector<Cursor> items = names.IsScalar() ? std::vector<Cursor>{names} : names.Items();
  for (const Cursor& item : items) {
    const int ds = w.DataSpaceIndex(Trim(item.Str()));
    if (ds < 0) item.Fail("unknown data space '" + item.Str() + "'");
    out.push_back(ds);
  }
  return out;
}

}  // namespace sieve::spec::yaml
