#include "sieve/dense/storage_links.hpp"

#include <cstdlib>
#include <vector>

namespace sieve::dense {
namespace {

using Shape = StorageLinkTables::Shape;

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
                               const LevelGrid& grid, const WalkInput& in, HaloRule rule,
                               MacLinkWork& work) {
  const int64_t children64 = nest.spatial_product[level];
  const int n = in.num_loops;
  if (children64 <= 1 || children64 > kMaxLinkChildren || n == 0) return {};
  const int children = static_cast<int>(children64);
  const int ranks = in.num_ranks;

  // Translations between consecutive leaves, as in CountDeltas.
  LeafTranslations lt;
  ComputeLeafTranslations(in, lt);
  const auto& t = lt.t;
  const auto& cls = lt.cls;
  const auto& zero = lt.zero;
  const auto& class_rep = lt.class_rep;
  const int num_classes = lt.num_classes;

  // Shapes: empty, the full tile, then the slab T(x) \ T(x - t) of each
  // class (the full tile again when the translation leaves no overlap).
  int64_t tile = 1;
  for (int r = 0; r < ranks; ++r) tile *= in.extent[r];
  const int num_shapes = 2 + num_classes;
  std::vector<Shape>& shape = work.storage.shape;
  std::vector<int>& slab_id = work.storage.slab_id;
  shape.assign(static_cast<size_t>(num_shapes), Shape{});
  slab_id.assign(static_cast<size_t>(num_classes), 0);
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
  // t - prev.corner (equal non-box deltas: o_k - o_i = t). False when no
  // offset makes the two deltas equal.
  auto required_offset = [&](int now, int prev, int j, RankVector& delta) {
    if (now == kEmpty || prev == kEmpty) return false;
    const Shape& a = shape[now];
    const Shape& b = shape[prev];
    if (a.box && b.box) {
      for (int r = 0; r < ranks; ++r) {
        if (a.extent[r] != b.extent[r]) return false;
        delta[r] = a.corner[r] + t[j][r] - b.corner[r];
      }
      return true;
    }
    if (now != prev) return false;
    for (int r = 0; r < ranks; ++r) delta[r] = t[j][r];
    return true;
  };

  // Quick rejection without the children: no leaf asks for a translation
  // that grid neighbours' offsets can differ by.
  const bool steps_complete = grid.complete;
  NeighbourSteps steps;
  if (steps_complete) NeighbourTranslations(nest, p, stride, level, grid, steps);
  if (steps_complete) {
    bool possible = false;
    RankVector delta;
    for (int j = 0; j < n && !possible; ++j) {
      const int nows[2] = {slab_id[cls[j]], kFull};
      for (int now : nows) {
        for (int prev = 1; prev < num_shapes && !possible; ++prev) {
          if (prev >= 2 && slab_id[prev - 2] != prev) continue;  // aliased or empty slab
          if (!required_offset(now, prev, j, delta)) continue;
          possible = steps.Match(delta, ranks).any();
        }
      }
    }
    if (!possible) return {};
  }

  using Cached = StorageLinkTables::Cached;
  std::vector<Cached>& cache = work.storage.cache;
  cache.clear();
  // Child offsets are formed on first need: most deltas are ruled out by
  // the neighbour steps alone.
  bool have_offsets = false, grouped = false;
  int groups = 0;
  auto need_offsets = [&] {
    if (!have_offsets) ChildOffsets(nest, p, stride, level, children, work);
    have_offsets = true;
  };
  auto links_for = [&](const RankVector& delta) -> const Cached& {
    for (const Cached& c : cache) {
      bool same = true;
      for (int r = 0; r < ranks && same; ++r) same = c.delta[r] == delta[r];
      if (same) return c;
    }
    if (steps_complete && !steps.Match(delta, ranks).any()) {
      // No two grid neighbours differ by delta: no child is linked.
      cache.push_back({delta, 0, 0, 0});
      return cache.back();
    }
    if (!steps_complete) need_offsets();  // the per-child check compares offsets
    int linked = LinkedChildren(nest, level, grid, steps, delta, ranks, work);
    int saved_groups = 0, saved_members = 0;
    if (linked > 0) {
      if (!grouped) {
        need_offsets();
        groups = GroupByOffset(ranks, children, work);
        grouped = true;
      }
      for (int g = 0; g < groups; ++g) work.group_busy[g] = 0;
      for (int idx = 0; idx < children; ++idx) {
        if (!work.linked[idx]) work.group_busy[work.group[idx]] = 1;
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
    RankVector delta{};
    if (!required_offset(now, prev, j, delta)) return {};
    const Cached& c = links_for(delta);
    const int64_t size = shape[now].size;
    return {c.saved_groups * size, c.saved_members * size, c.linked * size};
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

  // The walk summed by (stride state, previous delta shape), as
  // CountDeltas' f_k: a depth-k sub-walk entered in a state gives the
  // savings of its leaves after its first, and its exit state. Memoised
  // and evaluated from the top down, so only reachable states cost.
  const int num_states = (num_classes + 1) * num_shapes;
  using Sub = StorageLinkTables::Sub;  // the memo is not cleared, `done` says what is set
  const size_t memo_size = static_cast<size_t>(n + 1) * num_states;
  std::vector<Sub>& memo = work.storage.memo;
  if (memo.size() < memo_size) memo.resize(memo_size);
  std::vector<uint8_t>& done = work.storage.done;
  done.assign(memo_size, 0);
  auto sub = [&](auto&& self, int k, int st) -> const Sub& {
    const size_t at = static_cast<size_t>(k) * num_states + st;
    Sub& m = memo[at];
    if (done[at]) return m;
    done[at] = 1;
    if (k == 0) {
      m = Sub{0, 0, 0, st};
      return m;
    }
    const Sub inner = self(self, k - 1, st);
    const Step leaf = step(inner.exit / num_shapes, k - 1);
    const LeafLinks l = leaf_links(leaf.shape, inner.exit % num_shapes, k - 1);
    const Sub rest = self(self, k - 1, leaf.next * num_shapes + leaf.shape);
    const int64_t w = in.loops[k - 1].bound - 1;
    Sub& out = memo[static_cast<size_t>(k) * num_states + st];
    out.saved = inner.saved + w * (l.saved + rest.saved);
    out.members = inner.members + w * (l.members + rest.members);
    out.moved = inner.moved + w * (l.moved + rest.moved);
    out.exit = rest.exit;
    return out;
  };
  // The first leaf takes the full tile from the parent, stride unset.
  const Sub& all = sub(sub, n, kFull);
  return {all.saved, all.members, all.moved};
}

}  // namespace sieve::dense
