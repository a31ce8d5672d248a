// vLLM @9aaf83ef vllm/entrypoints/pooling/embed/protocol.py EmbeddingResponse over SGLang
// @8905cbd4 serving_embedding.py's answer, which has neither `id` nor `created`.
#include "pooling/embeddings_filter.h"

#include <gtest/gtest.h>

namespace shim::pooling {
namespace {

using nlohmann::json;

const char* kSglang =
    R"({"data":[{"embedding":[1.0,-2.5],"index":0,"object":"embedding"}],"model":"/models/m","object":"list",)"
    R"("usage":{"prompt_tokens":2,"total_tokens":2,"completion_tokens":0,"prompt_tokens_details":null}})";

RequestHead Head() {
  RequestHead head;
  head.method = "POST";
  head.target = "/v1/embeddings";
  return head;
}

TEST(EmbeddingsFilterTest, FloatAnswerGainsIdAndCreatedAndKeepsItsBytes) {
  std::string out;
  std::string err;
  ASSERT_TRUE(VllmEmbeddingsAnswer(kSglang, EmbeddingEncoding{}, {"embd-1", 1700000000, "served"}, &out, &err)) << err;
  // Every other byte as SGLang sent it: only the model's value changes, and two members follow.
  std::string want = kSglang;
  want.replace(want.find("/models/m"), 9, "served");
  want.pop_back();
  EXPECT_EQ(out.substr(0, want.size()), want);
  json answer = json::parse(out);
  EXPECT_EQ(answer["model"], "served");
  EXPECT_EQ(answer["id"], "embd-1");
  EXPECT_EQ(answer["created"], 1700000000);
  EXPECT_EQ(answer["data"][0]["embedding"], json::parse("[1.0,-2.5]"));
}

TEST(EmbeddingsFilterTest, Base64AnswerCarriesFloat32LittleEndian) {
  EmbeddingEncoding e;
  e.base64 = true;
  std::string out;
  std::string err;
  ASSERT_TRUE(VllmEmbeddingsAnswer(kSglang, e, {"embd-1", 1, "m"}, &out, &err)) << err;
  json answer = json::parse(out);
  EXPECT_EQ(answer["data"][0]["embedding"], "AACAPwAAIMA=");
  EXPECT_EQ(answer["data"][0]["index"], 0);
  EXPECT_EQ(answer["usage"]["prompt_tokens"], 2);
}

TEST(EmbeddingsFilterTest, AnswerNotInSglangShapeIsRefused) {
  std::string out;
  std::string err;
  EmbeddingEncoding b64;
  b64.base64 = true;
  EXPECT_FALSE(VllmEmbeddingsAnswer("[]", EmbeddingEncoding{}, {"i", 1, "m"}, &out, &err));
  EXPECT_FALSE(VllmEmbeddingsAnswer(R"({"data":{}})", EmbeddingEncoding{}, {"i", 1, "m"}, &out, &err));
  EXPECT_FALSE(VllmEmbeddingsAnswer(R"({"data":[{"embedding":["x"]}]})", b64, {"i", 1, "m"}, &out, &err));
  EXPECT_FALSE(VllmEmbeddingsAnswer(R"({"data":[{"vector":[1]}]})", b64, {"i", 1, "m"}, &out, &err));
}

TEST(EmbeddingsFilterTest, RequestAsksSglangForFloatsAndDropsVllmOnlyFields) {
  EmbeddingsFilter filter("served", nullptr);
  std::string body = R"({"input":"hi","encoding_format":"base64","embed_dtype":"float16","endianness":"little"})";
  BodyScan scan;
  LocalResponse reject;
  ASSERT_TRUE(filter.OnRequestBody(Head(), &body, &scan, &reject));
  EXPECT_EQ(body, R"({"input":"hi","encoding_format":"float"})");
  int status = 200;
  HeaderList headers;
  std::string answer = kSglang;
  filter.OnResponseBody(Head(), &status, &headers, &answer);
  EXPECT_EQ(status, 200);
  // float16 little-endian: 1.0 → 00 3c, -2.5 → 00 c1
  EXPECT_EQ(json::parse(answer)["data"][0]["embedding"], "ADwAwQ==");
}

TEST(EmbeddingsFilterTest, UntouchedRequestKeepsItsBytes) {
  EmbeddingsFilter filter("served", nullptr);
  const std::string original = R"({"input":["a","b"], "encoding_format":"float"})";
  std::string body = original;
  BodyScan scan;
  LocalResponse reject;
  ASSERT_TRUE(filter.OnRequestBody(Head(), &body, &scan, &reject));
  EXPECT_EQ(body, original);
  EXPECT_TRUE(scan.has_value());
}

TEST(EmbeddingsFilterTest, RefusesWhatTheEngineCannotServeInVllmShape) {
  // Without SGLang access a chat-style request is refused too.
  for (const char* text : {R"({"messages":[{"role":"user","content":"hi"}],"add_generation_prompt":true})",
                           R"({"input":"a","normalize":false})", R"({"input":"a","encoding_format":"bytes"})",
                           R"({"input":"a","embed_dtype":"fp8_e5m2"})"}) {
    SCOPED_TRACE(text);
    EmbeddingsFilter filter("served", nullptr);
    std::string body = text;
    BodyScan scan;
    LocalResponse reject;
    EXPECT_FALSE(filter.OnRequestBody(Head(), &body, &scan, &reject));
    EXPECT_EQ(reject.status, 400);
    json error = json::parse(reject.body);
    EXPECT_EQ(error["error"]["type"], "BadRequestError");
    EXPECT_EQ(error["error"]["code"], 400);
  }
}

TEST(EmbeddingsFilterTest, ChatStyleRequestLosesItsChatFieldsAndWaitsForItsIds) {
  auto sglang = std::make_shared<SglangAccess>(SglangAccess{Endpoint{"127.0.0.1", 1}, "key"});
  EmbeddingsFilter filter("served", sglang);
  std::string body = R"({"model":"m","messages":[{"role":"user","content":"hi"}],"add_generation_prompt":true,)"
                     R"("chat_template_kwargs":{"enable_thinking":false},"encoding_format":"base64","dimensions":8})";
  BodyScan scan;
  LocalResponse reject;
  ASSERT_TRUE(filter.OnRequestBody(Head(), &body, &scan, &reject));
  EXPECT_TRUE(filter.HasPreflight());
  EXPECT_EQ(json::parse(body), json::parse(R"({"model":"m","encoding_format":"float","dimensions":8})"));
  EmbeddingsFilter plain("served", sglang);
  body = R"({"input":"hi"})";
  ASSERT_TRUE(plain.OnRequestBody(Head(), &body, &scan, &reject));
  EXPECT_FALSE(plain.HasPreflight());
}

TEST(EmbeddingsFilterTest, SglangErrorsBecomeVllmErrors) {
  EmbeddingsFilter filter("served", nullptr);
  int status = 400;
  HeaderList headers;
  std::string body =
      R"({"object":"error","message":"Input cannot be empty","type":"BadRequestError","param":null,"code":400})";
  filter.OnResponseBody(Head(), &status, &headers, &body);
  EXPECT_EQ(status, 400);
  EXPECT_EQ(json::parse(body)["error"]["message"], "Input cannot be empty");
  status = 200;
  body = "oops";
  filter.OnResponseBody(Head(), &status, &headers, &body);
  EXPECT_EQ(status, 502);
  EXPECT_EQ(json::parse(body)["error"]["code"], 502);
}

}  // namespace
}  // namespace shim::pooling
