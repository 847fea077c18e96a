#include "sieve/dense/delta_walk.hpp"

#include <algorithm>
#include <cstdlib>

namespace sieve::dense {
namespace {

// Stride state: 0 = none, c + 1 = translation class c.
using State = int;

struct Transition {
  int64_t new_points;
  State next;
};

}  // namespace

void ComputeLeafTranslations(const WalkInput& in, LeafTranslations& out) {
  const int ranks = in.num_ranks;
  std::array<int64_t, kMaxRanks> inner{};
  out.num_classes = 0;
  for (int j = 0; j < in.num_loops; ++j) {
    bool is_zero = true;
    for (int r = 0; r < ranks; ++r) {
      out.t[j][r] = in.loops[j].step[r] - inner[r];
      inner[r] += in.loops[j].step[r];
      is_zero = is_zero && out.t[j][r] == 0;
    }
    out.zero[j] = is_zero;
    out.cls[j] = -1;
    for (int i = 0; i < j && out.cls[j] < 0; ++i) {
      bool same = true;
      for (int r = 0; r < ranks && same; ++r) same = out.t[i][r] == out.t[j][r];
      if (same) out.cls[j] = out.cls[i];
    }
    if (out.cls[j] < 0) {
      out.class_rep[out.num_classes] = j;
      out.cls[j] = out.num_classes++;
    }
  }
}

int64_t CountDeltas(const WalkInput& in, HaloRule rule) {
  const int n = in.num_loops;
  const int ranks = in.num_ranks;
  int64_t tile = 1;
  for (int r = 0; r < ranks; ++r) tile *= in.extent[r];
  if (n == 0) return tile;

  // Same-shaped tiles: |C \ P| = |C| - |C & P| for each translation.
  // Scratch arrays are left uninitialised: only [0, n) is ever read, and
  // zeroing kMaxLoops entries per call would cost more than the walk.
  LeafTranslations lt;
  ComputeLeafTranslations(in, lt);
  const auto& zero = lt.zero;
  const auto& cls = lt.cls;
  const int num_classes = lt.num_classes;
  std::array<int64_t, kMaxLoops> diff;  // |C \ P| for translation T_j
  for (int j = 0; j < n; ++j) {
    int64_t overlap = 1;
    for (int r = 0; r < ranks; ++r) {
      const int64_t keep = in.extent[r] - std::llabs(lt.t[j][r]);
      overlap *= keep > 0 ? keep : 0;
    }
    diff[j] = tile - overlap;
  }

  // One leaf transition with translation T_j from stride state s.
  auto step = [&](State s, int j) -> Transition {
    const State c = cls[j] + 1;
    if (rule == HaloRule::k2025) {
      if (zero[j]) return {0, s};
      if (s == 0) return {diff[j], c};
      if (s == c) return {diff[j], s};
      return {tile, 0};
    }
    if (s == 0) return {diff[j], c};
    if (s == c) return {diff[j], s};
    return {tile, 0};
  };

  // f_k(s): total over a depth-k sub-walk's leaves after its first one, and
  // the exit state, when entered in state s.
  //   f_{k+1}(s) = f_k(s) ; leaf via T_k with weight N_k-1 ; (N_k-1) f_k(s')
  const int num_states = num_classes + 1;
  std::array<int64_t, kMaxLoops + 1> sum;
  std::array<State, kMaxLoops + 1> out;
  std::array<int64_t, kMaxLoops + 1> next_sum;
  std::array<State, kMaxLoops + 1> next_out;
  for (int s = 0; s < num_states; ++s) {
    sum[s] = 0;
    out[s] = s;
  }
  for (int k = 0; k < n; ++k) {
    const int64_t w = in.loops[k].bound - 1;
    for (int s = 0; s < num_states; ++s) {
      const Transition leaf = step(out[s], k);
      next_sum[s] = sum[s] + w * (leaf.new_points + sum[leaf.next]);
      next_out[s] = out[leaf.next];
    }
    std::copy_n(next_sum.begin(), num_states, sum.begin());
    std::copy_n(next_out.begin(), num_states, out.begin());
  }
  // The first leaf brings the whole tile and leaves the stride unset.
  return tile + sum[0];
}

}  // namespace sieve::dense
