// Why a mapping is invalid. An invalid mapping is a value, not an error:
// the evaluator returns it fast with the level and sizes involved.
#pragma once

#include <cstdint>
#include <string>

namespace sieve {

enum class StatusCode : uint8_t {
  kValid = 0,
  kCapacityExceeded,     // kept tiles exceed a level's capacity
  kUnderUtilized,        // kept tiles below min_utilization of capacity
  kFanoutExceeded,       // spatial loops exceed a level's mesh X or Y fan-out
  kSpatialWithoutFanout, // spatial loops at a level whose fan-out is 1
  kAllBypassed,          // a data space is kept at no level
  kMappingShape,         // mapping does not match the architecture/workload
  kFormatRanks,          // a compressed tile has more loops than format ranks
  kCompressionSupport,   // a level must (de)compress for a compressed parent but cannot
};

// Names used in reports and counters: "valid", "capacity", "fanout", ...
const char* StatusName(StatusCode code);

struct Status {
  StatusCode code = StatusCode::kValid;
  int level = -1;         // arch level index (innermost = 0), -1 = n/a
  int data_space = -1;    // workload data-space index, -1 = n/a or all
  int64_t required = 0;   // words or instances, by code
  int64_t available = 0;

  bool ok() const { return code == StatusCode::kValid; }
};

}  // namespace sieve
