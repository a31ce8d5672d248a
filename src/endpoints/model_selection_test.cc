#include "endpoints/model_selection.h"

#include <memory>

#include <nlohmann/json.hpp>

#include <gtest/gtest.h>

namespace shim::endpoints {
namespace {

using nlohmann::json;

std::unique_ptr<ModelRegistry> MakePtr(std::vector<std::string> names = {"Qwen/Qwen3-8B", "qwen3"}) {
  auto registry = std::make_unique<ModelRegistry>(ModelRegistryConfig{std::move(names), "/models/qwen3", 4096, 1});
  registry->PutAdapter("sql-lora", "/loras/sql", "", 2);
  return registry;
}

TEST(SelectModel, AbsentOrEmptyRunsBaseUnderFirstName) {
  auto owned = MakePtr();
  const ModelRegistry& registry = *owned;
  for (std::string body : {std::string(R"({"prompt":"hi"})"), std::string(R"({"model":"","prompt":"hi"})"),
                           std::string(R"({"model":null,"prompt":"hi"})")}) {
    ModelSelection sel;
    EndpointReply reject;
    ASSERT_TRUE(SelectModel(registry, &body, nullptr, &sel, &reject));
    json edited = json::parse(body);
    EXPECT_EQ(edited["model"], "Qwen/Qwen3-8B");
    EXPECT_FALSE(edited.contains("lora_path"));
    EXPECT_EQ(edited["prompt"], "hi");
    EXPECT_FALSE(sel.adapter);
    EXPECT_FALSE(sel.rename_answer);
  }
}

// vllm/entrypoints/openai/serving_engine.py _get_model_name: a served name is
// answered under itself, not under the first served name.
TEST(SelectModel, SecondServedNameRunsBaseUnderItsOwnName) {
  auto owned = MakePtr();
  std::string body = R"({"model":"qwen3","prompt":"hi"})";
  ModelSelection sel;
  EndpointReply reject;
  ASSERT_TRUE(SelectModel(*owned, &body, nullptr, &sel, &reject));
  EXPECT_EQ(json::parse(body)["model"], "qwen3");
  EXPECT_EQ(sel.answer_model, "qwen3");
  EXPECT_FALSE(sel.adapter);
}

TEST(SelectModel, BodyNamingAServedModelIsLeftByteForByte) {
  auto owned = MakePtr();
  const std::string original = "{ \"max_tokens\" :3,\n \"model\":\"qwen3\",  \"top_p\":1e0 }  ";
  std::string body = original;
  ModelSelection sel;
  EndpointReply reject;
  ASSERT_TRUE(SelectModel(*owned, &body, nullptr, &sel, &reject));
  EXPECT_EQ(body, original);
  EXPECT_EQ(sel.answer_model, "qwen3");
}

// Python's json (FastAPI) resolves escapes before vLLM compares names: "Qwen\/Qwen3-8B"
// is the served name, sent on with its escape resolved.
TEST(SelectModel, EscapedNamesAreComparedDecoded) {
  auto owned = MakePtr();
  std::string body = R"({"model":"Qwen\/Qwen3-8B","prompt":"hi"})";
  ModelSelection sel;
  EndpointReply reject;
  ASSERT_TRUE(SelectModel(*owned, &body, nullptr, &sel, &reject));
  EXPECT_EQ(sel.answer_model, "Qwen/Qwen3-8B");
  EXPECT_EQ(json::parse(body)["model"], "Qwen/Qwen3-8B");
  std::string adapter = R"({"model":"sql\u002dlora"})";
  ASSERT_TRUE(SelectModel(*owned, &adapter, nullptr, &sel, &reject));
  EXPECT_TRUE(sel.adapter);
  EXPECT_EQ(json::parse(adapter)["lora_path"], "sql-lora");
  std::string unknown = R"({"model":"no\u0070e"})";
  EXPECT_FALSE(SelectModel(*owned, &unknown, nullptr, &sel, &reject));
  EXPECT_NE(reject.body.find("The model `nope` does not exist."), std::string::npos) << reject.body;
}

TEST(SelectModel, AdapterNameSetsLoraPathAndKeepsName) {
  auto owned = MakePtr();
  const ModelRegistry& registry = *owned;
  std::string body = R"({ "messages" : [ {"role":"user","content":"x"} ], "model":"sql-lora", "stream":true })";
  ModelSelection sel;
  EndpointReply reject;
  ASSERT_TRUE(SelectModel(registry, &body, nullptr, &sel, &reject));
  json edited = json::parse(body);
  EXPECT_EQ(edited["model"], "sql-lora");
  EXPECT_EQ(edited["lora_path"], "sql-lora");
  EXPECT_EQ(edited["stream"], true);
  EXPECT_EQ(edited["messages"][0]["content"], "x");
  EXPECT_TRUE(sel.adapter);
  EXPECT_EQ(sel.answer_model, "sql-lora");
  // Untouched values keep their bytes.
  EXPECT_NE(body.find(R"([ {"role":"user","content":"x"} ])"), std::string::npos);
}

TEST(SelectModel, ClientLoraPathAndDuplicateModelKeysAreReplaced) {
  auto owned = MakePtr();
  const ModelRegistry& registry = *owned;
  std::string body = R"({"model":"x","lora_path":"evil","model":"qwen3"})";
  ModelSelection sel;
  EndpointReply reject;
  ASSERT_TRUE(SelectModel(registry, &body, nullptr, &sel, &reject));
  EXPECT_EQ(body, R"({"model":"qwen3"})");
}

TEST(SelectModel, UnknownModelIsVllm404) {
  auto owned = MakePtr();
  const ModelRegistry& registry = *owned;
  std::string body = R"({"model":"gpt-4","prompt":"x"})";
  ModelSelection sel;
  EndpointReply reject;
  ASSERT_FALSE(SelectModel(registry, &body, nullptr, &sel, &reject));
  EXPECT_EQ(reject.status, 404);
  json err = json::parse(reject.body);
  EXPECT_EQ(err["error"]["message"], "The model `gpt-4` does not exist.");
  EXPECT_EQ(err["error"]["type"], "NotFoundError");
  EXPECT_EQ(err["error"]["param"], "model");
  EXPECT_EQ(err["error"]["code"], 404);
}

TEST(SelectModel, ColonNamesAreNeutralisedAndRenamedBack) {
  auto owned = MakePtr({"llama:8b"});
  const ModelRegistry& registry = *owned;
  std::string body = R"({"model":"llama:8b"})";
  ModelSelection sel;
  EndpointReply reject;
  ASSERT_TRUE(SelectModel(registry, &body, nullptr, &sel, &reject));
  EXPECT_EQ(json::parse(body)["model"], std::string(kNeutralModelName));
  EXPECT_TRUE(sel.rename_answer);
  EXPECT_EQ(sel.answer_model, "llama:8b");
}

TEST(SelectModel, NonObjectOrOddModelLeftForSglang) {
  auto owned = MakePtr();
  const ModelRegistry& registry = *owned;
  for (std::string body : {std::string("[1]"), std::string("{bad"), std::string(R"({"model":5})")}) {
    std::string before = body;
    ModelSelection sel;
    EndpointReply reject;
    EXPECT_TRUE(SelectModel(registry, &body, nullptr, &sel, &reject));
    EXPECT_EQ(body, before);
  }
}

TEST(RenameModel, JsonAndSseFrames) {
  std::string body = R"({"id":"x","model":"vllm-sglang-shim-model","choices":[]})";
  RenameModelInJson(&body, "llama:8b");
  EXPECT_EQ(body, R"({"id":"x","model":"llama:8b","choices":[]})");
  std::string frame = "data: {\"model\":\"n\",\"choices\":[]}\n\n";
  RenameModelInSseFrame(&frame, "a:b");
  EXPECT_EQ(frame, "data: {\"model\":\"a:b\",\"choices\":[]}\n\n");
  std::string done = "data: [DONE]\n\n";
  RenameModelInSseFrame(&done, "a:b");
  EXPECT_EQ(done, "data: [DONE]\n\n");
  std::string no_model = "data: {\"error\":{}}\n\n";
  RenameModelInSseFrame(&no_model, "a:b");
  EXPECT_EQ(no_model, "data: {\"error\":{}}\n\n");
}

TEST(SelectModel, AScanMadeEarlierGivesTheSameAnswerAsItsOwn) {
  auto owned = MakePtr();
  for (std::string original :
       {std::string(R"({"model":"qwen3","prompt":"hi"})"), std::string(R"({"prompt":"hi","model":"sql-lora"})"),
        std::string(R"({"model":"qwen3","model":"sql-lora","lora_path":"x"})"), std::string(R"({"model":"nope"})")}) {
    std::string own_body = original;
    std::string scanned_body = original;
    JsonObjectScan scan;
    std::string err;
    ASSERT_TRUE(ScanTopLevelObject(scanned_body, &scan, &err)) << err;
    ModelSelection own, scanned;
    EndpointReply own_reject, scanned_reject;
    EXPECT_EQ(SelectModel(*owned, &own_body, nullptr, &own, &own_reject),
              SelectModel(*owned, &scanned_body, &scan, &scanned, &scanned_reject));
    EXPECT_EQ(own_body, scanned_body);
    EXPECT_EQ(own.answer_model, scanned.answer_model);
    EXPECT_EQ(own.adapter, scanned.adapter);
    EXPECT_EQ(own.body_edited, scanned.body_edited);
    EXPECT_EQ(own.body_edited, own_body != original) << original;
    EXPECT_EQ(own_reject.status, scanned_reject.status);
  }
}

}  // namespace
}  // namespace shim::endpoints
