// sieve's energy table file -> EnergyLibrary (see energy_library.hpp).
//
// Layout (configs/energy/energy_table.yaml documents every field):
//   version, defaults {attr: value}, technology {source, vdd, nodes: [{nm,
//   energy_poly: [a, b, c], area}]}, primitives: [{name, aliases, source,
//   technology_nm, technology_scaling, attributes, select, actions: [{name,
//   energy_pj}], area_um2}], compound_classes: [Accelergy compound classes].
// The table is sieve's own file, so unknown keys are errors (a typo in an
// override table must not silently fall back to a built-in number).
#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

#include "sieve/spec/energy_library.hpp"
#include "spec/yaml_node.hpp"

namespace sieve::spec {
namespace {

using yaml::Cursor;

void RejectUnknownKeys(const Cursor& c, std::initializer_list<std::string_view> known) {
  if (!c.IsMap()) return;
  for (const auto& [key, value] : c.Entries()) {
    if (std::find(known.begin(), known.end(), key) == known.end()) {
      std::string list;
      for (std::string_view k : known) list += (list.empty() ? "" : ", ") + std::string(k);
      value.Fail("unknown key '" + key + "' (expected one of: " + list + ")");
    }
  }
}

std::string Text(const Cursor& c) { return yaml::FlowText(c.node()); }

AttributeTexts ReadTexts(const std::optional<Cursor>& c) {
  AttributeTexts out;
  if (!c || c->IsNull()) return out;
  if (!c->IsMap()) c->Fail("expected a map of attribute: value");
  for (const auto& [key, value] : c->Entries()) out.emplace_back(key, Text(value));
  return out;
}

TechnologyScaling ReadTechnology(const Cursor& c) {
  RejectUnknownKeys(c, {"source", "vdd", "nodes", "rule"});
  TechnologyScaling t;
  if (auto s = c.Find("source")) t.source = s->Str();
  if (auto v = c.Find("vdd")) t.vdd = v->Num();
  for (const Cursor& n : c.Need("nodes").Items()) {
    RejectUnknownKeys(n, {"nm", "energy_poly", "area"});
    TechnologyNode node;
    node.nm = n.Need("nm").Num();
    const std::vector<Cursor> poly = n.Need("energy_poly").Items();
    if (poly.size() != 3) n.Need("energy_poly").Fail("expected three coefficients [a, b, c] of a*vdd^2 + b*vdd + c");
    for (int i = 0; i < 3; ++i) node.energy_poly[i] = poly[i].Num();
    node.area_factor = n.Need("area").Num();
    if (node.nm <= 0 || node.area_factor <= 0) n.Fail("node and area factor must be positive");
    if (!t.nodes.empty() && node.nm >= t.nodes.back().nm) n.Need("nm").Fail("nodes must be listed largest first");
    t.nodes.push_back(node);
  }
  if (t.nodes.size() < 2) c.Need("nodes").Fail("expected at least two technology nodes");
  return t;
}

PrimitiveClass ReadPrimitive(const Cursor& c) {
  RejectUnknownKeys(c, {"name", "aliases", "source", "technology_nm", "technology_scaling", "attributes",
                        "select", "actions", "area_um2"});
  PrimitiveClass p;
  p.name = c.Need("name").Str();
  p.loc = c.Loc();
  if (auto a = c.Find("aliases")) p.aliases = a->StrList();
  if (auto s = c.Find("source")) p.source = Text(*s);
  if (auto t = c.Find("technology_nm")) p.reference_nm = t->Num();
  if (auto t = c.Find("technology_scaling")) p.technology_scaling = t->Bool();
  p.attributes = ReadTexts(c.Find("attributes"));
  if (auto sel = c.Find("select")) {
    for (const auto& [attribute, values] : sel->Entries()) {
      AttributeSelect s;
      s.attribute = attribute;
      for (const auto& [value, vars] : values.Entries()) {
        std::map<std::string, double>& out = s.values[value];
        for (const auto& [var, number] : vars.Entries()) {
          if (var == "source") continue;  // a citation beside the figures
          out[var] = number.Num();
        }
      }
      p.selects.push_back(std::move(s));
    }
  }
  for (const Cursor& a : c.Need("actions").Items()) {
    RejectUnknownKeys(a, {"name", "energy_pj", "source"});
    p.actions.push_back({a.Need("name").StrList(), Text(a.Need("energy_pj"))});
  }
  if (auto area = c.Find("area_um2")) p.area_um2 = Text(*area);
  return p;
}

}  // namespace

EnergyLibrary ParseEnergyLibrary(const std::string& path, const std::string& text) {
  const yaml::YNode root_node = yaml::ParseYamlText(path, text);
  const Cursor root(root_node, "");
  if (!root.IsMap()) root.Fail("expected an energy table (a map with primitives and compound_classes)");
  RejectUnknownKeys(root, {"version", "defaults", "technology", "primitives", "compound_classes"});
  EnergyLibrary lib;
  lib.origin = path;
  lib.defaults = ReadTexts(root.Find("defaults"));
  if (auto t = root.Find("technology")) lib.technology = ReadTechnology(*t);
  if (auto ps = root.Find("primitives"))
    for (const Cursor& p : ps->Items()) lib.primitives.push_back(ReadPrimitive(p));
  std::vector<std::string> ignored;
  if (auto cs = root.Find("compound_classes")) lib.compound_classes = yaml::ReadCompoundClasses(*cs, ignored);
  std::set<std::string> names;
  for (const PrimitiveClass& p : lib.primitives)
    if (!names.insert(p.name).second) throw SpecError(p.loc, "primitive class '" + p.name + "' defined twice");
  return lib;
}

EnergyLibrary BuiltinEnergyLibrary() {
  EnergyLibrary lib = ParseEnergyLibrary("built-in energy table", std::string(BuiltinEnergyTableText()));
  lib.origin = "built-in table";
  return lib;
}

EnergyLibrary LoadEnergyLibraryOverride(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw SpecError(SourceLoc{path, 0, ""}, "cannot read the energy table file");
  std::stringstream text;
  text << in.rdbuf();
  const EnergyLibrary over = ParseEnergyLibrary(path, text.str());
  EnergyLibrary lib = BuiltinEnergyLibrary();
  lib.origin = "built-in table + " + path;
  if (!over.defaults.empty()) lib.defaults = over.defaults;
  if (!over.technology.nodes.empty()) lib.technology = over.technology;
  for (const PrimitiveClass& p : over.primitives) {
    auto it = std::find_if(lib.primitives.begin(), lib.primitives.end(),
                           [&](const PrimitiveClass& q) { return q.name == p.name; });
    if (it != lib.primitives.end()) *it = p; else lib.primitives.push_back(p);
  }
  for (const CompoundClass& c : over.compound_classes) {
    auto it = std::find_if(lib.compound_classes.begin(), lib.compound_classes.end(),
                           [&](const CompoundClass& q) { return q.name == c.name; });
    if (it != lib.compound_classes.end()) *it = c; else lib.compound_classes.push_back(c);
  }
  return lib;
}

}  // namespace sieve::spec
