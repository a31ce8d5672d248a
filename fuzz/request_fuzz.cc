// libFuzzer target: arbitrary bytes through the front door's request path —
// head parsing with limits and smuggling checks, chunked body decoding, path
// normalisation and routing (src/frontdoor). No sockets: the same pure
// functions the connection code calls, in the same order.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "frontdoor/chunked_decoder.h"
#include "frontdoor/local_response.h"
#include "frontdoor/request_head.h"
#include "frontdoor/route.h"

namespace {

const shim::RouteTable& Routes() {
  static const shim::RouteTable table = [] {
    shim::RouteTable routes;
    shim::HideSglangAdminRoutes(&routes);  // as the front door registers them
    routes.AddExact("/health", {"GET", "HEAD"}, [](const shim::RequestHead&) {
      return shim::RouteDecision::Answer("health", shim::LocalResponse{});
    });
    return routes;
  }();
  return table;
}

bool SameHead(const shim::RequestHead& a, const shim::RequestHead& b) {
  return a.method == b.method && a.target == b.target && a.version_minor == b.version_minor && a.headers == b.headers &&
         a.framing == b.framing && a.content_length == b.content_length && a.keep_alive == b.keep_alive &&
         a.close_after_response == b.close_after_response && a.expect_continue == b.expect_continue;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  // Pipelined requests: keep parsing while heads complete, as a connection
  // does, into one reused head; a fresh head must come out the same.
  shim::RequestHead head;
  for (int request = 0; request < 8 && !input.empty(); ++request) {
    shim::HeadError error;
    size_t consumed = 0;
    shim::ParseStatus status = shim::ParseRequestHead(input, 4096, &head, &consumed, &error);
    shim::RequestHead fresh;
    shim::HeadError fresh_error;
    size_t fresh_consumed = 0;
    if (shim::ParseRequestHead(input, 4096, &fresh, &fresh_consumed, &fresh_error) != status ||
        !SameHead(head, fresh) || fresh_consumed != consumed || fresh_error.status != error.status) {
      __builtin_trap();
    }
    if (status == shim::ParseStatus::kError) {
      std::string wire =
          shim::SerializeLocalResponse(shim::VllmErrorResponse(error.status, error.reason), 1, false, false);
      if (wire.empty()) __builtin_trap();
      return 0;
    }
    if (status == shim::ParseStatus::kIncomplete) return 0;
    if (consumed == 0 || consumed > input.size()) __builtin_trap();
    input.remove_prefix(consumed);
    shim::RouteDecision decision = Routes().Decide(head);
    (void)decision;
    if (head.framing == shim::BodyFraming::kContentLength) {
      if (head.content_length > input.size()) return 0;
      input.remove_prefix(static_cast<size_t>(head.content_length));
    } else if (head.framing == shim::BodyFraming::kChunked) {
      shim::ChunkedDecoder decoder(256);
      while (true) {
        shim::ChunkedDecoder::Step step = decoder.Next(input);
        if (step.consumed > input.size()) __builtin_trap();
        input.remove_prefix(step.consumed);
        if (step.status == shim::ChunkedDecoder::Status::kError) return 0;
        if (step.status == shim::ChunkedDecoder::Status::kDone) break;
        if (step.status == shim::ChunkedDecoder::Status::kNeedMore) return 0;
      }
    }
    if (!head.keep_alive || head.close_after_response) return 0;
  }
  return 0;
}
