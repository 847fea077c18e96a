#include "sieve/status.hpp"

namespace sieve {

const char* StatusName(StatusCode code) {
  switch (code) {
    case StatusCode::kValid: return "valid";
    case StatusCode::kCapacityExceeded: return "capacity";
    case StatusCode::kUnderUtilized: return "min_utilization";
    case StatusCode::kFanoutExceeded: return "fanout";
    case StatusCode::kSpatialWithoutFanout: return "spatial_without_fanout";
    case StatusCode::kAllBypassed: return "all_bypassed";
    case StatusCode::kMappingShape: return "mapping_shape";
    case StatusCode::kFormatRanks: return "format_ranks";
    case StatusCode::kCompressionSupport: return "compression_support";
  }
  return "unknown";
}

}  // namespace sieve
