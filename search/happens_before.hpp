// Happens-before annotations for ThreadSanitizer builds of the search driver.
//
// Debian's oneTBB is not built with -fsanitize=thread, so TSan cannot see
// the synchronisation inside libtbb.so: an item handed from one pipeline
// stage to the next, the order of a serial stage's calls, or the start and
// end of a parallel_pipeline look unsynchronised and every access to the
// data they carry is reported as a race. The driver states those edges,
// which oneTBB guarantees, with the calls below; TSan then checks our code
// against exactly the ordering the library promises, and nothing more.
//
// Contract: HappensBefore(p) in one thread followed (in TBB's order) by
// HappensAfter(p) in another makes everything the first did before the call
// visible to the second. `p` only names the edge; it is never dereferenced.
// In builds without TSan both calls are empty and inline away.
#pragma once

#if defined(__SANITIZE_THREAD__)
#define SIEVE_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define SIEVE_TSAN 1
#endif
#endif

#ifdef SIEVE_TSAN
extern "C" void __tsan_acquire(void* addr);
extern "C" void __tsan_release(void* addr);
#endif

namespace sieve::search {

inline void HappensBefore([[maybe_unused]] const void* edge) {
#ifdef SIEVE_TSAN
  __tsan_release(const_cast<void*>(edge));
#endif
}

inline void HappensAfter([[maybe_unused]] const void* edge) {
#ifdef SIEVE_TSAN
  __tsan_acquire(const_cast<void*>(edge));
#endif
}

}  // namespace sieve::search

namespace sieve::search {

// Names for the search pipeline's edges. They must be addresses a stage can
// use before it reads anything another thread wrote (even its own captured
// references are such data), hence static storage. They hold no state: two
// searches running at once in one process only get extra edges, never
// missing ones.
struct PipelineEdges {
  static inline char start = 0;        // caller before the pipeline -> plan stage
  static inline char plan_order = 0;   // plan call k -> plan call k+1
  static inline char merge_order = 0;  // merge call k -> merge call k+1
  static inline char end = 0;          // plan and merge calls -> caller after the pipeline
};

}  // namespace sieve::search
