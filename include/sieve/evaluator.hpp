// Evaluate: the one place the model's three steps are chained.
//
//   mapping -> loop nest -> step 1 dense traffic -> step 2 sparse traffic
//           -> step 3 costs -> Result
//
// Step 2 always runs: on a design without sparse optimisations it splits
// every action as actual, so step 3 sees one kind of input.
//
// Evaluate() uses no globals, never throws, allocates nothing and is safe to
// call from many threads at once on one shared Design, each thread with its
// own Scratch. An invalid mapping returns with Result::status saying why.
#pragma once

#include "sieve/dense/loop_nest.hpp"
#include "sieve/dense/traffic.hpp"
#include "sieve/design.hpp"
#include "sieve/result.hpp"
#include "sieve/sparse/sparse_traffic.hpp"
#include "sieve/spec/mapping.hpp"

namespace sieve {

// The intermediate results of one evaluation. Large (~1 MB) and free to
// create (its arrays are not initialised); reuse one per thread. After
// Evaluate, `dense` and `sparse` hold steps 1 and 2 of that mapping (valid
// only as far as the evaluation got: check Result::status).
struct Scratch {
  dense::LoopNest nest;
  dense::MacLinkWork links;
  dense::DenseTraffic dense;
  sparse::SparseTraffic sparse;
};

void Evaluate(const Design& design, const spec::Mapping& mapping, Scratch& scratch,
              Result& out);

// Convenience for one-off evaluations (reports, tests): allocates a Scratch.
Result Evaluate(const Design& design, const spec::Mapping& mapping);

}  // namespace sieve
