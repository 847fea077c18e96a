// Per-rank format models (paper Sec 5.3.3: B, CP, UOP, RLE and
// Uncompressed B; SEMANTICS "Format models"). For one rank:
//   fibers = F*(1-P_fiber)   (non-empty fibers)
//   nnz    = f*(1-P_sub)     (non-empty coordinates per fiber)
//   UOP  metadata 0                 payload fibers*(f+1)
//   CP   metadata fibers*ceil(nnz)  payload = metadata
//   RLE  metadata fibers*nnz        payload = metadata (no ceil: reference quirk)
//   B    metadata fibers*f          payload fibers*ceil(nnz)
//   UB   metadata F*f               payload F*f (never compressed)
// The innermost non-empty rank has payload 0: its payload is the data.
// ceil is the plain double ceil of f*(1-P_sub), as the reference computes it.
#include "sieve/sparse/format_model.hpp"

#include <cmath>
#include <stdexcept>

namespace sieve::sparse {
namespace {

double Fibers(const RankContext& c) { return c.fibers * (1.0 - c.p_fiber_empty); }
double NonzerosPerFiber(const RankContext& c) { return c.fiber_shape * (1.0 - c.p_sub_empty); }

RankUnits Finish(const RankContext& c, double metadata, double payload) {
  return {metadata, c.innermost ? 0.0 : payload};
}

// `units` (RankContext -> RankUnits) at each occupancy of a row.
template <typename UnitsFn>
void Row(const RankContext& rank, const double* p_fiber, const double* p_sub, int count,
         double* metadata, double* payload, UnitsFn&& units) {
  RankContext c = rank;
  for (int i = 0; i < count; ++i) {
    c.p_fiber_empty = p_fiber[i];
    c.p_sub_empty = p_sub[i];
    const RankUnits u = units(c);
    metadata[i] = u.metadata;
    payload[i] = u.payload;
  }
}

// The built-in formats' UnitsRow: their own Units() inlined into the loop.
template <typename Format>
class RowFormat : public FormatModel {
 public:
  void UnitsRow(const RankContext& rank, const double* p_fiber, const double* p_sub, int count,
                double* metadata, double* payload) const final {
    const auto& self = static_cast<const Format&>(*this);
    Row(rank, p_fiber, p_sub, count, metadata, payload,
        [&](const RankContext& c) { return self.Format::Units(c); });
  }
};

class UopFormat final : public RowFormat<UopFormat> {
 public:
  const char* name() const override { return "UOP"; }
  RankUnits Units(const RankContext& c) const override {
    return Finish(c, 0.0, Fibers(c) * (c.fiber_shape + 1.0));
  }
};

class CpFormat final : public RowFormat<CpFormat> {
 public:
  const char* name() const override { return "CP"; }
  RankUnits Units(const RankContext& c) const override {
    const double units = Fibers(c) * std::ceil(NonzerosPerFiber(c));
    return Finish(c, units, units);
  }
};

class RleFormat final : public RowFormat<RleFormat> {
 public:
  const char* name() const override { return "RLE"; }
  RankUnits Units(const RankContext& c) const override {
    const double units = Fibers(c) * NonzerosPerFiber(c);
    return Finish(c, units, units);
  }
};

class BitmaskFormat final : public RowFormat<BitmaskFormat> {
 public:
  const char* name() const override { return "B"; }
  RankUnits Units(const RankContext& c) const override {
    return Finish(c, Fibers(c) * c.fiber_shape, Fibers(c) * std::ceil(NonzerosPerFiber(c)));
  }
};

class UncompressedBitmaskFormat final : public RowFormat<UncompressedBitmaskFormat> {
 public:
  const char* name() const override { return "UB"; }
  RankUnits Units(const RankContext& c) const override {
    const double units = c.fibers * c.fiber_shape;
    return Finish(c, units, units);
  }
  bool Compressed() const override { return false; }
};

template <typename T>
std::unique_ptr<FormatModel> Make() {
  return std::make_unique<T>();
}

}  // namespace

void FormatModel::UnitsRow(const RankContext& rank, const double* p_fiber, const double* p_sub,
                           int count, double* metadata, double* payload) const {
  Row(rank, p_fiber, p_sub, count, metadata, payload,
      [&](const RankContext& c) { return Units(c); });
}

const std::map<std::string, FormatFactory>& FormatModelTable() {
  static const std::map<std::string, FormatFactory> table = {
      {"B", Make<BitmaskFormat>},   {"CP", Make<CpFormat>},
      {"UOP", Make<UopFormat>},     {"RLE", Make<RleFormat>},
      {"UB", Make<UncompressedBitmaskFormat>},
  };
  return table;
}

std::unique_ptr<FormatModel> MakeFormatModel(const std::string& name) {
  const auto& table = FormatModelTable();
  auto it = table.find(name);
  if (it == table.end()) {
    std::string valid;
    for (const auto& [key, factory] : table) valid += (valid.empty() ? "" : ", ") + key;
    throw std::invalid_argument("unknown rank format '" + name + "'; valid formats: " + valid);
  }
  return it->second();
}

}  // namespace sieve::sparse
