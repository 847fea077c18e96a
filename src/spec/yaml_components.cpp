// compound_components / components -> CompoundClass list.
//
// Accepted layouts (Accelergy v0.3 and v0.4, and sieve's energy table):
// the section is a map holding `classes` (a list), or the list itself.
// Unknown keys are ignored without a warning: the published component
// files carry many (version, descriptions, v0.3 `arguments` ranges) that
// only Accelergy reads, and the reference inputs must load cleanly.
//
// YAML merge keys (`<<: *write_action`, used by the exercises' component
// files) are expanded here, because yaml-cpp keeps them as ordinary keys.
#include "spec/yaml_node.hpp"

namespace sieve::spec::yaml {
namespace {

// A map with its `<<` entries expanded: merged maps first, then the map's
// own keys overriding them (YAML 1.1 merge semantics).
YNode ExpandMerges(const YNode& node) {
  if (node.kind != YNode::Kind::kMap) return node;
  YNode out = node;
  out.entries.clear();
  auto put = [&out](const YEntry& e) {
    for (YEntry& have : out.entries) {
      if (have.key == e.key) {
        have = e;
        return;
      }
    }
    out.entries.push_back(e);
  };
  for (const YEntry& e : node.entries) {
    if (e.key != "<<") continue;
    if (e.value.kind == YNode::Kind::kMap) {
      for (const YEntry& m : ExpandMerges(e.value).entries) put(m);
    } else if (e.value.kind == YNode::Kind::kSeq) {
      for (const YNode& item : e.value.items)
        for (const YEntry& m : ExpandMerges(item).entries) put(m);
    }
  }
  for (const YEntry& e : node.entries)
    if (e.key != "<<") put(e);
  return out;
}

std::string OptionalText(const Cursor& c, std::string_view key) {
  auto v = c.Find(key);
  return v && !v->IsNull() ? FlowText(v->node()) : std::string();
}

AttributeTexts ReadAttributeTexts(const Cursor& c) {
  AttributeTexts out;
  if (auto a = c.Find("attributes"); a && !a->IsNull()) {
    if (!a->IsMap()) a->Fail("expected a map of attribute: value");
    for (const auto& [key, value] : a->Entries()) out.emplace_back(key, FlowText(value.node()));
  }
  return out;
}

Subcomponent ReadSubcomponent(const Cursor& c) {
  Subcomponent s;
  s.name = c.Need("name").Str();
  s.cls = c.Need("class").Str();
  s.attributes = ReadAttributeTexts(c);
  s.area_scale = OptionalText(c, "area_scale");
  s.loc = c.Loc();
  return s;
}

CompoundAction::Part ReadPart(const Cursor& c) {
  CompoundAction::Part part;
  part.subcomponent = c.Need("name").Str();
  part.loc = c.Loc();
  if (auto actions = c.Find("actions")) {
    for (const Cursor& raw : actions->Items()) {
      const YNode expanded = ExpandMerges(raw.node());
      const Cursor a(expanded, raw.path());
      part.actions.push_back({a.Need("name").Str(), OptionalText(a, "energy_scale")});
    }
  }
  return part;
}

CompoundAction ReadAction(const Cursor& c) {
  CompoundAction action;
  action.name = c.Need("name").Str();
  action.loc = c.Loc();
  if (auto parts = c.Find("subcomponents"))
    for (const Cursor& p : parts->Items()) action.parts.push_back(ReadPart(p));
  return action;
}

CompoundClass ReadClass(const Cursor& c) {
  CompoundClass cc;
  cc.name = c.Need("name").Str();
  cc.loc = c.Loc();
  if (auto a = c.Find("aliases"); a && !a->IsNull()) cc.aliases = a->StrList();
  cc.source = OptionalText(c, "source");
  cc.attributes = ReadAttributeTexts(c);
  if (auto subs = c.Find("subcomponents"))
    for (const Cursor& s : subs->Items()) cc.subcomponents.push_back(ReadSubcomponent(s));
  if (auto actions = c.Find("actions")) {
    for (const Cursor& raw : actions->Items()) {
      const YNode expanded = ExpandMerges(raw.node());
      cc.actions.push_back(ReadAction(Cursor(expanded, raw.path())));
    }
  }
  return cc;
}

}  // namespace

std::vector<CompoundClass> ReadCompoundClasses(const Cursor& section, std::vector<std::string>& warnings) {
  (void)warnings;  // see the file comment: unknown keys are expected here
  std::vector<CompoundClass> out;
  std::optional<Cursor> classes = section.IsMap() ? section.Find("classes") : std::optional<Cursor>(section);
  if (!classes || classes->IsNull()) return out;
  for (const Cursor& c : classes->Items()) out.push_back(ReadClass(c));
  return out;
}

}  // namespace sieve::spec::yaml
