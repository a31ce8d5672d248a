// --kv-transfer-config with a prefill/decode connector starts SGLang as one half of a PD pair
// (SGLang @8905cbd4 python/sglang/srt/server_args.py: --disaggregation-mode,
// --disaggregation-transfer-backend, --disaggregation-bootstrap-port).
#include <gtest/gtest.h>

#include "translate/translator.h"
#include "translate/translator_test_util.h"

namespace shim {
namespace {

using namespace shim::testing;  // NOLINT

TEST(PdTranslationTest, ProducerAndConsumerBecomeSglangsModes) {
  Translation prefill =
      MustTranslate({"m", "--kv-transfer-config", R"({"kv_connector":"LMCacheConnectorV1","kv_role":"kv_producer"})"});
  EXPECT_EQ(Middle(prefill), (Words{"--disaggregation-mode", "prefill", "--disaggregation-transfer-backend", "nixl",
                                    "--disaggregation-bootstrap-port", "8998"}));
  EXPECT_EQ(prefill.frontend.pd_mode, pd::PdMode::kPrefill);
  EXPECT_EQ(prefill.frontend.pd_bootstrap_port, 8998);
  Settings settings;
  settings.pd_bootstrap_port = 9100;
  Translation decode = MustTranslate(
      {"m", "--kv-transfer-config", R"({"kv_connector":"MooncakeConnector","kv_role":"kv_consumer"})"}, settings);
  EXPECT_EQ(Middle(decode), (Words{"--disaggregation-mode", "decode", "--disaggregation-transfer-backend", "mooncake",
                                   "--disaggregation-bootstrap-port", "9100"}));
  EXPECT_EQ(decode.frontend.pd_mode, pd::PdMode::kDecode);
  EXPECT_EQ(decode.frontend.pd_bootstrap_port, 9100);
}

TEST(PdTranslationTest, KvBothNeedsTheRoleSetting) {
  const Words nixl = {"m", "--kv-transfer-config", R"({"kv_connector":"NixlConnector","kv_role":"kv_both"})"};
  EXPECT_NE(MustFail(nixl).find("VLLM_SGLANG_PD_ROLE"), std::string::npos);
  Settings settings;
  settings.pd_role = "decode";
  settings.pd_transfer_backend = "mooncake";
  Translation t = MustTranslate(nixl, settings);
  EXPECT_EQ(Middle(t), (Words{"--disaggregation-mode", "decode", "--disaggregation-transfer-backend", "mooncake",
                              "--disaggregation-bootstrap-port", "8998"}));
}

TEST(PdTranslationTest, OffloadingLmcacheKeepsItsOwnPath) {
  Translation t =
      MustTranslate({"m", "--kv-transfer-config", R"({"kv_connector":"LMCacheConnectorV1","kv_role":"kv_both"})"});
  EXPECT_EQ(Middle(t), (Words{"--enable-lmcache"}));
  EXPECT_EQ(t.frontend.pd_mode, pd::PdMode::kNone);
}

}  // namespace
}  // namespace shim
