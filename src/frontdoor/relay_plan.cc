#include "frontdoor/relay_plan.h"

#include "common/strings.h"
#include "frontdoor/request_head.h"

namespace shim {
namespace {

// SGLang's head carries nothing the client must not get: no hop-by-hop field
// besides Content-Length and the chunked Transfer-Encoding the client gets too.
bool HeadHasOnlyEndToEndFields(const ResponseHead& response) {
  for (const auto& [name, value] : response.headers) {
    if (!IsHopByHopHeader(name) || EqualsIgnoreCase(name, "content-length")) continue;
    if (EqualsIgnoreCase(name, "transfer-encoding") && EqualsIgnoreCase(value, "chunked")) continue;
    return false;
  }
  return true;
}

}  // namespace

RelayPlan PlanRelay(const RelayFacts& facts) {
  const ResponseHead& response = *facts.response;
  RelayPlan plan;
  plan.keep_alive = facts.client_keep_alive && !facts.draining;
  const bool no_body = response.framing == ResponseFraming::kNone;
  if (!response.event_stream && !no_body && facts.filters_want_body) {
    plan.whole_body = true;
    plan.passthrough = false;
    return plan;
  }
  plan.rewrite_frames = response.event_stream && !no_body && facts.filters_rewrite_frames;
  plan.passthrough = !plan.rewrite_frames;
  if (facts.head_request) {
    plan.announce_length = response.has_content_length;
  } else if (no_body) {
    // no body, no framing headers
  } else if (response.framing == ResponseFraming::kContentLength && !plan.rewrite_frames) {
    plan.announce_length = true;
  } else if (facts.client_minor >= 1) {
    plan.chunked_out = true;
    plan.passthrough = plan.passthrough && response.framing == ResponseFraming::kChunked;
  } else {
    plan.keep_alive = false;  // HTTP/1.0 client, unknown length: the close ends the body
    plan.passthrough = plan.passthrough && response.framing != ResponseFraming::kChunked;
  }
  plan.forward_head = plan.passthrough && !facts.filters_edit_head && facts.client_minor == 1 &&
                      response.version_minor == 1 && plan.keep_alive && response.keep_alive &&
                      HeadHasOnlyEndToEndFields(response);
  return plan;
}

}  // namespace shim
