// Incremental decoding of a response body's framing (Content-Length, chunked,
// or until close), handing back views of the payload in the caller's bytes.
// It also tells how many raw bytes belong to the message, so a relay can pass
// them through unchanged and stop exactly at the end of the message.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "frontdoor/chunked_decoder.h"
#include "frontdoor/response_head.h"

namespace shim {

class ResponseBodyDecoder {
 public:
  ResponseBodyDecoder(ResponseFraming framing, uint64_t content_length);

  // Decodes as much of `input` as possible: appends payload views to *pieces
  // and returns the number of raw bytes used (bytes after the end of the
  // message, or an incomplete chunk-size line, are left). -1 on malformed
  // framing (error() says why).
  long Decode(std::string_view input, std::vector<std::string_view>* pieces);

  // The connection closed. True when that is a proper end of this body.
  bool FinishAtEof();

  bool done() const { return done_; }
  const char* error() const { return error_; }

 private:
  ResponseFraming framing_;
  uint64_t remaining_;
  ChunkedDecoder chunked_;
  bool done_ = false;
  const char* error_ = "";
};

}  // namespace shim
