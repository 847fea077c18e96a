#include "sieve/sparse/sparse_design.hpp"

#include <algorithm>
#include <cctype>

#include "sieve/dense/projection.hpp"
#include "sieve/spec/error.hpp"

namespace sieve::sparse {
namespace {


// `data_layout` (a sieve extension of the density spec): the tensor ranks,
// outermost first, in which an actual-data file stores the tensor, as rank
// indices or single-dimension rank names, e.g. [M, C] for a weight mask
// stored output-channel major. Unlisted ranks go first (they should have
// extent 1).
std::vector<int> DataLayout(const spec::Workload& w, int ds, const spec::DensitySpec& d) {
  if (d.data_layout.empty()) return {};
  const auto& ranks = w.data_spaces[ds].ranks;
  std::vector<int> listed;
  for (const std::string& item : d.data_layout) {
    int rank = -1;
    if (!item.empty() && std::isdigit(static_cast<unsigned char>(item[0]))) {
      rank = std::stoi(item);
    } else {
      for (size_t r = 0; r < ranks.size(); ++r) {
        if (ranks[r].size() == 1 && w.dim_names[ranks[r][0].dim] == item) rank = static_cast<int>(r);
      }
    }
    if (rank < 0 || rank >= static_cast<int>(ranks.size())) {
      throw spec::SpecError(d.loc, "data_layout: '" + item + "' is not a rank of " +
                                       w.data_spaces[ds].name);
    }
    listed.push_back(rank);
  }
  std::vector<int> order;
  for (int r = 0; r < static_cast<int>(ranks.size()); ++r) {
    if (std::find(listed.begin(), listed.end(), r) == listed.end()) order.push_back(r);
  }
  order.insert(order.end(), listed.begin(), listed.end());
  return order;
}

// Fraction of the operation space where every operand is nonzero, counted
// exactly over actual data (SEMANTICS: the published computes of actual-data
// runs are the jointly nonzero operand pairs, not the product of the
// marginal densities). -1 when an operand is statistical or the space is
// too large to walk.
double JointNonzeroFraction(const spec::Workload& w,
                            const std::vector<std::vector<int64_t>>& extents,
                            const std::vector<int>& operands,
                            const std::vector<std::shared_ptr<const DensityModel>>& density) {
  constexpr double kMaxPoints = 1e8;
  double points = 1;
  for (int64_t b : w.bounds) points *= static_cast<double>(b);
  if (operands.empty() || points > kMaxPoints) return -1;
  std::vector<std::vector<uint8_t>> bitmaps;
  std::vector<std::vector<int64_t>> strides;
  for (int ds : operands) {
    const std::vector<int64_t>* nz = density[ds]->NonzeroIndices();
    if (nz == nullptr) return -1;
    const std::vector<int64_t>& extent = extents[ds];
    int64_t size = 1;
    std::vector<int64_t> stride(extent.size());
    for (int r = static_cast<int>(extent.size()) - 1; r >= 0; --r) {
      stride[r] = size;
      size *= extent[r];
    }
    std::vector<uint8_t> bits(static_cast<size_t>(size), 0);
    for (int64_t i : *nz) bits[static_cast<size_t>(i)] = 1;
    bitmaps.push_back(std::move(bits));
    strides.push_back(std::move(stride));
  }
  // Per operand, the flat-index step of each problem dimension.
  const int dims = static_cast<int>(w.bounds.size());
  std::vector<std::vector<int64_t>> step(operands.size(), std::vector<int64_t>(dims, 0));
  for (size_t o = 0; o < operands.size(); ++o) {
    const auto& ranks = w.data_spaces[operands[o]].ranks;
    for (size_t r = 0; r < ranks.size(); ++r) {
      for (const spec::ProjectionTerm& t : ranks[r]) step[o][t.dim] += t.coef * strides[o][r];
    }
  }
  std::vector<int64_t> index(dims, 0);
  std::vector<int64_t> flat(operands.size(), 0);
  double joint = 0;
  for (;;) {
    bool all = true;
    for (size_t o = 0; o < operands.size() && all; ++o) all = bitmaps[o][flat[o]] != 0;
    joint += all ? 1 : 0;
    int d = dims - 1;
    for (; d >= 0; --d) {
      if (++index[d] < w.bounds[d]) {
        for (size_t o = 0; o < operands.size(); ++o) flat[o] += step[o][d];
        break;
      }
      for (size_t o = 0; o < operands.size(); ++o) flat[o] -= step[o][d] * (w.bounds[d] - 1);
      index[d] = 0;
    }
    if (d < 0) break;
  }
  return joint / points;
}

// Each data space's whole-tensor rank extents.
std::vector<std::vector<int64_t>> TensorExtents(const spec::Workload& w) {
  const dense::ProjectionTable projection(w);
  dense::DimVector bounds;
  bounds.fill(1);
  std::copy(w.bounds.begin(), w.bounds.end(), bounds.begin());
  std::vector<std::vector<int64_t>> out;
  for (int ds = 0; ds < projection.num_data_spaces(); ++ds) {
    const dense::RankVector e = projection.RankExtents(ds, bounds);
    out.emplace_back(e.begin(), e.begin() + projection[ds].num_ranks);
  }
  return out;
}

}  // namespace

SparseDesign BuildSparseDesign(const spec::Workload& w, const spec::Arch& arch,
                               const spec::SparseOptimizations& sparse) {
  SparseDesign d;
  d.active = !sparse.empty();
  for (auto& row : d.format) row.fill(-1);
  for (size_t l = 0; l < arch.levels.size(); ++l) {
    d.confidence[l] = arch.levels[l].allow_overbooking ? 0.95 : 1.0;
    d.block_size[l] = std::max<int64_t>(1, arch.levels[l].block_size);
    d.compression_supported[l] = arch.levels[l].compression_supported;
    d.decompression_supported[l] = arch.levels[l].decompression_supported;
    d.tile_partition_supported[l] = arch.levels[l].tile_partition_supported;
  }
  const int num_ds = static_cast<int>(w.data_spaces.size());
  const std::vector<std::vector<int64_t>> extents = TensorExtents(w);
  for (int ds = 0; ds < num_ds; ++ds) {
    DensityContext ctx;
    auto it = w.densities.find(w.data_spaces[ds].name);
    ctx.spec = it == w.densities.end() ? nullptr : &it->second;
    ctx.tensor_extent = extents[ds];
    if (ctx.spec != nullptr) ctx.file_rank_order = DataLayout(w, ds, *ctx.spec);
    d.density.push_back(MakeDensityModel(ctx));
  }
  if (!d.active) return d;

  for (const spec::SparseTarget& target : sparse.targets) {
    const int level = arch.LevelIndex(target.level);
    const bool at_compute = target.level == arch.compute.name;
    if (level < 0 && !at_compute) {
      throw spec::SpecError(target.loc, "sparse_optimizations target '" + target.level +
                                            "' is not a level of the architecture");
    }
    for (const spec::DataSpaceFormat& f : target.formats) {
      const int ds = w.DataSpaceIndex(f.data_space);
      if (ds < 0 || level < 0) {
        throw spec::SpecError(f.loc, "representation_format for '" + f.data_space + "' at '" +
                                         target.level + "': no such data space or storage level");
      }
      if (f.ranks.empty() || static_cast<int>(f.ranks.size()) > kMaxRanks) {
        throw spec::SpecError(f.loc, "representation_format for '" + f.data_space + "' at '" +
                                         target.level + "' has " + std::to_string(f.ranks.size()) +
                                         " ranks; give 1 to " + std::to_string(kMaxRanks));
      }
      ResolvedFormat rf;
      rf.inner_to_outer = f.rank_application_order == "inner_to_outer";
      const spec::StorageLevel& sl = arch.levels[level];
      // Unset rank word bits take the level's metadata_datawidth, which the
      // reference defaults to 0 bits (such ranks move no metadata bits).
      const int default_bits = sl.metadata_word_bits.value_or(0);
      for (const spec::RankFormat& r : f.ranks) {
        ResolvedRank rr;
        try {
          rr.model = MakeFormatModel(r.format);
        } catch (const std::invalid_argument& e) {
          throw spec::SpecError(r.loc, e.what());
        }
        for (const auto& group : r.flattened_rank_ids) {
          for (const std::string& dim : group) {
            const int di = w.DimIndex(dim);
            if (di < 0) throw spec::SpecError(r.loc, "flattened_rankIDs: unknown dimension '" + dim + "'");
            rr.flattened_dims.push_back(di);
          }
        }
        // Word bits as the reference resolves them: a UB rank always uses
        // the level's metadata width; a bitmask without its own metadata
        // bits has one bit per coordinate; otherwise the rank's bits, else
        // the level's.
        const std::string fname = rr.model->name();
        rr.metadata_bits = r.metadata_word_bits >= 0 ? r.metadata_word_bits
                           : fname == "B"           ? 1
                                                    : default_bits;
        rr.payload_bits = r.payload_word_bits >= 0 ? r.payload_word_bits : default_bits;
        if (fname == "UB") {
          rr.metadata_bits = default_bits;
          rr.payload_bits = default_bits;
        }
        rf.ranks.push_back(rr);
      }
      bool compressing = false;
      for (const ResolvedRank& r : rf.ranks) {
        const std::string name = r.model->name();
        compressing = compressing || name == "B" || name == "CP" || name == "RLE";
      }
      d.format[level][ds] = static_cast<int>(d.formats.size());
      d.formats.push_back(std::move(rf));
      d.compressing.push_back(compressing);
    }
    for (const spec::ActionOptimization& a : target.actions) {
      // Sparseloop's spatial and position skipping change which PEs and
      // which positions of a compressed fiber do work (paper Sec 5.3.4 only
      // covers leader-follower intersection); treating them as plain
      // skipping gives wrong cycles (DSTC: +188%), so they are refused.
      if (a.type == "skipping_spatial" || a.type == "position_skipping") {
        throw spec::SpecError(a.loc, "action optimization type '" + a.type +
                                         "' is not modeled (only gating and skipping are); "
                                         "remove it or use type: skipping");
      }
      ResolvedSaf saf;
      saf.named_level = level < 0 ? 0 : level;
      saf.skipping = a.type == "skipping";
      saf.target = w.DataSpaceIndex(a.target);
      if (saf.target < 0) {
        throw spec::SpecError(a.loc, "action_optimization target '" + a.target +
                                         "' is not a data space of the problem");
      }
      for (const std::string& leader : a.condition_on) {
        const int li = w.DataSpaceIndex(leader);
        if (li < 0) {
          throw spec::SpecError(a.loc, "condition_on '" + leader + "' is not a data space");
        }
        saf.leaders.push_back(li);
      }
      d.safs.push_back(saf);
    }
    for (const spec::ComputeOptimization& c : target.compute) {
      if (c.type == "gating") d.compute_gating = true;
      if (c.type == "skipping") d.compute_skipping = true;
    }
  }
  // The reference's resolution order: gating before skipping, each from
  // the innermost named level up (ties between SAFs go to the first).
  std::stable_sort(d.safs.begin(), d.safs.end(), [](const ResolvedSaf& a, const ResolvedSaf& b) {
    if (a.skipping != b.skipping) return !a.skipping;
    return a.named_level < b.named_level;
  });
  if (d.compute_gating || d.compute_skipping) {
    std::vector<int> operands;
    for (int ds = 0; ds < num_ds; ++ds) {
      if (!w.data_spaces[ds].read_write) operands.push_back(ds);
    }
    d.joint_nonzero_fraction = JointNonzeroFraction(w, extents, operands, d.density);
  }
  return d;
}

}  // namespace sieve::sparse
