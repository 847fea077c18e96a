// The sparse acceleration features of a design, resolved once against the
// workload and architecture (density models, per-level formats, gating /
// skipping SAFs, compute optimisation). Immutable; thread-safe to share.
#pragma once

#include <array>
#include <memory>
#include <vector>

#include "sieve/limits.hpp"
#include "sieve/sparse/density_model.hpp"
#include "sieve/sparse/format_model.hpp"
#include "sieve/spec/spec.hpp"

namespace sieve::sparse {

struct ResolvedRank {
  std::shared_ptr<const FormatModel> model;
  std::vector<int> flattened_dims;  // problem dims merged into this rank; empty = one loop
  int metadata_bits = 0;
  int payload_bits = 0;
};

struct ResolvedFormat {
  std::vector<ResolvedRank> ranks;  // top rank first
  bool inner_to_outer = false;
};

// A leader-follower gating or skipping SAF (double-sided = two of these).
struct ResolvedSaf {
  int named_level = 0;  // where the spec puts it; applied at the nearest
                        // level at or above that keeps the target
  bool skipping = false;
  int target = 0;
  std::vector<int> leaders;
};

struct SparseDesign {
  bool active = false;  // any sparse optimisation at all
  std::vector<std::shared_ptr<const DensityModel>> density;  // per data space
  // format[level][ds]: index into formats, -1 = uncompressed.
  std::array<std::array<int, kMaxDataSpaces>, kMaxLevels> format{};
  std::vector<ResolvedFormat> formats;
  std::vector<ResolvedSaf> safs;  // gating first, then skipping; innermost named level first
  bool compute_gating = false;
  bool compute_skipping = false;
  // Exact fraction of operation points whose read-only operands are all
  // nonzero, when every operand is actual data; -1 otherwise.
  double joint_nonzero_fraction = -1;
  std::array<double, kMaxLevels> confidence{};  // 1 unless allow_overbooking
  std::array<int64_t, kMaxLevels> block_size{};  // words per vector access
  // Level capabilities the reference checks next to compressed data.
  std::array<bool, kMaxLevels> compression_supported{};
  std::array<bool, kMaxLevels> decompression_supported{};
  std::array<bool, kMaxLevels> tile_partition_supported{};
  // Per entry of `formats`: it has a compressing rank (B, CP or RLE);
  // UOP and UB alone store every coordinate.
  std::vector<bool> compressing;
};

// Throws spec::SpecError (file:line:key) for bad sparse specs: unknown
// format, a data space or level that does not exist.
SparseDesign BuildSparseDesign(const spec::Workload& workload, const spec::Arch& arch,
                               const spec::SparseOptimizations& sparse);

}  // namespace sieve::sparse
