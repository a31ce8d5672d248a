// Connector names from vLLM @9aaf83ef vllm/distributed/kv_transfer/kv_connector/factory.py;
// production-stack @a6c01db0 tutorials/assets/values-16-disagg-prefill.yaml sets
// LMCacheConnectorV1 with kv_producer on the prefill and kv_consumer on the decode, and
// NixlConnector deployments set kv_both on both sides.
#include "pd/pd_plan.h"

#include <gtest/gtest.h>

namespace shim::pd {
namespace {

using nlohmann::json;

PdPlan MustPlan(const char* config, std::string_view role = "", std::string_view backend = "") {
  PdPlan plan;
  std::string err;
  EXPECT_TRUE(PdPlanFromKvTransferConfig(json::parse(config), role, backend, &plan, &err)) << config << ": " << err;
  return plan;
}

std::string MustFail(const char* config, std::string_view role = "") {
  PdPlan plan;
  std::string err;
  EXPECT_FALSE(PdPlanFromKvTransferConfig(json::parse(config), role, "", &plan, &err)) << config;
  return err;
}

TEST(PdPlanTest, KvRoleNamesTheSide) {
  PdPlan p = MustPlan(R"({"kv_connector":"LMCacheConnectorV1","kv_role":"kv_producer"})");
  EXPECT_EQ(p.mode, PdMode::kPrefill);
  EXPECT_EQ(p.transfer_backend, "nixl");
  p = MustPlan(R"({"kv_connector":"LMCacheConnectorV1","kv_role":"kv_consumer"})");
  EXPECT_EQ(p.mode, PdMode::kDecode);
  p = MustPlan(R"({"kv_connector":"MooncakeConnector","kv_role":"kv_producer"})");
  EXPECT_EQ(p.transfer_backend, "mooncake");
  EXPECT_EQ(PdModeName(p.mode), "prefill");
}

TEST(PdPlanTest, KvBothNeedsTheRoleFromTheSetting) {
  const char* nixl = R"({"kv_connector":"NixlConnector","kv_role":"kv_both"})";
  EXPECT_NE(MustFail(nixl).find("VLLM_SGLANG_PD_ROLE"), std::string::npos);
  EXPECT_EQ(MustPlan(nixl, "decode").mode, PdMode::kDecode);
  EXPECT_EQ(MustPlan(nixl, "prefill").transfer_backend, "nixl");
  EXPECT_EQ(MustPlan(nixl, "prefill", "mooncake").transfer_backend, "mooncake");
}

TEST(PdPlanTest, TheSettingMayNotContradictTheConfig) {
  EXPECT_NE(MustFail(R"({"kv_connector":"NixlConnector","kv_role":"kv_producer"})", "decode").find("contradicts"),
            std::string::npos);
  EXPECT_NE(MustFail(R"({"kv_connector":"NixlConnector","kv_role":"kv_both"})", "both").find("prefill or decode"),
            std::string::npos);
  EXPECT_NE(MustFail(R"({"kv_connector":"OffloadingConnector","kv_role":"kv_both"})", "prefill")
                .find("needs --kv-transfer-config"),
            std::string::npos);
}

TEST(PdPlanTest, ConnectorsThatDoNotDisaggregateLeaveOneUnifiedEngine) {
  for (const char* config :
       {R"({"kv_connector":"LMCacheConnectorV1","kv_role":"kv_both"})",
        R"({"kv_connector":"OffloadingConnector","kv_role":"kv_both"})",
        R"({"kv_connector":"SharedStorageConnector","kv_role":"kv_producer"})", R"({"kv_role":"kv_both"})", "{}"}) {
    SCOPED_TRACE(config);
    EXPECT_EQ(MustPlan(config).mode, PdMode::kNone);
    EXPECT_FALSE(IsPdConnector(json::parse(config)));
  }
}

TEST(PdPlanTest, MultiConnectorIsPdWhenOneOfItsConnectorsIs) {
  const char* multi = R"({"kv_connector":"MultiConnector","kv_role":"kv_consumer","kv_connector_extra_config":
      {"connectors":[{"kv_connector":"OffloadingConnector"},{"kv_connector":"MooncakeConnector"}]}})";
  PdPlan p = MustPlan(multi);
  EXPECT_EQ(p.mode, PdMode::kDecode);
  EXPECT_EQ(p.connector, "MultiConnector");
  EXPECT_EQ(p.transfer_backend, "mooncake");
  EXPECT_EQ(MustPlan(R"({"kv_connector":"MultiConnector","kv_role":"kv_both","kv_connector_extra_config":
      {"connectors":[{"kv_connector":"OffloadingConnector"}]}})")
                .mode,
            PdMode::kNone);
}

}  // namespace
}  // namespace shim::pd
