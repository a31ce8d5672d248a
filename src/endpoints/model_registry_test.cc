#include "endpoints/model_registry.h"

#include <nlohmann/json.hpp>

#include <gtest/gtest.h>

namespace shim::endpoints {
namespace {

using nlohmann::json;

ModelRegistry Make() { return ModelRegistry({{"Qwen/Qwen3-8B", "qwen3"}, "/models/qwen3", 4096, 1700000000}); }

// Shape of vLLM @9aaf83ef's ModelCard / ModelPermission (vllm/entrypoints/openai/engine/protocol.py).
TEST(ModelRegistry, OneCardPerServedNameInVllmShape) {
  auto registry = Make();
  json list = json::parse(registry.ModelsJson());
  EXPECT_EQ(list["object"], "list");
  ASSERT_EQ(list["data"].size(), 2u);
  for (size_t i = 0; i < 2; ++i) {
    const auto& card = list["data"][i];
    EXPECT_EQ(card["object"], "model");
    EXPECT_EQ(card["owned_by"], "vllm");
    EXPECT_EQ(card["root"], "/models/qwen3");
    EXPECT_TRUE(card["parent"].is_null());
    EXPECT_EQ(card["max_model_len"], 4096);
    EXPECT_EQ(card["created"], 1700000000);
    ASSERT_EQ(card["permission"].size(), 1u);
    EXPECT_EQ(card["permission"][0]["object"], "model_permission");
    EXPECT_EQ(card["permission"][0]["id"].get<std::string>().rfind("modelperm-", 0), 0u);
    EXPECT_EQ(card["permission"][0]["id"].get<std::string>().size(), 10u + 32u);
  }
  EXPECT_EQ(list["data"][0]["id"], "Qwen/Qwen3-8B");
  EXPECT_EQ(list["data"][1]["id"], "qwen3");
  EXPECT_EQ(registry.ModelsJson(), registry.ModelsJson());  // stable between calls
}

TEST(ModelRegistry, AdaptersAreCardsWithParentAndPath) {
  auto registry = Make();
  registry.PutAdapter("sql", "/loras/sql", "", 1700000100);
  registry.PutAdapter("chat", "/loras/chat", "qwen3", 1700000200);
  json data = json::parse(registry.ModelsJson())["data"];
  ASSERT_EQ(data.size(), 4u);
  EXPECT_EQ(data[2]["id"], "sql");
  EXPECT_EQ(data[2]["root"], "/loras/sql");
  EXPECT_EQ(data[2]["parent"], "Qwen/Qwen3-8B");
  EXPECT_TRUE(data[2]["max_model_len"].is_null());
  EXPECT_EQ(data[2]["created"], 1700000100);
  EXPECT_EQ(data[3]["parent"], "qwen3");
}

TEST(ModelRegistry, ReplaceAndRemove) {
  auto registry = Make();
  registry.PutAdapter("sql", "/a", "", 1);
  registry.PutAdapter("sql", "/b", "", 2);
  ASSERT_EQ(registry.Adapters().size(), 1u);
  EXPECT_EQ(registry.FindAdapter("sql")->path, "/b");
  EXPECT_TRUE(registry.RemoveAdapter("sql"));
  EXPECT_FALSE(registry.RemoveAdapter("sql"));
  EXPECT_FALSE(registry.FindAdapter("sql"));
}

TEST(ModelRegistry, MaxModelLenLearnedWhenNotGiven) {
  ModelRegistry registry({{}, "/m", std::nullopt, 0});
  EXPECT_EQ(registry.primary_name(), "/m");  // no served name: the model path, as vLLM
  EXPECT_TRUE(json::parse(registry.ModelsJson())["data"][0]["max_model_len"].is_null());
  registry.LearnMaxModelLen(32768);
  EXPECT_EQ(json::parse(registry.ModelsJson())["data"][0]["max_model_len"], 32768);
}

TEST(ModelRegistry, PermissionIdsDifferPerCard) {
  EXPECT_NE(ModelPermissionId("a"), ModelPermissionId("b"));
  EXPECT_EQ(ModelPermissionId("a"), ModelPermissionId("a"));
}

// pydantic serialises ModelCard in field order; clients that diff or log the
// listing see vLLM's order (vllm/entrypoints/openai/engine/protocol.py).
TEST(ModelRegistry, CardMembersInVllmOrder) {
  auto registry = Make();
  nlohmann::ordered_json list = nlohmann::ordered_json::parse(registry.ModelsJson());
  std::vector<std::string> top;
  for (auto& [key, value] : list.items()) top.push_back(key);
  EXPECT_EQ(top, (std::vector<std::string>{"object", "data"}));
  std::vector<std::string> card;
  for (auto& [key, value] : list["data"][0].items()) card.push_back(key);
  EXPECT_EQ(card, (std::vector<std::string>{"id", "object", "created", "owned_by", "root", "parent", "max_model_len",
                                            "permission"}));
}

}  // namespace
}  // namespace shim::endpoints
