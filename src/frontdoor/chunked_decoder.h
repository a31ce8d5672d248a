// Incremental decoder for a chunked request body (RFC 9112 §7.1) from an
// untrusted client. It never copies data: each step hands back a view into the
// caller's bytes, so a body streams through without being held whole.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace shim {

class ChunkedDecoder {
 public:
  enum class Status {
    kData,      // `data` holds body bytes (a view into the input)
    kNeedMore,  // all of the input usable so far was consumed; read more
    kDone,      // last chunk and trailers consumed; the message ends here
    kError,     // malformed; `error()` says why
  };
  struct Step {
    Status status = Status::kNeedMore;
    size_t consumed = 0;  // bytes of the input used by this step (also on kNeedMore)
    std::string_view data;
  };

  // `max_line_bytes` bounds a chunk-size line and each trailer line.
  explicit ChunkedDecoder(size_t max_line_bytes = 4096) : max_line_bytes_(max_line_bytes) {}

  // Decodes from the start of `input`. Call again with the unconsumed rest.
  Step Next(std::string_view input);
  const char* error() const { return error_; }
  bool done() const { return state_ == State::kDone; }

 private:
  enum class State { kSizeLine, kData, kDataEnd, kTrailer, kDone, kError };
  Step Fail(const char* why, size_t consumed);

  size_t max_line_bytes_;
  State state_ = State::kSizeLine;
  uint64_t remaining_ = 0;
  const char* error_ = "";
};

}  // namespace shim
