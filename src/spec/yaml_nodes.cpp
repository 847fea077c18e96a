// v0.4 front end: the `nodes` architecture form -> the lowered form (see
// LowerFrontEnd in yaml_node.hpp).
//
// Why a tree-to-tree rewrite: the lowered form (timeloopfe's
// parsed-processed-input.yaml) is what the reference core consumes and what
// our readers already validate, so lowering into it keeps one set of
// readers and makes "raw and lowered give the same spec" checkable.
//
// The rules follow what timeloopfe's processed outputs show:
//   - `!Container` nodes scope every node after them in the same list (a
//     hierarchy written flat); their attributes are copied into the
//     components below them unless a component gives its own.
//   - A container with `spatial: {meshX, meshY}` fans out by meshX*meshY.
//     Timeloop models a fan-out only below a storage level, so a dummy
//     level `inter_<name>_spatial` (class dummy_storage, 1x1x1 bit) is
//     inserted there; it keeps nothing and has no temporal loops (all
//     factors 1, all data spaces bypassed), and takes the container's
//     spatial constraints.
//   - `!Parallel` siblings become consecutive levels; a sibling that keeps
//     some data spaces bypasses the others (each data space has one branch).
//     `!Nothing` only states which data spaces skip the branch: no level.
//   - Permutations are completed as timeloopfe's permutation optimizer
//     does: a dimension with factor 1, then a dimension of bound 1, that
//     the permutation does not list is put innermost. Those loops have
//     bound 1, so this changes no mapping's cost; it only matches the
//     reference's constraint text.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <functional>
#include <map>
#include <set>
#include <vector>

#include "sieve/spec/expression.hpp"
#include "spec/yaml_node.hpp"

namespace sieve::spec::yaml {
namespace {

using Kind = YNode::Kind;

YNode Make(Kind kind, const YNode& at) {
  YNode n;
  n.kind = kind;
  n.file = at.file;
  n.line = at.line;
  return n;
}

YNode Scalar(std::string text, const YNode& at) {
  YNode n = Make(Kind::kScalar, at);
  n.scalar = std::move(text);
  return n;
}

const YNode* Get(const YNode& map, std::string_view key) {
  if (map.kind != Kind::kMap) return nullptr;
  const std::string norm = NormalizeKey(key);
  for (const YEntry& e : map.entries)
    if (NormalizeKey(e.key) == norm) return &e.value;
  return nullptr;
}

YNode* GetMut(YNode& map, std::string_view key) { return const_cast<YNode*>(Get(map, key)); }

void Put(YNode& map, std::string_view key, YNode value) {
  if (map.kind != Kind::kMap) map.kind = Kind::kMap;
  if (YNode* old = GetMut(map, key)) {
    *old = std::move(value);
    return;
  }
  YEntry e;
  e.key = std::string(key);
  e.key_line = value.line;
  e.value = std::move(value);
  map.entries.push_back(std::move(e));
}

void Erase(YNode& map, std::string_view key) {
  const std::string norm = NormalizeKey(key);
  std::erase_if(map.entries, [&](const YEntry& e) { return NormalizeKey(e.key) == norm; });
}

std::string Str(const YNode* n) { return n != nullptr && n->kind == Kind::kScalar ? n->scalar : std::string(); }

std::string NumberText(double v) {
  if (std::isfinite(v) && v == std::floor(v) && std::fabs(v) < 1e15) {
    return std::to_string(static_cast<int64_t>(v));
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

bool IsPlainNumber(const std::string& s) {
  if (s.empty()) return false;
  char* end = nullptr;
  std::strtod(s.c_str(), &end);
  return end != nullptr && *end == '\0';
}

bool IsIdentifier(const std::string& s) {
  if (s.empty() || !(std::isalpha(static_cast<unsigned char>(s[0])) || s[0] == '_')) return false;
  for (char c : s)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_')) return false;
  return true;
}

// Names visible to attribute expressions, innermost scope first.
class Scope {
 public:
  explicit Scope(const Scope* parent = nullptr) : parent_(parent) {}
  void Set(const std::string& name, const std::string& text) { values_[name] = text; }
  const std::string* Find(const std::string& name) const {
    if (auto it = values_.find(name); it != values_.end()) return &it->second;
    return parent_ ? parent_->Find(name) : nullptr;
  }

  // The scalar as written, its evaluated value when it is an expression
  // over numbers and known names, or the text of a string-valued name.
  // Anything that is not an expression ("LPDDR4", "45nm") stays as written.
  // Names that refer to each other in a cycle, or chains of names too
  // long or too costly to follow, fail at `at`.
  std::string Evaluate(const std::string& t, const Cursor& at) const {
    Trail trail;
    try {
      return Eval(t, trail);
    } catch (const TooDeep& e) {
      at.Fail(e.message);
    }
  }

 private:
  // Names being looked up, outermost first, and the lookups made so far.
  // Names whose values failed to evaluate are looked up again at each use,
  // so without a limit a cycle recurses until the stack overflows, and
  // names used twice in each of n chained definitions take 2^n lookups.
  struct Trail {
    std::vector<std::string> names;
    int lookups = 0;
  };
  // Not an ExpressionError, so that no evaluation on the way out takes it
  // for an expression that is text.
  struct TooDeep {
    std::string message;
  };
  static constexpr size_t kMaxNameDepth = 64;
  static constexpr int kMaxLookups = 100000;

  // Called before following `name` to its value; the caller pops it after.
  static void Enter(const std::string& name, Trail& trail) {
    if (auto first = std::find(trail.names.begin(), trail.names.end(), name); first != trail.names.end()) {
      std::string cycle;
      for (auto it = first; it != trail.names.end(); ++it) cycle += *it + " -> ";
      throw TooDeep{"names refer to each other in a cycle: " + cycle + name};
    }
    if (trail.names.size() >= kMaxNameDepth)
      throw TooDeep{"more than " + std::to_string(kMaxNameDepth) + " names refer to one another in a chain"};
    if (++trail.lookups > kMaxLookups)
      throw TooDeep{"evaluating this value takes more than " + std::to_string(kMaxLookups) + " name lookups"};
    trail.names.push_back(name);
  }

  std::string Eval(const std::string& t, Trail& trail) const {
    if (t.empty() || IsPlainNumber(t) || t == "true" || t == "false" || t == "True" || t == "False") return t;
    if (IsIdentifier(t)) {
      const std::string* named = Find(t);
      if (named != nullptr && *named != t) {
        Enter(t, trail);
        std::string value = Eval(*named, trail);
        trail.names.pop_back();
        return value;
      }
    }
    try {
      const double v = EvaluateExpression(t, [this, &trail](std::string_view name) -> std::optional<double> {
        const std::string* named = Find(std::string(name));
        if (named == nullptr) return std::nullopt;
        Enter(std::string(name), trail);
        const std::string value = Eval(*named, trail);
        trail.names.pop_back();
        if (!IsPlainNumber(value)) {
          if (value == "true" || value == "True") return 1.0;
          if (value == "false" || value == "False") return 0.0;
          return std::nullopt;
        }
        return std::strtod(value.c_str(), nullptr);
      });
      return NumberText(v);
    } catch (const ExpressionError&) {
      return t;
    }
  }

 private:
  const Scope* parent_;
  std::map<std::string, std::string> values_;
};

// ---- Factors and permutations --------------------------------------------

struct Factor {
  std::string dim;
  std::string op;  // "=", "<=", ">="
  std::string value;
};

std::vector<Factor> ParseFactors(const YNode& node, const Cursor& where) {
  std::vector<Factor> out;
  auto token = [&](const std::string& tok) {
    for (std::string_view op : {"<=", ">=", "="}) {
      const size_t at = tok.find(op);
      if (at != std::string::npos && at > 0) {
        out.push_back(Factor{tok.substr(0, at), std::string(op), tok.substr(at + op.size())});
        return;
      }
    }
    // Timeloop's older "C1 M8" spelling: the value starts at the first digit.
    size_t digit = 0;
    while (digit < tok.size() && !std::isdigit(static_cast<unsigned char>(tok[digit]))) ++digit;
    if (digit == 0 || digit == tok.size()) where.Fail("factor '" + tok + "' is not DIM=N");
    out.push_back(Factor{tok.substr(0, digit), "=", tok.substr(digit)});
  };
  auto text = [&](const std::string& s) {
    std::string cur;
    for (char c : s) {
      if (std::isspace(static_cast<unsigned char>(c)) || c == ',' || c == ';') {
        if (!cur.empty()) token(cur);
        cur.clear();
      } else {
        cur += c;
      }
    }
    if (!cur.empty()) token(cur);
  };
  switch (node.kind) {
    case Kind::kScalar: text(node.scalar); break;
    case Kind::kSeq:
      for (const YNode& item : node.items) {
        if (item.kind != Kind::kScalar) where.Fail("expected factors such as 'K=4'");
        text(item.scalar);
      }
      break;
    case Kind::kMap:
      for (const YEntry& e : node.entries) out.push_back(Factor{e.key, "=", FlowText(e.value)});
      break;
    case Kind::kNull: break;
  }
  return out;
}

std::string FactorsText(const std::vector<Factor>& factors) {
  std::string s;
  for (const Factor& f : factors) s += (s.empty() ? "" : ",") + f.dim + f.op + f.value;
  return s;
}

// A permutation, innermost first. The front end reads a permutation
// string as a list: "S Q M", "S,Q,M" and "SQM" are the same three loops
// (not the core's "INNER OUTER" groups).
struct Permutation {
  std::vector<std::string> inner;
};

Permutation ParsePermutation(const YNode& node, const Cursor& where, const Workload& w) {
  Permutation p;
  auto add = [&](const std::string& text) {
    std::string spaced = text;
    for (char& c : spaced)
      if (c == ',' || c == ';') c = ' ';
    for (int d : MatchDimNames(spaced, w, where, "permutation")) p.inner.push_back(w.dim_names[d]);
  };
  if (node.kind == Kind::kSeq) {
    for (const YNode& item : node.items) add(item.scalar);
  } else if (node.kind == Kind::kScalar) {
    add(node.scalar);
  }
  return p;
}

YNode PermutationNode(const Permutation& p, const YNode& at) {
  YNode seq = Make(Kind::kSeq, at);
  for (const std::string& d : p.inner) seq.items.push_back(Scalar(d, at));
  return seq;
}

// ---- Lowering --------------------------------------------------------------

// One level's constraints while lowering: a directive body per type.
struct LevelDirectives {
  std::string level;
  bool is_storage = true;
  bool is_dummy = false;
  bool fans_out = false;  // spatial fan-out below it > 1
  std::map<std::string, YNode> by_type;  // "bypass", "temporal", "spatial", others
  std::vector<std::string> type_order;
};

std::string DirectiveType(const std::string& written) {
  const std::string t = NormalizeEnum(written);
  if (t == "dataspace" || t == "datatype" || t == "bypass" || t == "bypassing") return "bypass";
  return t;
}

class Lowering {
 public:
  Lowering(const Workload& w, std::vector<std::string>& warnings) : w_(w), warnings_(warnings) {}

  void Run(YNode& root) {
    YNode* arch = GetMut(root, "architecture");
    const YNode* nodes = Get(*arch, "nodes");
    const Cursor nodes_c(*nodes, "architecture.nodes");
    if (nodes->kind != Kind::kSeq) nodes_c.Fail("expected a list of !Container / !Component nodes");
    Cursor(*arch, "architecture").WarnUnknownKeys({"version", "nodes", "name", "attributes"}, warnings_);

    YNode top = Make(Kind::kMap, *arch);
    Put(top, "name", Scalar("system_top_level", *arch));
    YNode top_attrs = Make(Kind::kMap, *arch);
    if (const YNode* vars = Get(root, "variables"); vars != nullptr && vars->kind == Kind::kMap) {
      for (const YEntry& e : vars->entries) {
        if (e.value.kind != Kind::kScalar) continue;
        const std::string value = top_scope_.Evaluate(e.value.scalar, Cursor(e.value, "variables." + e.key));
        top_scope_.Set(e.key, value);
        Put(top_attrs, e.key, Scalar(value, e.value));
      }
    }
    Put(top, "attributes", top_attrs);
    local_ = Make(Kind::kSeq, *arch);

    Walk(*nodes, "architecture.nodes", State{}, top_scope_, false);
    Put(top, "local", std::move(local_));

    YNode lowered = Make(Kind::kMap, *arch);
    Put(lowered, "version", Scalar("0.4", *arch));
    YNode subtree = Make(Kind::kSeq, *arch);
    subtree.items.push_back(std::move(top));
    Put(lowered, "subtree", std::move(subtree));
    *arch = std::move(lowered);

    // The v0.4 front end has no `mapspace_constraints` section: the
    // reference drops it without a word (sparseloop 04.2.2's search ran
    // unconstrained). Dropped here too, so results compare, but said.
    if (const YNode* ms = Get(root, "mapspace_constraints"); ms != nullptr && ms->kind != Kind::kNull) {
      warnings_.push_back(FormatLoc(Cursor(*ms, "mapspace_constraints").Loc()) +
                          ": ignored, as the reference's v0.4 front end ignores it; to apply these "
                          "constraints put them under architecture_constraints or inline in the nodes");
      Erase(root, "mapspace_constraints");
    }
    MergeExtraMappingConstraints(root);
    RenameTargets(root, "mapping");
    for (std::string_view key : {"architecture_constraints", "mapspace_constraints", "constraints"})
      RenameTargets(root, key);
    EmitConstraints(root);
    EmitSparse(root);
  }

 private:
  struct State {
    int64_t mesh_x = 1, mesh_y = 1;
    std::vector<std::pair<std::string, YNode>> inherited;  // container attributes
  };

  void Walk(const YNode& list, const std::string& path, State state, const Scope& scope, bool parallel) {
    Scope local_scope(&scope);
    for (size_t i = 0; i < list.items.size(); ++i) {
      const YNode& node = list.items[i];
      const std::string at = path + "[" + std::to_string(i) + "]";
      const Cursor c(node, at);
      std::string tag = node.tag;
      if (tag.empty()) tag = Get(node, "nodes") ? "!Hierarchical" : Get(node, "class") ? "!Component" : "!Container";
      if (tag == "!Container") {
        Container(node, c, state, local_scope);
      } else if (tag == "!Component") {
        Component(node, c, state, local_scope, parallel);
      } else if (tag == "!Parallel" || tag == "!Hierarchical" || tag == "!Pipelined") {
        const YNode* children = Get(node, "nodes");
        if (children == nullptr || children->kind != Kind::kSeq) c.Fail(tag + " needs a 'nodes' list");
        Walk(*children, at + ".nodes", state, local_scope, tag == "!Parallel");
      } else if (tag == "!Nothing") {
        continue;
      } else {
        c.Fail("unknown node tag '" + tag + "': expected !Container, !Component, !Parallel, !Hierarchical or !Nothing");
      }
    }
  }

  // The node's spatial mesh; fails when, with the fan-outs above it, it
  // makes more than 2^62 instances (the products would wrap).
  std::pair<int64_t, int64_t> Mesh(const YNode& node, const Cursor& c, const Scope& scope,
                                   const State& state) {
    const auto [mx, my] = ReadMesh(node, c, scope);
    constexpr __int128 kMax = static_cast<__int128>(1) << 62;
    const __int128 own = static_cast<__int128>(mx) * my;  // each factor < 2^63: no overflow
    if (own > kMax || own * state.mesh_x * state.mesh_y > kMax)
      c.Fail("spatial fan-out: with the containers above, meshX * meshY makes more than 2^62 instances");
    return {mx, my};
  }

  std::pair<int64_t, int64_t> ReadMesh(const YNode& node, const Cursor& c, const Scope& scope) {
    const YNode* spatial = Get(node, "spatial");
    if (spatial == nullptr || spatial->kind == Kind::kNull) return {1, 1};
    const Cursor sc(*spatial, c.path() + ".spatial");
    sc.WarnUnknownKeys({"meshX", "meshY"}, warnings_);
    auto read = [&](std::string_view key) -> int64_t {
      const YNode* v = Get(*spatial, key);
      if (v == nullptr || v->kind == Kind::kNull) return 1;
      YNode evaluated = Scalar(scope.Evaluate(Str(v), Cursor(*v, sc.path() + "." + std::string(key))), *v);
      const int64_t n = Cursor(evaluated, sc.path() + "." + std::string(key)).Int();
      if (n < 1) Cursor(*v, sc.path() + "." + std::string(key)).Fail("must be a positive integer");
      return n;
    };
    return {read("meshX"), read("meshY")};
  }

  void Container(const YNode& node, const Cursor& c, State& state, Scope& scope) {
    c.WarnUnknownKeys({"name", "attributes", "spatial", "constraints", "sparse_optimizations"}, warnings_);
    const std::string name = c.Need("name").Str();
    if (const YNode* attrs = Get(node, "attributes"); attrs != nullptr && attrs->kind == Kind::kMap) {
      for (const YEntry& e : attrs->entries) {
        YNode value = e.value;
        if (value.kind == Kind::kScalar)
          value.scalar = scope.Evaluate(value.scalar, Cursor(e.value, c.path() + ".attributes." + e.key));
        scope.Set(e.key, FlowText(value));
        std::erase_if(state.inherited, [&](const auto& p) { return NormalizeKey(p.first) == NormalizeKey(e.key); });
        state.inherited.emplace_back(e.key, std::move(value));
      }
    }
    const auto [mx, my] = Mesh(node, c, scope, state);
    const YNode* constraints = Get(node, "constraints");
    if (mx * my > 1) {
      const std::string dummy = "inter_" + name + "_spatial";
      container_to_dummy_[name] = dummy;
      YNode comp = Make(Kind::kMap, node);
      Put(comp, "name", Scalar(dummy + "[1.." + std::to_string(state.mesh_x * state.mesh_y) + "]", node));
      Put(comp, "class", Scalar("dummy_storage", node));
      YNode attrs = Make(Kind::kMap, node);
      for (const char* key : {"width", "depth", "datawidth"}) Put(attrs, key, Scalar("1", node));
      Put(attrs, "meshX", Scalar(std::to_string(state.mesh_x), node));
      Put(attrs, "meshY", Scalar(std::to_string(state.mesh_y), node));
      Put(comp, "attributes", std::move(attrs));
      local_.items.push_back(std::move(comp));

      LevelDirectives& d = Level(dummy);
      d.is_dummy = true;
      d.fans_out = true;
      if (constraints != nullptr) AttachConstraints(d, *constraints, c.path() + ".constraints", {"spatial"});
      state.mesh_x *= mx;
      state.mesh_y *= my;
    } else if (constraints != nullptr && Get(*constraints, "spatial") != nullptr) {
      warnings_.push_back(FormatLoc(c.Loc()) + ": container '" + name +
                          "' has spatial constraints but no fan-out (spatial meshX*meshY = 1): ignored");
    }
    if (Get(node, "sparse_optimizations") != nullptr)
      warnings_.push_back(FormatLoc(c.Loc()) + ": sparse_optimizations on a container are ignored; "
                          "give them on a component");
  }

  void Component(const YNode& node, const Cursor& c, State state, const Scope& scope, bool parallel) {
    c.WarnUnknownKeys({"name", "class", "subclass", "attributes", "constraints", "sparse_optimizations", "spatial",
                       "required_actions", "enabled", "area_scale", "energy_scale", "actions", "subcomponents"},
                      warnings_);
    const std::string name = c.Need("name").Str();
    const std::string cls = c.Need("class").Str();
    const std::string subclass = Str(Get(node, "subclass"));
    if (const YNode* en = Get(node, "enabled"); en != nullptr && en->kind == Kind::kScalar &&
                                                 !Cursor(*en, c.path() + ".enabled").Bool())
      return;
    // A component's own spatial mesh replicates it (and everything below).
    const auto [mx, my] = Mesh(node, c, scope, state);
    state.mesh_x *= mx;
    state.mesh_y *= my;

    YNode comp = Make(Kind::kMap, node);
    Put(comp, "name", Scalar(name + "[1.." + std::to_string(state.mesh_x * state.mesh_y) + "]", node));
    for (const YEntry& e : node.entries) {
      const std::string k = NormalizeKey(e.key);
      if (k == "name" || k == "attributes" || k == "constraints" || k == "sparse_optimizations" || k == "spatial")
        continue;
      Put(comp, e.key, e.value);
    }
    // Own attributes (evaluated in order, each may use the ones before and
    // the container's), then the containers' ones not given here.
    Scope own(&scope);
    YNode attrs = Make(Kind::kMap, node);
    if (const YNode* a = Get(node, "attributes"); a != nullptr) {
      if (a->kind != Kind::kMap && a->kind != Kind::kNull)
        Cursor(*a, c.path() + ".attributes").Fail("expected a map of attributes");
      for (const YEntry& e : a->entries) {
        YNode value = e.value;
        if (value.kind == Kind::kScalar)
          value.scalar = own.Evaluate(value.scalar, Cursor(e.value, c.path() + ".attributes." + e.key));
        own.Set(e.key, FlowText(value));
        Put(attrs, e.key, std::move(value));
      }
    }
    for (const auto& [key, value] : state.inherited)
      if (Get(attrs, key) == nullptr) Put(attrs, key, value);
    if (Get(attrs, "meshX") == nullptr) Put(attrs, "meshX", Scalar(std::to_string(state.mesh_x), node));
    if (Get(attrs, "meshY") == nullptr) Put(attrs, "meshY", Scalar(std::to_string(state.mesh_y), node));
    Put(comp, "attributes", std::move(attrs));
    local_.items.push_back(std::move(comp));

    LevelDirectives& d = Level(name);
    d.is_storage = !IsComputeComponent(cls, subclass);
    if (const YNode* constraints = Get(node, "constraints"))
      AttachConstraints(d, *constraints, c.path() + ".constraints", {"dataspace", "temporal", "spatial"});
    if (parallel) ComplementKeep(d);
    if (const YNode* sparse = Get(node, "sparse_optimizations"); sparse != nullptr && sparse->kind == Kind::kMap) {
      YNode target = *sparse;
      Put(target, "name", Scalar(name, *sparse));
      sparse_targets_.push_back(std::move(target));
    }
  }

  LevelDirectives& Level(const std::string& name) {
    for (LevelDirectives& d : levels_)
      if (d.level == name) return d;
    levels_.push_back(LevelDirectives{});
    levels_.back().level = name;
    return levels_.back();
  }

  // Inline `constraints: {dataspace: .., temporal: .., spatial: ..}`.
  void AttachConstraints(LevelDirectives& d, const YNode& constraints, const std::string& path,
                         std::initializer_list<std::string_view> allowed) {
    if (constraints.kind == Kind::kNull) return;
    const Cursor c(constraints, path);
    if (!c.IsMap()) c.Fail("expected a map of constraints (dataspace, temporal, spatial)");
    for (const YEntry& e : constraints.entries) {
      const std::string key = NormalizeKey(e.key);
      bool ok = false;
      for (std::string_view a : allowed) ok = ok || key == a;
      if (!ok && (key == "dataspace" || key == "temporal" || key == "spatial")) {
        warnings_.push_back(FormatLoc(Cursor(e.value, path + "." + e.key).Loc()) + ": '" + e.key +
                            "' constraints do not apply here: ignored");
        continue;
      }
      Merge(d, DirectiveType(e.key), e.value, path + "." + e.key);
    }
  }

  // Merges one directive body into the level's directive of that type:
  // keys replace keys, factors merge by dimension (a later one wins).
  void Merge(LevelDirectives& d, const std::string& type, const YNode& body, const std::string& path) {
    if (body.kind == Kind::kNull) return;
    if (body.kind != Kind::kMap) Cursor(body, path).Fail("expected a map");
    auto [it, fresh] = d.by_type.try_emplace(type, Make(Kind::kMap, body));
    if (fresh) d.type_order.push_back(type);
    YNode& mine = it->second;
    for (const YEntry& e : body.entries) {
      const std::string key = NormalizeKey(e.key);
      if (key == "target" || key == "type" || key == "name") continue;
      if (key == "factors" && Get(mine, "factors") != nullptr) {
        std::vector<Factor> merged = ParseFactors(*Get(mine, "factors"), Cursor(body, path));
        for (const Factor& f : ParseFactors(e.value, Cursor(e.value, path + ".factors"))) {
          auto same = std::find_if(merged.begin(), merged.end(),
                                   [&](const Factor& g) { return g.dim == f.dim && g.op == f.op; });
          if (same != merged.end()) *same = f;
          else merged.push_back(f);
        }
        Put(mine, "factors", Scalar(FactorsText(merged), e.value));
      } else {
        Put(mine, e.key, e.value);
      }
    }
  }

  // In a !Parallel branch each data space lives in one sibling: a sibling
  // that keeps some data spaces bypasses the rest.
  void ComplementKeep(LevelDirectives& d) {
    auto it = d.by_type.find("bypass");
    if (it == d.by_type.end()) return;
    YNode& body = it->second;
    const YNode* keep = Get(body, "keep");
    if (keep == nullptr) return;
    std::set<std::string> named;
    auto collect = [&named](const YNode* list) {
      if (list == nullptr) return;
      if (list->kind == Kind::kScalar) named.insert(list->scalar);
      for (const YNode& item : list->items) named.insert(item.scalar);
    };
    collect(keep);
    collect(Get(body, "bypass"));
    YNode bypass = Get(body, "bypass") ? *Get(body, "bypass") : Make(Kind::kSeq, body);
    if (bypass.kind == Kind::kScalar) {
      YNode seq = Make(Kind::kSeq, bypass);
      seq.items.push_back(bypass);
      bypass = std::move(seq);
    }
    bypass.kind = Kind::kSeq;
    for (const DataSpace& ds : w_.data_spaces)
      if (!named.count(ds.name)) bypass.items.push_back(Scalar(ds.name, body));
    Put(body, "bypass", std::move(bypass));
  }

  // `extra_mapping_constraints` (the mapping file of a design directory):
  // directives merged into the levels' constraints, containers named by
  // their dummy level.
  void MergeExtraMappingConstraints(YNode& root) {
    const YNode* extra = Get(root, "extra_mapping_constraints");
    if (extra == nullptr) return;
    const YNode* targets = extra->kind == Kind::kMap ? Get(*extra, "targets") : extra;
    if (targets != nullptr && targets->kind == Kind::kSeq) {
      for (size_t i = 0; i < targets->items.size(); ++i) {
        const YNode& dir = targets->items[i];
        const Cursor c(dir, "extra_mapping_constraints.targets[" + std::to_string(i) + "]");
        if (!c.IsMap()) c.Fail("expected a directive {target, type, ...}");
        std::string target = ShortComponentName(c.Need("target").Str());
        if (auto it = container_to_dummy_.find(target); it != container_to_dummy_.end()) target = it->second;
        const std::string type = DirectiveType(c.Need("type").Str());
        LevelDirectives* level = nullptr;
        for (LevelDirectives& d : levels_)
          if (d.level == target) level = &d;
        if (level == nullptr) {
          // Left for the constraint reader, which names the known levels.
          loose_.push_back(dir);
          continue;
        }
        Merge(*level, type, dir, c.path());
      }
    }
    Erase(root, "extra_mapping_constraints");
  }

  void RenameTargets(YNode& root, std::string_view section) {
    YNode* s = GetMut(root, section);
    if (s == nullptr) return;
    YNode* list = s->kind == Kind::kMap ? GetMut(*s, "targets") : s;
    if (list == nullptr || list->kind != Kind::kSeq) return;
    for (size_t i = 0; i < list->items.size(); ++i) {
      YNode& dir = list->items[i];
      if (YNode* perm = GetMut(dir, "permutation"); perm != nullptr && perm->kind == Kind::kScalar)
        *perm = PermutationNode(ParsePermutation(*perm, Cursor(*perm, std::string(section) + "[" + std::to_string(i) +
                                                                          "].permutation"), w_), *perm);
      for (std::string_view key : {"target", "name"}) {
        YNode* t = GetMut(dir, key);
        if (t == nullptr || t->kind != Kind::kScalar) continue;
        if (auto it = container_to_dummy_.find(ShortComponentName(t->scalar)); it != container_to_dummy_.end())
          t->scalar = it->second;
      }
    }
  }

  // Completes a permutation as the reference's front end does (see top).
  void CompletePermutation(YNode& body, const std::string& path) {
    const Cursor c(body, path);
    Permutation p;
    if (const YNode* perm = Get(body, "permutation")) p = ParsePermutation(*perm, c, w_);
    auto listed = [&p](const std::string& d) { return std::find(p.inner.begin(), p.inner.end(), d) != p.inner.end(); };
    if (const YNode* f = Get(body, "factors"))
      for (const Factor& factor : ParseFactors(*f, c))
        if (factor.op == "=" && factor.value == "1" && !listed(factor.dim)) p.inner.insert(p.inner.begin(), factor.dim);
    for (size_t d = 0; d < w_.dim_names.size(); ++d)
      if (w_.bounds[d] == 1 && !listed(w_.dim_names[d])) p.inner.insert(p.inner.begin(), w_.dim_names[d]);
    if (!p.inner.empty() || Get(body, "permutation") != nullptr) Put(body, "permutation", PermutationNode(p, body));
  }

  YNode Directive(const LevelDirectives& d, const std::string& type, YNode body, const YNode& at) {
    Put(body, "target", Scalar(d.level, at));
    Put(body, "type", Scalar(type, at));
    return body;
  }

  void EmitConstraints(YNode& root) {
    YNode targets = Make(Kind::kSeq, root);
    for (LevelDirectives& d : levels_) {
      if (d.is_dummy) {
        // The dummy level keeps nothing and has no temporal loops.
        YNode& spatial = d.by_type.try_emplace("spatial", Make(Kind::kMap, root)).first->second;
        CompletePermutation(spatial, "constraints of " + d.level);
        if (spatial.entries.size() > 0) targets.items.push_back(Directive(d, "spatial", spatial, spatial));
        YNode temporal = Make(Kind::kMap, spatial);
        std::vector<Factor> ones;
        std::vector<std::string> all;
        for (const std::string& dim : w_.dim_names) {
          ones.push_back(Factor{dim, "=", "1"});
          all.push_back(dim);
        }
        Put(temporal, "factors", Scalar(FactorsText(ones), spatial));
        Put(temporal, "permutation", PermutationNode(Permutation{all}, spatial));
        targets.items.push_back(Directive(d, "temporal", temporal, spatial));
        YNode bypass = Make(Kind::kMap, spatial);
        YNode names = Make(Kind::kSeq, spatial);
        for (const DataSpace& ds : w_.data_spaces) names.items.push_back(Scalar(ds.name, spatial));
        Put(bypass, "bypass", std::move(names));
        targets.items.push_back(Directive(d, "bypass", bypass, spatial));
        continue;
      }
      if (!d.is_storage) {
        for (const std::string& type : d.type_order)
          targets.items.push_back(Directive(d, type, d.by_type.at(type), d.by_type.at(type)));
        continue;
      }
      d.by_type.try_emplace("temporal", Make(Kind::kMap, root));
      if (std::find(d.type_order.begin(), d.type_order.end(), "temporal") == d.type_order.end())
        d.type_order.push_back("temporal");
      CompletePermutation(d.by_type.at("temporal"), "constraints of " + d.level);
      for (const std::string& type : d.type_order) {
        const YNode& body = d.by_type.at(type);
        if (body.entries.empty()) continue;
        targets.items.push_back(Directive(d, type, body, body));
      }
    }
    for (YNode& dir : loose_) targets.items.push_back(std::move(dir));
    if (targets.items.empty()) return;

    YNode* existing = GetMut(root, "architecture_constraints");
    if (existing == nullptr || existing->kind == Kind::kNull) {
      YNode section = Make(Kind::kMap, root);
      Put(section, "targets", std::move(targets));
      Put(root, "architecture_constraints", std::move(section));
      return;
    }
    YNode* list = existing->kind == Kind::kMap ? GetMut(*existing, "targets") : existing;
    if (list == nullptr) {
      Put(*existing, "targets", std::move(targets));
    } else if (list->kind == Kind::kSeq || list->kind == Kind::kNull) {
      list->kind = Kind::kSeq;
      for (YNode& t : targets.items) list->items.push_back(std::move(t));
    } else {
      Cursor(*list, "architecture_constraints").Fail("expected a list of constraint directives");
    }
  }

  void EmitSparse(YNode& root) {
    if (sparse_targets_.empty()) return;
    YNode* existing = GetMut(root, "sparse_optimizations");
    if (existing == nullptr || existing->kind == Kind::kNull) {
      YNode section = Make(Kind::kMap, root);
      Put(section, "targets", Make(Kind::kSeq, root));
      Put(root, "sparse_optimizations", std::move(section));
      existing = GetMut(root, "sparse_optimizations");
    }
    YNode* list = existing->kind == Kind::kMap ? GetMut(*existing, "targets") : existing;
    if (list == nullptr) {
      Put(*existing, "targets", Make(Kind::kSeq, root));
      list = GetMut(*existing, "targets");
    }
    if (list->kind == Kind::kNull) list->kind = Kind::kSeq;
    if (list->kind != Kind::kSeq) Cursor(*list, "sparse_optimizations.targets").Fail("expected a list of targets");
    for (YNode& t : sparse_targets_) list->items.push_back(std::move(t));
  }

  const Workload& w_;
  std::vector<std::string>& warnings_;
  Scope top_scope_;
  YNode local_;
  std::vector<LevelDirectives> levels_;  // in architecture order, outermost first
  std::map<std::string, std::string> container_to_dummy_;
  std::vector<YNode> sparse_targets_;
  std::vector<YNode> loose_;
};

}  // namespace

void LowerFrontEnd(YNode& root, const Workload& workload, std::vector<std::string>& warnings) {
  const YNode* arch = Get(root, "architecture");
  if (arch == nullptr || Get(*arch, "nodes") == nullptr) return;
  Lowering(workload, warnings).Run(root);
}

}  // namespace sieve::spec::yaml
