// sparse_optimizations -> SparseOptimizations.
//
// targets: [{name, representation_format: {data_spaces: [{name, ranks:
// [{format, flattened_rankIDs, payload_word_bits, metadata_word_bits}],
// rank_application_order}]}, action_optimization: [...],
// compute_optimization: [...]}]. Hyphenated keys (v0.3) are accepted.
// An action optimization is {type, options: [{target, condition_on}]} or,
// in the short form, {type, target, condition_on}; each option becomes one
// ActionOptimization. Formats are upper-cased, types lower-cased with
// underscores. Errors: unknown format or type, unknown data space or
// dimension, target that is not a level of the architecture.
#include <algorithm>
#include <cctype>
#include <iterator>
#include <string_view>

#include "spec/yaml_node.hpp"

namespace sieve::spec::yaml {
namespace {

constexpr std::string_view kFormats[] = {"B", "CP", "UOP", "RLE", "UB"};
constexpr std::string_view kActionTypes[] = {"gating", "skipping", "skipping_spatial", "position_skipping"};
constexpr std::string_view kComputeTypes[] = {"gating", "skipping"};

template <size_t N>
bool OneOf(const std::string& value, const std::string_view (&options)[N]) {
  return std::find(std::begin(options), std::end(options), value) != std::end(options);
}

std::string Upper(std::string s) {
  for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

std::string DataSpaceName(const Cursor& c, const Workload& w) {
  const std::string name = c.Str();
  if (w.DataSpaceIndex(name) < 0) c.Fail("unknown data space '" + name + "' (not in the problem)");
  return name;
}

std::vector<std::string> DimGroup(const Cursor& c, const Workload& w) {
  std::vector<std::string> out;
  for (const std::string& n : c.StrList()) {
    if (w.DimIndex(n) < 0) c.Fail("unknown dimension '" + n + "' in flattened_rankIDs");
    out.push_back(n);
  }
  return out;
}

RankFormat ReadRank(const Cursor& c, const Workload& w, std::vector<std::string>& warnings) {
  c.WarnUnknownKeys({"format", "flattened_rankIDs", "payload_word_bits", "metadata_word_bits"}, warnings);
  RankFormat r;
  r.loc = c.Loc();
  const Cursor fc = c.Need("format");
  r.format = Upper(NormalizeEnum(fc.Str()));
  if (!OneOf(r.format, kFormats)) fc.Fail("unknown rank format '" + fc.Str() + "': expected B, CP, UOP, RLE or UB");
  if (auto fl = c.Find("flattened_rankIDs")) {
    // [[R, S], [C]] is a list of groups; a flat [R, S] is one group.
    const std::vector<Cursor> items = fl->Items();
    bool nested = !items.empty() && items[0].IsSeq();
    if (nested) {
      for (const Cursor& g : items) r.flattened_rank_ids.push_back(DimGroup(g, w));
    } else if (!items.empty()) {
      r.flattened_rank_ids.push_back(DimGroup(*fl, w));
    }
  }
  auto bits = [](const Cursor& b) {
    const int64_t v = b.Int();
    if (v < 0) b.Fail("word bits must be >= 0");
    return static_cast<int>(v);
  };
  // The reference tool translates a fixed list of hyphenated keywords, and
  // `payload-word-bits` is not on it: written that way, the payload bits
  // silently take the level default. sieve reads the file as the reference
  // does (so results compare one to one) and says so.
  for (const auto& [key, value] : c.Entries()) {
    if (key == "payload-word-bits") {
      warnings.push_back(FormatLoc(value.Loc()) +
                         ": 'payload-word-bits' is ignored, as by Timeloop (it only reads "
                         "payload_word_bits); the level's metadata_datawidth applies");
    } else if (key == "payload_word_bits" && !value.IsNull()) {
      r.payload_word_bits = bits(value);
    }
  }
  if (auto b = c.Find("metadata_word_bits"); b && !b->IsNull()) r.metadata_word_bits = bits(*b);
  return r;
}

DataSpaceFormat ReadFormat(const Cursor& c, const Workload& w, std::vector<std::string>& warnings) {
  c.WarnUnknownKeys({"name", "ranks", "rank_application_order"}, warnings);
  DataSpaceFormat f;
  f.loc = c.Loc();
  f.data_space = DataSpaceName(c.Need("name"), w);
  for (const Cursor& r : c.Need("ranks").Items()) f.ranks.push_back(ReadRank(r, w, warnings));
  if (auto o = c.Find("rank_application_order"); o && !o->IsNull()) {
    const std::string order = NormalizeEnum(o->Str());
    if (order == "inner_to_outer") {
      f.rank_application_order = order;
    } else if (order != "outer_to_inner") {
      o->Fail("rank_application_order must be outer_to_inner or inner_to_outer, got '" + o->Str() + "'");
    }
  }
  return f;
}

void ReadActions(const Cursor& list, const Workload& w, std::vector<ActionOptimization>& out,
                 std::vector<std::string>& warnings) {
  for (const Cursor& a : list.Items()) {
    a.WarnUnknownKeys({"type", "options", "target", "condition_on"}, warnings);
    const Cursor tc = a.Need("type");
    const std::string type = NormalizeEnum(tc.Str());
    if (!OneOf(type, kActionTypes))
      tc.Fail("unknown action optimization type '" + tc.Str() + "': expected gating, skipping, skipping_spatial or position_skipping");
    std::vector<Cursor> options;
    if (auto opts = a.Find("options")) {
      options = opts->Items();
    } else {
      options.push_back(a);  // short form: target/condition_on inline
    }
    for (const Cursor& o : options) {
      if (&o.node() != &a.node()) o.WarnUnknownKeys({"target", "condition_on"}, warnings);
      ActionOptimization act;
      act.type = type;
      act.loc = o.Loc();
      act.target = DataSpaceName(o.Need("target"), w);
      const Cursor cond = o.Need("condition_on");
      const std::vector<Cursor> items = cond.IsScalar() ? std::vector<Cursor>{cond} : cond.Items();
      for (const Cursor& ci : items) act.condition_on.push_back(DataSpaceName(ci, w));
      out.push_back(std::move(act));
    }
  }
}

}  // namespace

SparseOptimizations ReadSparse(const Cursor& sparse, const Workload& w, const Arch& arch,
                               std::vector<std::string>& warnings) {
  SparseOptimizations out;
  if (sparse.IsNull()) return out;
  sparse.WarnUnknownKeys({"version", "targets"}, warnings);
  const std::optional<Cursor> targets = sparse.Find("targets");
  if (!targets) return out;
  for (const Cursor& t : targets->Items()) {
    t.WarnUnknownKeys({"name", "representation_format", "action_optimization", "compute_optimization"}, warnings);
    SparseTarget st;
    st.loc = t.Loc();
    const Cursor nc = t.Need("name");
    st.level = ShortComponentName(nc.Str());
    if (arch.LevelIndex(st.level) < 0 && st.level != arch.compute.name)
      nc.Fail("sparse optimization target '" + st.level + "' is not a level of the architecture");
    if (auto rf = t.Find("representation_format")) {
      rf->WarnUnknownKeys({"data_spaces"}, warnings);
      if (auto dss = rf->Find("data_spaces"))
        for (const Cursor& d : dss->Items()) st.formats.push_back(ReadFormat(d, w, warnings));
    }
    if (auto ao = t.Find("action_optimization")) ReadActions(*ao, w, st.actions, warnings);
    if (auto co = t.Find("compute_optimization")) {
      for (const Cursor& c : co->Items()) {
        const Cursor tc = c.IsScalar() ? c : c.Need("type");
        if (!c.IsScalar()) c.WarnUnknownKeys({"type"}, warnings);
        ComputeOptimization opt;
        opt.loc = c.Loc();
        opt.type = NormalizeEnum(tc.Str());
        if (!OneOf(opt.type, kComputeTypes))
          tc.Fail("unknown compute optimization type '" + tc.Str() + "': expected gating or skipping");
        st.compute.push_back(std::move(opt));
      }
    }
    out.targets.push_back(std::move(st));
  }
  return out;
}

}  // namespace sieve::spec::yaml
