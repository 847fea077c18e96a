// Constraints and mapper loading: every accepted form on inline YAML, the
// errors (file:line: key.path: message) and warnings, and hand-read facts
// from the v0.3 and v0.4 eyeriss mapspace-search exercises (skipped when
// the reference folder is absent).
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "sieve/spec/load.hpp"

namespace sieve::spec {
namespace {

namespace fs = std::filesystem;
using Kind = FactorConstraint::Kind;

// Dimensions K P KS C (KS is multi-letter; "KSK" must read KS,K).
const std::string kProblem = R"(problem:
  shape:
    name: t
    dimensions: [K, P, KS, C]
    data_spaces:
      - name: W
        projection: [[[K]], [[C]]]
      - name: I
        projection: [[[C]], [[P]]]
      - name: O
        projection: [[[K]], [[P]], [[KS]]]
        read_write: true
  instance:
    K: 4
    P: 8
    KS: 2
    C: 2
)";

// Levels innermost first: Buf (0), inter_PE_spatial (1), DRAM (2).
const std::string kArch = R"(architecture:
  version: 0.4
  subtree:
    - name: top
      local:
        - name: DRAM[1..1]
          class: DRAM
          attributes: {width: 64, datawidth: 8}
        - name: inter_PE_spatial[1..1]
          class: dummy_storage
          attributes: {width: 1, depth: 1, datawidth: 1}
        - name: Buf[1..4]
          class: SRAM
          attributes: {depth: 64, width: 8, datawidth: 8, meshX: 4}
        - name: mac[1..4]
          class: intmac
          attributes: {meshX: 4}
)";

constexpr int K = 0, P = 1, KS = 2, C = 3;
constexpr int kBuf = 0, kInter = 1, kDram = 2;
constexpr int W = 0, I = 1, O = 2;

std::vector<InputFile> Files(const std::string& extra) {
  std::vector<InputFile> files = {{"problem.yaml", kProblem}, {"arch.yaml", kArch}};
  if (!extra.empty()) files.push_back({"cons.yaml", extra});
  return files;
}

Spec Load(const std::string& extra) { return LoadSpecFromTexts(Files(extra)); }

// Loads one directive (YAML lines after "- ", indented by 4) under
// mapspace_constraints and returns the spec.
Spec LoadOne(const std::string& directive) { return Load("mapspace_constraints:\n  - " + directive); }

FactorConstraint F(int dim, Kind kind, int64_t value) { return FactorConstraint{dim, kind, value}; }

bool Same(const std::vector<FactorConstraint>& got, const std::vector<FactorConstraint>& want) {
  if (got.size() != want.size()) return false;
  for (size_t i = 0; i < got.size(); ++i)
    if (got[i].dim != want[i].dim || got[i].kind != want[i].kind || got[i].value != want[i].value) return false;
  return true;
}

std::string Show(const std::vector<FactorConstraint>& fs) {
  std::string s;
  for (const FactorConstraint& f : fs)
    s += std::to_string(f.dim) + (f.kind == Kind::kExact ? "=" : f.kind == Kind::kMax ? "<=" : ">=") +
         std::to_string(f.value) + " ";
  return s;
}

#define EXPECT_FACTORS(got, ...) \
  EXPECT_TRUE(Same(got, std::vector<FactorConstraint>{__VA_ARGS__})) << "got: " << Show(got)

int LineOf(const std::string& text, const std::string& needle) {
  const size_t pos = text.find(needle);
  EXPECT_NE(pos, std::string::npos) << needle;
  return 1 + static_cast<int>(std::count(text.begin(), text.begin() + static_cast<long>(pos), '\n'));
}

// Expects a SpecError at cons.yaml:line: key_path whose message contains `what`.
void ExpectError(const std::string& cons, int line, const std::string& key_path, const std::string& what) {
  try {
    Load(cons);
    ADD_FAILURE() << "expected a SpecError mentioning: " << what;
  } catch (const SpecError& e) {
    const std::string msg = e.what();
    const std::string where = "cons.yaml:" + std::to_string(line) + ": " + key_path + ": ";
    EXPECT_EQ(msg.rfind(where, 0), 0u) << "message: " << msg << "\nexpected prefix: " << where;
    EXPECT_NE(msg.find(what), std::string::npos) << "message: " << msg << "\nexpected to contain: " << what;
    EXPECT_EQ(e.loc().file, "cons.yaml");
    EXPECT_EQ(e.loc().line, line);
    EXPECT_EQ(e.loc().key_path, key_path);
  }
}

bool HasWarning(const Spec& s, const std::string& part) {
  return std::any_of(s.warnings.begin(), s.warnings.end(),
                     [&](const std::string& w) { return w.find(part) != std::string::npos; });
}

std::string AllWarnings(const Spec& s) {
  std::string out;
  for (const std::string& w : s.warnings) out += w + "\n";
  return out;
}

// ---- sections --------------------------------------------------------------------

TEST(Constraints, NoneGiven) {
  Spec s = Load("");
  EXPECT_FALSE(s.constraints.any);
  EXPECT_EQ(s.constraints.levels.size(), 3u);
  EXPECT_FALSE(s.mapper.given);
}

TEST(Constraints, EmptyTargetsAreFine) {
  Spec s = Load("architecture_constraints:\n  targets: []\nmapspace_constraints:\nconstraints: []\n");
  EXPECT_FALSE(s.constraints.any);
  EXPECT_EQ(s.constraints.levels.size(), 3u);
  EXPECT_TRUE(s.warnings.empty()) << AllWarnings(s);
}

TEST(Constraints, AllSectionFormsMerge) {
  const std::string text = R"(architecture_constraints:
  targets:
    - target: Buf
      type: temporal
      factors: K1
mapspace-constraints:
  - target: DRAM
    type: temporal
    factors: P2
constraints:
  version: 0.4
  targets:
    - target: inter_PE_spatial
      type: spatial
      factors: K4
)";
  Spec s = Load(text);
  EXPECT_TRUE(s.constraints.any);
  EXPECT_TRUE(s.warnings.empty()) << AllWarnings(s);
  EXPECT_FACTORS(s.constraints.levels[kBuf].temporal_factors, F(K, Kind::kExact, 1));
  EXPECT_FACTORS(s.constraints.levels[kDram].temporal_factors, F(P, Kind::kExact, 2));
  EXPECT_FACTORS(s.constraints.levels[kInter].spatial_factors, F(K, Kind::kExact, 4));
  EXPECT_EQ(s.constraints.levels[kBuf].loc.file, "cons.yaml");
  EXPECT_EQ(s.constraints.levels[kBuf].loc.line, LineOf(text, "- target: Buf"));
  EXPECT_EQ(s.constraints.levels[kBuf].loc.key_path, "architecture_constraints.targets[0]");

  // v0.3 style: `constraints` directly a list.
  Spec v03 = Load("constraints:\n  - target: DRAM\n    type: temporal\n    factors: P2\n");
  EXPECT_FACTORS(v03.constraints.levels[kDram].temporal_factors, F(P, Kind::kExact, 2));
}

TEST(Constraints, DottedAndRangedTargets) {
  Spec s = LoadOne("target: top.Buf[1..4]\n    type: temporal\n    factors: K2\n");
  EXPECT_FACTORS(s.constraints.levels[kBuf].temporal_factors, F(K, Kind::kExact, 2));
  Spec n = LoadOne("name: DRAM\n    type: temporal\n    factors: K2\n");  // Timeloop's `name` alias
  EXPECT_FACTORS(n.constraints.levels[kDram].temporal_factors, F(K, Kind::kExact, 2));
}

// ---- factors -------------------------------------------------------------------------

TEST(Constraints, FactorForms) {
  auto temporal = [](const std::string& factors) {
    const Spec s = LoadOne("target: Buf\n    type: temporal\n    factors: " + factors + "\n");
    return s.constraints.levels[kBuf].temporal_factors;
  };
  EXPECT_FACTORS(temporal("C1 P8"), F(C, Kind::kExact, 1), F(P, Kind::kExact, 8));
  EXPECT_FACTORS(temporal("KS=1,P=1,K=16"), F(KS, Kind::kExact, 1), F(P, Kind::kExact, 1), F(K, Kind::kExact, 16));
  EXPECT_FACTORS(temporal("KS=0 P=1"), F(KS, Kind::kExact, 0), F(P, Kind::kExact, 1));
  EXPECT_FACTORS(temporal("K=4 P=1"), F(K, Kind::kExact, 4), F(P, Kind::kExact, 1));
  EXPECT_FACTORS(temporal("K<=8"), F(K, Kind::kMax, 8));
  EXPECT_FACTORS(temporal("K>=2"), F(K, Kind::kMin, 2));
  EXPECT_FACTORS(temporal("K>=2 K<=8 P=0"), F(K, Kind::kMin, 2), F(K, Kind::kMax, 8), F(P, Kind::kExact, 0));
  EXPECT_FACTORS(temporal("K <= 8, P = 2; C >= 1"), F(K, Kind::kMax, 8), F(P, Kind::kExact, 2),
                 F(C, Kind::kMin, 1));
  EXPECT_FACTORS(temporal("KS2 K4"), F(KS, Kind::kExact, 2), F(K, Kind::kExact, 4));
  EXPECT_FACTORS(temporal("[K=4, P=1]"), F(K, Kind::kExact, 4), F(P, Kind::kExact, 1));
  EXPECT_FACTORS(temporal("[K4, \"P<=2\"]"), F(K, Kind::kExact, 4), F(P, Kind::kMax, 2));
  EXPECT_FACTORS(temporal("{K: 4, P: \"<=8\", C: \">= 2\"}"), F(K, Kind::kExact, 4), F(P, Kind::kMax, 8),
                 F(C, Kind::kMin, 2));
  EXPECT_FACTORS(temporal(""), );  // null factors: nothing
}

TEST(Constraints, SpatialFactorsAreSeparate) {
  Spec s = LoadOne("target: inter_PE_spatial\n    type: spatial\n    factors: K=4 P=0\n");
  EXPECT_FACTORS(s.constraints.levels[kInter].spatial_factors, F(K, Kind::kExact, 4), F(P, Kind::kExact, 0));
  EXPECT_TRUE(s.constraints.levels[kInter].temporal_factors.empty());
}

// ---- permutations ----------------------------------------------------------------------

TEST(Constraints, PermutationForms) {
  auto order = [](const std::string& perm) {
    const Spec s = LoadOne("target: Buf\n    type: temporal\n    permutation: " + perm + "\n");
    return s.constraints.levels[kBuf].temporal_order;
  };
  OrderConstraint o = order("KP C");
  EXPECT_TRUE(o.given);
  EXPECT_EQ(o.inner, (std::vector<int>{K, P}));
  EXPECT_EQ(o.outer, (std::vector<int>{C}));
  EXPECT_EQ(o.written, (std::vector<int>{K, P, C}));

  o = order("CPKKS");  // no space: everything listed is inner
  EXPECT_EQ(o.inner, (std::vector<int>{C, P, K, KS}));
  EXPECT_TRUE(o.outer.empty());
  EXPECT_EQ(o.written, o.inner);

  o = order("KSK");  // greedy longest match
  EXPECT_EQ(o.inner, (std::vector<int>{KS, K}));

  o = order("'  KS   K '");  // extra spaces are not groups
  EXPECT_EQ(o.inner, (std::vector<int>{KS}));
  EXPECT_EQ(o.outer, (std::vector<int>{K}));

  o = order("[P, KS, K]");  // a YAML list: all inner
  EXPECT_EQ(o.inner, (std::vector<int>{P, KS, K}));
  EXPECT_TRUE(o.outer.empty());

  o = order("");
  EXPECT_FALSE(o.given);
  EXPECT_TRUE(o.written.empty());
}

TEST(Constraints, SpatialOrderAndSplit) {
  Spec s = LoadOne("target: inter_PE_spatial\n    type: spatial\n    permutation: PKS KC\n    split: 2\n");
  const LevelConstraints& lc = s.constraints.levels[kInter];
  EXPECT_EQ(lc.spatial_order.inner, (std::vector<int>{P, KS}));
  EXPECT_EQ(lc.spatial_order.outer, (std::vector<int>{K, C}));
  EXPECT_EQ(lc.spatial_order.written, (std::vector<int>{P, KS, K, C}));
  EXPECT_EQ(lc.spatial_split, 2);
  EXPECT_FALSE(lc.temporal_order.given);
  EXPECT_TRUE(s.warnings.empty()) << AllWarnings(s);
}

// ---- the other directive kinds ---------------------------------------------------------

TEST(Constraints, KeepAndBypassForms) {
  Spec s = Load(R"(mapspace_constraints:
  - target: Buf
    type: bypass
    bypass: [I, O]
    keep: [W]
  - target: DRAM
    type: datatype
    keep: O
  - target: inter_PE_spatial
    type: Bypassing
    bypass: [W, I, O]
  - target: DRAM
    type: dataspace
    keep: [W]
)");
  EXPECT_EQ(s.constraints.levels[kBuf].keep, (std::vector<int>{W}));
  EXPECT_EQ(s.constraints.levels[kBuf].bypass, (std::vector<int>{I, O}));
  EXPECT_EQ(s.constraints.levels[kDram].keep, (std::vector<int>{O, W}));
  EXPECT_TRUE(s.constraints.levels[kDram].bypass.empty());
  EXPECT_EQ(s.constraints.levels[kInter].bypass, (std::vector<int>{W, I, O}));
  EXPECT_TRUE(s.warnings.empty()) << AllWarnings(s);
}

TEST(Constraints, UtilizationMaxFactorOverbookingLinkTransfer) {
  Spec s = Load(R"(mapspace_constraints:
  - target: Buf
    type: utilization
    min: 0.5
  - target: DRAM
    type: temporal
    default-max-factor: 16
  - target: inter_PE_spatial
    type: spatial
    max_factor: 4
    no-link-transfer: [O, W]
  - target: Buf
    type: max_overbooked_proportion
    proportion: 0.25
  - target: DRAM
    type: no_link_transfer
    datatypes: [I]
  - target: Buf
    type: spatial
    no_link_transfer: true
)");
  EXPECT_EQ(s.constraints.levels[kBuf].min_spatial_utilization, 0.5);
  EXPECT_EQ(s.constraints.levels[kBuf].max_overbooked_proportion, 0.25);
  EXPECT_TRUE(s.constraints.levels[kBuf].no_link_transfer);
  EXPECT_EQ(s.constraints.levels[kBuf].no_link_transfer_spaces, (std::vector<int>{W, I, O}));
  EXPECT_EQ(s.constraints.levels[kDram].max_factor, 16);
  EXPECT_EQ(s.constraints.levels[kDram].no_link_transfer_spaces, (std::vector<int>{I}));
  EXPECT_EQ(s.constraints.levels[kInter].max_factor, 4);
  EXPECT_TRUE(s.constraints.levels[kInter].no_link_transfer);
  EXPECT_EQ(s.constraints.levels[kInter].no_link_transfer_spaces, (std::vector<int>{O, W}));
  EXPECT_FALSE(s.constraints.levels[kInter].min_spatial_utilization.has_value());
  EXPECT_TRUE(s.warnings.empty()) << AllWarnings(s);

  Spec off = LoadOne("target: Buf\n    type: temporal\n    no_link_transfer: false\n");
  EXPECT_FALSE(off.constraints.levels[kBuf].no_link_transfer);
  EXPECT_TRUE(off.constraints.any);
}

// ---- merging ---------------------------------------------------------------------------

TEST(Constraints, SameLevelAndTypeMerge) {
  const std::string text = R"(architecture_constraints:
  targets:
    - target: Buf
      type: temporal
      factors: K=1 P<=4
      permutation: KP C
    - target: Buf
      type: bypass
      bypass: [W]
mapspace_constraints:
  targets:
    - target: Buf
      type: temporal
      factors: K=1 C=2 P<=8
    - target: Buf
      type: temporal
      permutation: CKP
    - target: Buf
      type: bypass
      keep: [W]
)";
  Spec s = Load(text);
  const LevelConstraints& lc = s.constraints.levels[kBuf];
  EXPECT_FACTORS(lc.temporal_factors, F(K, Kind::kExact, 1), F(P, Kind::kMax, 8), F(C, Kind::kExact, 2));
  EXPECT_EQ(lc.temporal_order.inner, (std::vector<int>{C, K, P}));
  EXPECT_TRUE(lc.temporal_order.outer.empty());
  EXPECT_EQ(lc.keep, (std::vector<int>{W}));
  EXPECT_TRUE(lc.bypass.empty());
  EXPECT_EQ(lc.loc.line, LineOf(text, "- target: Buf"));  // the first directive
  // Only real changes warn: P<=4 -> P<=8, the permutation, and W bypassed -> kept.
  EXPECT_EQ(s.warnings.size(), 3u) << AllWarnings(s);
  EXPECT_TRUE(HasWarning(s, "cons.yaml:" + std::to_string(LineOf(text, "K=1 C=2 P<=8")) +
                                ": mapspace_constraints.targets[0].factors: Buf temporal factor P<=4 replaced by P<=8"))
      << AllWarnings(s);
  EXPECT_TRUE(HasWarning(s, "permutation 'KP C' replaced by 'CKP'")) << AllWarnings(s);
  EXPECT_TRUE(HasWarning(s, "data space 'W' at Buf now kept")) << AllWarnings(s);
}

TEST(Constraints, SplitConflictWarns) {
  Spec s = Load(R"(mapspace_constraints:
  - target: inter_PE_spatial
    type: spatial
    split: 1
  - target: inter_PE_spatial
    type: spatial
    split: 3
)");
  EXPECT_EQ(s.constraints.levels[kInter].spatial_split, 3);
  EXPECT_TRUE(HasWarning(s, "split 1 replaced by 3")) << AllWarnings(s);
}

// ---- warnings ----------------------------------------------------------------------------

TEST(Constraints, UnknownAndUnusedKeysWarn) {
  const std::string text = R"(mapspace_constraints:
  - target: Buf
    type: temporal
    split: 2
    colour: blue
    min: 0.3
  - target: Buf
    type: no_multicast
    datatypes: [W]
)";
  Spec s = Load(text);
  EXPECT_TRUE(HasWarning(s, "cons.yaml:" + std::to_string(LineOf(text, "colour")) +
                                ": mapspace_constraints[0]: unknown key 'colour' ignored"))
      << AllWarnings(s);
  EXPECT_TRUE(HasWarning(s, "mapspace_constraints[0].split: 'split' has no effect in a temporal constraint"))
      << AllWarnings(s);
  EXPECT_TRUE(HasWarning(s, "'min' has no effect in a temporal constraint")) << AllWarnings(s);
  EXPECT_TRUE(HasWarning(s, "constraint type 'no_multicast' is not supported; directive ignored")) << AllWarnings(s);
  EXPECT_FALSE(s.constraints.levels[kBuf].spatial_split.has_value());

  Spec sec = Load("architecture_constraints:\n  targets: []\n  extra: 1\n");
  EXPECT_TRUE(HasWarning(sec, "cons.yaml:3: architecture_constraints: unknown key 'extra' ignored"))
      << AllWarnings(sec);
}

// ---- errors ------------------------------------------------------------------------------

TEST(ConstraintErrors, UnknownTargetListsLevels) {
  const std::string t = "mapspace_constraints:\n  - target: SRAM\n    type: temporal\n";
  ExpectError(t, 2, "mapspace_constraints[0].target",
              "'SRAM' is not a storage level of the architecture (levels: DRAM, inter_PE_spatial, Buf)");
}

TEST(ConstraintErrors, ComputeTarget) {
  ExpectError("mapspace_constraints:\n  - target: mac\n    type: temporal\n", 2, "mapspace_constraints[0].target",
              "is the compute level");
}

TEST(ConstraintErrors, MissingTargetAndType) {
  ExpectError("mapspace_constraints:\n  - type: temporal\n", 2, "mapspace_constraints[0]",
              "missing required key 'target'");
  ExpectError("mapspace_constraints:\n  targets:\n    - target: Buf\n", 3, "mapspace_constraints.targets[0]",
              "missing required key 'type'");
}

TEST(ConstraintErrors, UnknownType) {
  ExpectError("mapspace_constraints:\n  - target: Buf\n    type: sideways\n", 3, "mapspace_constraints[0].type",
              "unknown constraint type 'sideways'");
}

TEST(ConstraintErrors, UnknownDimensionInFactors) {
  const std::string t =
      "architecture_constraints:\n  targets:\n    - target: Buf\n      type: temporal\n      factors: K=1 X=2\n";
  ExpectError(t, 5, "architecture_constraints.targets[0].factors", "unknown dimension 'X' in factors");
  // In a list, the error points at the item.
  ExpectError("constraints:\n  - target: Buf\n    type: temporal\n    factors:\n      - K=1\n      - Z<=2\n", 6,
              "constraints[0].factors[1]", "unknown dimension 'Z' in factors");
}

TEST(ConstraintErrors, MalformedFactors) {
  auto t = [](const std::string& f) {
    return "mapspace_constraints:\n  - target: Buf\n    type: temporal\n    factors: " + f + "\n";
  };
  const std::string path = "mapspace_constraints[0].factors";
  ExpectError(t("K<8"), 4, path, "strict < and > are not accepted");
  ExpectError(t("K>8"), 4, path, "strict < and > are not accepted");
  ExpectError(t("K"), 4, path, "malformed factor 'K'");
  ExpectError(t("=4"), 4, path, "malformed factor '=4'");
  ExpectError(t("K=-1"), 4, path, "must be an integer >= 0, got '-1'");
  ExpectError(t("K=4x"), 4, path, "must be an integer >= 0, got '4x'");
  ExpectError(t("K<=0"), 4, path, "bound K<=0 must be at least 1");
  ExpectError(t("K=1 K=2"), 4, path, "dimension 'K' appears twice with '=' in factors");
}

TEST(ConstraintErrors, Permutations) {
  auto t = [](const std::string& p) {
    return "mapspace_constraints:\n  - target: Buf\n    type: temporal\n    permutation: " + p + "\n";
  };
  const std::string path = "mapspace_constraints[0].permutation";
  ExpectError(t("KPZ"), 4, path, "unknown dimension at 'Z' in permutation 'KPZ'");
  ExpectError(t("KP KC"), 4, path, "dimension 'K' appears twice in permutation");
  ExpectError(t("K P C"), 4, path, "more than two space-separated groups");
  ExpectError("mapspace_constraints:\n  - target: Buf\n    type: temporal\n    permutation: [K, Q]\n", 4, path + "[1]",
              "unknown dimension at 'Q'");
}

TEST(ConstraintErrors, DataSpaces) {
  ExpectError("mapspace_constraints:\n  - target: Buf\n    type: bypass\n    keep: [W, Q]\n", 4,
              "mapspace_constraints[0].keep[1]", "unknown data space 'Q'");
  ExpectError("mapspace_constraints:\n  - target: Buf\n    type: bypass\n    bypass:\n      - Nope\n", 5,
              "mapspace_constraints[0].bypass[0]", "unknown data space 'Nope'");
  ExpectError("mapspace_constraints:\n  - target: Buf\n    type: bypass\n    keep: [W]\n    bypass: [W]\n", 2,
              "mapspace_constraints[0]", "'W' is both kept and bypassed");
  ExpectError("mapspace_constraints:\n  - target: Buf\n    type: spatial\n    no_link_transfer: [X]\n", 4,
              "mapspace_constraints[0].no_link_transfer[0]", "unknown data space 'X'");
}

TEST(ConstraintErrors, Values) {
  ExpectError("mapspace_constraints:\n  - target: Buf\n    type: spatial\n    split: -1\n", 4,
              "mapspace_constraints[0].split", "split must be an integer >= 0");
  ExpectError("mapspace_constraints:\n  - target: Buf\n    type: utilization\n    min: 1.5\n", 4,
              "mapspace_constraints[0].min", "between 0 and 1");
  ExpectError("mapspace_constraints:\n  - target: Buf\n    type: utilization\n", 2, "mapspace_constraints[0]",
              "missing required key 'min'");
  ExpectError("mapspace_constraints:\n  - target: Buf\n    type: temporal\n    max_factor: 0\n", 4,
              "mapspace_constraints[0].max_factor", "max_factor must be an integer >= 1");
}

TEST(ConstraintErrors, SectionShapes) {
  ExpectError("mapspace_constraints: 3\n", 1, "mapspace_constraints",
              "expected a list of constraint directives, or a map with 'targets'");
  ExpectError("mapspace_constraints:\n  targets: {a: 1}\n", 2, "mapspace_constraints.targets",
              "expected a list of constraint directives");
  ExpectError("mapspace_constraints:\n  - just a string\n", 2, "mapspace_constraints[0]",
              "expected a constraint directive");
}

// ---- mapper ------------------------------------------------------------------------------

TEST(Mapper, AllKeysHyphenated) {
  Spec s = Load(R"(mapper:
  optimization-metrics: [ delay, energy ]
  live-status: True
  num-threads: 4
  timeout: 200
  victory-condition: 600
  search-size: 5000
  algorithm: random-pruned
  max-permutations-per-if-visit: 16
)");
  const MapperSpec& m = s.mapper;
  EXPECT_TRUE(m.given);
  EXPECT_EQ(m.algorithm, "random_pruned");
  EXPECT_EQ(m.num_threads, 4);
  EXPECT_EQ(m.timeout, 200);
  EXPECT_EQ(m.victory_condition, 600);
  EXPECT_EQ(m.search_size, 5000);
  EXPECT_EQ(m.optimization_metrics, (std::vector<std::string>{"delay", "energy"}));
  EXPECT_EQ(m.loc.file, "cons.yaml");
  EXPECT_EQ(m.loc.line, 1);
  EXPECT_TRUE(s.warnings.empty()) << AllWarnings(s);
}

TEST(Mapper, TimeloopDumpWithNullsAndBothMetricKeys) {
  Spec s = Load(R"(mapper:
    optimization_metrics:
      - edp
    version: '0.4'
    live_status: false
    num_threads: 4
    timeout: 10000
    victory_condition: null
    algorithm: Linear-Pruned
    diagnostics: false
    out_prefix: timeloop-mapper
    optimization_metric: []
    search_size: null
    sync_interval: null
    log_interval: 1
    log_oaves: false
    log_oaves_mappings: false
    log_stats: false
    log_suboptimal: false
    penalize_consecutive_bypass_fails: false
    emit_whoop_nest: false
    max_temporal_loops_in_a_mapping: -1
    filter_revisits: false
    max_permutations_per_if_visit: 16
)");
  const MapperSpec& m = s.mapper;
  EXPECT_EQ(m.algorithm, "linear_pruned");
  EXPECT_EQ(m.optimization_metrics, (std::vector<std::string>{"edp"}));
  EXPECT_FALSE(m.victory_condition.has_value());
  EXPECT_FALSE(m.search_size.has_value());
  EXPECT_EQ(m.timeout, 10000);
  EXPECT_TRUE(s.warnings.empty()) << AllWarnings(s);
}

TEST(Mapper, MetricsMergeAndScalar) {
  Spec s = Load("mapper:\n  optimization_metrics: [delay]\n  optimization_metric: [energy, delay]\n");
  EXPECT_EQ(s.mapper.optimization_metrics, (std::vector<std::string>{"delay", "energy"}));
  EXPECT_TRUE(HasWarning(s, "both optimization_metrics and optimization_metric")) << AllWarnings(s);

  Spec one = Load("mapper:\n  optimization_metric: Energy\n");
  EXPECT_EQ(one.mapper.optimization_metrics, (std::vector<std::string>{"energy"}));
  EXPECT_TRUE(one.warnings.empty()) << AllWarnings(one);
}

TEST(Mapper, EmptyBlockAndWarnings) {
  Spec empty = Load("mapper:\n");
  EXPECT_TRUE(empty.mapper.given);
  EXPECT_TRUE(empty.mapper.algorithm.empty());
  EXPECT_FALSE(empty.mapper.num_threads.has_value());

  Spec s = Load("mapper:\n  algorithm: genetic\n  flavour: x\n");
  EXPECT_EQ(s.mapper.algorithm, "genetic");
  EXPECT_TRUE(HasWarning(s, "cons.yaml:2: mapper.algorithm: unknown mapper algorithm 'genetic'")) << AllWarnings(s);
  EXPECT_TRUE(HasWarning(s, "cons.yaml:3: mapper: unknown key 'flavour' ignored")) << AllWarnings(s);
}

TEST(Mapper, Errors) {
  ExpectError("mapper:\n  num_threads: -2\n", 2, "mapper.num_threads", "num_threads must be an integer >= 0");
  ExpectError("mapper:\n  timeout: soon\n", 2, "mapper.timeout", "expected an integer");
  ExpectError("mapper: [random]\n", 1, "mapper", "expected a map of mapper settings");
}

}  // namespace
}  // namespace sieve::spec
