#include "endpoints/lora_admin.h"

#include <nlohmann/json.hpp>

#include <gtest/gtest.h>

namespace shim::endpoints {
namespace {

using nlohmann::json;

TEST(LoraAdmin, ParsesLoadRequest) {
  LoadLoraRequest req;
  EndpointReply reject;
  ASSERT_TRUE(ParseLoadLoraRequest(R"({"lora_name":"sql","lora_path":"/l/sql","load_inplace":true})", &req, &reject));
  EXPECT_EQ(req.lora_name, "sql");
  EXPECT_EQ(req.lora_path, "/l/sql");
  EXPECT_TRUE(req.load_inplace);
  ASSERT_TRUE(ParseLoadLoraRequest(R"({"lora_name":"sql","lora_path":"/l/sql"})", &req, &reject));
  EXPECT_FALSE(req.load_inplace);
}

TEST(LoraAdmin, RejectsBadLoadRequests) {
  LoadLoraRequest req;
  EndpointReply reject;
  EXPECT_FALSE(ParseLoadLoraRequest("not json", &req, &reject));
  EXPECT_EQ(reject.status, 400);
  EXPECT_FALSE(ParseLoadLoraRequest(R"({"lora_path":"/x"})", &req, &reject));
  EXPECT_EQ(reject.status, 400);
  EXPECT_EQ(json::parse(reject.body)["error"]["param"], "lora_name");
  EXPECT_FALSE(ParseLoadLoraRequest(R"({"lora_name":1,"lora_path":"/x"})", &req, &reject));
  EXPECT_FALSE(ParseLoadLoraRequest(R"({"lora_name":"a","lora_path":"/x","load_inplace":"yes"})", &req, &reject));
  // vLLM's _check_load_lora_adapter_request (serving_models.py).
  EXPECT_FALSE(ParseLoadLoraRequest(R"({"lora_name":"","lora_path":"/x"})", &req, &reject));
  json body = json::parse(reject.body);
  EXPECT_EQ(body["error"]["type"], "InvalidUserInput");
  EXPECT_EQ(body["error"]["message"], "Both 'lora_name' and 'lora_path' must be provided.");
}

TEST(LoraAdmin, UnloadRequest) {
  UnloadLoraRequest req;
  EndpointReply reject;
  ASSERT_TRUE(ParseUnloadLoraRequest(R"({"lora_name":"sql"})", &req, &reject));
  EXPECT_EQ(req.lora_name, "sql");
  EXPECT_FALSE(ParseUnloadLoraRequest(R"({"lora_name":""})", &req, &reject));
  EXPECT_EQ(json::parse(reject.body)["type"], "InvalidUserInput");
  EXPECT_FALSE(ParseUnloadLoraRequest(R"({})", &req, &reject));
}

TEST(LoraAdmin, SuccessTextsAreVllms) {
  EXPECT_EQ(LoraLoadedReply("sql").body, "Success: LoRA adapter 'sql' added successfully.");
  EXPECT_EQ(LoraRemovedReply("sql").body, "Success: LoRA adapter 'sql' removed successfully.");
  EXPECT_EQ(LoraLoadedReply("sql").status, 200);
}

// What the production-stack LoRA controller accepts as "already loaded"
// (operator/internal/controller/loraadapter_controller.go, sendRequest):
// 400, top-level type "InvalidUserInput", message containing "has already been loaded".
TEST(LoraAdmin, DuplicateBodySatisfiesControllerAndVllmClients) {
  EndpointReply reply = LoraAlreadyLoadedReply("sql");
  EXPECT_EQ(reply.status, 400);
  json body = json::parse(reply.body);
  EXPECT_EQ(body["type"], "InvalidUserInput");
  EXPECT_NE(body["message"].get<std::string>().find("has already been loaded"), std::string::npos);
  EXPECT_EQ(body["error"]["type"], "InvalidUserInput");
  EXPECT_EQ(body["error"]["code"], 400);
  EXPECT_EQ(body["error"]["message"], body["message"]);
}

TEST(LoraAdmin, NotFound) {
  EndpointReply reply = LoraNotFoundReply("x");
  EXPECT_EQ(reply.status, 404);
  EXPECT_EQ(json::parse(reply.body)["error"]["type"], "NotFoundError");
}

TEST(LoraAdmin, SglangBodies) {
  EXPECT_EQ(json::parse(SglangLoadLoraBody({"a", "/p", true})), json({{"lora_name", "a"}, {"lora_path", "/p"}}));
  EXPECT_EQ(json::parse(SglangUnloadLoraBody("a")), json({{"lora_name", "a"}}));
}

TEST(LoraAdmin, TranslatesSglangAnswers) {
  EXPECT_FALSE(SglangLoraFailure(true, 200, R"({"success":true,"error_message":"","loaded_adapters":{}})", ""));
  auto unreachable = SglangLoraFailure(false, 0, "", "connect: Connection refused");
  ASSERT_TRUE(unreachable);
  EXPECT_EQ(unreachable->status, 503);
  auto missing =
      SglangLoraFailure(true, 400, R"({"success":false,"error_message":"No such file or directory: /x"})", "");
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->status, 404);
  auto other = SglangLoraFailure(true, 400, R"({"success":false,"error_message":"rank too large"})", "");
  ASSERT_TRUE(other);
  EXPECT_EQ(other->status, 400);
  EXPECT_EQ(json::parse(other->body)["error"]["message"], "rank too large");
  auto false_200 = SglangLoraFailure(true, 200, R"({"success":false,"error_message":"boom"})", "");
  ASSERT_TRUE(false_200);
  auto garbage = SglangLoraFailure(true, 500, "<html>", "");
  ASSERT_TRUE(garbage);
  EXPECT_EQ(garbage->status, 500);
}

// vLLM's ErrorInfo member order inside "error", then the flat members the
// production-stack LoRA controller reads at the top level.
TEST(LoraAdmin, ErrorMembersInVllmOrder) {
  EndpointReply reply = LoraAlreadyLoadedReply("a");
  nlohmann::ordered_json body = nlohmann::ordered_json::parse(reply.body);
  std::vector<std::string> outer, inner;
  for (auto& [key, value] : body.items()) outer.push_back(key);
  for (auto& [key, value] : body["error"].items()) inner.push_back(key);
  EXPECT_EQ(inner, (std::vector<std::string>{"message", "type", "param", "code"}));
  EXPECT_EQ(outer, (std::vector<std::string>{"error", "object", "message", "type", "param", "code"}));
  EXPECT_EQ(body["type"], "InvalidUserInput");
  EXPECT_EQ(VllmError(404, "m", "NotFoundError", "model").body,
            R"({"error":{"message":"m","type":"NotFoundError","param":"model","code":404}})");
}

}  // namespace
}  // namespace shim::endpoints
