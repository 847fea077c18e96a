// mapping -> Mapping.
//
// A mapping is a list of directives {target, type, factors, permutation,
// split, keep, bypass}; type is temporal, spatial, datatype or bypass (the
// last two are the same). Factors are written "C1 M8", "R=1,P=1,K=16" or
// "S=1 Q=1 M=4"; an omitted factor is 1, a factor 0 is "whatever is left of
// the bound" (at most one 0 per dimension). Permutations list dimensions
// innermost first (whitespace ignored, multi-letter dimension names matched
// greedily); missing dimensions are appended outermost in problem order.
// Every data space is kept at every level unless bypassed.
//
// Validation (SpecError): unknown target level, unknown dimension or data
// space, a data space both kept and bypassed, duplicate temporal/spatial
// directives for a level, and factors that do not multiply (over all levels,
// temporal x spatial) to each dimension's bound (a product past 2^63-1
// included).
#include <algorithm>
#include <cctype>
#include <charconv>
#include <optional>

#include "spec/yaml_node.hpp"

namespace sieve::spec::yaml {
namespace {

std::string StripSpace(const std::string& s) {
  std::string out;
  for (char c : s)
    if (!std::isspace(static_cast<unsigned char>(c))) out += c;
  return out;
}

// Per dimension, the factor written (1 if omitted; 0 = remainder).
std::vector<int64_t> ParseFactors(const Cursor& c, const Workload& w) {
  std::vector<int64_t> f(w.dim_names.size(), 1);
  std::vector<bool> seen(w.dim_names.size(), false);
  auto set = [&](const std::string& name, const std::string& number_text) {
    const int d = w.DimIndex(name);
    if (d < 0) c.Fail("unknown dimension '" + name + "' in factors");
    int64_t v = 0;
    auto [ptr, ec] = std::from_chars(number_text.data(), number_text.data() + number_text.size(), v);
    if (number_text.empty() || ec != std::errc() || ptr != number_text.data() + number_text.size() || v < 0)
      c.Fail("factor of '" + name + "' must be an integer >= 0, got '" + number_text + "'");
    if (seen[d]) c.Fail("dimension '" + name + "' appears twice in factors");
    seen[d] = true;
    f[d] = v;
  };

  if (c.IsMap()) {  // {C: 1, M: 8}
    for (const auto& [key, v] : c.Entries()) set(key, StripSpace(v.Str()));
    return f;
  }
  std::string text;
  if (c.IsSeq()) {
    for (const Cursor& item : c.Items()) text += item.Str() + " ";
  } else {
    text = c.Str();
  }
  // Separators: whitespace, ',' and ';'. "K = 4" reads as "K=4".
  std::string norm;
  for (char ch : text) {
    if (ch == ',' || ch == ';') ch = ' ';
    if (ch == '=') {
      while (!norm.empty() && norm.back() == ' ') norm.pop_back();
    } else if (ch == ' ' && !norm.empty() && norm.back() == '=') {
      continue;
    }
    norm += ch;
  }
  text = norm;
  size_t pos = 0;
  while (pos < text.size()) {
    while (pos < text.size() && std::isspace(static_cast<unsigned char>(text[pos]))) ++pos;
    if (pos >= text.size()) break;
    size_t end = pos;
    while (end < text.size() && !std::isspace(static_cast<unsigned char>(text[end]))) ++end;
    const std::string token = text.substr(pos, end - pos);
    pos = end;
    const size_t eq = token.find('=');
    if (eq != std::string::npos) {
      set(token.substr(0, eq), token.substr(eq + 1));
    } else {
      size_t digits = token.size();
      while (digits > 0 && std::isdigit(static_cast<unsigned char>(token[digits - 1]))) --digits;
      if (digits == 0 || digits == token.size())
        c.Fail("malformed factor '" + token + "': expected DIM=N or DIMN (e.g. K=4 or K4)");
      set(token.substr(0, digits), token.substr(digits));
    }
  }
  return f;
}

// Dimension indices innermost first, completed with the missing dimensions
// (outermost, in problem order).
std::vector<int> ParsePermutation(const Cursor& c, const Workload& w) {
  std::vector<int> order;
  std::vector<bool> seen(w.dim_names.size(), false);
  auto add = [&](int d) {
    if (seen[d]) c.Fail("dimension '" + w.dim_names[d] + "' appears twice in permutation");
    seen[d] = true;
    order.push_back(d);
  };
  if (c.IsSeq()) {
    for (const Cursor& item : c.Items()) {
      const int d = w.DimIndex(StripSpace(item.Str()));
      if (d < 0) item.Fail("unknown dimension '" + item.Str() + "' in permutation");
      add(d);
    }
  } else {
    for (int d : MatchDimNames(c.Str(), w, c, "permutation")) add(d);
  }
  for (size_t d = 0; d < w.dim_names.size(); ++d)
    if (!seen[d]) order.push_back(static_cast<int>(d));
  return order;
}

}  // namespace

Mapping ReadMapping(const Cursor& mapping, const Workload& w, const Arch& arch,
                    std::vector<std::string>& warnings) {
  if (mapping.IsMap()) {  // tolerate mapping: {mapping: [...]}
    if (auto inner = mapping.Find("mapping")) return ReadMapping(*inner, w, arch, warnings);
    mapping.Fail("expected a list of mapping directives");
  }
  if (!mapping.IsSeq()) mapping.Fail("expected a list of mapping directives");

  const int num_dims = static_cast<int>(w.dim_names.size());
  const int num_levels = static_cast<int>(arch.levels.size());
  Mapping m;
  m.levels.resize(num_levels);
  for (LevelMapping& lm : m.levels) {
    lm.temporal_factors.assign(num_dims, 1);
    lm.spatial_factors.assign(num_dims, 1);
    for (int d = 0; d < num_dims; ++d) {
      lm.temporal_order.push_back(d);
      lm.spatial_order.push_back(d);
    }
    lm.spatial_split = num_dims;
    lm.keep.assign(w.data_spaces.size(), true);
  }
  std::vector<bool> have_temporal(num_levels, false), have_spatial(num_levels, false);
  // Where each level's factors were written, for messages.
  std::vector<std::optional<Cursor>> temporal_at(num_levels), spatial_at(num_levels);

  for (const Cursor& dir : mapping.Items()) {
    if (!dir.IsMap()) dir.Fail("expected a mapping directive {target, type, ...}");
    dir.WarnUnknownKeys({"target", "type", "factors", "permutation", "split", "keep", "bypass", "stream",
                         "no_link_transfer"},
                        warnings);
    const Cursor target_c = dir.Need("target");
    const std::string target = ShortComponentName(target_c.Str());
    const int level = arch.LevelIndex(target);
    if (level < 0) {
      if (target == arch.compute.name)
        target_c.Fail("mapping target '" + target + "' is the compute level; directives must target a storage level");
      std::string names;
      for (auto it = arch.levels.rbegin(); it != arch.levels.rend(); ++it) names += (names.empty() ? "" : ", ") + it->name;
      target_c.Fail("mapping target '" + target + "' is not a storage level of the architecture (levels: " + names + ")");
    }
    LevelMapping& lm = m.levels[level];
    const Cursor type_c = dir.Need("type");
    const std::string type = NormalizeEnum(type_c.Str());

    if (type == "temporal" || type == "spatial") {
      const bool spatial = type == "spatial";
      std::vector<bool>& have = spatial ? have_spatial : have_temporal;
      if (have[level]) dir.Fail("second " + type + " directive for level '" + target + "'");
      have[level] = true;
      if (auto fc = dir.Find("factors"); fc && !fc->IsNull()) {
        (spatial ? lm.spatial_factors : lm.temporal_factors) = ParseFactors(*fc, w);
        (spatial ? spatial_at : temporal_at)[level] = *fc;
      }
      if (auto pc = dir.Find("permutation"); pc && !pc->IsNull())
        (spatial ? lm.spatial_order : lm.temporal_order) = ParsePermutation(*pc, w);
      if (auto sc = dir.Find("split"); sc && !sc->IsNull()) {
        const int64_t split = sc->Int();
        if (split < 0) sc->Fail("split must be >= 0");
        if (spatial) {
          lm.spatial_split = static_cast<int>(std::min<int64_t>(split, num_dims));
        } else {
          warnings.push_back(FormatLoc(sc->Loc()) + ": split is only meaningful in a spatial directive; ignored");
        }
      }
    } else if (type == "datatype" || type == "bypass") {
      // handled below with keep/bypass
    } else {
      type_c.Fail("unknown directive type '" + type_c.Str() + "': expected temporal, spatial, datatype or bypass");
    }

    std::vector<int> keep, bypass;
    if (auto kc = dir.Find("keep")) keep = DataSpaceIndices(*kc, w);
    if (auto bc = dir.Find("bypass")) bypass = DataSpaceIndices(*bc, w);
    for (int k : keep)
      for (int b : bypass)
        if (k == b) dir.Fail("data space '" + w.data_spaces[k].name + "' is both kept and bypassed");
    for (int k : keep) lm.keep[k] = true;
    for (int b : bypass) lm.keep[b] = false;
    // `stream` lists (timeloop-mapper writes them in its map.yaml) change
    // nothing in the reference model, whatever they name: names checked,
    // then ignored.
    if (auto sc = dir.Find("stream"); sc && !sc->IsNull()) (void)DataSpaceIndices(*sc, w);
    // `no_link_transfer: [A, B]` (or true for all): the children of this
    // level's fan-out fetch those data spaces from the level, never from a
    // mesh neighbour.
    if (auto nc = dir.Find("no_link_transfer"); nc && !nc->IsNull()) {
      if (lm.no_link_transfer.empty()) lm.no_link_transfer.assign(w.data_spaces.size(), false);
      if (nc->IsScalar() && (nc->Str() == "true" || nc->Str() == "True" || nc->Str() == "false" ||
                             nc->Str() == "False")) {
        if (nc->Bool()) lm.no_link_transfer.assign(w.data_spaces.size(), true);
      } else {
        for (int ds : DataSpaceIndices(*nc, w)) lm.no_link_transfer[ds] = true;
      }
    }
  }

  // Resolve 0 factors and check that each dimension multiplies to its bound.
  for (int d = 0; d < num_dims; ++d) {
    const std::string& name = w.dim_names[d];
    int64_t product = 1;
    int64_t* zero = nullptr;
    std::optional<Cursor> where;  // outermost factors naming d (not as 1)
    for (int l = 0; l < num_levels; ++l) {
      for (bool spatial : {false, true}) {
        int64_t& f = spatial ? m.levels[l].spatial_factors[d] : m.levels[l].temporal_factors[d];
        const std::optional<Cursor>& at = spatial ? spatial_at[l] : temporal_at[l];
        if (f != 1 && at) where = at;
        if (f != 0) {
          // Factors are checked one by one (>= 0), not their product: a
          // wrapped product could pass for the bound.
          if (__builtin_mul_overflow(product, f, &product))
            (at ? *at : mapping)
                .Fail("factors of dimension '" + name + "' multiply to more than 2^63-1 (its bound is " +
                      std::to_string(w.bounds[d]) + ")");
          continue;
        }
        if (zero != nullptr) at->Fail("more than one factor 0 (\"the rest\") for dimension '" + name + "'");
        zero = &f;
      }
    }
    const Cursor at = where ? *where : mapping;
    if (zero != nullptr) {
      if (w.bounds[d] % product != 0)
        at.Fail("factors of dimension '" + name + "' multiply to " + std::to_string(product) +
                ", which does not divide its bound " + std::to_string(w.bounds[d]) + " (a 0 factor takes the rest)");
      *zero = w.bounds[d] / product;
    } else if (product != w.bounds[d]) {
      at.Fail("factors of dimension '" + name + "' multiply to " + std::to_string(product) +
              " across all levels (temporal x spatial) but its bound is " + std::to_string(w.bounds[d]));
    }
  }
  return m;
}

}  // namespace sieve::spec::yaml
