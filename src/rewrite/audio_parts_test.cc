#include "rewrite/audio_parts.h"

#include <gtest/gtest.h>

#include <string>

#include "rewrite/request_rewriter.h"

namespace shim {
namespace {

TEST(AudioPartsTest, NoInputAudioIsNone) {
  EXPECT_EQ(RewriteInputAudioParts(R"([{"role":"user","content":"hi"}])").outcome, AudioPartsRewrite::kNone);
  // A text that mentions the word is not a part.
  auto r = RewriteInputAudioParts(R"([{"role":"user","content":[{"type":"text","text":"input_audio"}]}])");
  EXPECT_EQ(r.outcome, AudioPartsRewrite::kNone);
}

TEST(AudioPartsTest, WavAndMp3BecomeAudioUrlInPlace) {
  std::string in = R"([{"role":"system","content":"s"}, {"role":"user","content":[{"type":"text","text":"what?"},)"
                   R"( {"type" : "input_audio", "input_audio": {"data": "UklGR\/8=", "format": "wav"}, "uuid":"u1"},)"
                   R"({"input_audio":{"format":"mp3","data":"SUQz"},"type":"input_audio"}]}])";
  auto r = RewriteInputAudioParts(in);
  ASSERT_EQ(r.outcome, AudioPartsRewrite::kRewritten);
  EXPECT_EQ(r.parts, 2);
  EXPECT_EQ(r.messages,
            R"([{"role":"system","content":"s"}, {"role":"user","content":[{"type":"text","text":"what?"},)"
            R"( {"type" : "audio_url", "audio_url":{"url":"data:audio/wav;base64,UklGR\/8="}, "uuid":"u1"},)"
            R"({"audio_url":{"url":"data:audio/mpeg;base64,SUQz"},"type":"audio_url"}]}])");
}

TEST(AudioPartsTest, DuplicateKeysFollowPython) {
  auto r = RewriteInputAudioParts(R"([{"role":"user","content":[{"type":"text","type":"input_audio","audio_url":1,)"
                                  R"("input_audio":{"format":"ogg","data":"x","format":"wav"}}]}])");
  ASSERT_EQ(r.outcome, AudioPartsRewrite::kRewritten);
  EXPECT_EQ(r.messages,
            R"([{"role":"user","content":[{"type":"audio_url","audio_url":{"url":"data:audio/wav;base64,x"}}]}])");
}

TEST(AudioPartsTest, BadPartsAreRefused) {
  for (const char* in : {
           R"([{"role":"user","content":[{"type":"input_audio","input_audio":{"data":"x","format":"flac"}}]}])",
           R"([{"role":"user","content":[{"type":"input_audio","input_audio":{"data":"x"}}]}])",
           R"([{"role":"user","content":[{"type":"input_audio","input_audio":{"data":12,"format":"wav"}}]}])",
           R"([{"role":"user","content":[{"type":"input_audio","input_audio":"x"}]}])",
           R"([{"role":"user","content":[{"type":"input_audio"}]}])",
       }) {
    auto r = RewriteInputAudioParts(in);
    EXPECT_EQ(r.outcome, AudioPartsRewrite::kInvalid) << in;
    EXPECT_NE(r.message.find("messages[0].content[0]"), std::string::npos) << r.message;
  }
}

TEST(AudioPartsTest, ThroughTheChatRewrite) {
  RewriteOptions options;
  std::string body = R"({"model":"m","messages":[{"role":"user","content":[{"type":"input_audio",)"
                     R"("input_audio":{"data":"AAAA","format":"mp3"}}]}],"temperature":0.5,"logprobs":null})";
  RequestRewrite r = RewriteRequestBody(RouteKind::kChatCompletions, body, options);
  ASSERT_EQ(r.outcome, RequestRewrite::kRewritten);
  EXPECT_EQ(r.body, R"({"model":"m","messages":[{"role":"user","content":[{"type":"audio_url",)"
                    R"("audio_url":{"url":"data:audio/mpeg;base64,AAAA"}}]}],"temperature":0.5})");

  std::string bad =
      R"({"messages":[{"role":"user","content":[{"type":"input_audio","input_audio":{"data":"A","format":"aac"}}]}]})";
  r = RewriteRequestBody(RouteKind::kChatCompletions, bad, options);
  ASSERT_EQ(r.outcome, RequestRewrite::kReject);
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("\"param\":\"messages\""), std::string::npos) << r.body;
  EXPECT_NE(r.body.find("BadRequestError"), std::string::npos) << r.body;

  // Completions bodies are not chat: their messages (if any) are SGLang's business.
  r = RewriteRequestBody(RouteKind::kCompletions, bad, options);
  EXPECT_EQ(r.outcome, RequestRewrite::kUnchanged);
  // Nothing to do: the original bytes and the scan go on.
  std::string plain = R"({"messages":[{"role":"user","content":"hello"}]})";
  r = RewriteRequestBody(RouteKind::kChatCompletions, plain, options);
  EXPECT_EQ(r.outcome, RequestRewrite::kUnchanged);
  EXPECT_TRUE(r.scan.has_value());
}

TEST(AudioPartsTest, MediaTypes) {
  EXPECT_EQ(AudioMediaType("wav"), "audio/wav");
  EXPECT_EQ(AudioMediaType("mp3"), "audio/mpeg");
  EXPECT_EQ(AudioMediaType("flac"), "");
  EXPECT_EQ(AudioMediaType("WAV"), "");
}

}  // namespace
}  // namespace shim
