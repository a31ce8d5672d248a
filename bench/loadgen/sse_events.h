// Incremental Server-Sent Events reader for the streaming benchmark: splits a
// byte stream into events and hands each event's data to a callback. Also the
// two cheap field probes the benchmark needs per chunk, done without a full
// JSON parse so the client stays far faster than the servers it measures.
#pragma once
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace shim::loadgen {

class SseEventReader {
 public:
  // Largest event kept; a longer one is discarded and counted (bounded memory).
  explicit SseEventReader(size_t max_event_bytes = 1 << 20) : max_event_bytes_(max_event_bytes) {}

  // Feeds bytes as they arrive; calls on_data(data) once per complete event that
  // has at least one "data:" line (multi-line data joined with '\n', per the
  // WHATWG EventSource parsing rules).
  void Feed(std::string_view bytes, const std::function<void(std::string_view)>& on_data);

  size_t oversized_events() const { return oversized_; }

 private:
  void HandleLine(std::string_view line, const std::function<void(std::string_view)>& on_data);

  size_t max_event_bytes_;
  size_t oversized_ = 0;
  bool discarding_ = false;
  std::string partial_line_;
  std::string data_;
  bool has_data_ = false;
};

// The stand-in engine's send time (CLOCK_MONOTONIC ns) from a chunk's top-level
// "fake_sent_ns" field (FAKE_SGLANG_STAMP_CHUNKS=1); nullopt when absent.
std::optional<int64_t> FindFakeSentNs(std::string_view data);

// True when the chunk carries generated text: a "content" (or "text") field
// whose string value is non-empty. Role-only and usage-only chunks are false.
bool CarriesText(std::string_view data);

}  // namespace shim::loadgen
