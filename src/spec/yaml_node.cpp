// YNode conversion from yaml-cpp, merging, and the Cursor accessors.
// See yaml_node.hpp for the contracts.
#include "spec/yaml_node.hpp"

#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
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
// Values the converter may make beyond one per byte of text. Without
// aliases a file cannot hold more values than bytes; aliases are copied
// out at each use, so nested ones ("billion laughs": 9 aliases of 9
// aliases ... is 9^9 values) would otherwise exhaust memory.
constexpr size_t kMaxAliasValues = 100000;

// yaml-cpp nodes -> YNode, with the file and line of every value and the
// key path of where it is for messages.
class Converter {
 public:
  Converter(std::shared_ptr<const std::string> file, size_t text_bytes)
      : file_(std::move(file)), budget_(text_bytes + kMaxAliasValues) {}

  YNode Convert(const YAML::Node& in, int fallback_line, const std::string& path) {
    const int line = LineOf(in.Mark()) > 0 ? LineOf(in.Mark()) : fallback_line;
    // An alias inside the value it names (`a: &x {b: *x}`) makes yaml-cpp
    // build a node that contains itself: say so rather than recurse.
    if (in.IsMap() || in.IsSequence())
      for (const YAML::Node& outer : open_)
        if (in.is(outer))
          Fail(line, path, "an alias refers to a value that contains it (a self-referencing alias)");
    if (static_cast<int>(open_.size()) > kMaxDepth)  // (its key path would be 64 keys long)
      Fail(line, "", "nested more than " + std::to_string(kMaxDepth) + " levels deep");
    if (++made_ > budget_)
      Fail(line, path,
           "the aliases in this file expand to more than " + std::to_string(budget_) +
               " values (nested aliases of aliases?); write the values out");
    YNode out;
    out.file = file_;
    out.line = line;
    // Only explicit local tags (v0.4 `!Container`, `!Component`, ...) matter;
    // yaml-cpp reports "?" or "!" for untagged nodes.
    if (const std::string& tag = in.Tag(); tag.size() > 1 && tag[0] == '!') out.tag = tag;
    switch (in.Type()) {
      case YAML::NodeType::Scalar:
        out.kind = YNode::Kind::kScalar;
        out.scalar = in.Scalar();
        break;
      case YAML::NodeType::Sequence: {
        out.kind = YNode::Kind::kSeq;
        open_.push_back(in);
        size_t i = 0;
        for (const auto& item : in)
          out.items.push_back(Convert(item, out.line, path + "[" + std::to_string(i++) + "]"));
        open_.pop_back();
        break;
      }
      case YAML::NodeType::Map:
        out.kind = YNode::Kind::kMap;
        open_.push_back(in);
        for (auto it = in.begin(); it != in.end(); ++it) {
          YEntry entry;
          entry.key_line = LineOf(it->first.Mark());
          if (!it->first.IsScalar()) Fail(entry.key_line, path, "map keys must be plain names");
          entry.key = it->first.Scalar();
          entry.value =
              Convert(it->second, entry.key_line, path.empty() ? entry.key : path + "." + entry.key);
          // A value is reported at its key's line: block maps and lists start
          // on the next line, and a missing value ("key:") has no line at all.
          entry.value.line = entry.key_line;
          out.entries.push_back(std::move(entry));
        }
        open_.pop_back();
        break;
      default:  // Null / Undefined
        out.kind = YNode::Kind::kNull;
        break;
    }
    return out;
  }

 private:
  [[noreturn]] void Fail(int line, const std::string& path, const std::string& message) const {
    throw SpecError(SourceLoc{*file_, line, path}, message);
  }

  std::shared_ptr<const std::string> file_;
  size_t budget_;
  size_t made_ = 0;
  std::vector<YAML::Node> open_;  // the maps and lists being converted, outermost first
};

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
// parser recurses into it. Returns the line of a '[' or '{' still open at
// the end (0 if none), for the message if the parser then fails.
int CheckText(const std::string& path, const std::string& text) {
  int line = 1, flow_depth = 0, outermost_open = 0;
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
        if (flow_depth == 0) outermost_open = line;
        if (++flow_depth > kMaxDepth)
          throw SpecError(SourceLoc{path, line, ""},
                          "nested more than " + std::to_string(kMaxDepth) + " levels deep");
      } else if ((c == ']' || c == '}') && flow_depth > 0) {
        --flow_depth;
      }
    }
    i += len;
  }
  return flow_depth > 0 ? outermost_open : 0;
}

namespace {

// The parser's messages say what it expected, not what is wrong with the
// text. Two common slips get a pointer: a tab in the indentation (YAML
// indents with spaces only) at or before the failing line, and a bracket
// that is never closed.
std::string SyntaxHint(const std::string& text, int error_line, int unclosed_line,
                       const std::string& parser_msg) {
  if (unclosed_line > 0 && parser_msg.find("flow") != std::string::npos)
    return " (the bracket opened at line " + std::to_string(unclosed_line) + " is never closed)";
  int line = 1, tab_line = 0;
  for (size_t i = 0; i < text.size() && (error_line <= 0 || line <= error_line); ++line) {
    const size_t end = std::min(text.find('\n', i), text.size());
    for (size_t k = i; k < end && (text[k] == ' ' || text[k] == '\t'); ++k) {
      if (text[k] == '\t') {
        tab_line = line;
        break;
      }
    }
    i = end + 1;
  }
  if (tab_line > 0)
    return " (line " + std::to_string(tab_line) + " is indented with a tab; YAML indents with spaces only)";
  return "";
}

}  // namespace

YNode ParseYamlText(const std::string& path, const std::string& text) {
  auto file = std::make_shared<const std::string>(path);
  const int unclosed_line = CheckText(path, text);
  try {
    YAML::Node root = YAML::Load(text);
    return Converter(file, text.size()).Convert(root, 1, "");
  } catch (const YAML::DeepRecursion& e) {  // the parser's own depth limit, deeper than ours
    throw SpecError(SourceLoc{path, LineOf(e.mark), ""},
                    "nested more than " + std::to_string(kMaxDepth) + " levels deep");
  } catch (const YAML::Exception& e) {  // ParserException and friends
    throw SpecError(SourceLoc{path, LineOf(e.mark), ""},
                    "YAML syntax error: " + e.msg + SyntaxHint(text, LineOf(e.mark), unclosed_line, e.msg));
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

namespace {

// Edits (insert, delete, replace, swap two neighbours) from a to b, or
// limit + 1 once more than limit are needed.
size_t EditDistance(const std::string& a, const std::string& b, size_t limit) {
  if ((a.size() > b.size() ? a.size() - b.size() : b.size() - a.size()) > limit) return limit + 1;
  std::vector<std::vector<size_t>> d(a.size() + 1, std::vector<size_t>(b.size() + 1));
  for (size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    for (size_t j = 1; j <= b.size(); ++j) {
      d[i][j] =
          std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return std::min(d[a.size()][b.size()], limit + 1);
}

}  // namespace

Cursor Cursor::Need(std::string_view key) const {
  std::optional<Cursor> c = Find(key);
  if (!c) {
    // A required key is most often missing because it is misspelt: name
    // the key of this map that is closest to it (one or two edits away).
    std::string message = "missing required key '" + std::string(key) + "'";
    const std::string want = NormalizeKey(key);
    const size_t limit = want.size() <= 4 ? 1 : 2;
    size_t best = limit + 1;
    const YEntry* near = nullptr;
    if (IsMap())
      for (const YEntry& e : node_->entries)
        if (const size_t dist = EditDistance(NormalizeKey(e.key), want, limit); dist < best) {
          best = dist;
          near = &e;
        }
    if (near != nullptr) {
      // The entry may come from a later file merged into this map.
      const bool other_file = near->value.file && node_->file && *near->value.file != *node_->file;
      message += "; is '" + near->key + "' (" + (other_file ? *near->value.file + ":" : "line ") +
                 std::to_string(near->key_line) + ") a misspelling of it?";
    }
    Fail(message);
  }
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
  if (__builtin_sub_overflow(b, a, &out.count) || __builtin_add_overflow(out.count, 1, &out.count))
    where.Fail("range in '" + name + "' has more than 2^63-1 elements");
  out.base = Trim(name.substr(0, open));
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

void Cursor::RejectUnknownKeys(std::initializer_list<std::string_view> known) const {
  std::vector<std::string> unknown;
  WarnUnknownKeys(known, unknown);
  if (unknown.empty()) return;
  // WarnUnknownKeys words it as a warning; a strict format refuses instead.
  std::string msg = unknown.front();
  const std::string ignored = " ignored";
  if (msg.size() > ignored.size() && msg.compare(msg.size() - ignored.size(), ignored.size(), ignored) == 0) {
    msg.resize(msg.size() - ignored.size());
  }
  std::string list;
  for (std::string_view k : known) list += (list.empty() ? "" : ", ") + std::string(k);
  throw SpecError(msg + " (valid here: " + list + ")");
}

}  // namespace sieve::spec::yaml
