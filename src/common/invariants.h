// Checks for the places that a comment used to call "cannot happen".
//
//   SHIM_ASSERT(cond)        debug builds only: a false cond aborts with file and
//                            line. For internal consistency that costs too much
//                            to check in production.
//   SHIM_BUG(cond, "what")   every build: a false cond is a bug in the shim. Debug
//                            builds (and so the sanitizer tests) abort; release
//                            builds log it once per call site, count it
//                            (vllm_sglang_shim_bugs_total in /metrics) and carry
//                            on, so the caller must still handle the case.
// Both evaluate to cond, for use as `if (!SHIM_BUG(n < size, "...")) return false;`.
#pragma once
#include <atomic>
#include <cstdint>

namespace shim {

// How many SHIM_BUG checks have failed in this process.
uint64_t BugCount();

namespace invariants {
// Reports one failed check: aborts in debug builds, else logs (once per site) and counts.
void ReportBug(const char* file, int line, const char* condition, const char* what, std::atomic<bool>* logged);
[[noreturn]] void AssertFailed(const char* file, int line, const char* condition);
}  // namespace invariants

}  // namespace shim

#define SHIM_BUG(cond, what)                                                          \
  ([&]() -> bool {                                                                    \
    if (static_cast<bool>(cond)) return true;                                         \
    static std::atomic<bool> shim_bug_logged{false};                                  \
    ::shim::invariants::ReportBug(__FILE__, __LINE__, #cond, what, &shim_bug_logged); \
    return false;                                                                     \
  }())

#ifdef NDEBUG
#define SHIM_ASSERT(cond) (static_cast<void>(0))
#else
#define SHIM_ASSERT(cond) \
  (static_cast<bool>(cond) ? static_cast<void>(0) : ::shim::invariants::AssertFailed(__FILE__, __LINE__, #cond))
#endif
