// The router's legs as production-stack @a6c01db0
// src/vllm_router/services/request_service/request.py builds them.
#include "pd/kv_transfer_params.h"

#include <gtest/gtest.h>

#include "pd/bootstrap_room.h"

namespace shim::pd {
namespace {

using nlohmann::json;

TEST(KvTransferParamsTest, TheOrchestratedPrefillLegAsksForRemoteDecode) {
  EXPECT_TRUE(AsksForRemoteDecode(json::parse(R"({"max_tokens":1,"stream":false,"kv_transfer_params":
      {"do_remote_decode":true,"do_remote_prefill":false,"remote_engine_id":null,"remote_block_ids":null,
       "remote_host":null,"remote_port":null}})")));
  EXPECT_FALSE(AsksForRemoteDecode(json::parse(R"({"max_tokens":1})")));
  EXPECT_FALSE(AsksForRemoteDecode(json::parse(R"({"kv_transfer_params":{"do_remote_decode":"yes"}})")));
  EXPECT_FALSE(AsksForRemoteDecode(json::parse(R"({"kv_transfer_params":null})")));
  EXPECT_FALSE(AsksForRemoteDecode(json::parse("[1]")));
}

TEST(KvTransferParamsTest, WhatThePrefillAnswersTheDecodeLegReadsBack) {
  BootstrapTarget target{"10.1.2.3", 8998, kMaxBootstrapRoom};
  json params = json::parse(PrefillKvTransferParams(target).dump());
  EXPECT_EQ(params["do_remote_prefill"], true);
  EXPECT_EQ(params["remote_engine_id"], "9223372036854775807");
  // The router overwrites remote_host with the prefill URL's host.
  params["remote_host"] = "prefill-0.engine";
  BootstrapTarget back;
  std::string err;
  ASSERT_TRUE(BootstrapTargetFromKvTransferParams(params, &back, &err)) << err;
  EXPECT_EQ(back.host, "prefill-0.engine");
  EXPECT_EQ(back.port, 8998);
  EXPECT_EQ(back.room, kMaxBootstrapRoom);
  // Only vLLM's members kept: the room still comes through remote_engine_id.
  params.erase("bootstrap_room");
  ASSERT_TRUE(BootstrapTargetFromKvTransferParams(params, &back, &err)) << err;
  EXPECT_EQ(back.room, kMaxBootstrapRoom);
}

TEST(KvTransferParamsTest, ParamsThatNameNoTargetAreRefused) {
  BootstrapTarget out;
  std::string err;
  for (const char* text : {
           R"([])",
           R"({})",
           R"({"remote_host":"h","remote_port":8998})",
           R"({"remote_host":"","remote_port":8998,"bootstrap_room":1})",
           R"({"remote_host":"h","remote_port":0,"bootstrap_room":1})",
           R"({"remote_host":"h","remote_port":70000,"bootstrap_room":1})",
           R"({"remote_host":"h","remote_port":"8998","bootstrap_room":1})",
           R"({"remote_host":"h","remote_port":8998,"bootstrap_room":-1})",
           R"({"remote_host":"h","remote_port":8998,"bootstrap_room":9223372036854775808})",
           R"({"remote_host":"h","remote_port":8998,"remote_engine_id":"12ab"})",
           R"({"remote_host":"h","remote_port":8998,"remote_engine_id":""})",
           R"({"remote_host":"h","remote_port":8998,"bootstrap_room":1.5})",
           R"({"remote_host":null,"remote_port":8998,"bootstrap_room":1})",
       }) {
    SCOPED_TRACE(text);
    err.clear();
    EXPECT_FALSE(BootstrapTargetFromKvTransferParams(json::parse(text), &out, &err));
    EXPECT_FALSE(err.empty());
  }
}

}  // namespace
}  // namespace shim::pd
