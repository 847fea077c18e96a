// Mapspace and strategies on small inline designs. Every expected count is
// derived by hand in the comment next to it (ordered factorizations of a
// bound p^a over s slots: C(a+s-1, s-1); of 6 = 2*3 over s slots: s^2).
#include "search/mapspace.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <map>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "search/strategy.hpp"
#include "sieve/evaluator.hpp"
#include "sieve/spec/load.hpp"

namespace sieve::search {
namespace {

std::string Problem(const std::string& dims, const std::vector<std::string>& data_spaces, const std::string& inst) {
  std::string s = "problem:\n  shape:\n    name: p\n    dimensions: [" + dims + "]\n    data_spaces:\n";
  for (const std::string& ds : data_spaces) s += "      - " + ds + "\n";
  return s + "  instance: {" + inst + "}\n";
}
// K=4 C=6 P=2. W[K,C] I[C,P] O[K,P].
const std::string kProblem3 = Problem("K, C, P",
                                      {"{name: W, projection: [[[K]], [[C]]]}", "{name: I, projection: [[[C]], [[P]]]}",
                                       "{name: O, projection: [[[K]], [[P]]], read_write: true}"},
                                      "K: 4, C: 6, P: 2");
// K=2 C=2. W[K,C] I[C] O[K].
const std::string kProblemTiny = Problem("K, C",
                                         {"{name: W, projection: [[[K]], [[C]]]}", "{name: I, projection: [[[C]]]}",
                                          "{name: O, projection: [[[K]]], read_write: true}"},
                                         "K: 2, C: 2");
// K=4 C=6 P=2 Q=3. W[K,C] I[C,P,Q] O[K,P,Q].
const std::string kProblem4 = Problem("K, C, P, Q",
                                      {"{name: W, projection: [[[K]], [[C]]]}",
                                       "{name: I, projection: [[[C]], [[P]], [[Q]]]}",
                                       "{name: O, projection: [[[K]], [[P]], [[Q]]], read_write: true}"},
                                      "K: 4, C: 6, P: 2, Q: 3");

// A v0.4 architecture from `local` entries, outermost first.
std::string Arch(const std::vector<std::string>& locals) {
  std::string s = "architecture:\n  version: 0.4\n  subtree:\n    - name: top\n      local:\n";
  for (const std::string& l : locals) s += "        - " + l + "\n";
  return s;
}
const char* kDram = "{name: 'DRAM[1..1]', class: DRAM, attributes: {width: 64, datawidth: 8}}";
const char* kInter = "{name: 'inter_PE_spatial[1..1]', class: dummy_storage, attributes: {width: 1, depth: 1, datawidth: 1}}";
std::string Sram(const std::string& name, int depth, int mx = 1, int my = 1) {
  return "{name: '" + name + "[1.." + std::to_string(mx * my) + "]', class: SRAM, attributes: {depth: " +
         std::to_string(depth) + ", width: 8, datawidth: 8, meshX: " + std::to_string(mx) +
         ", meshY: " + std::to_string(my) + "}}";
}
std::string Mac(int mx, int my) {
  return "{name: 'mac[1.." + std::to_string(mx * my) + "]', class: intmac, attributes: {meshX: " +
         std::to_string(mx) + ", meshY: " + std::to_string(my) + "}}";
}
// Levels innermost first: Buf (0), inter_PE_spatial (1, dummy), DRAM (2).
// Fan-out at inter_PE_spatial = mesh(Buf)/mesh(inter) = MX x MY.
std::string ArchDummy(int mx, int my) { return Arch({kDram, kInter, Sram("Buf", 64, mx, my), Mac(mx, my)}); }
// Levels innermost first: RF (0), GLB (1, fan-out MX x MY), DRAM (2).
std::string ArchGlb(int mx, int my) {
  return Arch({kDram, Sram("GLB", 256), Sram("RF", 16, mx, my), Mac(mx, my)});
}

spec::Spec Load(const std::string& problem, const std::string& arch, const std::string& cons = "") {
  std::vector<spec::InputFile> files = {{"problem.yaml", problem}, {"arch.yaml", arch}};
  if (!cons.empty()) files.push_back({"cons.yaml", cons});
  return spec::LoadSpecFromTexts(files);
}

std::vector<uint32_t> Counts(const std::string& problem, const std::string& arch, const std::string& cons) {
  const Mapspace space(Load(problem, arch, cons));
  std::vector<uint32_t> out;
  for (int d = 0; d < space.num_dims(); ++d) out.push_back(space.NumFactorizations(d));
  return out;
}

// A decoded mapping with the order of bound-1 loops (temporal and spatial)
// dropped: two choices are the same mapping iff their keys are equal.
std::string Key(const spec::Mapping& m) {
  std::string k;  // factors are < 128 here: one char each
  for (const spec::LevelMapping& lm : m.levels) {
    k += 't';
    for (int64_t f : lm.temporal_factors) k += static_cast<char>(f);
    k += 'o';
    for (int d : lm.temporal_order)
      if (lm.temporal_factors[d] > 1) k += static_cast<char>('0' + d);
    k += 's';
    for (int64_t f : lm.spatial_factors) k += static_cast<char>(f);
    std::string x, y;
    for (size_t pos = 0; pos < lm.spatial_order.size(); ++pos) {
      const int d = lm.spatial_order[pos];
      if (lm.spatial_factors[d] > 1) (static_cast<int>(pos) < lm.spatial_split ? x : y) += static_cast<char>('0' + d);
    }
    k += 'x' + x + 'y' + y + 'k';
    for (bool b : lm.keep) k += b ? '1' : '0';
  }
  return k;
}

// The strategy's candidates over the space as it is (valid-first off, so
// counts are the space's own), unless `valid_first`.
std::vector<Choice> Emit(const std::string& strategy, const Mapspace& space, uint32_t chunk_size,
                        uint64_t max_candidates, uint64_t seed = 7, bool valid_first = false) {
  StrategyOptions o;
  o.valid_first = valid_first;
  o.seed = seed;
  o.chunk_size = chunk_size;
  o.orders_per_factorization = 5;
  auto s = MakeStrategy(strategy, space, o);
  std::vector<Choice> out;
  ChunkPlan plan;
  for (uint64_t c = 0; out.size() < max_candidates && s->Plan(c, plan); ++c) s->Candidates(plan, out);
  return out;
}

// Keys of every choice of the full id space, given the hand-known radices
// per level (perm: (#floating)!, y: 2^#free spatial dims) and of the bypass
// bits; also checks that their product is Size().
std::set<std::string> FullSpaceKeys(const Mapspace& space, const std::vector<uint32_t>& perm_radix,
                                    const std::vector<uint32_t>& y_radix, uint64_t keep_radix) {
  const int levels = space.num_levels();
  std::vector<uint64_t> radix(perm_radix.begin(), perm_radix.end());
  radix.insert(radix.end(), y_radix.begin(), y_radix.end());
  radix.push_back(keep_radix);
  spec::Mapping m;
  space.Prepare(m);
  std::set<std::string> keys;
  uint64_t n = 0;
  Choice c;
  do {
    std::vector<uint64_t> idx(radix.size(), 0);
    while (true) {
      for (int l = 0; l < levels; ++l) {
        c.perm[l] = static_cast<uint32_t>(idx[l]);
        c.y_mask[l] = static_cast<uint32_t>(idx[levels + l]);
      }
      c.keep_mask = idx.back();
      space.Decode(c, m);
      keys.insert(Key(m));
      ++n;
      size_t i = 0;
      while (i < idx.size() && ++idx[i] == radix[i]) idx[i++] = 0;
      if (i == idx.size()) break;
    }
  } while (space.NextFactorization(c));
  EXPECT_EQ(static_cast<double>(n), space.Size());
  return keys;
}

// Decoded keys of `choices`; `distinct` set false if two are the same mapping.
std::set<std::string> Keys(const Mapspace& space, const std::vector<Choice>& choices, bool* distinct = nullptr) {
  spec::Mapping m;
  space.Prepare(m);
  std::set<std::string> keys;
  if (distinct) *distinct = true;
  for (const Choice& c : choices) {
    space.Decode(c, m);
    if (!keys.insert(Key(m)).second && distinct) *distinct = false;
  }
  return keys;
}

// ---- (a) factorization counts ----------------------------------------------------------

TEST(MapspaceFactorizations, DummyLevelAndFanoutCap) {
  // Slots: Buf-T, inter-S (cap 4), inter-T (dummy: forced 1), DRAM-T = 3 free.
  // K=4=2^2: C(4,2) = 6.  C=6: 3^2 = 9, minus spatial 6 > 4: 8.  P=2: 3.
  EXPECT_EQ(Counts(kProblem3, ArchDummy(4, 1), ""), (std::vector<uint32_t>{6, 8, 3}));
  // 2x2 fan-out: the cap is the product 4, same counts.
  EXPECT_EQ(Counts(kProblem3, ArchDummy(2, 2), ""), (std::vector<uint32_t>{6, 8, 3}));
}

TEST(MapspaceFactorizations, FourSlots) {
  // Slots: RF-T, GLB-S (cap 4), GLB-T, DRAM-T.
  // K=4: C(5,3) = 10.  C=6: 4^2 = 16, minus GLB-S=6: 15.  P=2: 4.
  EXPECT_EQ(Counts(kProblem3, ArchGlb(4, 1), ""), (std::vector<uint32_t>{10, 15, 4}));
  // No fan-out at all (1x1 mesh): 3 temporal slots. K: C(4,2)=6, C: 9, P: 3.
  EXPECT_EQ(Counts(kProblem3, ArchGlb(1, 1), ""), (std::vector<uint32_t>{6, 9, 3}));
}

std::string Cons(const std::string& target, const std::string& type, const std::string& body) {
  return "mapspace_constraints:\n  - target: " + target + "\n    type: " + type + "\n" + body;
}

TEST(MapspaceFactorizations, FactorConstraints) {
  const std::string a = ArchGlb(4, 1);
  // RF K=2: the other 2 over GLB-S, GLB-T, DRAM-T: 3.
  EXPECT_EQ(Counts(kProblem3, a, Cons("RF", "temporal", "    factors: K=2\n"))[0], 3u);
  // DRAM K<=2: 10 minus the one with DRAM=4: 9.
  EXPECT_EQ(Counts(kProblem3, a, Cons("DRAM", "temporal", "    factors: K<=2\n"))[0], 9u);
  // GLB K>=2: GLB=2 (other 2 over 3 slots: 3) + GLB=4 (1) = 4.
  EXPECT_EQ(Counts(kProblem3, a, Cons("GLB", "temporal", "    factors: K>=2\n"))[0], 4u);
  // GLB spatial C<=2: S=1 (6 over 3 slots: 9) + S=2 (3 over 3 slots: 3) = 12.
  EXPECT_EQ(Counts(kProblem3, a, Cons("GLB", "spatial", "    factors: C<=2\n"))[1], 12u);
  // GLB spatial K=4 fixed: 1. C unaffected: 15.
  EXPECT_EQ(Counts(kProblem3, a, Cons("GLB", "spatial", "    factors: K=4\n")),
            (std::vector<uint32_t>{1, 15, 4}));
  // Remainder: RF C=2 and GLB C=0 -> GLB=3, everything else 1: exactly one.
  const std::string rem = "mapspace_constraints:\n  - target: RF\n    type: temporal\n    factors: C=2\n"
                          "  - target: GLB\n    type: temporal\n    factors: C=0\n";
  EXPECT_EQ(Counts(kProblem3, a, rem), (std::vector<uint32_t>{10, 1, 4}));
  // K=0 alone at DRAM: all of K at DRAM: 1.
  EXPECT_EQ(Counts(kProblem3, a, Cons("DRAM", "temporal", "    factors: K=0\n"))[0], 1u);
  // DRAM default_max_factor 2 with P=2 listed: K: 10 - (DRAM=4) = 9;
  // C: 15 - (DRAM=3: 2 over RF, GLB-S, GLB-T: 3) - (DRAM=6: 1) = 11; P: 1.
  EXPECT_EQ(Counts(kProblem3, a, Cons("DRAM", "temporal", "    factors: P=2\n    default_max_factor: 2\n")),
            (std::vector<uint32_t>{9, 11, 1}));
}

TEST(MapspaceFactorizations, ImpossibleConstraintsThrow) {
  const std::string a = ArchGlb(4, 1);
  EXPECT_THROW(Mapspace(Load(kProblem3, a, Cons("RF", "temporal", "    factors: K=3\n"))), spec::SpecError);
  // DRAM has no fan-out: a spatial factor > 1 there cannot be honoured.
  EXPECT_THROW(Mapspace(Load(kProblem3, a, Cons("DRAM", "spatial", "    factors: K=2\n"))), spec::SpecError);
}

// ---- (b) exhaustive = canonical count, distinct, complete -----------------------------

// Exhaustive emits `total` (0: unchecked) candidates over chunks of 7, as
// many as KnownTotal(), pairwise distinct mappings, and every mapping of the
// full id space (of the given radices and hand-derived SizeText) among them.
void ExpectExhaustive(const Mapspace& space, uint64_t total, const std::string& size,
                      const std::vector<uint32_t>& perm_radix, const std::vector<uint32_t>& y_radix,
                      uint64_t keep_radix) {
  const std::vector<Choice> all = Emit("exhaustive", space, 7, 1u << 22);
  if (total > 0) {
    EXPECT_EQ(all.size(), total);
  }
  EXPECT_EQ(MakeStrategy("exhaustive", space, {})->KnownTotal(), all.size());
  EXPECT_EQ(Emit("exhaustive", space, 1, 1u << 22).size(), all.size());  // chunk size 1
  bool distinct = false;
  const std::set<std::string> keys = Keys(space, all, &distinct);
  EXPECT_TRUE(distinct);
  EXPECT_EQ(space.SizeText(), size);
  EXPECT_EQ(FullSpaceKeys(space, perm_radix, y_radix, keep_radix), keys);
}

TEST(MapspaceExhaustive, TinyHandCount1D) {
  // Buf keeps W, bypasses I: one free bypass bit (Buf, O) -> x2.
  const std::string cons = Cons("Buf", "bypass", "    keep: [W]\n    bypass: [I]\n");
  // K, C: 2 at one of Buf, S, DRAM: 3 each. Canonical orders per
  // factorization: (#dims at Buf)! * (#dims at DRAM)!:
  //   both Buf 2, both DRAM 2, Buf/DRAM mixed 1+1, any with S: 5 x 1 -> 11. x2 = 22.
  // Full space: 9 factorizations x 2!^3 orders x 1 (1-D: X/Y fixed) x 2 = 144.
  ExpectExhaustive(Mapspace(Load(kProblemTiny, ArchDummy(2, 1), cons), false), 22, "144", {2, 2, 2}, {1, 1, 1}, 2);
}

TEST(MapspaceExhaustive, TinyHandCount2D) {
  const std::string cons = Cons("Buf", "bypass", "    keep: [W]\n    bypass: [I]\n");
  // As above, each dim with a spatial factor > 1 also picks X or Y:
  //   BB 2, DD 2, BD+DB 2, SS 1*2*2 = 4, S with B or D: 4 x 2 = 8 -> 18. x2 = 36.
  // Full space: 9 x 2!^3 x 2^2 (X/Y of K and C) x 2 = 576.
  ExpectExhaustive(Mapspace(Load(kProblemTiny, ArchDummy(2, 2), cons), false), 36, "576", {2, 2, 2}, {1, 4, 1}, 2);
}

TEST(MapspaceExhaustive, ThreeDimsHandCount) {
  // Per dim, factorizations by (Buf>1, DRAM>1), as x^b y^d:
  //   K (6): 1 + 2x + 2y + xy;  C (8): 3x + 3y + 2xy;  P (3): 1 + x + y.
  // Product: 3x 3y 20xy 9x2 9y2 27x2y 27xy2 16x2y2 6x3 6y3 7x3y 7xy3 2x3y2 2x2y3
  // (144 terms). Weighted by b!d!: 3+3+20+18+18+54+54+64+36+36+42+42+24+24 = 438.
  // Free bypass bits: Buf's W, I, O -> x8: 3504.
  // Size: 144 x 3!^3 x 8 = 248832.
  const Mapspace space(Load(kProblem3, ArchDummy(4, 1)), false);
  ExpectExhaustive(space, 3504, "248832", {6, 6, 6}, {1, 1, 1}, 8);
  EXPECT_DOUBLE_EQ(space.Size(), 248832.0);
}

TEST(MapspaceExhaustive, GivenOrderWithoutSplitSearchesTheSplit) {
  // 2x2 fan-out whose spatial order K, C is given without a split: the
  // split (0, 1 or 2 of the order on X) is searched. Canonical: as in
  // TinyHandCount2D, but a factorization with m fanning dims has m+1
  // distinct splits instead of 2^m placements: BB 2, DD 2, BD+DB 2, SS 3,
  // S with B or D 4 x 2 = 8 -> 17. x2 (bypass bit) = 34.
  // Full space: 9 x 2!^3 x 3 splits x 2 = 432.
  const std::string cons = Cons("Buf", "bypass", "    keep: [W]\n    bypass: [I]\n") +
                           "  - target: inter_PE_spatial\n    type: spatial\n    permutation: KC\n";
  ExpectExhaustive(Mapspace(Load(kProblemTiny, ArchDummy(2, 2), cons), false), 34, "432", {2, 2, 2}, {1, 3, 1}, 2);
}

TEST(MapspaceConstraints, YOnlyFanoutWithGivenOrderUsesY) {
  // A 1x4 fan-out (mesh Y only) with a spatial order and no split: every
  // spatial loop goes to Y (split 0), so a spatial factor of 4 fits.
  const std::string cons = "mapspace_constraints:\n  - target: inter_PE_spatial\n    type: spatial\n"
                           "    permutation: KC\n";
  const spec::Spec s = Load(kProblem3, ArchDummy(1, 4), cons);
  const Mapspace space(s);
  const Design design = BuildDesign(s);
  spec::Mapping m;
  space.Prepare(m);
  int valid_with_fanout = 0;
  for (const Choice& c : Emit("random", space, 64, 2000)) {
    space.Decode(c, m);
    EXPECT_EQ(m.levels[1].spatial_split, 0);
    int64_t used = 1;
    for (int64_t f : m.levels[1].spatial_factors) used *= f;
    if (used == 4 && Evaluate(design, m).valid()) ++valid_with_fanout;
  }
  EXPECT_GT(valid_with_fanout, 0);
}

// The valid-first checks may only reject what the model rejects: on random
// choices of several designs (dense and sparse, 1-D and 2-D fan-outs,
// compressed and bypassed tensors), every rejected choice is invalid, and
// most invalid ones are caught.
void ExpectValidFirstSound(const spec::Spec& s, const std::string& what) {
  SCOPED_TRACE(what);
  const Mapspace space(s);
  const Design design = BuildDesign(s);
  spec::Mapping m;
  space.Prepare(m);
  int rejected = 0, invalid = 0, caught = 0;
  for (const Choice& c : Emit("random", space, 256, 20000, 3)) {
    space.Decode(c, m);
    const Result r = Evaluate(design, m);
    const bool fits = space.Fits(c);
    if (!space.FactorizationFits(c)) {
      EXPECT_FALSE(fits) << space.IdText(c);
    }
    if (!fits) {
      ++rejected;
      EXPECT_FALSE(r.valid()) << "rejected but valid: " << space.IdText(c);
    }
    const bool by_size = r.status.code == StatusCode::kCapacityExceeded ||
                         r.status.code == StatusCode::kFanoutExceeded ||
                         r.status.code == StatusCode::kSpatialWithoutFanout;
    if (by_size) {
      ++invalid;
      caught += fits ? 0 : 1;
    }
  }
  std::printf("%s: %d of 20000 rejected; %d of %d capacity/fan-out failures caught\n", what.c_str(), rejected,
              caught, invalid);
  EXPECT_GE(caught * 10, invalid * 8);  // at least 80% (compressed tiles are not sized ahead)
}

// With valid-first on, exhaustive search produces exactly the canonical
// choices that fit, and random search only choices that fit.
TEST(MapspaceValidFirst, StrategiesProduceOnlyWhatFits) {
  const Mapspace space(Load(kProblem4, ArchGlb(2, 2)));
  size_t fitting = 0;
  for (const Choice& c : Emit("exhaustive", space, 64, 1u << 22)) fitting += space.Fits(c) ? 1 : 0;
  const std::vector<Choice> filtered = Emit("exhaustive", space, 64, 1u << 22, 7, true);
  EXPECT_EQ(filtered.size(), fitting);
  EXPECT_LT(fitting, Emit("exhaustive", space, 64, 1u << 22).size());
  for (const Choice& c : filtered) EXPECT_TRUE(space.Fits(c));
  for (const char* s : {"random", "hybrid", "local"})
    for (const Choice& c : Emit(s, space, 64, 5000, 7, true)) EXPECT_TRUE(space.Fits(c) || std::string(s) == "hybrid") << s;
}

TEST(MapspaceValidFirst, ChecksAreSound) {
  ExpectValidFirstSound(Load(kProblem3, ArchDummy(4, 1)), "1-D fan-out");
  ExpectValidFirstSound(Load(kProblem4, ArchGlb(2, 2)), "2-D fan-out");
  ExpectValidFirstSound(Load(kProblem4, ArchGlb(1, 4)), "Y-only fan-out");
  const std::string dir = SIEVE_SOURCE_DIR "/configs/default/";
  ExpectValidFirstSound(spec::LoadSpec({dir + "design.yaml", dir + "sparse.yaml", dir + "constraints.yaml"}),
                        "configs/default (sparse)");
  const std::string fe = SIEVE_SHARED_DIR "/reference/frontend/";
  for (const char* d : {"eyeriss_like", "simba_like", "sparseloop/04.2.3-eyeriss-like-onchip-compression",
                        "sparseloop/02.2.1-spMspM"}) {
    if (std::filesystem::is_directory(fe + d)) ExpectValidFirstSound(spec::LoadSpec({fe + d}), d);
  }
}

TEST(MapspaceExhaustive, FreeXYComplete) {
  // 2x2 fan-out, Buf keeps all: 144 x 3!^3 x 2^3 (X/Y) = 248832 choices.
  const std::string cons = Cons("Buf", "bypass", "    keep: [W, I, O]\n");
  ExpectExhaustive(Mapspace(Load(kProblem3, ArchDummy(2, 2), cons), false), 0, "248832", {6, 6, 6}, {1, 8, 1}, 1);
}

// Pruning is sound only if the model cannot tell equivalent choices apart:
// random choices evaluate exactly like their canonical representative.
TEST(MapspaceExhaustive, PrunedChoicesEvaluateLikeCanonical) {
  const spec::Spec s = Load(kProblem3, ArchDummy(2, 2));
  const Mapspace space(s, false);
  const Design design = BuildDesign(s);
  spec::Mapping m;
  space.Prepare(m);
  // Status, cycles and per-level scalar accesses, as text.
  auto summary = [&](const spec::Mapping& mapping) {
    const Result r = Evaluate(design, mapping);
    std::ostringstream t;
    t.precision(17);
    t << static_cast<int>(r.status.code) << " " << r.cycles;
    for (int l = 0; l < r.num_levels; ++l) t << " " << r.levels[l].scalar_accesses;
    return t.str();
  };
  std::map<std::string, std::string> canonical;
  for (const Choice& c : Emit("exhaustive", space, 64, 1u << 20)) {
    space.Decode(c, m);
    canonical[Key(m)] = summary(m);
  }
  int valid = 0;
  for (const Choice& c : Emit("random", space, 64, 20000)) {
    space.Decode(c, m);
    const auto it = canonical.find(Key(m));
    ASSERT_NE(it, canonical.end()) << space.IdText(c);
    ASSERT_EQ(summary(m), it->second) << space.IdText(c);
    valid += it->second[0] == '0' ? 1 : 0;
  }
  EXPECT_GT(valid, 1000);
}

// Reuse equivalence is sound only if the model cannot tell orders of one
// class apart: random choices evaluate exactly like their canonical
// representative (same status, cycles, energy, per-level accesses), which
// exhaustive search produces; on a 1-D, a 2-D fan-out and a sliding-window
// (conv1d) problem; and the classes are fewer than the orders.
void ExpectReuseEquivalenceSound(const spec::Spec& s, const std::string& what) {
  SCOPED_TRACE(what);
  const Mapspace space(s);
  ASSERT_TRUE(space.reuse_equivalence());
  const Design design = BuildDesign(s);
  spec::Mapping m;
  space.Prepare(m);
  auto summary = [&](const Choice& c) {
    space.Decode(c, m);
    const Result r = Evaluate(design, m);
    std::ostringstream t;
    t.precision(17);
    t << static_cast<int>(r.status.code) << " " << r.cycles << " " << r.energy_pj;
    for (int l = 0; l < r.num_levels; ++l) t << " " << r.levels[l].scalar_accesses;
    return t.str();
  };
  std::set<std::string> canonical;
  const std::vector<Choice> all = Emit("exhaustive", space, 64, 1u << 22);
  for (const Choice& c : all) canonical.insert(space.IdText(c));
  int valid = 0;
  for (const Choice& c : Emit("random", space, 64, 20000)) {
    const Choice rep = space.Canonicalize(c);
    ASSERT_TRUE(canonical.count(space.IdText(rep))) << space.IdText(c);
    const std::string a = summary(c);
    ASSERT_EQ(a, summary(rep)) << space.IdText(c) << " vs " << space.IdText(rep);
    valid += a[0] == '0' ? 1 : 0;
  }
  EXPECT_GT(valid, 100);
  const Mapspace plain(s, false);
  EXPECT_LE(all.size(), Emit("exhaustive", plain, 64, 1u << 22).size());
  std::printf("%s: %zu canonical mappings with reuse equivalence, %zu without\n", what.c_str(), all.size(),
              Emit("exhaustive", plain, 64, 1u << 22).size());
}

TEST(MapspaceExhaustive, ReuseEquivalenceIsSound) {
  ExpectReuseEquivalenceSound(Load(kProblem3, ArchDummy(4, 1)), "1-D fan-out");
  ExpectReuseEquivalenceSound(Load(kProblem4, ArchGlb(2, 2)), "2-D fan-out");
  const std::string conv1d = Problem("K, C, P, R",
                                     {"{name: W, projection: [[[K]], [[C]], [[R]]]}",
                                      "{name: I, projection: [[[C]], [[P], [R]]]}",
                                      "{name: O, projection: [[[K]], [[P]]], read_write: true}"},
                                     "K: 2, C: 2, P: 6, R: 3");
  // Here every pair of loops changes some tensor's reuse: nothing merges.
  ExpectReuseEquivalenceSound(Load(conv1d, ArchGlb(2, 1)), "conv1d sliding window");
}

// strategy.hpp: exhaustive walks the canonical mappings "in id order".
TEST(MapspaceExhaustive, InIdOrder) {
  const Mapspace space(Load(kProblem3, ArchDummy(2, 2)));
  const std::vector<Choice> all = Emit("exhaustive", space, 64, 1u << 20);
  size_t out_of_order = 0, first = 0;
  for (size_t i = 1; i < all.size(); ++i) {
    if (!ChoiceLess(all[i - 1], all[i]) && out_of_order++ == 0) first = i;
  }
  EXPECT_EQ(out_of_order, 0u) << "of " << all.size() << "; first at " << first << ": id "
                              << space.IdText(all[first - (first > 0)]) << " then " << space.IdText(all[first]);
}

TEST(MapspaceExhaustive, SkippedChunksMatchSequential) {
  const Mapspace space(Load(kProblem3, ArchDummy(4, 1)));
  StrategyOptions o;
  o.chunk_size = 7;
  auto seq = MakeStrategy("exhaustive", space, o);
  auto odd = MakeStrategy("exhaustive", space, o);
  ChunkPlan p, q;
  for (uint64_t c = 0; seq->Plan(c, p); ++c) {
    if (c % 2 == 0) continue;
    ASSERT_TRUE(odd->Plan(c, q)) << c;
    std::vector<Choice> a, b;
    seq->Candidates(p, a);
    odd->Candidates(q, b);
    ASSERT_EQ(a.size(), b.size());
    for (size_t i = 0; i < a.size(); ++i) EXPECT_FALSE(ChoiceLess(a[i], b[i]) || ChoiceLess(b[i], a[i]));
  }
}

// ---- (c) + (e) every emitted mapping honours every constraint ----------------------------

// RF (0) | GLB (1, 2x2 fan-out) | DRAM (2); dims K C P Q = 0 1 2 3.
const char* kCons4 = R"(mapspace_constraints:
  - target: RF
    type: temporal
    factors: K=2 C<=3
    permutation: KC P
  - target: GLB
    type: temporal
    factors: C>=2
    permutation: C
  - target: GLB
    type: spatial
    factors: P=1
    permutation: Q KC
    split: 1
  - target: DRAM
    type: temporal
    factors: K<=2
    permutation: P Q
  - target: RF
    type: bypass
    keep: [W]
    bypass: [I]
  - target: GLB
    type: bypass
    keep: [I]
)";

TEST(MapspaceConstraints, SizeByHand) {
  const Mapspace space(Load(kProblem4, ArchGlb(2, 2), kCons4));
  // Slots RF-T, GLB-S (cap 4), GLB-T, DRAM-T.
  // K: RF=2, DRAM<=2: the other 2 at GLB-S, GLB-T or DRAM: 3.
  // C: RF<=3, GLB-T>=2: RF=1: GT=6 (1) GT=3 (S*D=2: 2) GT=2 (S*D=3: 2); RF=2: GT=3 (1);
  //    RF=3: GT=2 (1) -> 7.
  // P: GLB-S=1: over RF, GT, DRAM: 3.   Q=3: 4 slots: 4.
  EXPECT_EQ(space.NumFactorizations(0), 3u);
  EXPECT_EQ(space.NumFactorizations(1), 7u);
  EXPECT_EQ(space.NumFactorizations(2), 3u);
  EXPECT_EQ(space.NumFactorizations(3), 4u);
  // 252 factorizations x orders (RF: Q floats 1!, GLB: K P Q 3!, DRAM: K C 2!)
  // x X/Y fixed by split x bypass bits (RF O, GLB W, GLB O) 2^3 = 24192.
  EXPECT_EQ(space.SizeText(), "24192");
  EXPECT_DOUBLE_EQ(space.Size(), 24192.0);
}

TEST(MapspaceConstraints, EveryStrategyHonoursThem) {
  const spec::Spec s = Load(kProblem4, ArchGlb(2, 2), kCons4);
  const Mapspace space(s);
  const Design design = BuildDesign(s);
  enum { K, C, P, Q };
  enum { W, I, O };
  const int64_t bounds[] = {4, 6, 2, 3};
  spec::Mapping m;
  space.Prepare(m);
  int valid = 0;
  for (const char* name : {"random", "exhaustive", "hybrid"}) {
    const std::vector<Choice> cands = Emit(name, space, 64, 3000);
    ASSERT_GE(cands.size(), 2000u) << name;  // exhaustive: the whole canonical space
    for (const Choice& c : cands) {
      space.Decode(c, m);
      SCOPED_TRACE(std::string(name) + " " + space.IdText(c));
      ASSERT_EQ(m.levels.size(), 3u);
      for (int d = 0; d < 4; ++d) {
        int64_t prod = 1;
        for (const auto& lm : m.levels) prod *= lm.temporal_factors[d] * lm.spatial_factors[d];
        EXPECT_EQ(prod, bounds[d]);
        EXPECT_LE(m.levels[1].spatial_factors[d], 4);
        EXPECT_EQ(m.levels[0].spatial_factors[d], 1);
        EXPECT_EQ(m.levels[2].spatial_factors[d], 1);
      }
      EXPECT_EQ(m.levels[0].temporal_factors[K], 2);
      EXPECT_LE(m.levels[0].temporal_factors[C], 3);
      EXPECT_GE(m.levels[1].temporal_factors[C], 2);
      EXPECT_EQ(m.levels[1].spatial_factors[P], 1);
      EXPECT_LE(m.levels[2].temporal_factors[K], 2);
      for (const auto& lm : m.levels) {
        std::vector<int> t = lm.temporal_order, sp = lm.spatial_order;
        std::sort(t.begin(), t.end());
        std::sort(sp.begin(), sp.end());
        EXPECT_EQ(t, (std::vector<int>{0, 1, 2, 3}));
        EXPECT_EQ(sp, (std::vector<int>{0, 1, 2, 3}));
      }
      // RF "KC P": K, C innermost in that order, P outermost, Q between.
      EXPECT_EQ(m.levels[0].temporal_order, (std::vector<int>{K, C, Q, P}));
      EXPECT_EQ(m.levels[1].temporal_order[0], C);  // GLB "C"
      EXPECT_EQ(m.levels[2].temporal_order[0], P);  // DRAM "P Q"
      EXPECT_EQ(m.levels[2].temporal_order[3], Q);
      // GLB spatial "Q KC" split 1: Q on X; K, C (and unlisted P) on Y.
      EXPECT_EQ(m.levels[1].spatial_split, 1);
      EXPECT_EQ(m.levels[1].spatial_order[0], Q);
      // Keep/bypass: RF keeps W, bypasses I; GLB keeps I; DRAM keeps all.
      EXPECT_TRUE(m.levels[0].keep[W]);
      EXPECT_FALSE(m.levels[0].keep[I]);
      EXPECT_TRUE(m.levels[1].keep[I]);
      EXPECT_EQ(m.levels[2].keep, (std::vector<bool>{true, true, true}));
      // (e) the evaluator accepts the shape.
      const Result r = Evaluate(design, m);
      EXPECT_NE(r.status.code, StatusCode::kMappingShape);
      valid += r.valid() ? 1 : 0;
      if (::testing::Test::HasFailure()) return;
    }
  }
  EXPECT_GT(valid, 0);
}

TEST(MapspaceConstraints, MinUtilization) {
  // 4-wide fan-out at inter_PE_spatial, at least half of it used.
  const Mapspace space(Load(kProblem3, ArchDummy(4, 1),
                            Cons("inter_PE_spatial", "utilization", "    min: 0.5\n")));
  spec::Mapping m;
  space.Prepare(m);
  int violating = 0, fine = 0;
  for (const Choice& c : Emit("exhaustive", space, 64, 1u << 20)) {
    space.Decode(c, m);
    int64_t used = 1;
    for (int64_t f : m.levels[1].spatial_factors) used *= f;
    EXPECT_EQ(space.ViolatesUtilization(m), used < 2) << used;
    (used < 2 ? violating : fine) += 1;
  }
  EXPECT_GT(violating, 0);
  EXPECT_GT(fine, 0);
}

// ---- (d) sizes beyond 64 bits -------------------------------------------------------------

// Bounds near 2^62: factoring is immediate (a prime bound has one
// factorization per slot), and a bound with too many ordered
// factorizations is refused with a message naming the dimension instead
// of enumerating for minutes.
TEST(MapspaceSize, HugeBounds) {
  const std::string prime = Problem("K", {"{name: A, projection: [[[K]]]}", "{name: Z, projection: [[[K]]], read_write: true}"},
                                    "K: 2305843009213693951");  // 2^61 - 1, prime
  const Mapspace p(Load(prime, ArchGlb(1, 1)));
  EXPECT_EQ(p.NumFactorizations(0), 3u);  // RF, GLB, DRAM temporal slots
  // 2^62 over 7 temporal slots: C(62 + 6, 6) = 109453344 > 2e7.
  const std::string pow2 = Problem("K", {"{name: A, projection: [[[K]]]}", "{name: Z, projection: [[[K]]], read_write: true}"},
                                   "K: 4611686018427387904");
  const std::string deep = Arch({kDram, Sram("L6", 64), Sram("L5", 64), Sram("L4", 64), Sram("L3", 64),
                                 Sram("L2", 64), Sram("L1", 64), Mac(1, 1)});
  try {
    Mapspace m(Load(pow2, deep));
    FAIL() << "expected a SpecError";
  } catch (const spec::SpecError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("dimension K"), std::string::npos) << what;
    EXPECT_NE(what.find("ordered factorizations"), std::string::npos) << what;
  }
  // RF-T, GLB-S (fan-out 2: factor 1 or 2), GLB-T, DRAM-T: 2^62 over the
  // three temporal slots, C(64, 2) = 2016, plus 2^61 over them with the
  // spatial 2, C(63, 2) = 1953: 3969.
  EXPECT_EQ(Mapspace(Load(pow2, ArchGlb(2, 1))).NumFactorizations(0), 3969u);
}

TEST(MapspaceSize, Beyond64Bits) {
  // 12 dims of bound 2 over Buf-T and DRAM-T: 2^12 factorizations; 12! orders
  // at each of the 2 levels; Buf's 3 bypass bits:
  // 4096 * 479001600^2 * 8 = 7518372914874286080000 (> 2^64 = 1.8e19).
  std::string inst;
  for (char c = 'A'; c <= 'L'; ++c) inst += std::string(inst.empty() ? "" : ", ") + c + ": 2";
  const std::string problem = Problem("A, B, C, D, E, F, G, H, I, J, K, L",
                                      {"{name: X, projection: [[[A]], [[B]], [[C]], [[D]], [[E]], [[F]]]}",
                                       "{name: Y, projection: [[[G]], [[H]], [[I]], [[J]], [[K]], [[L]]]}",
                                       "{name: Z, projection: [[[A]]], read_write: true}"},
                                      inst);
  const std::string arch = Arch({kDram, Sram("Buf", 64), Mac(1, 1)});
  const Mapspace space(Load(problem, arch));
  EXPECT_EQ(space.SizeText(), "7518372914874286080000");
  EXPECT_DOUBLE_EQ(space.Size(), 7518372914874286080000.0);
  EXPECT_EQ(space.NumFactorizations(0), 2u);
  EXPECT_EQ(space.NumFactorizations(11), 2u);
}


// ---- (e) mapping ids back to choices ---------------------------------------------------

bool SameChoice(const Choice& a, const Choice& b) { return !ChoiceLess(a, b) && !ChoiceLess(b, a); }

// 12 dims of bound 2 (as in Beyond64Bits) over `storage` (1 to 3) levels below DRAM.
spec::Spec TwelveDims(int storage) {
  std::string inst;
  for (char c = 'A'; c <= 'L'; ++c) inst += std::string(inst.empty() ? "" : ", ") + c + ": 2";
  const std::string problem = Problem("A, B, C, D, E, F, G, H, I, J, K, L",
                                      {"{name: X, projection: [[[A]], [[B]], [[C]], [[D]], [[E]], [[F]]]}",
                                       "{name: Y, projection: [[[G]], [[H]], [[I]], [[J]], [[K]], [[L]]]}",
                                       "{name: Z, projection: [[[A]]], read_write: true}"},
                                      inst);
  std::vector<std::string> locals = {kDram};
  const char* names[] = {"L1", "L2", "L3"};
  for (int l = storage; l >= 1; --l) locals.push_back(Sram(names[l - 1], 64));
  locals.push_back(Mac(1, 1));
  return Load(problem, Arch(locals));
}

// IdText then ParseId gives the choice back, for random choices and for
// the first and last of the space.
void ExpectIdsRoundTrip(const Mapspace& space, const std::string& what) {
  SCOPED_TRACE(what);
  std::mt19937_64 rng(11);
  auto next = [&rng](uint64_t n) { return n <= 1 ? uint64_t{0} : rng() % n; };
  for (int i = 0; i < 300; ++i) {
    Choice c;
    space.Sample(next, c);
    const std::string id = space.IdText(c);
    Choice back;
    back.fact[0] = 12345;  // overwritten
    ASSERT_TRUE(space.ParseId(id, back)) << id;
    ASSERT_TRUE(SameChoice(back, c)) << id << " came back as " << space.IdText(back);
  }
  Choice first;
  ASSERT_TRUE(space.ParseId(space.IdText(first), first));
  EXPECT_TRUE(SameChoice(first, Choice{}));
}

TEST(MapspaceIds, RoundTrip) {
  const std::string cons_split = Cons("Buf", "bypass", "    keep: [W]\n    bypass: [I]\n") +
                                 "  - target: inter_PE_spatial\n    type: spatial\n    permutation: KC\n";
  ExpectIdsRoundTrip(Mapspace(Load(kProblem3, ArchDummy(4, 1))), "1-D fan-out");
  ExpectIdsRoundTrip(Mapspace(Load(kProblem4, ArchGlb(2, 2))), "2-D fan-out, free X/Y");
  ExpectIdsRoundTrip(Mapspace(Load(kProblemTiny, ArchDummy(2, 2), cons_split)), "searched split");
  ExpectIdsRoundTrip(Mapspace(Load(kProblem4, ArchGlb(2, 2), kCons4)), "constrained");
  const std::string dir = SIEVE_SOURCE_DIR "/configs/default/";
  ExpectIdsRoundTrip(Mapspace(spec::LoadSpec({dir + "design.yaml", dir + "sparse.yaml", dir + "constraints.yaml"})),
                     "configs/default");
  // 7518372914874286080000 mappings: ids beyond 64 bits.
  const Mapspace big(TwelveDims(1));
  ExpectIdsRoundTrip(big, "ids beyond 64 bits");
  // 4^12 x 12!^4 x 2^9 (bypass bits of 3 levels x 3 tensors; about 4.5e44):
  // ids as sub-index text.
  const Mapspace huge(TwelveDims(3));
  ASSERT_GT(huge.Size(), 1e38);
  ExpectIdsRoundTrip(huge, "text ids");
}

TEST(MapspaceIds, LastIdIsSizeMinusOne) {
  // The largest id is the one with every index at its last value: size - 1.
  const Mapspace space(Load(kProblem4, ArchGlb(2, 2), kCons4));
  EXPECT_EQ(space.SizeText(), "24192");
  Choice c;
  ASSERT_TRUE(space.ParseId("24191", c));
  EXPECT_EQ(space.IdText(c), "24191");
  for (int d = 0; d < space.num_dims(); ++d) EXPECT_EQ(c.fact[d], space.NumFactorizations(d) - 1);
  EXPECT_TRUE(space.InRange(c));
  EXPECT_TRUE(space.ParseId("00042", c));  // leading zeros: still decimal
  EXPECT_EQ(space.IdText(c), "42");
  // Beyond 64 bits: the last id of TwelveDims(1) is 7518372914874286079999.
  const Mapspace big(TwelveDims(1));
  ASSERT_TRUE(big.ParseId("7518372914874286079999", c));
  EXPECT_EQ(big.IdText(c), "7518372914874286079999");
  EXPECT_FALSE(big.ParseId("7518372914874286080000", c));
}

TEST(MapspaceIds, RejectsWhatIsNoId) {
  const Mapspace space(Load(kProblem4, ArchGlb(2, 2), kCons4));  // 24192 mappings
  Choice c;
  c.fact[0] = 1;
  const Choice before = c;
  for (const char* bad : {"", "24192", "100000", "-1", "+1", " 1", "1 ", "1e3", "0x10", "12a", "1.5", "٣",
                          "340282366920938463463374607431768211456",         // 2^128
                          "99999999999999999999999999999999999999999999999",  // far beyond
                          "f0.0.0.0/p0.0.0/y0.0.0/k0"}) {
    EXPECT_FALSE(space.ParseId(bad, c)) << "'" << bad << "'";
    EXPECT_TRUE(SameChoice(c, before)) << "'" << bad << "' changed the choice";
  }
  // Text ids: the form exactly, one index per dimension or level, in range.
  const Mapspace huge(TwelveDims(3));
  Choice ok;
  const std::string good = huge.IdText(ok);
  EXPECT_EQ(good, "f0.0.0.0.0.0.0.0.0.0.0.0/p0.0.0.0/y0.0.0.0/k0");
  EXPECT_TRUE(huge.ParseId(good, c));
  for (const char* bad : {"0", "12", "f0.0.0.0.0.0.0.0.0.0.0/p0.0.0.0/y0.0.0.0/k0",    // 11 dims
                          "f0.0.0.0.0.0.0.0.0.0.0.0.0/p0.0.0.0/y0.0.0.0/k0",             // 13 dims
                          "f4.0.0.0.0.0.0.0.0.0.0.0/p0.0.0.0/y0.0.0.0/k0",               // 4 factorizations
                          "f0.0.0.0.0.0.0.0.0.0.0.0/p479001600.0.0.0/y0.0.0.0/k0",       // 12! orders
                          "f0.0.0.0.0.0.0.0.0.0.0.0/p0.0.0.0/y1.0.0.0/k0",               // no X/Y choice
                          "f0.0.0.0.0.0.0.0.0.0.0.0/p0.0.0.0/y0.0.0.0/k512",             // 9 keep bits
                          "f0.0.0.0.0.0.0.0.0.0.0.0/p0.0.0.0/y0.0.0.0/k0 ",
                          "f0.0.0.0.0.0.0.0.0.0.0.0/p0.0.0.0/y0.0.0.0/k",
                          "f0.0.0.0.0.0.0.0.0.0.0.0/p0.0.0.0/y0.0.0.0",
                          "f0..0.0.0.0.0.0.0.0.0.0/p0.0.0.0/y0.0.0.0/k0",
                          "f0.0.0.0.0.0.0.0.0.0.0.-1/p0.0.0.0/y0.0.0.0/k0"}) {
    EXPECT_FALSE(huge.ParseId(bad, c)) << "'" << bad << "'";
  }
}

}  // namespace
}  // namespace sieve::search
