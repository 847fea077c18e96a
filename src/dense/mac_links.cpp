#include "sieve/dense/mac_links.hpp"

#include <algorithm>

namespace sieve::dense {
namespace {

bool Equal(const RankVector& a, const RankVector& b, int ranks) {
  for (int r = 0; r < ranks; ++r) {
    if (a[r] != b[r]) return false;
  }
  return true;
}

bool Less(const RankVector& a, const RankVector& b, int ranks) {
  for (int r = 0; r < ranks; ++r) {
    if (a[r] != b[r]) return a[r] < b[r];
  }
  return false;
}

// Whether `to` - `from` == t.
bool Differs(const RankVector& from, const RankVector& to, const RankVector& t, int ranks) {
  for (int r = 0; r < ranks; ++r) {
    if (to[r] - from[r] != t[r]) return false;
  }
  return true;
}

}  // namespace

StepMatch NeighbourSteps::Match(const RankVector& t, int ranks) const {
  StepMatch m;
  for (int k = 0; k < count; ++k) {
    bool plus = true, minus = true;
    for (int r = 0; r < ranks && (plus || minus); ++r) {
      plus = plus && d[k][r] == t[r];
      minus = minus && d[k][r] == -t[r];
    }
    m.plus |= uint64_t{plus} << k;
    m.minus |= uint64_t{minus} << k;
  }
  return m;
}

void FindGridSteps(const LoopNest& nest, int level, LevelGrid& grid) {
  constexpr int kDigits = LevelGrid::kMaxDigits;
  const int first = nest.begin[level];
  const int num = nest.spatial_end[level] - first;
  const int64_t children64 = nest.spatial_product[level];
  const int64_t mesh_x = nest.mesh_x[level];
  grid.complete = false;
  grid.count = 0;
  grid.num_digits = num;
  if (num > kDigits || children64 > kMaxLinkChildren || children64 < 1) return;
  const int children = static_cast<int>(children64);
  std::array<int64_t, kDigits> bound{};
  std::array<int64_t, kDigits> row{};  // mesh_x's digits
  {
    int64_t rest = mesh_x;
    for (int i = 0; i < num; ++i) {
      bound[i] = nest.loops[first + i].bound;
      row[i] = rest % bound[i];
      rest /= bound[i];
    }
  }
  // A new pattern's digit changes from its carries (bit i: digit i carries out).
  auto add_pattern = [&](const std::array<int64_t, kDigits>& add, uint32_t carries) -> int {
    if (grid.count == LevelGrid::kMaxPatterns) return -1;
    const int p = grid.count++;
    for (int i = 0; i < num; ++i) {
      const int64_t carry_in = i > 0 ? (carries >> (i - 1)) & 1 : 0;
      const int64_t carry_out = (carries >> i) & 1;
      grid.digit_change[p][i] = static_cast<int32_t>(add[i] + carry_in - bound[i] * carry_out);
    }
    return p;
  };
  std::array<int64_t, kDigits> one{};
  one[0] = 1;
  // Next column: the carries are the digits that wrap in the increment, so
  // the pattern is fixed by how many wrap. Next row: the carries of adding
  // mesh_x, looked up among the row patterns seen (few; the last one first).
  std::array<int, kDigits + 1> x_pattern;
  x_pattern.fill(-1);
  std::array<uint32_t, LevelGrid::kMaxPatterns> y_key{};
  std::array<int, LevelGrid::kMaxPatterns> y_pattern{};
  int num_y = 0, last_y = -1;
  // Above mesh_x's top digit a carry that dies ends the addition.
  int row_top = 0;
  for (int i = 0; i < num; ++i) {
    if (row[i] != 0) row_top = i;
  }
  std::array<int64_t, kDigits> digit{};
  int64_t col = 0;
  for (int idx = 0; idx < children; ++idx, col = col + 1 == mesh_x ? 0 : col + 1) {
    int wraps = 0;  // digits at their maximum from the bottom: they wrap in idx + 1
    while (wraps < num && digit[wraps] == bound[wraps] - 1) ++wraps;
    if (idx + 1 < children && col + 1 != mesh_x) {
      if (x_pattern[wraps] < 0) {
        x_pattern[wraps] = add_pattern(one, (uint32_t{1} << wraps) - 1);
        if (x_pattern[wraps] < 0) return;
      }
      grid.step_x[idx] = static_cast<uint8_t>(x_pattern[wraps]);
    }
    if (idx + mesh_x < children) {
      uint32_t carries = 0;
      int64_t c = 0;
      for (int i = 0; i < num && (c != 0 || i <= row_top); ++i) {
        c = digit[i] + row[i] + c >= bound[i] ? 1 : 0;
        carries |= static_cast<uint32_t>(c) << i;
      }
      if (last_y < 0 || y_key[last_y] != carries) {
        last_y = -1;
        for (int k = 0; k < num_y && last_y < 0; ++k) {
          if (y_key[k] == carries) last_y = k;
        }
        if (last_y < 0) {
          const int p = add_pattern(row, carries);
          if (p < 0) return;
          y_key[num_y] = carries;
          y_pattern[num_y] = p;
          last_y = num_y++;
        }
      }
      grid.step_y[idx] = static_cast<uint8_t>(y_pattern[last_y]);
    }
    // Increment: the wrapped digits to 0, the next one up.
    for (int i = 0; i < wraps; ++i) digit[i] = 0;
    if (wraps < num) ++digit[wraps];
  }
  grid.complete = true;
}

void NeighbourTranslations(const LoopNest& nest, const DataSpaceProjection& p,
                           const std::array<int64_t, kMaxLoops>& stride, int level,
                           const LevelGrid& grid, NeighbourSteps& out) {
  const int first = nest.begin[level];
  const int ranks = p.num_ranks;
  out.count = grid.count;
  for (int k = 0; k < grid.count; ++k) {
    RankVector& v = out.d[k];
    for (int r = 0; r < ranks; ++r) v[r] = 0;
    for (int i = 0; i < grid.num_digits; ++i) {
      const int64_t change = grid.digit_change[k][i];
      if (change == 0) continue;
      const int64_t step = stride[first + i] * change;
      for (int r = 0; r < ranks; ++r) v[r] += p.coef[r][nest.loops[first + i].dim] * step;
    }
  }
}

int LinkedChildren(const LoopNest& nest, int level, const LevelGrid& grid, const NeighbourSteps& steps,
                   const RankVector& delta, int ranks, MacLinkWork& work) {
  const int children = static_cast<int>(nest.spatial_product[level]);
  const int64_t mesh_x = nest.mesh_x[level];
  int linked = 0;
  int64_t col = 0;
  if (!grid.complete) {
    for (int idx = 0; idx < children; ++idx, col = col + 1 == mesh_x ? 0 : col + 1) {
      auto holds = [&](int64_t j) {
        return j >= 0 && j < children && Differs(work.offset[idx], work.offset[j], delta, ranks);
      };
      const bool link = (col > 0 && holds(idx - 1)) || (col + 1 < mesh_x && holds(idx + 1)) ||
                        holds(idx - mesh_x) || holds(idx + mesh_x);
      work.linked[idx] = link;
      linked += link;
    }
    return linked;
  }
  // A neighbour ahead (idx + 1, idx + mesh_x) holds idx's point when its
  // step is +delta; one behind when the step to idx is -delta.
  const StepMatch m = steps.Match(delta, ranks);
  for (int idx = 0; idx < children; ++idx, col = col + 1 == mesh_x ? 0 : col + 1) {
    const bool link =
        (col + 1 < mesh_x && idx + 1 < children && ((m.plus >> grid.step_x[idx]) & 1)) ||
        (col > 0 && ((m.minus >> grid.step_x[idx - 1]) & 1)) ||
        (idx + mesh_x < children && ((m.plus >> grid.step_y[idx]) & 1)) ||
        (idx >= mesh_x && ((m.minus >> grid.step_y[idx - mesh_x]) & 1));
    work.linked[idx] = link;
    linked += link;
  }
  return linked;
}

void ChildOffsets(const LoopNest& nest, const DataSpaceProjection& p,
                  const std::array<int64_t, kMaxLoops>& stride, int level, int children,
                  MacLinkWork& work) {
  const int ranks = p.num_ranks;
  const int first = nest.begin[level];
  const int last = nest.spatial_end[level];
  // Child idx's loop indices are idx's mixed-radix digits (innermost loop
  // fastest): walk them as an odometer, moving the offset by one loop's step
  // per increment instead of dividing idx afresh for every child.
  std::array<int64_t, kMaxLoops> digit{};
  RankVector o{};
  for (int idx = 0; idx < children; ++idx) {
    work.offset[idx] = o;
    for (int i = first; i < last; ++i) {
      const int64_t step = stride[i];
      const int dim = nest.loops[i].dim;
      if (++digit[i] < nest.loops[i].bound) {
        for (int r = 0; r < ranks; ++r) o[r] += p.coef[r][dim] * step;
        break;
      }
      // Wrap: back to index 0 of this loop, carry into the next.
      for (int r = 0; r < ranks; ++r) o[r] -= (digit[i] - 1) * p.coef[r][dim] * step;
      digit[i] = 0;
    }
  }
}

int GroupByOffset(int ranks, int children, MacLinkWork& work) {
  for (int idx = 0; idx < children; ++idx) work.order[idx] = idx;
  std::sort(work.order.begin(), work.order.begin() + children, [&](int32_t a, int32_t b) {
    return Less(work.offset[a], work.offset[b], ranks);
  });
  int groups = 0;
  for (int k = 0; k < children; ++k) {
    const int idx = work.order[k];
    if (k == 0 || !Equal(work.offset[idx], work.offset[work.order[k - 1]], ranks)) ++groups;
    work.group[idx] = groups - 1;
  }
  return groups;
}

int64_t SpatialGroups(const LoopNest& nest, const DataSpaceProjection& p,
                      const std::array<int64_t, kMaxLoops>& stride, int level, MacLinkWork& work) {
  const int first = nest.begin[level];
  const int last = nest.spatial_end[level];
  const int ranks = p.num_ranks;
  int64_t product = 1;
  // Offsets can coincide only where two of the spatial loops move one rank.
  bool shared_rank = false;
  for (int r = 0; r < ranks; ++r) {
    int moving = 0;
    for (int i = first; i < last; ++i) moving += p.coef[r][nest.loops[i].dim] != 0;
    shared_rank = shared_rank || moving > 1;
  }
  for (int i = first; i < last; ++i) {
    if (p.relevant[nest.loops[i].dim]) product *= nest.loops[i].bound;
  }
  const int64_t children = nest.spatial_product[level];
  if (!shared_rank || children > kMaxLinkChildren) return product;
  // Closed form for the common case (a convolution window on one array
  // axis): each loop moves one rank, and a rank moved by two loops with
  // equal steps takes b1 + b2 - 1 distinct offsets.
  {
    bool closed = true;
    int64_t distinct = 1;
    for (int r = 0; r < ranks && closed; ++r) {
      int64_t step_a = 0, bound_a = 1, step_b = 0, bound_b = 1;
      int moving = 0;
      for (int i = first; i < last; ++i) {
        const int64_t step = p.coef[r][nest.loops[i].dim] * stride[i];
        if (step == 0) continue;
        int other_ranks = 0;
        for (int r2 = 0; r2 < ranks; ++r2) other_ranks += r2 != r && p.coef[r2][nest.loops[i].dim] != 0;
        if (other_ranks > 0) closed = false;
        (moving == 0 ? step_a : step_b) = step < 0 ? -step : step;
        (moving == 0 ? bound_a : bound_b) = nest.loops[i].bound;
        ++moving;
      }
      if (moving > 2 || (moving == 2 && step_a != step_b)) closed = false;
      distinct *= moving == 2 ? bound_a + bound_b - 1 : bound_a;
    }
    if (closed) return distinct;
  }
  ChildOffsets(nest, p, stride, level, static_cast<int>(children), work);
  return GroupByOffset(ranks, static_cast<int>(children), work);
}

int64_t MacLevelAccesses(const LoopNest& nest, const DataSpaceProjection& p,
                         const std::array<int64_t, kMaxLoops>& stride, const LevelGrid& grid,
                         MacLinkWork& work) {
  const int ranks = p.num_ranks;
  const int64_t children = nest.spatial_product[0];

  if (children > kMaxLinkChildren || children <= 1) {
    return SpatialGroups(nest, p, stride, 0, work) * nest.iterations;
  }
  const int n = static_cast<int>(children);

  // Temporal loops above the spatial block, innermost first: the tensor
  // moves by t_k = step_k - (the steps of the loops below it) between the
  // previous visit and one caused by loop k stepping (its inner loops back
  // at index 0).
  std::array<RankVector, kMaxLoops> move;
  std::array<int64_t, kMaxLoops> bound;
  int num_temporal = 0;
  RankVector running{};
  for (int i = 0; i < nest.num_loops; ++i) {
    const Loop& loop = nest.loops[i];
    if (loop.spatial) continue;
    for (int r = 0; r < ranks; ++r) {
      const int64_t step = p.coef[r][loop.dim] * stride[i];
      move[num_temporal][r] = step - running[r];
      running[r] += step;
    }
    bound[num_temporal++] = loop.bound;
  }

  // Which visits a link could serve at all (the translation t of loop k
  // between grid neighbours): usually none, and then every visit serves
  // each distinct point, groups * iterations, with no child visited.
  std::array<uint8_t, kMaxLoops> may_link{};
  bool any_may_link = false;
  const bool complete = grid.complete;
  NeighbourSteps steps;
  if (complete) NeighbourTranslations(nest, p, stride, 0, grid, steps);
  for (int k = 0; k < num_temporal; ++k) {
    may_link[k] = bound[k] > 1 && (!complete || steps.Match(move[k], ranks).any());
    any_may_link = any_may_link || may_link[k];
  }
  if (!any_may_link) return SpatialGroups(nest, p, stride, 0, work) * nest.iterations;
  ChildOffsets(nest, p, stride, 0, n, work);
  const int groups = GroupByOffset(ranks, n, work);

  // The first visit has no previous one: every distinct point is served.
  int64_t total = groups;
  int64_t outer = 1;  // product of the bounds of the loops above the current one
  for (int k = num_temporal - 1; k >= 0; --k) {
    // Visits caused by loop k stepping: weight (N_k - 1) per combination of
    // the loops above.
    const int64_t weight = (bound[k] - 1) * outer;
    outer *= bound[k];
    if (!may_link[k]) {
      total += weight * groups;
      continue;
    }
    // Child i is linked when a grid neighbour j held, on the previous
    // visit, the point i needs now: offset_j - offset_i == t_k.
    for (int g = 0; g < groups; ++g) work.group_busy[g] = 0;
    const bool any_link = LinkedChildren(nest, 0, grid, steps, move[k], ranks, work) > 0;
    for (int idx = 0; idx < n; ++idx) {
      if (!work.linked[idx]) work.group_busy[work.group[idx]] = 1;
    }
    int64_t served = groups;
    if (any_link) {
      int busy = 0;
      for (int g = 0; g < groups; ++g) busy += work.group_busy[g];
      served = std::min<int64_t>(busy, groups);
    }
    total += weight * served;
  }
  return total;
}

}  // namespace sieve::dense
