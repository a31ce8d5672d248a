#include "rewrite/error_shape.h"

#include <gtest/gtest.h>

namespace shim {
namespace {

using nlohmann::json;

json Parse(const std::string& text) {
  json out = json::parse(text, nullptr, false);
  EXPECT_FALSE(out.is_discarded()) << text;
  return out;
}

// SGLang serving_base.create_error_response: flat ErrorResponse
// (python/sglang/srt/entrypoints/openai/protocol.py: object, message, type, param, code).
TEST(ErrorShape, FlatSglangErrorBecomesNested) {
  int status = 0;
  auto out = VllmErrorFromSglang(
      400,
      R"({"object":"error","message":"Messages cannot be empty.","type":"BadRequestError","param":null,"code":400})",
      &status);
  ASSERT_TRUE(out);
  EXPECT_EQ(status, 400);
  EXPECT_EQ(Parse(*out), json::parse(R"({"error":{"message":"Messages cannot be empty.",
      "type":"BadRequestError","param":null,"code":400}})"));
}

// SGLang's transcription route: {"error":{"message":...}} alone (http_server.py).
TEST(ErrorShape, MessageOnlyNestedErrorIsCompleted) {
  int status = 0;
  auto out = VllmErrorFromSglang(
      400, R"({"error":{"message":"Only 'json', 'text', and 'verbose_json' formats supported"}})", &status);
  ASSERT_TRUE(out);
  EXPECT_EQ(status, 400);
  EXPECT_EQ(Parse(*out), json::parse(R"({"error":{"message":"Only 'json', 'text', and 'verbose_json' formats supported",
      "type":"BadRequestError","param":null,"code":400}})"));
  // Not an error body of any known shape: left alone.
  EXPECT_FALSE(VllmErrorFromSglang(400, R"({"error":{"msg":"x"}})", &status));
  EXPECT_FALSE(VllmErrorFromSglang(400, R"({"error":{"message":"x"},"extra":1})", &status));
}

TEST(ErrorShape, KeepsStatusAndParam) {
  int status = 0;
  auto out = VllmErrorFromSglang(
      500,
      R"({"object":"error","message":"Internal server error: x","type":"InternalServerError","param":"model","code":500})",
      &status);
  ASSERT_TRUE(out);
  EXPECT_EQ(status, 500);
  json e = Parse(*out)["error"];
  EXPECT_EQ(e["param"], "model");
  EXPECT_EQ(e["code"], 500);
  EXPECT_FALSE(e.contains("object"));
}

TEST(ErrorShape, CodeFollowsTheHttpStatus) {
  // vLLM: "the HTTP status equal to code".
  int status = 0;
  auto out = VllmErrorFromSglang(
      400, R"({"object":"error","message":"m","type":"Bad Request","param":null,"code":"x"})", &status);
  ASSERT_TRUE(out);
  EXPECT_EQ(Parse(*out)["error"]["code"], 400);
}

TEST(ErrorShape, SglangNestedWithObjectIsCleaned) {
  int status = 0;
  auto out = VllmErrorFromSglang(
      400, R"({"error":{"object":"error","message":"m","type":"BadRequestError","param":null,"code":400}})", &status);
  ASSERT_TRUE(out);
  EXPECT_FALSE(Parse(*out)["error"].contains("object"));
}

TEST(ErrorShape, AlreadyVllmShapedIsLeftAlone) {
  int status = 7;
  EXPECT_FALSE(VllmErrorFromSglang(
      404, R"({"error":{"message":"m","type":"NotFoundError","param":"model","code":404}})", &status));
  EXPECT_EQ(status, 7);
}

TEST(ErrorShape, NonErrorsAndNonJsonAreLeftAlone) {
  int status = 7;
  EXPECT_FALSE(VllmErrorFromSglang(200, R"({"object":"error","message":"m"})", &status));
  EXPECT_FALSE(VllmErrorFromSglang(500, "Internal Server Error", &status));
  EXPECT_FALSE(VllmErrorFromSglang(500, "", &status));
  EXPECT_FALSE(VllmErrorFromSglang(400, "[1]", &status));
  EXPECT_FALSE(VllmErrorFromSglang(400, R"({"message":"m"})", &status));
  EXPECT_FALSE(VllmErrorFromSglang(400, std::string(100000, '['), &status));
  EXPECT_EQ(status, 7);
}

TEST(ErrorShape, FastApi422BecomesVllm400) {
  // SGLang < v0.4.9 let FastAPI answer 422 {"detail":[...]}; vLLM answers 400 "Bad Request".
  int status = 0;
  auto out =
      VllmErrorFromSglang(422,
                          R"({"detail":[{"type":"missing","loc":["body","messages"],"msg":"Field required","input":{}},
                    {"loc":["body","n",0],"msg":"bad"}]})",
                          &status);
  ASSERT_TRUE(out);
  EXPECT_EQ(status, 400);
  json e = Parse(*out)["error"];
  EXPECT_EQ(e["type"], "Bad Request");
  EXPECT_EQ(e["code"], 400);
  EXPECT_TRUE(e["param"].is_null());
  EXPECT_EQ(e["message"], "2 validation errors: body.messages: Field required; body.n.0: bad");
}

TEST(ErrorShape, HttpExceptionDetailUsesThePhrase) {
  int status = 0;
  auto out = VllmErrorFromSglang(404, R"({"detail":"Not Found"})", &status);
  ASSERT_TRUE(out);
  EXPECT_EQ(status, 404);
  EXPECT_EQ(Parse(*out), json::parse(R"({"error":{"message":"Not Found","type":"Not Found",
      "param":null,"code":404}})"));
}

TEST(ErrorShape, OwnErrorBody) {
  EXPECT_EQ(Parse(VllmErrorBody(404, "The model `x` does not exist.", "NotFoundError", "model")),
            json::parse(R"({"error":{"message":"The model `x` does not exist.",
                "type":"NotFoundError","param":"model","code":404}})"));
  // Same member order as vLLM's ErrorInfo model.
  EXPECT_EQ(VllmErrorBody(400, "m", "BadRequestError"),
            R"({"error":{"message":"m","type":"BadRequestError","param":null,"code":400}})");
  json e = Parse(VllmErrorBody(503, "quote \" and \xFF", "Service Unavailable"))["error"];
  EXPECT_TRUE(e["param"].is_null());
  EXPECT_EQ(e["code"], 503);
}

TEST(ErrorShape, TypeNamesFollowVllm) {
  // vllm/entrypoints/utils.py create_error_response; HTTPException → phrase.
  EXPECT_EQ(VllmErrorTypeForStatus(400), "BadRequestError");
  EXPECT_EQ(VllmErrorTypeForStatus(404), "NotFoundError");
  EXPECT_EQ(VllmErrorTypeForStatus(422), "UnprocessableEntityError");
  EXPECT_EQ(VllmErrorTypeForStatus(500), "InternalServerError");
  EXPECT_EQ(VllmErrorTypeForStatus(501), "NotImplementedError");
  EXPECT_EQ(VllmErrorTypeForStatus(503), "Service Unavailable");
  EXPECT_EQ(HttpStatusPhrase(599), "Error");
}

// One table serves error types and the front door's status lines, with the
// phrases uvicorn takes from CPython 3.12's http.HTTPStatus.
TEST(ErrorShape, StatusPhrasesArePythons) {
  EXPECT_EQ(HttpStatusPhrase(100), "Continue");
  EXPECT_EQ(HttpStatusPhrase(200), "OK");
  EXPECT_EQ(HttpStatusPhrase(413), "Request Entity Too Large");
  EXPECT_EQ(HttpStatusPhrase(431), "Request Header Fields Too Large");
  EXPECT_EQ(HttpStatusPhrase(505), "HTTP Version Not Supported");
}

}  // namespace
}  // namespace shim
