// Key-path overrides on the merged YAML tree (a sweep's key and density
// axes). Applied after the files merge and before any section is read, so
// the readers check an overridden value exactly like a written one, and
// their messages point at the sweep file line that set it.
#include <cctype>
#include <cstdlib>
#include <string>
#include <vector>

#include "spec/yaml_node.hpp"

namespace sieve::spec::yaml {
namespace {

struct Step {
  bool is_key = true;     // a map key, else a sequence selector
  std::string key;        // is_key
  bool by_name = false;   // selector: [name=X] rather than [i]
  std::string name;       // [name=X]
  size_t index = 0;       // [i]
};

[[noreturn]] void Bad(const Override& o, const std::string& why) {
  SourceLoc at = o.path_loc.file.empty() ? o.loc : o.path_loc;
  if (at.key_path.empty()) at.key_path = o.key_path;
  throw SpecError(at, why);
}

std::vector<Step> ParsePath(const Override& o) {
  std::vector<Step> steps;
  const std::string& p = o.key_path;
  size_t i = 0;
  auto fail = [&](const std::string& why) { Bad(o, "key path '" + p + "': " + why); };
  while (i < p.size()) {
    size_t j = i;
    while (j < p.size() && p[j] != '.' && p[j] != '[') ++j;
    if (j == i) fail("empty key at position " + std::to_string(i + 1));
    Step key;
    key.key = p.substr(i, j - i);
    steps.push_back(key);
    i = j;
    while (i < p.size() && p[i] == '[') {
      const size_t close = p.find(']', i);
      if (close == std::string::npos) fail("'[' without ']'");
      const std::string inside = p.substr(i + 1, close - i - 1);
      Step s;
      s.is_key = false;
      if (inside.rfind("name=", 0) == 0) {
        s.by_name = true;
        s.name = inside.substr(5);
        if (s.name.empty()) fail("empty name in [name=]");
      } else {
        if (inside.empty()) fail("empty index []");
        for (char c : inside)
          if (!std::isdigit(static_cast<unsigned char>(c))) fail("index '" + inside + "' is not a number or name=X");
        if (inside.size() > 9) fail("index '" + inside + "' is too large");
        s.index = static_cast<size_t>(std::strtoul(inside.c_str(), nullptr, 10));
      }
      steps.push_back(s);
      i = close + 1;
    }
    if (i < p.size()) {
      if (p[i] != '.') fail("expected '.' or '[' at position " + std::to_string(i + 1));
      ++i;
      if (i == p.size()) fail("ends with '.'");
    }
  }
  if (steps.empty()) fail("empty");
  if (!steps.back().is_key && o.create_leaf) fail("must end with a key");
  return steps;
}

// The name of a sequence item (its `name` value) without an instance range.
bool NameMatches(const YNode& item, const std::string& want) {
  if (item.kind != YNode::Kind::kMap) return false;
  for (const YEntry& e : item.entries) {
    if (NormalizeKey(e.key) != "name" || e.value.kind != YNode::Kind::kScalar) continue;
    const std::string& n = e.value.scalar;
    if (n == want) return true;
    const size_t bracket = n.find('[');
    if (bracket != std::string::npos && n.substr(0, bracket) == want) return true;
  }
  return false;
}

std::string Where(const std::vector<Step>& steps, size_t upto) {
  std::string out;
  for (size_t k = 0; k < upto; ++k) {
    const Step& s = steps[k];
    // Appended piece by piece: GCC 12 at -O3 warns (-Wrestrict, falsely)
    // on "literal" + std::string temporaries here.
    if (s.is_key) {
      if (!out.empty()) out += '.';
      out += s.key;
    } else if (s.by_name) {
      out.append("[name=").append(s.name).append("]");
    } else {
      out.append("[").append(std::to_string(s.index)).append("]");
    }
  }
  return out;
}

}  // namespace

void ApplyOverride(YNode& root, const Override& o) {
  const std::vector<Step> steps = ParsePath(o);
  YNode* node = &root;
  for (size_t k = 0; k < steps.size(); ++k) {
    const Step& s = steps[k];
    const bool last = k + 1 == steps.size();
    const std::string here = Where(steps, k);
    if (s.is_key) {
      if (node->kind != YNode::Kind::kMap) {
        Bad(o, "key path '" + o.key_path + "': " + (here.empty() ? "the root" : "'" + here + "'") +
                   " is not a map, so it has no key '" + s.key + "'");
      }
      YNode* found = nullptr;  // the last one wins, as when reading
      for (YEntry& e : node->entries)
        if (NormalizeKey(e.key) == NormalizeKey(s.key)) found = &e.value;
      if (found == nullptr) {
        if (!(last && o.create_leaf)) {
          Bad(o, "key path '" + o.key_path + "': no key '" + s.key + "' in " +
                     (here.empty() ? "the inputs' top level" : "'" + here + "'") +
                     " (an axis can only change a value the inputs give)");
        }
        YEntry e;
        e.key = s.key;
        e.key_line = o.loc.line;
        e.value.file = node->file;
        node->entries.push_back(std::move(e));
        found = &node->entries.back().value;
      }
      node = found;
    } else {
      if (node->kind != YNode::Kind::kSeq) {
        Bad(o, "key path '" + o.key_path + "': '" + here + "' is not a list");
      }
      YNode* found = nullptr;
      if (s.by_name) {
        for (YNode& item : node->items)
          if (NameMatches(item, s.name)) found = &item;
        if (found == nullptr) Bad(o, "key path '" + o.key_path + "': no item named '" + s.name + "' in '" + here + "'");
      } else {
        if (s.index >= node->items.size()) {
          Bad(o, "key path '" + o.key_path + "': '" + here + "' has " + std::to_string(node->items.size()) +
                     " items, no [" + std::to_string(s.index) + "]");
        }
        found = &node->items[s.index];
      }
      node = found;
    }
  }
  if (node->kind == YNode::Kind::kMap && !o.map_key.empty()) {
    YNode* inner = nullptr;
    for (YEntry& e : node->entries)
      if (NormalizeKey(e.key) == NormalizeKey(o.map_key)) inner = &e.value;
    if (inner == nullptr) {
      YEntry e;
      e.key = o.map_key;
      e.key_line = o.loc.line;
      node->entries.push_back(std::move(e));
      inner = &node->entries.back().value;
    }
    node = inner;
  }
  if (node->kind == YNode::Kind::kMap || node->kind == YNode::Kind::kSeq) {
    Bad(o, "key path '" + o.key_path + "' names a " +
               std::string(node->kind == YNode::Kind::kMap ? "map" : "list") +
               "; an axis sets one value (a number or a word)");
  }
  YNode value;
  value.kind = YNode::Kind::kScalar;
  value.scalar = o.value;
  value.file = std::make_shared<const std::string>(o.loc.file);
  value.line = o.loc.line;
  *node = std::move(value);
}

}  // namespace sieve::spec::yaml
