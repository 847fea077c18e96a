// The network file reader (sieve/spec/network.hpp). Strict like the sweep
// reader: it is sieve's own format, so an unknown key is an error.
#include <fstream>
#include <set>
#include <sstream>

#include "sieve/spec/network.hpp"
#include "spec/yaml_node.hpp"

namespace sieve::spec {
namespace {

using yaml::Cursor;


void ReadDensities(const Cursor& c, std::map<std::string, double>& into) {
  if (!c.IsMap()) c.Fail("expected a map {tensor: density}");
  for (const auto& [tensor, v] : c.Entries()) {
    const double d = v.Num();
    if (!(d >= 0.0 && d <= 1.0)) v.Fail("density " + v.Str() + " is outside [0, 1]");
    into[tensor] = d;
  }
}

}  // namespace

std::vector<Override> Network::LayerOverrides(size_t layer) const {
  const NetworkLayer& l = layers.at(layer);
  std::vector<Override> out;
  for (const auto& [key, value] : l.instance) {
    Override o;
    o.key_path = "problem.instance." + key;
    o.value = std::to_string(value);
    o.create_leaf = true;  // a coefficient the design leaves at its default
    o.loc = l.loc;
    o.loc.key_path = "network.layers." + l.name + ".instance." + key;
    out.push_back(std::move(o));
  }
  for (const auto& [tensor, d] : l.densities) {
    Override o;
    o.key_path = "problem.instance.densities." + tensor;
    char buf[40];
    std::snprintf(buf, sizeof buf, "%.17g", d);
    o.value = buf;
    o.map_key = "density";
    o.create_leaf = true;
    o.loc = l.loc;
    o.loc.key_path = "network.layers." + l.name + ".densities." + tensor;
    out.push_back(std::move(o));
  }
  return out;
}

Network LoadNetwork(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw SpecError(SourceLoc{path, 0, ""}, "cannot open network file");
  std::ostringstream text;
  text << in.rdbuf();
  Network net;
  net.path = path;
  net.text = text.str();
  const yaml::YNode root = yaml::ParseYamlText(path, net.text);
  const Cursor rc(root, "");
  if (!rc.IsMap()) throw SpecError(SourceLoc{path, root.line, ""}, "expected a map with the key `network`");
  rc.RejectUnknownKeys({"network"});
  const Cursor n = rc.Need("network");
  n.RejectUnknownKeys({"name", "source", "description", "densities", "densities_source", "layers"});
  net.name = n.Need("name").Str();
  std::map<std::string, double> defaults;
  if (auto d = n.Find("densities")) ReadDensities(*d, defaults);
  const Cursor layers = n.Need("layers");
  if (!layers.IsSeq() || layers.node().items.empty()) layers.Fail("expected a non-empty list of layers");
  std::set<std::string> names;
  for (const Cursor& lc : layers.Items()) {
    lc.RejectUnknownKeys({"name", "instance", "densities", "count", "note"});
    NetworkLayer l;
    l.loc = lc.Loc();
    l.name = lc.Need("name").Str();
    if (!names.insert(l.name).second) lc.Need("name").Fail("layer name '" + l.name + "' given twice");
    const Cursor inst = lc.Need("instance");
    if (!inst.IsMap()) inst.Fail("expected a map {dimension: size}");
    for (const auto& [key, v] : inst.Entries()) {
      const int64_t value = v.Int();
      if (value < 1) v.Fail("must be a whole number >= 1");
      l.instance.emplace_back(key, value);
    }
    l.densities = defaults;
    if (auto d = lc.Find("densities")) ReadDensities(*d, l.densities);
    if (auto c = lc.Find("count")) {
      l.count = c->Int();
      if (l.count < 1 || l.count > 1000000) c->Fail("count must be 1 to 1000000");
    }
    net.layers.push_back(std::move(l));
  }
  return net;
}

}  // namespace sieve::spec
