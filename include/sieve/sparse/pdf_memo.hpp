// The per-thread memo of the hypergeometric pdf that the format analysis
// consults (paper Sec 5.3.3; density_hypergeometric.cpp). The pdf is a pure
// function, so results never depend on what the memo holds; only the time
// an evaluation takes does (a fresh pdf costs thousands of instructions, a
// remembered one a few dozen).
//
// Thread safety: acts on the calling thread's memo only.
#pragma once

namespace sieve::sparse {

// Forgets every value the calling thread's memo holds (timing of cold
// evaluations: `sieve bench cphc --cold`).
void ClearPdfMemo();

}  // namespace sieve::sparse
