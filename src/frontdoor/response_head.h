// Parsing of the head of SGLang's HTTP/1.x response and the framing of the
// body that follows (RFC 9112 §6.3). SGLang is local and trusted to be an HTTP
// server, not to be well-behaved: malformed input is an error, never a crash.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "frontdoor/request_head.h"

namespace shim {

enum class ResponseFraming {
  kNone,           // no body (HEAD, 1xx, 204, 304)
  kContentLength,  // `content_length` bytes
  kChunked,        // chunked transfer coding
  kUntilClose,     // the body ends when the connection does
};

struct ResponseHead {
  int status = 0;
  int version_minor = 1;
  // As sent, hop-by-hop ones included (the relay drops them). Views into the
  // parsed bytes: valid while those bytes are.
  std::vector<std::pair<std::string_view, std::string_view>> headers;
  ResponseFraming framing = ResponseFraming::kUntilClose;
  uint64_t content_length = 0;  // framing == kContentLength, or the length a HEAD answer announced
  bool has_content_length = false;
  bool keep_alive = true;     // the connection may carry another request afterwards
  bool event_stream = false;  // Content-Type: text/event-stream

  // First header with this name (case-insensitive), or nullptr.
  const std::string_view* Find(std::string_view name) const;
};

// Parses a response head at the start of `data`. kIncomplete: need more
// (within max_head_bytes). kComplete: *out filled, *consumed = head bytes
// including the blank line. kError: *error says why. `head_request`: the
// request was HEAD, so no body follows whatever the headers say.
ParseStatus ParseResponseHead(std::string_view data, size_t max_head_bytes, bool head_request, ResponseHead* out,
                              size_t* consumed, std::string* error);

}  // namespace shim
