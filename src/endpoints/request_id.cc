#include "endpoints/request_id.h"

#include <cstdint>
#include <cstdio>
#include <random>

namespace shim::endpoints {

std::string NewRequestIdHex() {
  // One generator per thread, seeded once from the OS.
  thread_local std::mt19937_64 generator{std::random_device{}()};
  uint64_t hi = generator();
  uint64_t lo = generator();
  hi = (hi & 0xffffffffffff0fffULL) | 0x0000000000004000ULL;  // version 4
  lo = (lo & 0x3fffffffffffffffULL) | 0x8000000000000000ULL;  // RFC 4122 variant
  char buf[33];
  std::snprintf(buf, sizeof(buf), "%016llx%016llx", static_cast<unsigned long long>(hi),
                static_cast<unsigned long long>(lo));
  return buf;
}

std::string ResponseRequestId(const std::string* incoming) {
  if (incoming != nullptr && !incoming->empty()) return *incoming;
  return NewRequestIdHex();
}

}  // namespace shim::endpoints
