#include <string>

#include "sieve/report/stats.hpp"

namespace sieve::report {

std::string InvalidReason(const spec::Spec& spec, const Result& result) {
  const Status& s = result.status;
  if (s.ok()) return "";
  const std::string level =
      s.level >= 0 && s.level < static_cast<int>(spec.arch.levels.size())
          ? "'" + spec.arch.levels[s.level].name + "'"
          : std::string("?");
  const std::string ds =
      s.data_space >= 0 && s.data_space < static_cast<int>(spec.workload.data_spaces.size())
          ? spec.workload.data_spaces[s.data_space].name
          : std::string();
  const std::string req = std::to_string(s.required);
  const std::string avail = std::to_string(s.available);
  switch (s.code) {
    case StatusCode::kCapacityExceeded:
      return "capacity: level " + level + " needs " + req + " words for its kept tiles but holds " +
             avail;
    case StatusCode::kUnderUtilized:
      return "min_utilization: level " + level + " keeps " + req + " words of " + avail +
             ", below its min_utilization";
    case StatusCode::kFanoutExceeded:
      return "fanout: level " + level + " spatial loops need " + req +
             " instances in one mesh direction but it fans out to " + avail;
    case StatusCode::kSpatialWithoutFanout:
      return "spatial_without_fanout: level " + level + " has spatial loops of product " + req +
             " but no fan-out";
    case StatusCode::kAllBypassed:
      return "all_bypassed: data space " + ds + " is bypassed at every level";
    case StatusCode::kMappingShape:
      return "mapping_shape: mapping does not match the architecture or workload (expected " +
             req + ", got " + avail + ")";
    case StatusCode::kFormatRanks:
      return "format_ranks: the compressed tile of " + ds + " at level " + level + " spans " + req +
             " loops but its format has " + avail + " ranks (more compression ranks needed)";
    case StatusCode::kCompressionSupport:
      return "compression_support: level " + level + " keeps " + ds +
             " uncompressed below a compressed parent, so it must " +
             (s.required == 2 ? std::string("compress its updates (compression_supported)")
                              : std::string("decompress its fills (decompression_supported)")) +
             ", which it does not support";
    case StatusCode::kValid:
      break;
  }
  return StatusName(s.code);
}

}  // namespace sieve::report
