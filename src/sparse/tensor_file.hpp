// Reading tensor data files for the actual-data density model (paper
// Table 4 "Actual data"; SEMANTICS "Density models").
//
// Two formats, told apart by content:
// - Matrix Market (first line "%%MatrixMarket matrix coordinate FIELD
//   SYMMETRY"): 1-based (row, column) entries; FIELD pattern, integer, real
//   or complex; SYMMETRY general, symmetric, skew-symmetric or hermitian
//   (off-diagonal entries mirrored). Entries whose value is exactly 0 are
//   not nonzeros; duplicates count once. The matrix shape with unit extents
//   dropped must equal the tensor's with unit extents dropped.
// - Mask text (MICRO'22 artifact): '0'/'1' characters, one line or several
//   (whitespace ignored), row-major over the tensor's ranks with the last
//   rank fastest; exactly one character per tensor point.
// Every failure is a spec::SpecError at the spec's loc naming the file.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sieve/spec/error.hpp"

namespace sieve::sparse {

// Where a spec's data_file_path points. Tried in order:
//   1. the path as written (absolute, or relative to the current directory);
//   2. for each trailing part of the path, longest first, that part under
//      the folder of the YAML file that named it (loc.file): so
//      "masks/L07.txt" is found next to the YAML, and an absolute path from
//      another machine is found by its trailing folders and, last, by its
//      base name alone.
// Throws SpecError listing every path tried.
std::string ResolveDataFile(const std::string& path, const spec::SourceLoc& loc);

// The nonzeros of the tensor in `file`, as sorted distinct flat indices,
// row-major over `extent` (last rank fastest).
std::vector<int64_t> ReadTensorNonzeros(const std::string& file,
                                        const std::vector<int64_t>& extent,
                                        const spec::SourceLoc& loc);

}  // namespace sieve::sparse
