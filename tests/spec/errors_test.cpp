// Error tests: each kind of bad input must raise SpecError whose message
// names the file, the line and the key path, and says what was expected.
// All inputs are inline YAML (three "files": problem, arch, map).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "sieve/spec/load.hpp"

namespace sieve::spec {
namespace {

const std::string kProblem = R"(problem:
  shape:
    name: t
    dimensions: [K, P]
    coefficients:
      - name: Wstride
        default: 1
    data_spaces:
      - name: W
        projection: [[[K]]]
      - name: O
        projection: [[[P]]]
        read_write: true
  instance:
    K: 4
    P: 8
)";

const std::string kArch = R"(architecture:
  version: 0.4
  subtree:
    - name: top
      local:
        - name: DRAM[1..1]
          class: DRAM
          attributes:
            width: 64
            datawidth: 8
        - name: Buf[1..4]
          class: SRAM
          attributes:
            depth: 64
            width: 8
            datawidth: 8
            meshX: 4
        - name: mac[1..4]
          class: intmac
          attributes:
            meshX: 4
)";

const std::string kMap = R"(mapping:
  - target: DRAM
    type: spatial
    factors: K4 P1
  - target: Buf
    type: temporal
    factors: P8
    permutation: PK
  - target: Buf
    type: datatype
    keep: [W, O]
)";

const std::string kSparse = R"(sparse_optimizations:
  targets:
    - name: Buf
      representation_format:
        data_spaces:
          - name: W
            ranks:
              - format: CP
      action_optimization:
        - type: skipping
          options:
            - target: O
              condition_on: [W]
)";

struct Texts {
  std::string problem = kProblem;
  std::string arch = kArch;
  std::string map = kMap;
  std::string sparse;
};

std::vector<InputFile> Files(const Texts& t) {
  std::vector<InputFile> files;
  if (!t.problem.empty()) files.push_back({"problem.yaml", t.problem});
  if (!t.arch.empty()) files.push_back({"arch.yaml", t.arch});
  if (!t.map.empty()) files.push_back({"map.yaml", t.map});
  if (!t.sparse.empty()) files.push_back({"sparse.yaml", t.sparse});
  return files;
}

// Replaces the one occurrence of `from` (the test fails if it is absent).
std::string Edit(std::string text, const std::string& from, const std::string& to) {
  const size_t pos = text.find(from);
  EXPECT_NE(pos, std::string::npos) << "fixture text lacks: " << from;
  if (pos != std::string::npos) text.replace(pos, from.size(), to);
  return text;
}

// 1-based line of the first occurrence of `needle`.
int LineOf(const std::string& text, const std::string& needle) {
  const size_t pos = text.find(needle);
  EXPECT_NE(pos, std::string::npos) << needle;
  int line = 1;
  for (size_t i = 0; i < pos && i < text.size(); ++i)
    if (text[i] == '\n') ++line;
  return line;
}

// Loads and expects a SpecError at file:line: key_path containing `what`.
void ExpectError(const Texts& t, const std::string& file, int line, const std::string& key_path,
                 const std::string& what) {
  try {
    LoadSpecFromTexts(Files(t));
    ADD_FAILURE() << "expected a SpecError mentioning: " << what;
  } catch (const SpecError& e) {
    const std::string msg = e.what();
    std::string where = file;
    if (line > 0) where += ":" + std::to_string(line);
    if (!key_path.empty()) where += ": " + key_path;
    EXPECT_EQ(msg.rfind(where + ": ", 0), 0u) << "message: " << msg << "\nexpected prefix: " << where;
    EXPECT_NE(msg.find(what), std::string::npos) << "message: " << msg << "\nexpected to contain: " << what;
    EXPECT_EQ(e.loc().file, file);
    EXPECT_EQ(e.loc().line, line);
    EXPECT_EQ(e.loc().key_path, key_path);
  }
}

TEST(SpecErrors, BaseFixtureLoads) {
  Texts t;
  t.sparse = kSparse;
  Spec s = LoadSpecFromTexts(Files(t));
  EXPECT_EQ(s.arch.levels.size(), 2u);
  EXPECT_TRUE(s.warnings.empty());
}

// ---- text -------------------------------------------------------------------------

TEST(SpecErrors, InvalidUtf8InAKey) {
  Texts t;
  t.arch = Edit(kArch, "            depth: 64", "            dep\xFFth: 64");
  ExpectError(t, "arch.yaml", LineOf(t.arch, "dep\xFFth"), "", "invalid UTF-8 (byte 0xFF)");
  // A truncated sequence (a lead byte of 3 with one continuation).
  t.arch = Edit(kArch, "            depth: 64", "            depth: 64 # \xE2\x82");
  ExpectError(t, "arch.yaml", LineOf(t.arch, "# \xE2"), "", "invalid UTF-8 (byte 0xE2)");
  // Valid UTF-8 anywhere is fine.
  t.arch = Edit(kArch, "            depth: 64", "            depth: 64  # 64 entries \xE2\x80\x94 one tile");
  EXPECT_NO_THROW(LoadSpecFromTexts(Files(t)));
}

TEST(SpecErrors, NestingTooDeep) {
  Texts t;
  t.map = kMap + "extra: " + std::string(100, '[') + std::string(100, ']') + "\n";
  ExpectError(t, "map.yaml", LineOf(t.map, "extra:"), "", "nested more than 64 levels deep");
  // Brackets inside quotes and comments do not count.
  t.map = kMap + "note: \"" + std::string(100, '[') + "\"  # " + std::string(100, '{') + "\n";
  EXPECT_NO_THROW(LoadSpecFromTexts(Files(t)));
}

// ---- mapping ------------------------------------------------------------------

TEST(SpecErrors, UnknownDimensionInFactors) {
  Texts t;
  t.map = Edit(kMap, "factors: P8", "factors: P8 X2");
  ExpectError(t, "map.yaml", LineOf(t.map, "P8 X2"), "mapping[1].factors", "unknown dimension 'X' in factors");
}

TEST(SpecErrors, MalformedFactor) {
  Texts t;
  t.map = Edit(kMap, "factors: P8", "factors: P8 K");
  ExpectError(t, "map.yaml", LineOf(t.map, "P8 K"), "mapping[1].factors", "expected DIM=N or DIMN");
}

TEST(SpecErrors, UnknownDimensionInPermutation) {
  Texts t;
  t.map = Edit(kMap, "permutation: PK", "permutation: PKZ");
  ExpectError(t, "map.yaml", LineOf(t.map, "PKZ"), "mapping[1].permutation", "unknown dimension at 'Z'");
}

TEST(SpecErrors, MappingTargetNotALevel) {
  Texts t;
  t.map = Edit(kMap, "target: DRAM", "target: SRAM");
  ExpectError(t, "map.yaml", LineOf(t.map, "target: SRAM"), "mapping[0].target",
              "'SRAM' is not a storage level of the architecture (levels: DRAM, Buf)");
}

TEST(SpecErrors, MappingTargetIsCompute) {
  Texts t;
  t.map = Edit(kMap, "target: DRAM", "target: mac");
  ExpectError(t, "map.yaml", LineOf(t.map, "target: mac"), "mapping[0].target", "is the compute level");
}

TEST(SpecErrors, UnknownDirectiveType) {
  Texts t;
  t.map = Edit(kMap, "type: spatial", "type: sideways");
  ExpectError(t, "map.yaml", LineOf(t.map, "sideways"), "mapping[0].type",
              "expected temporal, spatial, datatype or bypass");
}

TEST(SpecErrors, FactorsDoNotMultiplyToBound) {
  Texts t;
  t.map = Edit(kMap, "factors: P8", "factors: P4");
  ExpectError(t, "map.yaml", LineOf(t.map, "P4"), "mapping[1].factors",
              "factors of dimension 'P' multiply to 4 across all levels (temporal x spatial) but its bound is 8");
}

TEST(SpecErrors, SpatialFactorsCountTowardsTheBound) {
  Texts t;
  t.map = Edit(kMap, "factors: K4 P1", "factors: K2 P1");
  ExpectError(t, "map.yaml", LineOf(t.map, "K2 P1"), "mapping[0].factors",
              "dimension 'K' multiply to 2 across all levels (temporal x spatial) but its bound is 4");
}

TEST(SpecErrors, TwoZeroFactorsForOneDimension) {
  Texts t;
  t.map = Edit(Edit(kMap, "factors: K4 P1", "factors: K0 P1"), "factors: P8", "factors: P8 K0");
  // Buf (inner) is visited first, so the DRAM directive holds the second 0.
  ExpectError(t, "map.yaml", LineOf(t.map, "K0 P1"), "mapping[0].factors", "more than one factor 0");
}

TEST(SpecErrors, ZeroFactorThatDoesNotDivide) {
  Texts t;
  t.map = Edit(kMap, "factors: P8", "factors: P0 K4");
  t.map = Edit(t.map, "factors: K4 P1", "factors: K1 P3");
  // Reported at the outermost directive that sets a factor of P.
  ExpectError(t, "map.yaml", LineOf(t.map, "K1 P3"), "mapping[0].factors",
              "dimension 'P' multiply to 3, which does not divide its bound 8");
}

TEST(SpecErrors, KeepNamesUnknownDataSpace) {
  Texts t;
  t.map = Edit(kMap, "keep: [W, O]", "keep: [W, Q]");
  ExpectError(t, "map.yaml", LineOf(t.map, "keep: [W, Q]"), "mapping[2].keep[1]", "unknown data space 'Q'");
}

TEST(SpecErrors, BypassNamesUnknownDataSpace) {
  Texts t;
  t.map = Edit(kMap, "keep: [W, O]", "bypass:\n      - Nope");
  ExpectError(t, "map.yaml", LineOf(t.map, "- Nope"), "mapping[2].bypass[0]", "unknown data space 'Nope'");
}

TEST(SpecErrors, KeptAndBypassed) {
  Texts t;
  t.map = Edit(kMap, "keep: [W, O]", "keep: [W, O]\n    bypass: [O]");
  ExpectError(t, "map.yaml", LineOf(t.map, "- target: Buf\n    type: datatype"), "mapping[2]",
              "'O' is both kept and bypassed");
}

TEST(SpecErrors, DuplicateTemporalDirective) {
  Texts t;
  t.map = kMap + "  - target: Buf\n    type: temporal\n    factors: P8\n";
  ExpectError(t, "map.yaml", 12, "mapping[3]", "second temporal directive for level 'Buf'");
}

// ---- missing sections and YAML syntax -----------------------------------------

TEST(SpecErrors, MissingArchitecture) {
  Texts t;
  t.arch.clear();
  ExpectError(t, "problem.yaml, map.yaml", 0, "architecture", "missing required section 'architecture'");
}

TEST(SpecErrors, MissingProblem) {
  Texts t;
  t.problem.clear();
  ExpectError(t, "arch.yaml, map.yaml", 0, "problem", "missing required section 'problem'");
}

TEST(SpecErrors, MissingRequiredKey) {
  Texts t;
  t.problem = Edit(kProblem, "        projection: [[[P]]]\n", "");
  ExpectError(t, "problem.yaml", LineOf(t.problem, "- name: O"), "problem.shape.data_spaces[1]",
              "missing required key 'projection'");
}

TEST(SpecErrors, YamlSyntaxError) {
  Texts t;
  t.map = "mapping:\n  - target: Buf\n    type: temporal\n   factors: P8\n";
  ExpectError(t, "map.yaml", 4, "", "YAML syntax error");
}

TEST(SpecErrors, TopLevelNotAMap) {
  Texts t;
  t.map = "- just\n- a list\n";
  ExpectError(t, "map.yaml", 1, "", "expected a map of sections");
}

// ---- architecture -------------------------------------------------------------

const std::string kBufAttrs = "architecture.subtree[0].local[1].attributes";

TEST(SpecErrors, NegativeDepth) {
  Texts t;
  t.arch = Edit(kArch, "depth: 64", "depth: -3");
  ExpectError(t, "arch.yaml", LineOf(t.arch, "depth: -3"), kBufAttrs + ".depth", "must be an integer >= 0, got -3");
}

TEST(SpecErrors, NonPositiveInstances) {
  Texts t;
  t.arch = Edit(kArch, "depth: 64", "depth: 64\n            instances: 0");
  ExpectError(t, "arch.yaml", LineOf(t.arch, "instances: 0"), kBufAttrs + ".instances",
              "must be a positive integer, got 0");
}

TEST(SpecErrors, MalformedDepthValue) {
  Texts t;
  t.arch = Edit(kArch, "depth: 64", "depth: must_specify");
  ExpectError(t, "arch.yaml", LineOf(t.arch, "must_specify"), kBufAttrs + ".depth",
              "expected an integer, got 'must_specify'");
}

TEST(SpecErrors, MeshDoesNotDivideInstances) {
  Texts t;
  t.arch = Edit(kArch, "            meshX: 4\n        - name: mac", "            meshX: 3\n        - name: mac");
  ExpectError(t, "arch.yaml", LineOf(t.arch, "meshX: 3"), kBufAttrs + ".meshX", "does not divide the 4 instances");
}

TEST(SpecErrors, UnknownClass) {
  Texts t;
  t.arch = Edit(kArch, "class: SRAM", "class: teapot");
  ExpectError(t, "arch.yaml", LineOf(t.arch, "teapot"), "architecture.subtree[0].local[1].class",
              "unknown class 'teapot': expected a storage class");
}

TEST(SpecErrors, MalformedRange) {
  Texts t;
  t.arch = Edit(kArch, "Buf[1..4]", "Buf[4..1]");
  ExpectError(t, "arch.yaml", LineOf(t.arch, "Buf[4..1]"), "architecture.subtree[0].local[1].name", "empty range");
}

TEST(SpecErrors, ComputeMustBeInnermost) {
  Texts t;
  const std::string mac = "        - name: mac[1..4]\n          class: intmac\n          attributes:\n            meshX: 4\n";
  t.arch = Edit(kArch, mac, "");
  t.arch = Edit(t.arch, "        - name: Buf[1..4]", mac + "        - name: Buf[1..4]");
  ExpectError(t, "arch.yaml", LineOf(t.arch, "- name: Buf"), "architecture.subtree[0].local[2]",
              "listed after the compute level 'mac'");
}

TEST(SpecErrors, NoCompute) {
  Texts t;
  t.arch = Edit(kArch, "class: intmac", "class: regfile");
  ExpectError(t, "arch.yaml", 1, "architecture", "no compute (arithmetic) component");
}

TEST(SpecErrors, TooManyStorageLevels) {
  Texts t;
  std::string levels;
  for (int i = 0; i < 17; ++i) levels += "        - {name: L" + std::to_string(i) + ", class: SRAM}\n";
  t.arch = Edit(kArch, "        - name: Buf[1..4]", levels + "        - name: Buf[1..4]");
  t.map.clear();
  ExpectError(t, "arch.yaml", 1, "architecture", "at most 16 are supported");
}

// ---- problem --------------------------------------------------------------------

TEST(SpecErrors, NonPositiveBound) {
  Texts t;
  t.problem = Edit(kProblem, "P: 8", "P: 0");
  ExpectError(t, "problem.yaml", LineOf(t.problem, "P: 0"), "problem.instance.P",
              "bound of dimension 'P' must be a positive integer");
}

TEST(SpecErrors, ProjectionUnknownDimension) {
  Texts t;
  t.problem = Edit(kProblem, "projection: [[[K]]]", "projection: [[[Z]]]");
  ExpectError(t, "problem.yaml", LineOf(t.problem, "[[[Z]]]"), "problem.shape.data_spaces[0].projection[0][0]",
              "malformed projection: unknown dimension 'Z'");
}

TEST(SpecErrors, ProjectionTermTooLong) {
  Texts t;
  t.problem = Edit(kProblem, "projection: [[[K]]]", "projection: [[[K, P, Wstride]]]");
  ExpectError(t, "problem.yaml", LineOf(t.problem, "[[[K, P"), "problem.shape.data_spaces[0].projection[0][0]",
              "expected [DIM] or [DIM, COEFFICIENT]");
}

TEST(SpecErrors, ProjectionTwoDimensionsInATerm) {
  Texts t;
  t.problem = Edit(kProblem, "projection: [[[K]]]", "projection: [[[K, P]]]");
  ExpectError(t, "problem.yaml", LineOf(t.problem, "[[[K, P]]]"), "problem.shape.data_spaces[0].projection[0][0]",
              "a term is one dimension times one coefficient");
}

TEST(SpecErrors, ProjectionNotAList) {
  Texts t;
  t.problem = Edit(kProblem, "projection: [[[K]]]", "projection: {K: 1}");
  ExpectError(t, "problem.yaml", LineOf(t.problem, "{K: 1}"), "problem.shape.data_spaces[0].projection",
              "expected a list of ranks");
}

TEST(SpecErrors, CoefficientWithoutValue) {
  Texts t;
  t.problem = Edit(Edit(kProblem, "        default: 1\n", ""), "projection: [[[K]]]", "projection: [[[K, Wstride]]]");
  ExpectError(t, "problem.yaml", LineOf(t.problem, "Wstride]]]"), "problem.shape.data_spaces[0].projection[0][0]",
              "coefficient 'Wstride' has no default");
}

TEST(SpecErrors, DensityForUnknownDataSpace) {
  Texts t;
  t.problem = Edit(kProblem, "    P: 8\n", "    P: 8\n    densities:\n      Q: 0.5\n");
  ExpectError(t, "problem.yaml", LineOf(t.problem, "Q: 0.5"), "problem.instance.densities.Q",
              "unknown data space 'Q'");
}

TEST(SpecErrors, DensityOutOfRange) {
  Texts t;
  t.problem = Edit(kProblem, "    P: 8\n", "    P: 8\n    densities:\n      W: 1.5\n");
  ExpectError(t, "problem.yaml", LineOf(t.problem, "W: 1.5"), "problem.instance.densities.W",
              "density must be between 0 and 1");
}

TEST(SpecErrors, TooManyDimensions) {
  Texts t;
  t.problem = Edit(kProblem, "dimensions: [K, P]", "dimensions: [K, P, A, B, C, D, E, F, G, H, I, J, L]");
  t.map.clear();
  ExpectError(t, "problem.yaml", LineOf(t.problem, "dimensions:"), "problem.shape.dimensions",
              "13 dimensions; at most 12");
}

TEST(SpecErrors, TooManyDataSpaces) {
  Texts t;
  std::string extra;
  for (int i = 0; i < 7; ++i) extra += "      - {name: X" + std::to_string(i) + ", projection: [[[K]]]}\n";
  t.problem = Edit(kProblem, "  instance:", extra + "  instance:");
  t.map.clear();
  ExpectError(t, "problem.yaml", LineOf(t.problem, "data_spaces:"), "problem.shape.data_spaces",
              "9 data spaces; at most 8");
}

TEST(SpecErrors, TooManyRanks) {
  Texts t;
  t.problem = Edit(kProblem, "projection: [[[K]]]", "projection: [[[K]], [[P]], [[K]], [[P]], [[K]], [[P]], [[K]], [[P]], [[K]]]");
  ExpectError(t, "problem.yaml", LineOf(t.problem, "[[[K]], [[P]]"), "problem.shape.data_spaces[0].projection",
              "9 ranks; at most 8");
}

// ---- sparse optimizations -----------------------------------------------------------

TEST(SpecErrors, SparseUnknownFormat) {
  Texts t;
  t.sparse = Edit(kSparse, "format: CP", "format: CSR");
  ExpectError(t, "sparse.yaml", LineOf(t.sparse, "CSR"),
              "sparse_optimizations.targets[0].representation_format.data_spaces[0].ranks[0].format",
              "unknown rank format 'CSR': expected B, CP, UOP, RLE or UB");
}

TEST(SpecErrors, SparseUnknownDataSpace) {
  Texts t;
  t.sparse = Edit(kSparse, "condition_on: [W]", "condition_on: [Z]");
  ExpectError(t, "sparse.yaml", LineOf(t.sparse, "[Z]"),
              "sparse_optimizations.targets[0].action_optimization[0].options[0].condition_on[0]",
              "unknown data space 'Z' (not in the problem)");
}

TEST(SpecErrors, SparseTargetNotALevel) {
  Texts t;
  t.sparse = Edit(kSparse, "name: Buf", "name: Cache");
  ExpectError(t, "sparse.yaml", LineOf(t.sparse, "Cache"), "sparse_optimizations.targets[0].name",
              "'Cache' is not a level of the architecture");
}

TEST(SpecErrors, SparseUnknownActionType) {
  Texts t;
  t.sparse = Edit(kSparse, "type: skipping", "type: hopping");
  ExpectError(t, "sparse.yaml", LineOf(t.sparse, "hopping"),
              "sparse_optimizations.targets[0].action_optimization[0].type", "unknown action optimization type");
}

// ---- tables ---------------------------------------------------------------------------

TEST(SpecErrors, ErtEnergyNotANumber) {
  Texts t;
  t.sparse = "ERT:\n  tables:\n    - name: top.Buf[1..4]\n      actions:\n        - {name: read, energy: lots}\n";
  ExpectError(t, "sparse.yaml", 5, "ERT.tables[0].actions[0].energy", "expected a number, got 'lots'");
}

}  // namespace
}  // namespace sieve::spec
