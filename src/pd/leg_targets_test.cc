// Both router modes' legs, as production-stack @a6c01db0
// src/vllm_router/services/request_service/request.py sends them.
#include "pd/leg_targets.h"

#include <gtest/gtest.h>

#include "pd/bootstrap_room.h"

namespace shim::pd {
namespace {

JsonObjectScan Scan(const std::string& body) {
  JsonObjectScan scan;
  std::string err;
  EXPECT_TRUE(ScanTopLevelObject(body, &scan, &err)) << err;
  return scan;
}

const std::string kOrchestratedPrefill =
    R"({"model":"m","prompt":"hi","max_tokens":1,"stream":false,"kv_transfer_params":{"do_remote_decode":true,)"
    R"("do_remote_prefill":false,"remote_engine_id":null,"remote_block_ids":null,"remote_host":null,"remote_port":null}})";

TEST(LegTargetsTest, NonOrchestratedLegsMeetInTheRoomOfTheirRequestId) {
  const std::string prefill_leg = R"({"model":"m","prompt":"hi","max_tokens":1,"stream":false})";
  const std::string decode_leg = R"({"model":"m","prompt":"hi","max_tokens":50,"stream":true})";
  BootstrapTarget prefill = PrefillLegTarget(prefill_leg, Scan(prefill_leg), "req-9", "10.0.0.5", 8998);
  EXPECT_EQ(prefill.host, "10.0.0.5");
  EXPECT_EQ(prefill.port, 8998);
  EXPECT_EQ(prefill.room, BootstrapRoomFromRequestId("req-9"));
  BootstrapTarget decode;
  std::string err;
  ASSERT_TRUE(DecodeLegTarget(decode_leg, Scan(decode_leg), "req-9", "prefill.ns.svc", 8998, &decode, &err)) << err;
  EXPECT_EQ(decode.host, "prefill.ns.svc");
  EXPECT_EQ(decode.room, prefill.room);
}

TEST(LegTargetsTest, AnOrchestratedPrefillDrawsAFreshRoom) {
  BootstrapTarget a = PrefillLegTarget(kOrchestratedPrefill, Scan(kOrchestratedPrefill), "same", "h", 1);
  BootstrapTarget b = PrefillLegTarget(kOrchestratedPrefill, Scan(kOrchestratedPrefill), "same", "h", 1);
  EXPECT_NE(a.room, b.room);  // 2^-63 to collide
  EXPECT_NE(a.room, BootstrapRoomFromRequestId("same"));
}

TEST(LegTargetsTest, AnOrchestratedDecodeLegNamesItsPrefill) {
  const std::string leg =
      R"({"prompt":"hi","stream":true,"kv_transfer_params":{"do_remote_prefill":true,"remote_host":"10.0.0.5",)"
      R"("remote_port":8998,"remote_engine_id":"77","bootstrap_room":77}})";
  BootstrapTarget target;
  std::string err;
  ASSERT_TRUE(DecodeLegTarget(leg, Scan(leg), "", "", 8998, &target, &err)) << err;
  EXPECT_EQ(target.host, "10.0.0.5");
  EXPECT_EQ(target.room, 77u);
}

TEST(LegTargetsTest, ADecodeLegThatNamesNoPrefillIsRefused) {
  BootstrapTarget target;
  std::string err;
  const std::string plain = R"({"prompt":"hi"})";
  EXPECT_FALSE(DecodeLegTarget(plain, Scan(plain), "req", "", 8998, &target, &err));
  EXPECT_NE(err.find("no prefill host"), std::string::npos) << err;
  EXPECT_FALSE(DecodeLegTarget(plain, Scan(plain), "", "prefill", 8998, &target, &err));
  EXPECT_NE(err.find("X-Request-Id"), std::string::npos) << err;
  const std::string broken = R"({"prompt":"hi","kv_transfer_params":{"remote_host":"x"}})";
  EXPECT_FALSE(DecodeLegTarget(broken, Scan(broken), "req", "prefill", 8998, &target, &err));
  EXPECT_NE(err.find("remote_port"), std::string::npos) << err;
  // A null kv_transfer_params is no params at all.
  const std::string null_params = R"({"prompt":"hi","kv_transfer_params":null})";
  ASSERT_TRUE(DecodeLegTarget(null_params, Scan(null_params), "req", "prefill", 8998, &target, &err)) << err;
  EXPECT_EQ(target.host, "prefill");
}

}  // namespace
}  // namespace shim::pd
