// libFuzzer target: arbitrary bytes as SGLang's response through the relay's
// pure parts — head parsing, body framing (length, chunked, until close) fed
// in uneven reads, and SSE frame splitting with a rewrite — as
// src/frontdoor/response_relay.cc calls them. No sockets.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "frontdoor/response_body.h"
#include "frontdoor/response_head.h"
#include "frontdoor/sse_frames.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  if (input.empty()) return 0;
  // The first byte picks the request kind and the read size, so one input
  // explores several ways the same bytes can arrive.
  const bool head_request = (input[0] & 1) != 0;
  const size_t read_size = 1 + static_cast<unsigned char>(input[0]) % 64;
  input.remove_prefix(1);

  shim::ResponseHead head;
  size_t consumed = 0;
  std::string error;
  if (shim::ParseResponseHead(input, 4096, head_request, &head, &consumed, &error) != shim::ParseStatus::kComplete) {
    return 0;
  }
  std::string_view body = input.substr(consumed);
  shim::ResponseBodyDecoder decoder(head.framing, head.content_length);
  shim::SseFrameRelay frames;
  auto rewrite = [](std::string_view frame, std::string* out) {
    if (frame.size() % 3 != 0) return false;
    out->assign(frame.substr(0, frame.size() / 2));
    return true;
  };
  std::string pending;  // bytes the decoder left (an unfinished size line)
  std::vector<std::string_view> pieces, out;
  size_t payload = 0;
  for (size_t at = 0; at < body.size() && !decoder.done(); at += read_size) {
    pending.append(body.substr(at, read_size));
    pieces.clear();
    long used = decoder.Decode(pending, &pieces);
    if (used < 0) return 0;
    if (static_cast<size_t>(used) > pending.size()) __builtin_trap();
    for (std::string_view piece : pieces) payload += piece.size();
    out.clear();
    if (!pieces.empty()) frames.Feed(pieces, rewrite, &out);
    pending.erase(0, static_cast<size_t>(used));
  }
  decoder.FinishAtEof();
  frames.Finish();
  if (head.framing == shim::ResponseFraming::kContentLength && payload > head.content_length) __builtin_trap();
  return 0;
}
