// Fixed capacity limits of the evaluator's hot-path structures. The spec
// loader rejects inputs beyond them with a SpecError, so the model can use
// fixed-size arrays and never allocate per evaluation.
#pragma once

namespace sieve {

inline constexpr int kMaxDims = 12;
inline constexpr int kMaxDataSpaces = 8;
inline constexpr int kMaxLevels = 16;
inline constexpr int kMaxRanks = 12;
// Non-trivial loops in one nest: each level holds at most one temporal and
// one spatial loop per dimension.
inline constexpr int kMaxLoops = 2 * kMaxDims * kMaxLevels;

}  // namespace sieve
