#include "sieve/dense/storage_links.hpp"

#include <cstdlib>
#include <vector>

namespace sieve::dense {
namespace {

// A leaf's delta relative to the child's tile origin.
struct Shape {
  bool box = false;      // an axis-aligned box (else compared by identity only)
  RankVector corner{};   // lower corner of the box
  RankVector extent{};   // extent of the box
  int64_t size = 0;      // points
};

constexpr int kEmpty = 0;
constexpr int kFull = 1;

struct LeafLinks {
  int64_t saved = 0;   // parent accesses saved on the leaf
  int64_t members = 0; // child fills of those accesses
  int64_t moved = 0;   // points moved over links on the leaf
};

}  // namespace

LinkSavings StorageLinkSavings(const LoopNest& nest, const DataSpaceProjection& p,
                               const std::array<int64_t, kMaxLoops>& stride, int level,
                               const WalkInput& in, HaloRule rule, MacLinkWork& work) {
  const int64_t children64 = nest.spatial_product[level];
  const int n = in.num_loops;
  if (children64 <= 1 || children64 > kMaxLinkChildren || n == 0) return {};
  const int children = static_cast<int>(children64);
  const int ranks = in.num_ranks;
  const int64_t mesh_x = nest.mesh_x[level];

  // Translations between consecutive leaves, as in CountDeltas: leaving
  // leaf x for x+1 steps loop j = ctz(x+1) and resets the loops below it.
  std::array<RankVector, kMaxLoops> t;
  std::array<int, kMaxLoops> cls;
  std::array<bool, kMaxLoops> zero;
  std::array<int, kMaxLoops> class_rep;  // a loop of each class
  int num_classes = 0;
  RankVector inner{};
  for (int j = 0; j < n; ++j) {
    bool is_zero = true;
    for (int r = 0; r < ranks; ++r) {
      t[j][r] = in.loops[j].step[r] - inner[r];
      inner[r] += in.loops[j].step[r];
      is_zero = is_zero && t[j][r] == 0;
    }
    zero[j] = is_zero;
    cls[j] = -1;
    for (int i = 0; i < j && cls[j] < 0; ++i) {
      bool same = true;
      for (int r = 0; r < ranks && same; ++r) same = t[i][r] == t[j][r];
      if (same) cls[j] = cls[i];
    }
    if (cls[j] < 0) {
      class_rep[num_classes] = j;
      cls[j] = num_classes++;
    }
  }

  // Shapes: empty, the full tile, then the slab T(x) \ T(x - t) of each
  // class (the full tile again when the translation leaves no overlap).
  int64_t tile = 1;
  for (int r = 0; r < ranks; ++r) tile *= in.extent[r];
  const int num_shapes = 2 + num_classes;
  std::vector<Shape> shape(static_cast<size_t>(num_shapes));
  std::vector<int> slab_id(static_cast<size_t>(num_classes));
  shape[kFull].box = true;
  shape[kFull].size = tile;
  for (int r = 0; r < ranks; ++r) shape[kFull].extent[r] = in.extent[r];
  for (int c = 0; c < num_classes; ++c) {
    const RankVector& tc = t[class_rep[c]];
    int64_t overlap = 1;
    int moving = 0, moved_rank = -1;
    for (int r = 0; r < ranks; ++r) {
      overlap *= std::max<int64_t>(0, in.extent[r] - std::llabs(tc[r]));
      if (tc[r] != 0) {
        ++moving;
        moved_rank = r;
      }
    }
    if (moving == 0) {
      slab_id[c] = kEmpty;
      continue;
    }
    if (overlap == 0) {
      slab_id[c] = kFull;
      continue;
    }
    Shape& s = shape[2 + c];
    s.size = tile - overlap;
    s.box = moving == 1;
    if (s.box) {
      s.extent = shape[kFull].extent;
      const int64_t d = tc[moved_rank];
      s.extent[moved_rank] = std::llabs(d);
      s.corner[moved_rank] = d > 0 ? in.extent[moved_rank] - d : 0;
    }
    slab_id[c] = 2 + c;
  }

  // One leaf's links: children whose delta `now` (reached by translation
  // t[j]) equals a grid neighbour's previous delta `prev`. Child i at tile
  // origin o_i + x takes the points o_i + x + now.corner; neighbour k held
  // o_k + x - t + prev.corner, so equal boxes need o_k - o_i = now.corner +
  // t - prev.corner. Cached per required offset difference.
  bool grouped = false;
  int groups = 0;
  struct Cached {
    RankVector delta;
    int saved_groups;
    int saved_members;  // children in the saved groups
    int linked;
  };
  std::vector<Cached> cache;
  std::vector<uint8_t> is_linked(static_cast<size_t>(children));
  ChildOffsets(nest, p, stride, level, children, work);
  auto links_for = [&](const RankVector& delta) -> const Cached& {
    for (const Cached& c : cache) {
      bool same = true;
      for (int r = 0; r < ranks && same; ++r) same = c.delta[r] == delta[r];
      if (same) return c;
    }
    auto neighbour_holds = [&](int idx, int64_t k) {
      if (k < 0 || k >= children) return false;
      for (int r = 0; r < ranks; ++r) {
        if (work.offset[k][r] - work.offset[idx][r] != delta[r]) return false;
      }
      return true;
    };
    int linked = 0;
    for (int idx = 0; idx < children; ++idx) {
      const int64_t col = idx % mesh_x;
      const bool link = (col > 0 && neighbour_holds(idx, idx - 1)) ||
                        (col + 1 < mesh_x && neighbour_holds(idx, idx + 1)) ||
                        neighbour_holds(idx, idx - mesh_x) || neighbour_holds(idx, idx + mesh_x);
      is_linked[idx] = link;
      linked += link;
    }
    int saved_groups = 0, saved_members = 0;
    if (linked > 0) {
      if (!grouped) {
        groups = GroupByOffset(ranks, children, work);
        grouped = true;
      }
      for (int g = 0; g < groups; ++g) work.group_busy[g] = 0;
      for (int idx = 0; idx < children; ++idx) {
        if (!is_linked[idx]) work.group_busy[work.group[idx]] = 1;
      }
      int busy_groups = 0;
      for (int g = 0; g < groups; ++g) busy_groups += work.group_busy[g];
      saved_groups = groups - busy_groups;
      for (int idx = 0; idx < children; ++idx) saved_members += !work.group_busy[work.group[idx]];
      if (saved_groups == 0) linked = 0;  // links that save nothing are not used
    }
    cache.push_back({delta, saved_groups, saved_members, linked});
    return cache.back();
  };
  auto leaf_links = [&](int now, int prev, int j) -> LeafLinks {
    if (now == kEmpty || prev == kEmpty) return {};
    const Shape& a = shape[now];
    const Shape& b = shape[prev];
    RankVector delta{};
    if (a.box && b.box) {
      for (int r = 0; r < ranks; ++r) {
        if (a.extent[r] != b.extent[r]) return {};
        delta[r] = a.corner[r] + t[j][r] - b.corner[r];
      }
    } else if (now == prev) {
      for (int r = 0; r < ranks; ++r) delta[r] = t[j][r];
    } else {
      return {};
    }
    const Cached& c = links_for(delta);
    return {c.saved_groups * a.size, c.saved_members * a.size, c.linked * a.size};
  };

  // Stride state (as in CountDeltas: 0 none, c + 1 class c) and the shape
  // of the delta the next leaf's translation produces.
  struct Step {
    int next;
    int shape;
  };
  auto step = [&](int s, int j) -> Step {
    const int c = cls[j] + 1;
    if (rule == HaloRule::k2025 && zero[j]) return {s, kEmpty};
    if (s == 0 || s == c) return {c, slab_id[cls[j]]};
    return {0, kFull};
  };

  // DP over (stride state, previous delta shape), as CountDeltas' f_k: the
  // savings of a depth-k sub-walk's leaves after its first, and its exit
  // state, when entered in a state.
  const int num_strides = num_classes + 1;
  const int num_states = num_strides * num_shapes;
  auto state_of = [&](int s, int q) { return s * num_shapes + q; };
  std::vector<int64_t> saved(num_states, 0), members(num_states, 0), moved(num_states, 0);
  std::vector<int> out(num_states);
  std::vector<int64_t> next_saved(num_states), next_members(num_states), next_moved(num_states);
  std::vector<int> next_out(num_states);
  for (int st = 0; st < num_states; ++st) out[st] = st;
  for (int k = 0; k < n; ++k) {
    const int64_t w = in.loops[k].bound - 1;
    for (int st = 0; st < num_states; ++st) {
      const int exit = out[st];
      const int s = exit / num_shapes, q = exit % num_shapes;
      const Step leaf = step(s, k);
      const LeafLinks l = leaf_links(leaf.shape, q, k);
      const int entered = state_of(leaf.next, leaf.shape);
      next_saved[st] = saved[st] + w * (l.saved + saved[entered]);
      next_members[st] = members[st] + w * (l.members + members[entered]);
      next_moved[st] = moved[st] + w * (l.moved + moved[entered]);
      next_out[st] = out[entered];
    }
    saved.swap(next_saved);
    members.swap(next_members);
    moved.swap(next_moved);
    out.swap(next_out);
  }
  // The first leaf takes the full tile from the parent, stride unset.
  const int first = state_of(0, kFull);
  return {saved[first], members[first], moved[first]};
}

}  // namespace sieve::dense
