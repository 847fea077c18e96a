// Mapspace constraints and the mapper block -> Constraints, MapperSpec.
//
// Constraints contract:
//   - Sections `architecture_constraints`, `mapspace_constraints` and
//     `constraints` are each either a list of directives or a map with a
//     `targets` list (and an ignored `version`). They are read in that order
//     and merged into one Constraints; levels is always sized like
//     arch.levels. `any` is true once any directive has been stored.
//   - A directive is {target (or name), type, ...}. The target is a storage
//     level (short or dotted name, a [..] range ignored), including dummy
//     `inter_*_spatial` levels; anything else is a SpecError listing the
//     levels. Types: temporal, spatial, bypass (also datatype, bypassing,
//     dataspace), utilization (also parallelism; key `min`),
//     max_overbooked_proportion (key `proportion`), no_link_transfer (key
//     `datatypes`). Timeloop's no_multicast / no_reduction types are
//     accepted with a warning and ignored; other types are SpecErrors.
//   - temporal/spatial: `factors` as in mappings ("C1 M8", "R=1,P=1,K=16",
//     "S=0 Q=1", a list ["K=4", "R=1"] or a map {K: 4}) plus bounds "K<=8"
//     (kMax) and "K>=2" (kMin); `<` and `>` are rejected. A factor 0 stays
//     kExact 0 (the whole remaining bound). `permutation` innermost first:
//     "QRSC PNM" -> inner Q,R,S,C, outer P,N,M; one group (or a YAML list)
//     -> all listed dimensions inner; more than two groups is an error.
//     `split` (spatial only), `max_factor`/`default_max_factor` (>= 1).
//   - keep / bypass (any type except utilization and overbooking): data-space
//     names; `no_link_transfer`: true/false or a list of data-space names.
//   - Merging directives for the same level: factors are keyed by
//     (dimension, kind), a later one replaces an earlier one; permutation,
//     split, max_factor, utilization and proportion are replaced; keep and
//     bypass accumulate, a later directive may move a data space from one
//     to the other. Every replacement that changes a value is warned about.
//     Within one directive, a (dimension, kind) twice, a dimension twice in
//     a permutation, or a data space both kept and bypassed is a SpecError.
//   - Keys that a directive's type does not use are warned about and
//     ignored; unknown keys are warned about.
//   - Nothing here checks constraints against a mapping or the workload's
//     bounds (the search does).
//
// Mapper contract: `mapper` -> MapperSpec with given = true (also for an
// empty block). algorithm is lower-cased with '-' -> '_' (an unknown name is
// kept and warned about); num_threads, search_size, timeout and
// victory_condition are integers >= 0; `null` means unset.
// optimization_metrics (a list or one name) and the older
// optimization_metric are merged in that order without duplicates (a
// warning when both are non-empty and differ). Other Timeloop mapper keys
// are accepted silently; unknown keys are warned about.
#include <algorithm>
#include <cctype>
#include <charconv>
#include <climits>

#include "spec/yaml_node.hpp"

namespace sieve::spec::yaml {
namespace {

using Kind = FactorConstraint::Kind;

bool IsSep(char c) { return std::isspace(static_cast<unsigned char>(c)) || c == ',' || c == ';'; }
bool IsSpace(char c) { return std::isspace(static_cast<unsigned char>(c)); }

const char* OpText(Kind k) {
  switch (k) {
    case Kind::kExact: return "=";
    case Kind::kMax: return "<=";
    case Kind::kMin: return ">=";
  }
  return "?";
}

std::string FactorText(const Workload& w, const FactorConstraint& f) {
  return w.dim_names[f.dim] + OpText(f.kind) + std::to_string(f.value);
}

std::string Warn(const Cursor& at, const std::string& message) { return FormatLoc(at.Loc()) + ": " + message; }

std::string NamesOf(const Workload& w, const std::vector<int>& dims) {
  std::string s;
  for (int d : dims) s += w.dim_names[d];
  return s;
}

// ---- factors ---------------------------------------------------------------------

void AddFactor(const Cursor& at, const Workload& w, const std::string& name, Kind kind,
               const std::string& number, std::vector<FactorConstraint>& out) {
  const int d = w.DimIndex(name);
  if (d < 0) at.Fail("unknown dimension '" + name + "' in factors");
  int64_t v = 0;
  auto [ptr, ec] = std::from_chars(number.data(), number.data() + number.size(), v);
  if (number.empty() || ec != std::errc() || ptr != number.data() + number.size() || v < 0)
    at.Fail("factor of '" + name + "' must be an integer >= 0, got '" + number + "'");
  if (kind != Kind::kExact && v < 1)
    at.Fail("bound " + name + OpText(kind) + number + " must be at least 1");
  for (const FactorConstraint& f : out)
    if (f.dim == d && f.kind == kind)
      at.Fail("dimension '" + name + "' appears twice with '" + OpText(kind) + "' in factors");
  out.push_back(FactorConstraint{d, kind, v});
}

// One factors text: tokens DIM=N, DIMN, DIM<=N, DIM>=N separated by
// whitespace, ',' or ';' (spaces around the operator allowed).
void ParseFactorText(const std::string& text, const Cursor& at, const Workload& w,
                     std::vector<FactorConstraint>& out) {
  const size_t n = text.size();
  size_t i = 0;
  auto malformed = [&](const std::string& token) {
    at.Fail("malformed factor '" + token + "': expected DIM=N or DIMN (e.g. K=4 or K4), DIM<=N or DIM>=N");
  };
  while (true) {
    while (i < n && IsSep(text[i])) ++i;
    if (i >= n) break;
    const size_t start = i;
    while (i < n && !IsSep(text[i]) && text[i] != '=' && text[i] != '<' && text[i] != '>') ++i;
    const std::string name = text.substr(start, i - start);
    size_t j = i;
    while (j < n && IsSpace(text[j])) ++j;
    if (j < n && (text[j] == '=' || text[j] == '<' || text[j] == '>')) {
      Kind kind = Kind::kExact;
      if (text[j] == '=') {
        ++j;
      } else if (j + 1 < n && text[j + 1] == '=') {
        kind = text[j] == '<' ? Kind::kMax : Kind::kMin;
        j += 2;
      } else {
        at.Fail("bound '" + text.substr(start, j + 1 - start) +
                "...' is not supported: use <= or >= (strict < and > are not accepted)");
      }
      while (j < n && IsSpace(text[j])) ++j;
      const size_t num_start = j;
      while (j < n && !IsSep(text[j])) ++j;
      if (name.empty()) malformed(text.substr(start, j - start));
      AddFactor(at, w, name, kind, text.substr(num_start, j - num_start), out);
      i = j;
      continue;
    }
    size_t digits = name.size();
    while (digits > 0 && std::isdigit(static_cast<unsigned char>(name[digits - 1]))) --digits;
    if (digits == 0 || digits == name.size()) malformed(name);
    AddFactor(at, w, name.substr(0, digits), Kind::kExact, name.substr(digits), out);
  }
}

std::vector<FactorConstraint> ParseFactors(const Cursor& c, const Workload& w) {
  std::vector<FactorConstraint> out;
  if (c.IsMap()) {  // {K: 4, M: "<=8"}
    for (const auto& [key, v] : c.Entries()) {
      std::string value = v.Str();
      size_t b = 0;
      while (b < value.size() && IsSpace(value[b])) ++b;
      const bool has_op = b < value.size() && (value[b] == '=' || value[b] == '<' || value[b] == '>');
      ParseFactorText(key + (has_op ? "" : "=") + value, v, w, out);
    }
  } else if (c.IsSeq()) {  // [K=4, R=1]
    for (const Cursor& item : c.Items()) ParseFactorText(item.Str(), item, w, out);
  } else {
    ParseFactorText(c.Str(), c, w, out);
  }
  return out;
}

// ---- permutation -------------------------------------------------------------------

OrderConstraint ParseOrder(const Cursor& c, const Workload& w) {
  OrderConstraint o;
  if (c.IsSeq()) {  // [Q, R, S, C]: all inner
    for (const Cursor& item : c.Items())
      for (int d : MatchDimNames(item.Str(), w, item, "permutation")) o.inner.push_back(d);
  } else {
    const std::string text = c.Str();
    std::vector<std::string> groups;
    size_t i = 0;
    while (i < text.size()) {
      while (i < text.size() && IsSpace(text[i])) ++i;
      const size_t start = i;
      while (i < text.size() && !IsSpace(text[i])) ++i;
      if (i > start) groups.push_back(text.substr(start, i - start));
    }
    if (groups.size() > 2)
      c.Fail("permutation '" + text +
             "' has more than two space-separated groups: expected 'INNER' or 'INNER OUTER' (e.g. 'QRSC PNM')");
    if (!groups.empty()) o.inner = MatchDimNames(groups[0], w, c, "permutation");
    if (groups.size() == 2) o.outer = MatchDimNames(groups[1], w, c, "permutation");
  }
  o.written = o.inner;
  o.written.insert(o.written.end(), o.outer.begin(), o.outer.end());
  std::vector<bool> seen(w.dim_names.size(), false);
  for (int d : o.written) {
    if (seen[d]) c.Fail("dimension '" + w.dim_names[d] + "' appears twice in permutation");
    seen[d] = true;
  }
  o.given = !o.written.empty();
  return o;
}

// ---- directives -----------------------------------------------------------------------

enum class Type { kTemporal, kSpatial, kBypass, kUtilization, kOverbooking, kNoLinkTransfer, kIgnored };

// Every key any directive may carry.
const std::initializer_list<std::string_view> kAllKeys = {
    "target", "name", "type", "factors", "permutation", "split", "keep", "bypass", "min",
    "proportion", "max_factor", "default_max_factor", "no_link_transfer", "datatypes"};

class Reader {
 public:
  Reader(const Workload& w, const Arch& arch, std::vector<std::string>& warnings)
      : w_(w), arch_(arch), warnings_(warnings) {
    out_.levels.resize(arch.levels.size());
  }

  void Section(const Cursor& section) {
    if (section.IsNull()) return;
    if (section.IsMap()) {
      section.WarnUnknownKeys({"targets", "version"}, warnings_);
      if (auto t = section.Find("targets")) {
        if (!t->IsNull() && !t->IsSeq()) t->Fail("expected a list of constraint directives {target, type, ...}");
        for (const Cursor& dir : t->Items()) Directive(dir);
      }
      return;
    }
    if (!section.IsSeq()) section.Fail("expected a list of constraint directives, or a map with 'targets'");
    for (const Cursor& dir : section.Items()) Directive(dir);
  }

  Constraints Take() { return std::move(out_); }

 private:
  int Target(const Cursor& dir) const {
    std::optional<Cursor> tc = dir.Find("target");
    if (!tc) tc = dir.Find("name");
    if (!tc) dir.Fail("missing required key 'target'");
    const std::string target = ShortComponentName(tc->Str());
    const int level = arch_.LevelIndex(target);
    if (level >= 0) return level;
    if (target == arch_.compute.name)
      tc->Fail("constraint target '" + target + "' is the compute level; constraints must target a storage level");
    std::string names;
    for (auto it = arch_.levels.rbegin(); it != arch_.levels.rend(); ++it)
      names += (names.empty() ? "" : ", ") + it->name;
    tc->Fail("constraint target '" + target + "' is not a storage level of the architecture (levels: " + names + ")");
  }

  static Type ParseType(const Cursor& type_c, std::string* canonical) {
    const std::string t = NormalizeEnum(type_c.Str());
    *canonical = t;
    if (t == "temporal") return Type::kTemporal;
    if (t == "spatial") return Type::kSpatial;
    if (t == "bypass" || t == "datatype" || t == "bypassing" || t == "dataspace") return Type::kBypass;
    if (t == "utilization" || t == "parallelism") return Type::kUtilization;
    if (t == "max_overbooked_proportion") return Type::kOverbooking;
    if (t == "no_link_transfer") return Type::kNoLinkTransfer;
    if (t == "no_multicast" || t == "no_reduction" || t == "no_multicast_no_reduction") return Type::kIgnored;
    type_c.Fail("unknown constraint type '" + type_c.Str() +
                "': expected temporal, spatial, bypass, datatype, utilization, max_overbooked_proportion "
                "or no_link_transfer");
  }

  static std::vector<std::string_view> KeysFor(Type type) {
    std::vector<std::string_view> keys = {"target", "name", "type"};
    auto add = [&keys](std::initializer_list<std::string_view> more) { keys.insert(keys.end(), more); };
    switch (type) {
      case Type::kSpatial: add({"split"}); [[fallthrough]];
      case Type::kTemporal: add({"factors", "permutation", "max_factor", "default_max_factor"}); [[fallthrough]];
      case Type::kBypass: add({"keep", "bypass", "no_link_transfer"}); break;
      case Type::kUtilization: add({"min"}); break;
      case Type::kOverbooking: add({"proportion"}); break;
      case Type::kNoLinkTransfer: add({"datatypes"}); break;
      case Type::kIgnored: add({"datatypes"}); break;
    }
    return keys;
  }

  void Directive(const Cursor& dir) {
    if (!dir.IsMap()) dir.Fail("expected a constraint directive {target, type, ...}");
    dir.WarnUnknownKeys(kAllKeys, warnings_);
    const int level = Target(dir);
    const Cursor type_c = dir.Need("type");
    std::string type_name;
    const Type type = ParseType(type_c, &type_name);
    if (type == Type::kIgnored) {
      warnings_.push_back(Warn(type_c, "constraint type '" + type_c.Str() + "' is not supported; directive ignored"));
      return;
    }
    // Keys known in general but unused by this type.
    const std::vector<std::string_view> used = KeysFor(type);
    for (const auto& [key, value] : dir.Entries()) {
      const std::string norm = NormalizeKey(key);
      const bool known = std::any_of(kAllKeys.begin(), kAllKeys.end(), [&](std::string_view k) { return k == norm; });
      const bool ok = std::any_of(used.begin(), used.end(), [&](std::string_view k) { return k == norm; });
      if (known && !ok)
        warnings_.push_back(Warn(value, "'" + key + "' has no effect in a " + type_name + " constraint; ignored"));
    }

    LevelConstraints& lc = out_.levels[level];
    if (lc.loc.file.empty() && lc.loc.line == 0) lc.loc = dir.Loc();
    out_.any = true;
    const std::string& level_name = arch_.levels[level].name;

    switch (type) {
      case Type::kTemporal:
      case Type::kSpatial: {
        const bool spatial = type == Type::kSpatial;
        const std::string what = level_name + (spatial ? " spatial" : " temporal");
        if (auto fc = dir.Find("factors"); fc && !fc->IsNull())
          MergeFactors(spatial ? lc.spatial_factors : lc.temporal_factors, ParseFactors(*fc, w_), *fc, what);
        if (auto pc = dir.Find("permutation"); pc && !pc->IsNull()) {
          OrderConstraint o = ParseOrder(*pc, w_);
          OrderConstraint& order = spatial ? lc.spatial_order : lc.temporal_order;
          if (o.given) {
            if (order.given && (order.inner != o.inner || order.outer != o.outer))
              warnings_.push_back(
                  Warn(*pc, what + " permutation '" + Describe(order) + "' replaced by '" + Describe(o) + "'"));
            order = std::move(o);
          }
        }
        if (spatial) {
          if (auto sc = dir.Find("split"); sc && !sc->IsNull()) {
            const int64_t split = sc->Int();
            if (split < 0 || split > INT_MAX) sc->Fail("split must be an integer >= 0");
            if (lc.spatial_split && *lc.spatial_split != split)
              warnings_.push_back(Warn(*sc, what + " split " + std::to_string(*lc.spatial_split) + " replaced by " +
                                                std::to_string(split)));
            lc.spatial_split = static_cast<int>(split);
          }
        }
        for (std::string_view key : {"default_max_factor", "max_factor"}) {
          auto mc = dir.Find(key);
          if (!mc || mc->IsNull()) continue;
          const int64_t v = mc->Int();
          if (v < 1) mc->Fail(std::string(key) + " must be an integer >= 1");
          if (lc.max_factor && *lc.max_factor != v)
            warnings_.push_back(Warn(*mc, level_name + " max factor " + std::to_string(*lc.max_factor) +
                                              " replaced by " + std::to_string(v)));
          lc.max_factor = v;
        }
        KeepBypass(dir, lc, level_name);
        break;
      }
      case Type::kBypass:
        KeepBypass(dir, lc, level_name);
        break;
      case Type::kUtilization: {
        const Cursor mc = dir.Need("min");
        const double v = mc.Num();
        if (v < 0.0 || v > 1.0) mc.Fail("min utilization must be between 0 and 1");
        if (lc.min_spatial_utilization && *lc.min_spatial_utilization != v)
          warnings_.push_back(Warn(mc, level_name + " min utilization replaced"));
        lc.min_spatial_utilization = v;
        break;
      }
      case Type::kOverbooking: {
        const Cursor pc = dir.Need("proportion");
        const double v = pc.Num();
        if (v < 0.0 || v > 1.0) pc.Fail("max_overbooked_proportion must be between 0 and 1");
        if (lc.max_overbooked_proportion && *lc.max_overbooked_proportion != v)
          warnings_.push_back(Warn(pc, level_name + " max_overbooked_proportion replaced"));
        lc.max_overbooked_proportion = v;
        break;
      }
      case Type::kNoLinkTransfer:
        AddNoLinkTransfer(DataSpaceIndices(dir.Need("datatypes"), w_), lc);
        break;
      case Type::kIgnored:
        break;
    }
  }

  std::string Describe(const OrderConstraint& o) const {
    std::string s = NamesOf(w_, o.inner);
    if (!o.outer.empty()) s.append(" ").append(NamesOf(w_, o.outer));
    return s;
  }

  // Later (dimension, kind) entries replace earlier ones.
  void MergeFactors(std::vector<FactorConstraint>& into, const std::vector<FactorConstraint>& add, const Cursor& at,
                    const std::string& what) {
    for (const FactorConstraint& f : add) {
      auto it = std::find_if(into.begin(), into.end(),
                             [&f](const FactorConstraint& e) { return e.dim == f.dim && e.kind == f.kind; });
      if (it == into.end()) {
        into.push_back(f);
        continue;
      }
      if (it->value != f.value)
        warnings_.push_back(Warn(at, what + " factor " + FactorText(w_, *it) + " replaced by " + FactorText(w_, f)));
      it->value = f.value;
    }
  }

  void KeepBypass(const Cursor& dir, LevelConstraints& lc, const std::string& level_name) {
    std::vector<int> keep, bypass;
    if (auto kc = dir.Find("keep")) keep = DataSpaceIndices(*kc, w_);
    if (auto bc = dir.Find("bypass")) bypass = DataSpaceIndices(*bc, w_);
    for (int k : keep)
      if (std::find(bypass.begin(), bypass.end(), k) != bypass.end())
        dir.Fail("data space '" + w_.data_spaces[k].name + "' is both kept and bypassed");
    auto place = [&](int ds, std::vector<int>& to, std::vector<int>& from, const char* verb) {
      if (auto it = std::find(from.begin(), from.end(), ds); it != from.end()) {
        from.erase(it);
        warnings_.push_back(Warn(dir, "data space '" + w_.data_spaces[ds].name + "' at " + level_name +
                                          " now " + verb + " (an earlier constraint said otherwise)"));
      }
      if (std::find(to.begin(), to.end(), ds) == to.end()) to.push_back(ds);
    };
    for (int k : keep) place(k, lc.keep, lc.bypass, "kept");
    for (int b : bypass) place(b, lc.bypass, lc.keep, "bypassed");

    if (auto nc = dir.Find("no_link_transfer"); nc && !nc->IsNull()) {
      std::vector<int> spaces;
      if (nc->IsScalar()) {
        const std::string v = NormalizeEnum(nc->Str());
        if (v == "true" || v == "false" || v == "yes" || v == "no") {
          if (nc->Bool())
            for (size_t ds = 0; ds < w_.data_spaces.size(); ++ds) spaces.push_back(static_cast<int>(ds));
        } else {
          spaces = DataSpaceIndices(*nc, w_);
        }
      } else {
        spaces = DataSpaceIndices(*nc, w_);
      }
      AddNoLinkTransfer(spaces, lc);
    }
  }

  static void AddNoLinkTransfer(const std::vector<int>& spaces, LevelConstraints& lc) {
    for (int ds : spaces)
      if (std::find(lc.no_link_transfer_spaces.begin(), lc.no_link_transfer_spaces.end(), ds) ==
          lc.no_link_transfer_spaces.end())
        lc.no_link_transfer_spaces.push_back(ds);
    lc.no_link_transfer = !lc.no_link_transfer_spaces.empty();
  }

  const Workload& w_;
  const Arch& arch_;
  std::vector<std::string>& warnings_;
  Constraints out_;
};

// ---- mapper ------------------------------------------------------------------------------

std::optional<Cursor> Present(const Cursor& map, std::string_view key) {
  std::optional<Cursor> c = map.Find(key);
  if (c && c->IsNull()) return std::nullopt;
  return c;
}

std::optional<int64_t> NonNegative(const Cursor& map, std::string_view key) {
  std::optional<Cursor> c = Present(map, key);
  if (!c) return std::nullopt;
  const int64_t v = c->Int();
  if (v < 0) c->Fail(std::string(key) + " must be an integer >= 0");
  return v;
}

std::vector<std::string> Metrics(const Cursor& map, std::string_view key) {
  std::vector<std::string> out;
  std::optional<Cursor> c = Present(map, key);
  if (!c) return out;
  for (const std::string& m : c->StrList()) {
    const std::string norm = NormalizeEnum(m);
    if (!norm.empty() && std::find(out.begin(), out.end(), norm) == out.end()) out.push_back(norm);
  }
  return out;
}

}  // namespace

Constraints ReadConstraints(const std::vector<Cursor>& sections, const Workload& workload, const Arch& arch,
                            std::vector<std::string>& warnings) {
  Reader reader(workload, arch, warnings);
  for (const Cursor& s : sections) reader.Section(s);
  return reader.Take();
}

MapperSpec ReadMapper(const Cursor& mapper, std::vector<std::string>& warnings) {
  MapperSpec m;
  m.given = true;
  m.loc = mapper.Loc();
  if (mapper.IsNull()) return m;
  if (!mapper.IsMap()) mapper.Fail("expected a map of mapper settings (algorithm, num_threads, ...)");
  mapper.WarnUnknownKeys({"algorithm", "num_threads", "search_size", "timeout", "victory_condition",
                          "optimization_metrics", "optimization_metric", "version", "out_prefix", "live_status",
                          "diagnostics", "log_interval", "log_oaves", "log_oaves_mappings", "log_stats",
                          "log_suboptimal", "log_all", "sync_interval", "penalize_consecutive_bypass_fails",
                          "emit_whoop_nest", "max_temporal_loops_in_a_mapping", "filter_revisits",
                          "max_permutations_per_if_visit"},
                         warnings);

  if (auto a = Present(mapper, "algorithm")) {
    m.algorithm = NormalizeEnum(a->Str());
    static constexpr std::string_view kKnown[] = {"random", "exhaustive", "hybrid", "linear_pruned", "random_pruned"};
    if (std::find(std::begin(kKnown), std::end(kKnown), m.algorithm) == std::end(kKnown))
      warnings.push_back(FormatLoc(a->Loc()) + ": unknown mapper algorithm '" + a->Str() +
                         "' (known: random, exhaustive, hybrid, linear_pruned, random_pruned)");
  }
  if (auto t = NonNegative(mapper, "num_threads")) {
    if (*t > INT_MAX) mapper.Need("num_threads").Fail("num_threads is too large");
    m.num_threads = static_cast<int>(*t);
  }
  m.search_size = NonNegative(mapper, "search_size");
  m.timeout = NonNegative(mapper, "timeout");
  m.victory_condition = NonNegative(mapper, "victory_condition");

  m.optimization_metrics = Metrics(mapper, "optimization_metrics");
  const std::vector<std::string> older = Metrics(mapper, "optimization_metric");
  if (!m.optimization_metrics.empty() && !older.empty() && older != m.optimization_metrics)
    warnings.push_back(FormatLoc(mapper.Need("optimization_metric").Loc()) +
                       ": both optimization_metrics and optimization_metric are given; merged in that order");
  for (const std::string& s : older)
    if (std::find(m.optimization_metrics.begin(), m.optimization_metrics.end(), s) == m.optimization_metrics.end())
      m.optimization_metrics.push_back(s);
  return m;
}

}  // namespace sieve::spec::yaml
