// A mapping as Timeloop-format map.yaml text (root key `mapping`), which
// `sieve model` (and Timeloop) read back to the same mapping: per level a
// datatype keep/bypass directive, a temporal directive and, where the level
// fans out, a spatial directive with its split. Dimension names are those of
// the workload; permutations are written innermost first.
#pragma once

#include <string>

#include "sieve/spec/spec.hpp"

namespace sieve::report {

std::string MappingYaml(const spec::Workload& workload, const spec::Arch& arch,
                        const spec::Mapping& mapping);

}  // namespace sieve::report
