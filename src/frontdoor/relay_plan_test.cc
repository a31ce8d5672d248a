#include "frontdoor/relay_plan.h"

#include <string>

#include <gtest/gtest.h>

namespace shim {
namespace {

ResponseHead Response(ResponseFraming framing, bool event_stream = false, bool keep_alive = true, int minor = 1) {
  ResponseHead response;
  response.status = 200;
  response.version_minor = minor;
  response.framing = framing;
  response.has_content_length = framing == ResponseFraming::kContentLength;
  response.content_length = 12;
  response.keep_alive = keep_alive;
  response.event_stream = event_stream;
  if (framing == ResponseFraming::kChunked) response.headers.emplace_back("Transfer-Encoding", "chunked");
  if (framing == ResponseFraming::kContentLength) response.headers.emplace_back("Content-Length", "12");
  return response;
}

RelayFacts Facts(const ResponseHead* response) {
  RelayFacts facts;
  facts.response = response;
  return facts;
}

// Every combination of the inputs, checked against the rules the plan must keep.
TEST(RelayPlan, InvariantsHoldForEveryCombination) {
  const ResponseFraming framings[] = {ResponseFraming::kNone, ResponseFraming::kContentLength,
                                      ResponseFraming::kChunked, ResponseFraming::kUntilClose};
  int combinations = 0;
  for (ResponseFraming framing : framings) {
    for (int bits = 0; bits < (1 << 9); ++bits) {
      auto bit = [bits](int i) { return (bits >> i & 1) != 0; };
      ResponseHead response = Response(framing, bit(0), bit(1), bit(2) ? 1 : 0);
      RelayFacts facts = Facts(&response);
      facts.head_request = bit(3);
      facts.client_minor = bit(4) ? 1 : 0;
      facts.client_keep_alive = bit(5);
      facts.draining = bit(6);
      facts.filters_want_body = bit(7);
      facts.filters_rewrite_frames = bit(8);
      facts.filters_edit_head = bit(8) && bit(7);
      RelayPlan plan = PlanRelay(facts);
      ++combinations;
      SCOPED_TRACE(testing::Message() << "framing " << static_cast<int>(framing) << " bits " << bits);
      // Never keep a connection the client or the drain wants closed.
      if (!facts.client_keep_alive || facts.draining) {
        EXPECT_FALSE(plan.keep_alive);
      }
      // The whole body only for the filters, and never for a stream or no body.
      if (plan.whole_body) {
        EXPECT_TRUE(facts.filters_want_body);
        EXPECT_FALSE(response.event_stream);
        EXPECT_NE(framing, ResponseFraming::kNone);
        EXPECT_FALSE(plan.passthrough || plan.rewrite_frames || plan.forward_head);
        continue;
      }
      // Exactly one framing (or none at all), and a framing HTTP/1.0 knows.
      EXPECT_FALSE(plan.chunked_out && plan.announce_length);
      if (plan.chunked_out) {
        EXPECT_EQ(facts.client_minor, 1);
      }
      // A body with no framing the client can see ends with the connection.
      const bool has_body = !facts.head_request && framing != ResponseFraming::kNone;
      if (has_body && !plan.chunked_out && !plan.announce_length) {
        EXPECT_FALSE(plan.keep_alive);
      }
      // Frames are rewritten only in an event stream, and then never passed through.
      if (plan.rewrite_frames) {
        EXPECT_TRUE(response.event_stream);
        EXPECT_FALSE(plan.passthrough);
      }
      // Raw chunked bytes go out only inside a chunked response.
      if (plan.passthrough && has_body && framing == ResponseFraming::kChunked) {
        EXPECT_TRUE(plan.chunked_out);
      }
      // SGLang's head goes out as sent only when nothing in it would change.
      if (plan.forward_head) {
        EXPECT_TRUE(plan.passthrough && plan.keep_alive && response.keep_alive);
        EXPECT_EQ(facts.client_minor, 1);
        EXPECT_EQ(response.version_minor, 1);
        EXPECT_FALSE(facts.filters_edit_head);
      }
    }
  }
  EXPECT_EQ(combinations, 4 * 512);
}

TEST(RelayPlan, CommonCases) {
  // A token stream passes through byte for byte, head included.
  ResponseHead sse = Response(ResponseFraming::kChunked, true);
  RelayPlan plan = PlanRelay(Facts(&sse));
  EXPECT_TRUE(plan.passthrough && plan.chunked_out && plan.forward_head && plan.keep_alive);
  EXPECT_FALSE(plan.whole_body || plan.rewrite_frames);

  // The same stream through a frame-rewriting route: decoded, re-chunked, head rebuilt.
  RelayFacts rewriting = Facts(&sse);
  rewriting.filters_rewrite_frames = true;
  plan = PlanRelay(rewriting);
  EXPECT_TRUE(plan.rewrite_frames && plan.chunked_out);
  EXPECT_FALSE(plan.passthrough || plan.forward_head);

  // An error body the filters want: whole.
  ResponseHead error = Response(ResponseFraming::kContentLength);
  RelayFacts wants = Facts(&error);
  wants.filters_want_body = true;
  EXPECT_TRUE(PlanRelay(wants).whole_body);

  // A length-framed answer keeps its length; an HTTP/1.0 client of a chunked one gets the close.
  plan = PlanRelay(Facts(&error));
  EXPECT_TRUE(plan.announce_length && plan.passthrough && plan.forward_head);
  ResponseHead chunked = Response(ResponseFraming::kChunked);
  RelayFacts old_client = Facts(&chunked);
  old_client.client_minor = 0;
  plan = PlanRelay(old_client);
  EXPECT_FALSE(plan.keep_alive || plan.chunked_out || plan.passthrough || plan.forward_head);

  // A hop-by-hop field in SGLang's head means a rebuilt head.
  ResponseHead hop = Response(ResponseFraming::kContentLength);
  hop.headers.emplace_back("Keep-Alive", "timeout=5");
  EXPECT_FALSE(PlanRelay(Facts(&hop)).forward_head);

  // HEAD: the announced length, nothing else.
  ResponseHead head_answer = Response(ResponseFraming::kNone);
  head_answer.has_content_length = true;
  RelayFacts head = Facts(&head_answer);
  head.head_request = true;
  plan = PlanRelay(head);
  EXPECT_TRUE(plan.announce_length && plan.keep_alive);
  EXPECT_FALSE(plan.chunked_out || plan.whole_body);
}

}  // namespace
}  // namespace shim
