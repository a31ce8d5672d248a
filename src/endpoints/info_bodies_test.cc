#include "endpoints/info_bodies.h"
#include "endpoints/request_id.h"

#include <nlohmann/json.hpp>

#include <gtest/gtest.h>

namespace shim::endpoints {
namespace {

using nlohmann::json;

TEST(InfoBodies, VersionNamesEngine) {
  json v = json::parse(VersionJson("0.1.0", std::string("0.5.15")));
  EXPECT_EQ(v["version"], "0.1.0");
  EXPECT_EQ(v["engine"], "sglang");
  EXPECT_EQ(v["engine_version"], "0.5.15");
  EXPECT_TRUE(json::parse(VersionJson("0.1.0", std::nullopt))["engine_version"].is_null());
}

TEST(InfoBodies, SglangVersionFromServerInfo) {
  EXPECT_EQ(SglangVersionFromServerInfo(R"({"version":"0.5.9","tp_size":1})"), "0.5.9");
  EXPECT_FALSE(SglangVersionFromServerInfo(R"({"tp_size":1})"));
  EXPECT_FALSE(SglangVersionFromServerInfo("nope"));
}

TEST(InfoBodies, Load) { EXPECT_EQ(LoadJson(3), R"({"server_load":3})"); }

TEST(InfoBodies, ServerInfo) {
  json j = json::parse(ServerInfoJson(R"({"a":1})", R"({"version":"x"})", false));
  EXPECT_EQ(j["vllm_config"]["a"], 1);
  EXPECT_EQ(j["sglang_server_info"]["version"], "x");
  json t = json::parse(ServerInfoJson(R"({"a":1})", "", true));
  EXPECT_TRUE(t["vllm_config"].is_string());
  EXPECT_TRUE(t["sglang_server_info"].is_null());
}

TEST(RequestId, EchoOrNewUuid4Hex) {
  std::string incoming = "abc";
  EXPECT_EQ(ResponseRequestId(&incoming), "abc");
  std::string id = ResponseRequestId(nullptr);
  ASSERT_EQ(id.size(), 32u);
  EXPECT_EQ(id[12], '4');
  EXPECT_NE(id, NewRequestIdHex());
  std::string empty;
  EXPECT_EQ(ResponseRequestId(&empty).size(), 32u);
}

TEST(InfoBodies, MaxModelLenFromSglang) {
  EXPECT_EQ(MaxModelLenFromSglangModels(R"({"object":"list","data":[{"id":"m","max_model_len":32768}]})"), 32768);
  EXPECT_EQ(MaxModelLenFromSglangModels(R"({"data":[{"id":"m","max_model_len":null}]})"), std::nullopt);
  EXPECT_EQ(MaxModelLenFromSglangModels(R"({"data":[]})"), std::nullopt);
  EXPECT_EQ(MaxModelLenFromSglangModels(R"({"data":[{"max_model_len":-4}]})"), std::nullopt);
  EXPECT_EQ(MaxModelLenFromSglangModels("not json"), std::nullopt);
  EXPECT_EQ(MaxModelLenFromSglangModels(R"([1,2])"), std::nullopt);
  EXPECT_EQ(MaxModelLenFromTokenizeAnswer(R"({"tokens":[1],"count":1,"max_model_len":4096})"), 4096);
  EXPECT_EQ(MaxModelLenFromTokenizeAnswer(R"({"tokens":[1],"max_model_len":"4096"})"), std::nullopt);
  EXPECT_EQ(MaxModelLenFromTokenizeAnswer(R"("x")"), std::nullopt);
}

}  // namespace
}  // namespace shim::endpoints
