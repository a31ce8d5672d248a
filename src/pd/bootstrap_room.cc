#include "pd/bootstrap_room.h"

#include <mutex>
#include <random>

namespace shim::pd {

uint64_t NewBootstrapRoom() {
  // One generator, seeded once from the OS; rooms are drawn on the I/O threads.
  static std::mutex mutex;
  static std::mt19937_64 generator{std::random_device{}()};
  std::lock_guard<std::mutex> lock(mutex);
  return generator() & kMaxBootstrapRoom;
}

uint64_t BootstrapRoomFromRequestId(std::string_view request_id) {
  uint64_t hash = 0xcbf29ce484222325ULL;  // FNV-1a offset basis
  for (unsigned char byte : request_id) {
    hash ^= byte;
    hash *= 0x100000001b3ULL;  // FNV prime
  }
  return hash & kMaxBootstrapRoom;
}

}  // namespace shim::pd
