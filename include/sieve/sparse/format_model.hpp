// Per-rank representation format models (paper Sec 5.3.3): metadata and
// payload units a rank of a compressed tile costs.
//
// For one rank, top rank first: F fibers at this rank (1 at the top), each
// of shape f (coordinates), P_fiber = P(such a fiber is empty), P_sub =
// P(one coordinate's sub-tile is empty). Then non-empty fibers = F(1-P_fiber)
// and nonzero coordinates per fiber = f(1-P_sub), and (SEMANTICS "Format
// models"):
//   UOP  metadata 0                      payload fibers*(f+1)
//   CP   metadata fibers*ceil(nnz/fiber) payload same as metadata
//   RLE  metadata fibers*nnz/fiber       payload same as metadata (no ceil)
//   B    metadata fibers*f               payload fibers*ceil(nnz/fiber)
//   UB   metadata F*f                    payload F*f
// The innermost non-empty rank has no payload (its payload is the data).
// Thread-safe (pure functions).
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>

namespace sieve::sparse {

struct RankUnits {
  double metadata = 0;
  double payload = 0;
};

struct RankContext {
  double fibers = 1;          // F
  double fiber_shape = 1;     // f
  double p_fiber_empty = 0;   // P_fiber
  double p_sub_empty = 0;     // P_sub
  bool innermost = false;     // the innermost non-empty rank
};

class FormatModel {
 public:
  virtual ~FormatModel() = default;
  virtual const char* name() const = 0;
  virtual RankUnits Units(const RankContext& rank) const = 0;
  // Units() at `count` occupancies of one rank: `rank` gives F, f and
  // innermost (its emptiness fields are ignored), p_fiber[i] and p_sub[i]
  // the emptiness at occupancy i; writes metadata[i] and payload[i], the
  // very values Units() returns for each. The default calls Units() per
  // occupancy; a format may override it with a loop the compiler can see
  // through (the format analysis asks for whole windows of occupancies).
  virtual void UnitsRow(const RankContext& rank, const double* p_fiber, const double* p_sub,
                        int count, double* metadata, double* payload) const;
  // True for formats that store nothing for empty coordinates (all but UB).
  virtual bool Compressed() const { return true; }
};

using FormatFactory = std::function<std::unique_ptr<FormatModel>()>;

// Name -> factory: "B", "CP", "UOP", "RLE", "UB" (upper case).
const std::map<std::string, FormatFactory>& FormatModelTable();

// Throws std::invalid_argument listing the valid names for an unknown one.
std::unique_ptr<FormatModel> MakeFormatModel(const std::string& name);

}  // namespace sieve::sparse
