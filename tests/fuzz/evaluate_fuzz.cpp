// libFuzzer target: Evaluate on mappings built from the fuzzer's bytes.
//
// The bytes choose one of the bundled designs (configs/), then, per problem
// dimension, which level and which of temporal/spatial each prime factor of
// the bound goes to, every level's loop orders, its X/Y split and which data
// spaces the inner levels keep. Every mapping is well formed (factors
// multiply to the bounds, orders are permutations): the contract under test
// is Evaluate's, which never throws, never crashes and never reads state
// left from an earlier call. So each mapping is evaluated twice, with a
// Scratch reused across inputs and with a fresh one, and the two results
// must be identical; a valid result must have finite, non-negative energy.
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "sieve/design.hpp"
#include "sieve/evaluator.hpp"
#include "sieve/spec/load.hpp"

namespace {

struct Bytes {
  const uint8_t* data;
  size_t size;
  size_t at = 0;
  unsigned Next() { return at < size ? data[at++] : 0u; }
  unsigned Below(unsigned n) { return n <= 1 ? 0u : Next() % n; }
};

struct Loaded {
  sieve::Design design;
  std::vector<int64_t> bounds;
  int levels = 0;
};

std::vector<Loaded> LoadDesigns() {
  const std::string cfg = std::string(SIEVE_SOURCE_DIR) + "/configs/";
  const std::vector<std::vector<std::string>> sets = {
      {"default/design.yaml", "default/sparse.yaml", "default/ERT.yaml", "default/ART.yaml"},
      {"default/design.yaml", "default/ERT.yaml", "default/ART.yaml"},
      {"paper/fig1/design.yaml", "paper/fig1/bitmask.yaml", "paper/fig1/ERT.yaml", "paper/fig1/ART.yaml"},
      {"paper/fig1/design.yaml", "paper/fig1/coordinate_list.yaml", "paper/fig1/ERT.yaml",
       "paper/fig1/ART.yaml"},
      {"paper/table7/design.yaml", "paper/table7/innermost_skip.yaml", "paper/table7/ERT.yaml",
       "paper/table7/ART.yaml"},
      {"paper/table7/design.yaml", "paper/table7/hierarchical_skip.yaml", "paper/table7/ERT.yaml",
       "paper/table7/ART.yaml"},
  };
  std::vector<Loaded> out;
  for (const auto& set : sets) {
    std::vector<std::string> paths;
    for (const auto& f : set) paths.push_back(cfg + f);
    sieve::spec::Spec spec = sieve::spec::LoadSpec(paths);
    Loaded l{sieve::BuildDesign(spec), spec.workload.bounds, static_cast<int>(spec.arch.levels.size())};
    out.push_back(std::move(l));
  }
  return out;
}

std::vector<int64_t> PrimeFactors(int64_t n) {
  std::vector<int64_t> f;
  for (int64_t p = 2; p * p <= n; ++p) {
    while (n % p == 0) {
      f.push_back(p);
      n /= p;
    }
  }
  if (n > 1) f.push_back(n);
  return f;
}

std::vector<int> Permutation(int n, Bytes& in) {
  std::vector<int> order(static_cast<size_t>(n));
  for (int i = 0; i < n; ++i) order[static_cast<size_t>(i)] = i;
  for (int i = n - 1; i > 0; --i) std::swap(order[static_cast<size_t>(i)], order[in.Below(i + 1)]);
  return order;
}

sieve::spec::Mapping BuildMapping(const Loaded& l, Bytes& in) {
  const int dims = static_cast<int>(l.bounds.size());
  const int spaces = l.design.num_data_spaces();
  sieve::spec::Mapping m;
  m.levels.resize(static_cast<size_t>(l.levels));
  for (auto& lv : m.levels) {
    lv.temporal_factors.assign(static_cast<size_t>(dims), 1);
    lv.spatial_factors.assign(static_cast<size_t>(dims), 1);
    lv.keep.assign(static_cast<size_t>(spaces), true);
  }
  for (int d = 0; d < dims; ++d) {
    for (int64_t p : PrimeFactors(l.bounds[static_cast<size_t>(d)])) {
      const unsigned slot = in.Below(static_cast<unsigned>(2 * l.levels));
      auto& lv = m.levels[slot / 2];
      (slot % 2 ? lv.spatial_factors : lv.temporal_factors)[static_cast<size_t>(d)] *= p;
    }
  }
  for (int i = 0; i < l.levels; ++i) {
    auto& lv = m.levels[static_cast<size_t>(i)];
    lv.temporal_order = Permutation(dims, in);
    lv.spatial_order = Permutation(dims, in);
    lv.spatial_split = static_cast<int>(in.Below(static_cast<unsigned>(dims + 1)));
    if (i + 1 < l.levels) {  // the outermost level keeps everything
      for (int s = 0; s < spaces; ++s) lv.keep[static_cast<size_t>(s)] = (in.Next() & 3u) != 0;
    }
  }
  return m;
}

[[noreturn]] void Finding(const char* what) {
  std::fprintf(stderr, "evaluate_fuzz: %s\n", what);
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const std::vector<Loaded> designs = LoadDesigns();
  static const std::unique_ptr<sieve::Scratch> reused = std::make_unique<sieve::Scratch>();
  Bytes in{data, size};
  const Loaded& l = designs[in.Below(static_cast<unsigned>(designs.size()))];
  const sieve::spec::Mapping m = BuildMapping(l, in);
  sieve::Result a;
  try {
    sieve::Evaluate(l.design, m, *reused, a);
    const sieve::Result b = sieve::Evaluate(l.design, m);
    if (a.status.code != b.status.code || a.cycles != b.cycles ||
        !(a.energy_pj == b.energy_pj || (std::isnan(a.energy_pj) && std::isnan(b.energy_pj)))) {
      Finding("a reused Scratch gave another result than a fresh one");
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "evaluate_fuzz: Evaluate threw: %s\n", e.what());
    std::abort();
  }
  if (a.valid() && !(std::isfinite(a.energy_pj) && a.energy_pj >= 0 && a.cycles > 0)) {
    Finding("a valid result with non-finite or negative energy, or no cycles");
  }
  return 0;
}
