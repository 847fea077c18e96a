// architecture -> Arch.
//
// Walks the subtree/local hierarchy (v0.3, or v0.4 as lowered by
// timeloopfe) depth first: a container's `local` components come before
// (outside of) its nested `subtree`, so the walk lists components outermost
// first. Storage levels are then stored innermost first; the single compute
// component must come last (innermost).
//
// Instances = b-a+1 of the component's [a..b] times the ranges of its
// enclosing subtrees, unless an `instances` attribute overrides it. Mesh:
// meshX and meshY as given (their product must be the instances); one of
// them alone fixes the other; neither means meshX = instances, meshY = 1.
//
// Attribute synonyms follow SEMANTICS "Spellings". Only the values the model
// uses are checked (including that capacities and instance counts stay
// within 2^62 and values kept in an int within INT_MAX, so nothing wraps);
// everything else lands in StorageLevel::extra as text.
#include <algorithm>
#include <cctype>
#include <climits>
#include <cmath>
#include <iterator>
#include <map>
#include <set>

#include "spec/yaml_node.hpp"

namespace sieve::spec::yaml {
namespace {

constexpr size_t kMaxLevels = 16;
// Capacities (words, bits) and instance counts beyond this would wrap the
// model's 64-bit arithmetic on them.
constexpr int64_t kMaxCount = int64_t{1} << 62;

// Attributes that enclosing subtrees pass down to their components.
constexpr std::string_view kInheritable[] = {"technology", "datawidth", "word_bits", "word_width",
                                             "global_cycle_seconds"};

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

bool Contains(const std::string& haystack, std::string_view needle) {
  return haystack.find(needle) != std::string::npos;
}

// Own attributes first, then inherited ones. Null values read as absent.
class Attrs {
 public:
  Attrs(std::optional<Cursor> own, const std::map<std::string, Cursor>& inherited)
      : inherited_(inherited) {
    if (own) {
      if (!own->IsMap() && !own->IsNull()) own->Fail("expected a map of attributes");
      for (const auto& [key, value] : own->Entries()) own_.emplace_back(key, value);
    }
  }

  // First present name of the synonyms (in the order given).
  std::optional<Cursor> Get(std::initializer_list<std::string_view> names) {
    for (std::string_view n : names) used_.insert(NormalizeKey(n));
    for (std::string_view n : names) {
      const std::string norm = NormalizeKey(n);
      for (const auto& [key, value] : own_)
        if (NormalizeKey(key) == norm && !value.IsNull()) return value;
    }
    for (std::string_view n : names) {
      auto it = inherited_.find(NormalizeKey(n));
      if (it != inherited_.end() && !it->second.IsNull()) return it->second;
    }
    return std::nullopt;
  }

  std::optional<int64_t> Int(std::initializer_list<std::string_view> names, int64_t min_value) {
    std::optional<Cursor> c = Get(names);
    if (!c) return std::nullopt;
    const int64_t v = c->Int();
    if (v < min_value)
      c->Fail("must be " + std::string(min_value > 0 ? "a positive integer" : "an integer >= 0") +
              ", got " + std::to_string(v));
    return v;
  }

  // For values kept in an int (bit widths, cluster sizes): at most INT_MAX,
  // so casting never wraps (2^32 would become 0, a division by zero).
  std::optional<int> SmallInt(std::initializer_list<std::string_view> names, int64_t min_value) {
    std::optional<int64_t> v = Int(names, min_value);
    if (!v) return std::nullopt;
    if (*v > INT_MAX)
      Get(names)->Fail("must be at most " + std::to_string(INT_MAX) + ", got " + std::to_string(*v));
    return static_cast<int>(*v);
  }

  std::optional<double> Num(std::initializer_list<std::string_view> names) {
    std::optional<Cursor> c = Get(names);
    if (!c) return std::nullopt;
    const double v = c->Num();
    if (v < 0) c->Fail("must be >= 0, got " + c->Str());
    return v;
  }

  std::optional<bool> Bool(std::initializer_list<std::string_view> names) {
    std::optional<Cursor> c = Get(names);
    if (!c) return std::nullopt;
    return c->Bool();
  }

  // Every attribute as text: own ones, then inherited ones not given here.
  std::map<std::string, std::string> All() const {
    std::map<std::string, std::string> out;
    for (const auto& [key, value] : own_)
      if (!value.IsNull()) out[key] = FlowText(value.node());
    for (const auto& [key, value] : inherited_)
      if (!value.IsNull() && !out.count(key)) out[key] = FlowText(value.node());
    return out;
  }

  std::map<std::string, std::string> Unused() const {
    std::map<std::string, std::string> out;
    for (const auto& [key, value] : own_)
      if (!used_.count(NormalizeKey(key))) out[key] = FlowText(value.node());
    return out;
  }

 private:
  std::vector<std::pair<std::string, Cursor>> own_;
  const std::map<std::string, Cursor>& inherited_;
  std::set<std::string> used_;
};

enum class Kind { kStorage, kCompute, kIgnored };

struct Component {
  explicit Component(const Cursor& at) : where(at) {}
  Kind kind = Kind::kStorage;
  std::string name;       // without range
  std::string path_name;  // dotted, as written
  std::string cls;
  bool is_dummy = false;
  bool is_dram_class = false;
  int64_t name_instances = 1;
  std::optional<Cursor> attributes;
  std::map<std::string, Cursor> inherited;
  Cursor where;
};

bool IsStorageClassName(const std::string& cls_lower) {
  for (std::string_view k : {"dram", "sram", "regfile", "register", "smartbuffer", "storage", "buffer"})
    if (Contains(cls_lower, k)) return true;
  return cls_lower.rfind("reg", 0) == 0;
}

bool IsComputeClassName(const std::string& cls_lower) {
  for (std::string_view k : {"mac", "compute", "multiplier", "adder", "alu", "arithmetic"})
    if (Contains(cls_lower, k)) return true;
  return false;
}

// Storage, compute or (for networks) ignored; see SEMANTICS "Storage classes".
Kind Classify(const std::string& cls_lower, const Cursor& where, std::vector<std::string>& warnings) {
  if (IsStorageClassName(cls_lower)) return Kind::kStorage;
  if (IsComputeClassName(cls_lower)) return Kind::kCompute;
  for (std::string_view k : {"network", "noc", "router", "wire"}) {
    if (Contains(cls_lower, k)) {
      warnings.push_back(FormatLoc(where.Loc()) + ": network component ignored (networks are inferred)");
      return Kind::kIgnored;
    }
  }
  where.Fail("unknown class '" + cls_lower +
             "': expected a storage class (DRAM, SRAM, regfile, smartbuffer, storage, dummy_storage) "
             "or a compute class (mac, intmac, fpmac, compute, ...)");
}

Component ReadComponent(const Cursor& c, const std::string& prefix, int64_t mult,
                        const std::map<std::string, Cursor>& inherited, std::vector<std::string>& warnings) {
  c.WarnUnknownKeys({"name", "class", "subclass", "attributes", "required_actions", "enabled", "area_scale",
                     "energy_scale", "actions", "subcomponents"},
                    warnings);
  const Cursor name_c = c.Need("name");
  const std::string written = name_c.Str();
  const RangedName rn = SplitRangedName(written, name_c);
  const Cursor class_c = c.Need("class");
  const std::string cls = class_c.Str();
  std::optional<std::string> subclass;
  if (auto s = c.Find("subclass"); s && !s->IsNull()) subclass = s->Str();

  Component comp{c};
  comp.name = rn.base;
  comp.path_name = prefix.empty() ? written : prefix + "." + written;
  if (__builtin_mul_overflow(mult, rn.count, &comp.name_instances) || comp.name_instances > kMaxCount)
    name_c.Fail("'" + written + "' inside its containers makes more than 2^62 instances");
  comp.attributes = c.Find("attributes");
  comp.inherited = inherited;
  const std::string lc = Lower(cls);
  const std::string lsub = subclass ? Lower(*subclass) : std::string();
  if (lc == "storage") {
    comp.kind = Kind::kStorage;
    comp.cls = subclass.value_or(cls);
  } else if (lc == "compute") {
    comp.kind = Kind::kCompute;
    comp.cls = subclass.value_or(cls);
  } else {
    comp.kind = Classify(lc, class_c, warnings);
    comp.cls = cls;
  }
  comp.is_dummy = NormalizeEnum(cls) == "dummy_storage" || NormalizeEnum(lsub) == "dummy_storage";
  comp.is_dram_class = Contains(lc, "dram") || Contains(lsub, "dram");
  if (auto en = c.Find("enabled"); en && !en->IsNull() && !en->Bool()) comp.kind = Kind::kIgnored;
  return comp;
}

void Walk(const Cursor& container, const std::string& prefix, int64_t mult,
          std::map<std::string, Cursor> inherited, bool is_root, std::vector<Component>& out,
          std::vector<std::string>& warnings) {
  std::string path = prefix;
  if (is_root) {
    container.WarnUnknownKeys({"version", "subtree", "local", "attributes", "name", "nodes"}, warnings);
  } else {
    container.WarnUnknownKeys({"name", "attributes", "local", "subtree"}, warnings);
    const Cursor name_c = container.Need("name");
    const std::string written = name_c.Str();
    if (__builtin_mul_overflow(mult, SplitRangedName(written, name_c).count, &mult) || mult > kMaxCount)
      name_c.Fail("'" + written + "' inside its containers makes more than 2^62 instances");
    path = prefix.empty() ? written : prefix + "." + written;
  }
  if (auto attrs = container.Find("attributes")) {
    for (const auto& [key, value] : attrs->Entries())
      if (std::find(std::begin(kInheritable), std::end(kInheritable), NormalizeKey(key)) != std::end(kInheritable))
        inherited.insert_or_assign(NormalizeKey(key), value);
  }
  if (auto local = container.Find("local"))
    for (const Cursor& c : local->Items()) out.push_back(ReadComponent(c, path, mult, inherited, warnings));
  if (auto sub = container.Find("subtree")) {
    const std::vector<Cursor> items = sub->Items();
    if (items.size() > 1)
      items[1].Fail("more than one nested subtree in one container; sieve models a linear chain of levels");
    if (!items.empty()) Walk(items[0], path, mult, std::move(inherited), false, out, warnings);
  }
}

struct MeshShape {
  int64_t instances = 1, mesh_x = 1, mesh_y = 1;
};

MeshShape ReadMesh(Attrs& a, int64_t name_instances) {
  MeshShape s;
  s.instances = a.Int({"instances"}, 1).value_or(name_instances);
  if (s.instances > kMaxCount) a.Get({"instances"})->Fail("more than 2^62 instances");
  std::optional<Cursor> mx_c = a.Get({"meshX", "mesh_x"});
  std::optional<Cursor> my_c = a.Get({"meshY", "mesh_y"});
  std::optional<int64_t> mx = a.Int({"meshX", "mesh_x"}, 1);
  std::optional<int64_t> my = a.Int({"meshY", "mesh_y"}, 1);
  if (mx && my) {
    int64_t product = 0;
    if (__builtin_mul_overflow(*mx, *my, &product))
      mx_c->Fail("meshX * meshY is more than 2^63-1 but the component has " + std::to_string(s.instances) +
                 " instances");
    if (product != s.instances)
      mx_c->Fail("meshX * meshY = " + std::to_string(product) + " but the component has " +
                 std::to_string(s.instances) + " instances");
    s.mesh_x = *mx;
    s.mesh_y = *my;
  } else if (mx) {
    if (s.instances % *mx != 0)
      mx_c->Fail("meshX " + std::to_string(*mx) + " does not divide the " + std::to_string(s.instances) +
                 " instances");
    s.mesh_x = *mx;
    s.mesh_y = s.instances / *mx;
  } else if (my) {
    if (s.instances % *my != 0)
      my_c->Fail("meshY " + std::to_string(*my) + " does not divide the " + std::to_string(s.instances) +
                 " instances");
    s.mesh_y = *my;
    s.mesh_x = s.instances / *my;
  } else {
    s.mesh_x = s.instances;
    s.mesh_y = 1;
  }
  return s;
}

StorageLevel BuildStorage(const Component& comp) {
  Attrs a(comp.attributes, comp.inherited);
  StorageLevel l;
  l.name = comp.name;
  l.path_name = comp.path_name;
  l.cls = comp.cls;
  l.is_dummy = comp.is_dummy;
  l.loc = comp.where.Loc();
  const MeshShape mesh = ReadMesh(a, comp.name_instances);
  l.instances = mesh.instances;
  l.mesh_x = mesh.mesh_x;
  l.mesh_y = mesh.mesh_y;

  std::string technology;
  if (auto t = a.Get({"technology"}); t && t->IsScalar()) technology = Lower(t->Str());
  l.is_dram = comp.is_dram_class || technology == "dram";

  l.word_bits = a.SmallInt({"datawidth", "word_bits", "word_width"}, 1).value_or(16);
  l.width_bits = a.Int({"width", "memory_width", "data_storage_width"}, 0).value_or(0);
  l.cluster_size = a.SmallInt({"cluster_size"}, 1).value_or(1);
  if (auto bs = a.Int({"block_size", "n_words"}, 1)) {
    l.block_size = *bs;
  } else if (l.width_bits > 0) {
    l.block_size = std::max<int64_t>(1, l.width_bits / (static_cast<int64_t>(l.word_bits) * l.cluster_size));
  }

  // Capacity. A depth (or entries/sizeKB) of 0 means "not given": v0.3
  // designs use it for bypass-only buffers (e.g. eyeriss DummyBuffer), so it
  // is stored as unbounded rather than as a level that can hold nothing.
  std::optional<int64_t> depth = a.Int({"depth", "memory_depth", "data_storage_depth"}, 0);
  std::optional<int64_t> entries = a.Int({"entries"}, 0);
  std::optional<Cursor> size_kb_c = a.Get({"sizeKB", "size_kb"});
  if (depth) {
    if (*depth > 0) l.depth = *depth;
  } else if (entries) {
    if (*entries > 0) l.depth = *entries / l.block_size;
  } else if (size_kb_c) {
    const double size_kb = size_kb_c->Num();
    if (size_kb < 0) size_kb_c->Fail("sizeKB must be >= 0");
    if (size_kb > 0) {
      if (l.width_bits <= 0) size_kb_c->Fail("sizeKB needs a width (bits) to derive the depth");
      const double rows = std::floor(size_kb * 1024.0 * 8.0 / static_cast<double>(l.width_bits));
      if (!(rows <= static_cast<double>(kMaxCount)))
        size_kb_c->Fail("sizeKB is too large (more than 2^62 rows)");
      l.depth = static_cast<int64_t>(rows);
    }
  }
  // The model multiplies depth by the words per row; a product past 2^62
  // would wrap into a small or negative capacity.
  if (l.depth) {
    int64_t words = 0;
    if (__builtin_mul_overflow(*l.depth, l.block_size, &words) || words > kMaxCount) {
      const std::optional<Cursor> at =
          a.Get({"depth", "memory_depth", "data_storage_depth", "entries", "sizeKB", "size_kb"});
      (at ? *at : comp.where)
          .Fail("capacity of " + std::to_string(*l.depth) + " rows of " + std::to_string(l.block_size) +
                " words is more than 2^62 words; is the depth or width mistyped?");
    }
  }

  // Bandwidths (0 = not given). Legacy `bandwidth` splits half/half.
  auto bw = [&a](std::initializer_list<std::string_view> names) -> std::optional<double> {
    std::optional<double> v = a.Num(names);
    if (v && *v == 0.0) return std::nullopt;
    return v;
  };
  l.read_bw_words_per_cycle = bw({"read_bandwidth"});
  l.write_bw_words_per_cycle = bw({"write_bandwidth"});
  l.shared_bw_words_per_cycle = bw({"shared_bandwidth"});
  if (auto legacy = bw({"bandwidth"})) {
    if (!l.read_bw_words_per_cycle) l.read_bw_words_per_cycle = *legacy / 2.0;
    if (!l.write_bw_words_per_cycle) l.write_bw_words_per_cycle = *legacy / 2.0;
  }

  if (auto mb = a.Get({"multiple_buffering"})) {
    l.multiple_buffering = mb->Num();
    if (l.multiple_buffering <= 0) mb->Fail("multiple_buffering must be > 0");
  }
  if (auto mu = a.Get({"min_utilization"})) {
    l.min_utilization = mu->Num();
    if (l.min_utilization < 0 || l.min_utilization > 1) mu->Fail("min_utilization must be between 0 and 1");
  }
  l.allow_overbooking = a.Bool({"allow_overbooking"}).value_or(false);

  if (auto v = a.SmallInt({"metadata_datawidth", "metadata_word_bits"}, 0)) l.metadata_word_bits = *v;
  l.metadata_storage_width_bits = a.Int({"metadata_storage_width"}, 0);
  l.metadata_storage_depth = a.Int({"metadata_storage_depth"}, 0);
  l.metadata_block_size = a.Int({"metadata_block_size"}, 0);
  if (auto v = a.SmallInt({"metadata_counter_width"}, 0)) l.metadata_counter_width = *v;
  if (l.metadata_storage_width_bits && l.metadata_storage_depth) {
    int64_t bits = 0;
    if (__builtin_mul_overflow(*l.metadata_storage_width_bits, *l.metadata_storage_depth, &bits) ||
        bits > kMaxCount)
      a.Get({"metadata_storage_depth"})->Fail("metadata capacity (depth x width) is more than 2^62 bits");
  }
  l.compression_supported = a.Bool({"compression_supported"}).value_or(false);
  l.decompression_supported = a.Bool({"decompression_supported"}).value_or(false);
  l.tile_partition_supported = a.Bool({"tile_partition_supported"}).value_or(false);

  l.extra = a.Unused();
  l.attributes = a.All();
  return l;
}

ComputeLevel BuildCompute(const Component& comp) {
  Attrs a(comp.attributes, comp.inherited);
  ComputeLevel c;
  c.name = comp.name;
  c.path_name = comp.path_name;
  c.cls = comp.cls;
  c.loc = comp.where.Loc();
  const MeshShape mesh = ReadMesh(a, comp.name_instances);
  c.instances = mesh.instances;
  c.mesh_x = mesh.mesh_x;
  c.mesh_y = mesh.mesh_y;
  c.word_bits = a.SmallInt({"datawidth", "word_bits", "word_width", "multiplier_width"}, 1).value_or(16);
  c.attributes = a.All();
  return c;
}

}  // namespace

bool IsComputeComponent(const std::string& cls, const std::string& subclass) {
  (void)subclass;  // "storage"/"compute" name the kind; a subclass then only refines it
  const std::string lc = Lower(cls);
  if (lc == "compute") return true;
  if (lc == "storage") return false;
  return !IsStorageClassName(lc) && IsComputeClassName(lc);
}

Arch ReadArch(const Cursor& architecture, std::vector<std::string>& warnings) {
  if (!architecture.IsMap()) architecture.Fail("expected a map with 'subtree' (or 'local')");
  std::vector<Component> comps;
  Walk(architecture, "", 1, {}, true, comps, warnings);

  Arch arch;
  std::vector<StorageLevel> outer_first;
  const Component* compute = nullptr;
  for (const Component& comp : comps) {
    if (comp.kind == Kind::kIgnored) continue;
    if (compute != nullptr)
      comp.where.Fail("'" + comp.name + "' is listed after the compute level '" + compute->name +
                      "'; the arithmetic must be the innermost component");
    if (comp.kind == Kind::kCompute) {
      compute = &comp;
    } else {
      outer_first.push_back(BuildStorage(comp));
    }
  }
  if (compute == nullptr) architecture.Fail("no compute (arithmetic) component found, e.g. class: intmac");
  if (outer_first.empty()) architecture.Fail("no storage level found above the compute level");
  if (outer_first.size() > kMaxLevels)
    architecture.Fail("architecture has " + std::to_string(outer_first.size()) + " storage levels; at most " +
                      std::to_string(kMaxLevels) + " are supported");
  arch.compute = BuildCompute(*compute);
  arch.levels.assign(outer_first.rbegin(), outer_first.rend());
  for (size_t i = 0; i < arch.levels.size(); ++i) {
    for (size_t j = 0; j < i; ++j) {
      if (arch.levels[i].name == arch.levels[j].name)
        throw SpecError(arch.levels[i].loc, "two storage levels are named '" + arch.levels[i].name + "'");
    }
    if (arch.levels[i].name == arch.compute.name)
      throw SpecError(arch.compute.loc, "the compute level has the name of a storage level");
  }
  return arch;
}

}  // namespace sieve::spec::yaml
