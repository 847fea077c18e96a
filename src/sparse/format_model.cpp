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

class UopFormat final : public FormatModel {
 public:
  const char* name() const override { return "UOP"; }
  RankUnits Units(const RankContext& c) const override {
    return Finish(c, 0.0, Fibers(c) * (c.fiber_shape + 1.0));
  }
};

class CpFormat final : public FormatModel {
 public:
  const char* name() const override { return "CP"; }
  RankUnits Units(const RankContext& c) const override {
    const double units = Fibers(c) * std::ceil(NonzerosPerFiber(c));
    return Finish(c, units, units);
  }
};

class RleFormat final : public FormatModel {
 public:
  const char* name() const override { return "RLE"; }
  RankUnits Units(const RankContext& c) const override {
    const double units = Fibers(c) * NonzerosPerFiber(c);
    return Finish(c, units, units);
  }
};

class BitmaskFormat final : public FormatModel {
 public:
  const char* name() const override { return "B"; }
  RankUnits Units(const RankContext& c) const override {
    return Finish(c, Fibers(c) * c.fiber_shape, Fibers(c) * std::ceil(NonzerosPerFiber(c)));
  }
};

class UncompressedBitmaskFormat final : public FormatModel {
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
