#include "sieve/sparse/sparse_design.hpp"

#include <algorithm>

#include "sieve/spec/error.hpp"

namespace sieve::sparse {
namespace {

std::vector<int64_t> TensorExtent(const spec::Workload& w, int ds) {
  std::vector<int64_t> extent;
  for (const spec::RankProjection& rank : w.data_spaces[ds].ranks) {
    int64_t e = 1;
    for (const spec::ProjectionTerm& t : rank) e += std::llabs(t.coef) * (w.bounds[t.dim] - 1);
    extent.push_back(e);
  }
  return extent;
}

}  // namespace

SparseDesign BuildSparseDesign(const spec::Workload& w, const spec::Arch& arch,
                               const spec::SparseOptimizations& sparse) {
  SparseDesign d;
  d.active = !sparse.empty();
  for (auto& row : d.format) row.fill(-1);
  for (size_t l = 0; l < arch.levels.size(); ++l) {
    d.confidence[l] = arch.levels[l].allow_overbooking ? 0.95 : 1.0;
  }
  const int num_ds = static_cast<int>(w.data_spaces.size());
  for (int ds = 0; ds < num_ds; ++ds) {
    DensityContext ctx;
    auto it = w.densities.find(w.data_spaces[ds].name);
    ctx.spec = it == w.densities.end() ? nullptr : &it->second;
    ctx.tensor_extent = TensorExtent(w, ds);
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
      ResolvedFormat rf;
      rf.inner_to_outer = f.rank_application_order == "inner_to_outer";
      const spec::StorageLevel& sl = arch.levels[level];
      const int default_bits = sl.metadata_word_bits.value_or(sl.word_bits);
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
        rr.metadata_bits = r.metadata_word_bits >= 0 ? r.metadata_word_bits : default_bits;
        rr.payload_bits = r.payload_word_bits >= 0 ? r.payload_word_bits : default_bits;
        rf.ranks.push_back(rr);
      }
      d.format[level][ds] = static_cast<int>(d.formats.size());
      d.formats.push_back(std::move(rf));
    }
    for (const spec::ActionOptimization& a : target.actions) {
      ResolvedSaf saf;
      saf.named_level = level < 0 ? 0 : level;
      saf.skipping = a.type != "gating";
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
  std::stable_sort(d.safs.begin(), d.safs.end(), [](const ResolvedSaf& a, const ResolvedSaf& b) {
    return a.named_level > b.named_level;
  });
  return d;
}

}  // namespace sieve::sparse
