#include "metrics/generation_watch.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace shim::metrics {
namespace {

using Clock = GenerationWatch::Clock;
using std::chrono::milliseconds;

const Clock::time_point kArrival = Clock::time_point() + std::chrono::hours(1);

std::string ChatFrame(std::string_view delta, std::string_view finish = "null", int index = 0) {
  return "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":" + std::to_string(index) +
         ",\"delta\":" + std::string(delta) + ",\"logprobs\":null,\"finish_reason\":" + std::string(finish) +
         ",\"matched_stop\":null}],\"usage\":null}\n\n";
}

// Feeds `frames` one per 10 ms, starting 100 ms after arrival, and finishes 10 ms after the last.
GenerationRecord Streamed(const std::vector<std::string>& frames, bool complete = true, bool client_gone = false) {
  GenerationWatch watch(kArrival);
  watch.OnResponseHead(200, true);
  Clock::time_point now = kArrival + milliseconds(100);
  for (const std::string& frame : frames) {
    watch.OnBody(frame, now);
    now += milliseconds(10);
  }
  GenerationRecord record;
  EXPECT_TRUE(watch.Finish(complete, client_gone, now, &record));
  return record;
}

TEST(GenerationWatch, StreamedChatMeasuresFirstTokenDecodeAndTokenFrames) {
  GenerationRecord r = Streamed({ChatFrame(R"({"role":"assistant","content":""})"), ChatFrame(R"({"content":"a"})"),
                                 ChatFrame(R"({"content":"b"})"), ChatFrame(R"({"content":"c"})"),
                                 ChatFrame("{}", "\"stop\""), "data: [DONE]\n\n"});
  EXPECT_TRUE(r.streamed);
  // The role frame carries no token: the first token is the second frame.
  ASSERT_TRUE(r.first_token_seconds);
  EXPECT_DOUBLE_EQ(*r.first_token_seconds, 0.110);
  EXPECT_DOUBLE_EQ(*r.decode_seconds, 0.020);
  EXPECT_DOUBLE_EQ(r.e2e_seconds, 0.160);
  EXPECT_EQ(r.generation_tokens, 3u);
  EXPECT_EQ(r.max_choice_generation_tokens, 3u);
  EXPECT_FALSE(r.prompt_tokens);
  ASSERT_EQ(r.finish_reasons.size(), 1u);
  EXPECT_EQ(r.finish_reasons[0], FinishReason::kStop);
}

TEST(GenerationWatch, UsageChunkGivesExactCounts) {
  GenerationRecord r = Streamed({ChatFrame(R"({"content":"ab"})"), ChatFrame(R"({"content":"c"})", "\"length\""),
                                 "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":7,\"completion_tokens\":5,"
                                 "\"total_tokens\":12}}\n\n",
                                 "data: [DONE]\n\n"});
  EXPECT_EQ(r.prompt_tokens, 7u);
  EXPECT_EQ(r.generation_tokens, 5u);
  EXPECT_EQ(r.max_choice_generation_tokens, 5u);
  ASSERT_EQ(r.finish_reasons.size(), 1u);
  EXPECT_EQ(r.finish_reasons[0], FinishReason::kLength);
}

TEST(GenerationWatch, FramesSplitAnywhereGiveTheSameRecord) {
  std::string body = ChatFrame(R"({"content":"x"})") + ChatFrame(R"({"content":"y"})") +
                     ChatFrame(R"({"content":"z"})", "\"tool_calls\"") + "data: [DONE]\n\n";
  for (size_t split = 1; split < body.size(); split += 7) {
    GenerationWatch watch(kArrival);
    watch.OnResponseHead(200, true);
    watch.OnBody(std::string_view(body).substr(0, split), kArrival + milliseconds(1));
    watch.OnBody(std::string_view(body).substr(split), kArrival + milliseconds(2));
    GenerationRecord r;
    ASSERT_TRUE(watch.Finish(true, false, kArrival + milliseconds(3), &r));
    EXPECT_EQ(r.generation_tokens, 3u) << split;
    ASSERT_EQ(r.finish_reasons.size(), 1u);
    EXPECT_EQ(r.finish_reasons[0], FinishReason::kStop) << "tool_calls is vLLM's stop";
  }
}

TEST(GenerationWatch, CrlfFramesAndCompletionsText) {
  GenerationRecord r =
      Streamed({"data: {\"choices\":[{\"index\":0,\"text\":\"hi\",\"finish_reason\":null}]}\r\n\r\n",
                "data: {\"choices\":[{\"index\":0,\"text\":\"!\",\"finish_reason\":\"length\"}]}\r\n\r\n"});
  EXPECT_EQ(r.generation_tokens, 2u);
  EXPECT_EQ(r.finish_reasons[0], FinishReason::kLength);
}

TEST(GenerationWatch, SeveralChoicesCountApart) {
  GenerationRecord r = Streamed({ChatFrame(R"({"content":"a"})", "null", 0), ChatFrame(R"({"content":"b"})", "null", 1),
                                 ChatFrame(R"({"content":"c"})", "null", 1), ChatFrame("{}", "\"stop\"", 0),
                                 ChatFrame("{}", "\"length\"", 1)});
  EXPECT_EQ(r.generation_tokens, 3u);
  EXPECT_EQ(r.max_choice_generation_tokens, 2u);
  ASSERT_EQ(r.finish_reasons.size(), 2u);
  EXPECT_EQ(r.finish_reasons[0], FinishReason::kStop);
  EXPECT_EQ(r.finish_reasons[1], FinishReason::kLength);
}

TEST(GenerationWatch, ClientLeavingIsAnAbort) {
  GenerationRecord r = Streamed({ChatFrame(R"({"content":"a"})")}, false, true);
  ASSERT_EQ(r.finish_reasons.size(), 1u);
  EXPECT_EQ(r.finish_reasons[0], FinishReason::kAbort);
}

TEST(GenerationWatch, BrokenStreamOrErrorFrameIsAnError) {
  GenerationRecord cut = Streamed({ChatFrame(R"({"content":"a"})")}, false, false);
  EXPECT_EQ(cut.finish_reasons.at(0), FinishReason::kError);
  GenerationRecord error = Streamed({ChatFrame(R"({"content":"a"})"),
                                     "data: {\"error\":{\"message\":\"boom\",\"code\":500}}\n\n", "data: [DONE]\n\n"});
  EXPECT_EQ(error.finish_reasons.at(0), FinishReason::kError);
}

TEST(GenerationWatch, PlainBodyReadsUsageAndReasons) {
  GenerationWatch watch(kArrival);
  watch.OnResponseHead(200, false);
  std::string body =
      R"({"id":"x","object":"chat.completion","choices":[{"index":0,"message":{"role":"assistant","content":"hi"},)"
      R"("finish_reason":"stop"}],"usage":{"prompt_tokens":11,"completion_tokens":4,"total_tokens":15}})";
  watch.OnBody(body.substr(0, 30), kArrival + milliseconds(5));
  watch.OnBody(body.substr(30), kArrival + milliseconds(6));
  GenerationRecord r;
  ASSERT_TRUE(watch.Finish(true, false, kArrival + milliseconds(250), &r));
  EXPECT_FALSE(r.streamed);
  EXPECT_DOUBLE_EQ(r.e2e_seconds, 0.25);
  EXPECT_FALSE(r.first_token_seconds);
  EXPECT_EQ(r.prompt_tokens, 11u);
  EXPECT_EQ(r.generation_tokens, 4u);
  EXPECT_EQ(r.max_choice_generation_tokens, 4u);
  ASSERT_EQ(r.finish_reasons.size(), 1u);
  EXPECT_EQ(r.finish_reasons[0], FinishReason::kStop);
}

TEST(GenerationWatch, ErrorStatusesAndNoResponseAreNotRecorded) {
  GenerationRecord r;
  GenerationWatch refused(kArrival);
  refused.OnResponseHead(400, false);
  refused.OnBody(R"({"object":"error"})", kArrival);
  EXPECT_FALSE(refused.Finish(true, false, kArrival, &r));
  GenerationWatch unanswered(kArrival);
  EXPECT_FALSE(unanswered.Finish(false, true, kArrival, &r));
}

TEST(GenerationWatch, MalformedInputNeverBreaksTheWatch) {
  GenerationRecord r =
      Streamed({"data: {not json\n\n", "event: ping\n\n", ": comment\n\n", "data: [1,2]\n\n",
                "data: {\"choices\":{}}\n\n", "data: {\"choices\":[1,\"x\",{\"index\":-1}]}\n\n",
                "data: {\"choices\":[{\"index\":99999,\"text\":\"a\"}]}\n\n", ChatFrame(R"({"content":"ok"})")});
  EXPECT_EQ(r.generation_tokens, 1u);
}

TEST(GenerationWatch, OpenAiReasonsMapToVllmReasons) {
  EXPECT_EQ(FinishReasonFromOpenAi("stop"), FinishReason::kStop);
  EXPECT_EQ(FinishReasonFromOpenAi("tool_calls"), FinishReason::kStop);
  EXPECT_EQ(FinishReasonFromOpenAi("length"), FinishReason::kLength);
  EXPECT_EQ(FinishReasonFromOpenAi("abort"), FinishReason::kAbort);
  EXPECT_EQ(FinishReasonFromOpenAi("error"), FinishReason::kError);
  EXPECT_EQ(FinishReasonFromOpenAi("repetition"), FinishReason::kRepetition);
}

}  // namespace
}  // namespace shim::metrics
