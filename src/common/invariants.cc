#include "common/invariants.h"

#include <cstdlib>

#include "common/log.h"

namespace shim {
namespace {
std::atomic<uint64_t> bug_count{0};
}  // namespace

uint64_t BugCount() { return bug_count.load(std::memory_order_relaxed); }

namespace invariants {

void ReportBug(const char* file, int line, const char* condition, const char* what, std::atomic<bool>* logged) {
  bug_count.fetch_add(1, std::memory_order_relaxed);
#ifndef NDEBUG
  LogError("bug in the shim at ", file, ":", line, ": ", what, " (", condition, " is false)");
  std::abort();
#else
  if (!logged->exchange(true)) {
    LogError("bug in the shim at ", file, ":", line, ": ", what, " (", condition,
             " is false); counted in vllm_sglang_shim_bugs_total, logged once");
  }
#endif
}

void AssertFailed(const char* file, int line, const char* condition) {
  LogError("assertion failed at ", file, ":", line, ": ", condition);
  std::abort();
}

}  // namespace invariants
}  // namespace shim
