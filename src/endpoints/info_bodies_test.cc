#include "endpoints/info_bodies.h"
#include "endpoints/request_id.h"

#include <nlohmann/json.hpp>

#include <gtest/gtest.h>

namespace shim::endpoints {
namespace {

using nlohmann::json;

TEST(InfoBodies, VersionNamesEngine) {
  json v = json::parse(VersionJson("0.22.0", "0.1.0", std::string("0.5.15")));
  EXPECT_EQ(v["version"], "0.22.0");  // vLLM's field: the vLLM API version followed
  EXPECT_EQ(v["shim_version"], "0.1.0");
  EXPECT_EQ(v["engine"], "sglang");
  EXPECT_EQ(v["engine_version"], "0.5.15");
  EXPECT_TRUE(json::parse(VersionJson("0.22.0", "0.1.0", std::nullopt))["engine_version"].is_null());
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

TEST(InfoBodies, ServerInfoLosesSglangSecrets) {
  // SGLang's /server_info is asdict(server_args): keys included (http_server.py @8905cbd4).
  std::string sglang = R"({"model_path":"m","api_key":"sk-1","admin_api_key":"sk-2","ssl_keyfile_password":"p",)"
                       R"("max_total_num_tokens":10,"internal_states":[{"hf_token":"t","load":1}],"version":"0.5"})";
  json answer = json::parse(ServerInfoJson("{}", sglang, false));
  const json& info = answer["sglang_server_info"];
  EXPECT_EQ(info["model_path"], "m");
  EXPECT_EQ(info["max_total_num_tokens"], 10);
  EXPECT_EQ(info["internal_states"][0]["load"], 1);
  for (const char* field : {"api_key", "admin_api_key", "ssl_keyfile_password"}) EXPECT_FALSE(info.contains(field));
  EXPECT_FALSE(info["internal_states"][0].contains("hf_token"));
  EXPECT_EQ(answer.dump().find("sk-"), std::string::npos);
}

TEST(InfoBodies, RemoveSecretFieldsKeepsTokenCountsAndRefusesNonJson) {
  std::string body = R"({"API_KEY":"a","x-api-key":"b","token":"c","secret_sauce":"d","max_prefill_tokens":5,)"
                     R"("tokenizer_path":"t","list":[{"password":"e"},{"keep":1}]})";
  ASSERT_TRUE(RemoveSecretFields(&body));
  EXPECT_EQ(json::parse(body), json::parse(R"({"max_prefill_tokens":5,"tokenizer_path":"t","list":[{},{"keep":1}]})"));
  std::string not_json = "api_key=sk-1";
  EXPECT_FALSE(RemoveSecretFields(&not_json));
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
