// The per-thread memos of the hypergeometric pdf that the format analysis
// consults (paper Sec 5.3.3; src/sparse/pdf_memo.cpp). Every value is a
// function of its arguments alone, so results never depend on what the
// memos hold; only the time an evaluation takes does (a fresh Boost pdf
// costs tens of thousands of instructions, a remembered value a few).
//
// Thread safety: acts on the calling thread's memos only.
#pragma once

namespace sieve::sparse {

// Forgets every value the calling thread's memos hold (timing of cold
// evaluations: `sieve bench cphc --cold`).
void ClearPdfMemo();

}  // namespace sieve::sparse
