// compound_components / components -> CompoundClass list.
#include "spec/yaml_node.hpp"

namespace sieve::spec::yaml {

std::vector<CompoundClass> ReadCompoundClasses(const Cursor& section, std::vector<std::string>& warnings) {
  (void)warnings;
  std::vector<CompoundClass> out;
  std::optional<Cursor> classes = section.IsMap() ? section.Find("classes") : std::optional<Cursor>(section);
  if (!classes) return out;
  for (const Cursor& c : classes->Items()) {
    CompoundClass cc;
    cc.name = c.Need("name").Str();
    cc.loc = c.Loc();
    if (auto a = c.Find("attributes"))
      for (const auto& [k, v] : a->Entries()) cc.attributes.emplace_back(k, FlowText(v.node()));
    out.push_back(std::move(cc));
  }
  return out;
}

}  // namespace sieve::spec::yaml
