// The PD request fields and SGLang's error texts (SGLang @8905cbd4
// python/sglang/srt/managers/scheduler.py, python/sglang/srt/disaggregation/prefill.py,
// decode.py, common/conn.py).
#include "fake_sglang/pd_mode.h"

#include <gtest/gtest.h>

namespace shim::fake_sglang {
namespace {

using nlohmann::json;

BootstrapFields Read(const char* text) {
  BootstrapFields fields;
  std::string loc, msg;
  EXPECT_TRUE(ReadBootstrapFields(json::parse(text), &fields, &loc, &msg)) << text << ": " << msg;
  return fields;
}

TEST(PdModeTest, ModesAsSGLangNamesThem) {
  EXPECT_EQ(ParsePdMode("prefill"), PdMode::kPrefill);
  EXPECT_EQ(ParsePdMode("decode"), PdMode::kDecode);
  EXPECT_EQ(ParsePdMode("null"), PdMode::kNull);
  EXPECT_EQ(ParsePdMode(""), PdMode::kNull);
}

TEST(PdModeTest, ReadsTheThreeFields) {
  BootstrapFields f =
      Read(R"({"bootstrap_host":"10.0.0.7","bootstrap_port":8998,"bootstrap_room":9223372036854775807})");
  EXPECT_EQ(f.host, "10.0.0.7");
  EXPECT_EQ(f.port, 8998);
  EXPECT_EQ(f.room, "9223372036854775807");  // 2**63 - 1, the largest room mini_lb.py draws
}

TEST(PdModeTest, AbsentAndNullFieldsAreEmpty) {
  BootstrapFields f = Read(R"({"bootstrap_host":null,"bootstrap_port":null})");
  EXPECT_EQ(f.host, "");
  EXPECT_EQ(f.port, 0);
  EXPECT_EQ(f.room, "");
  EXPECT_EQ(Read("[]").room, "");  // not an object: the route's own validation answers
}

TEST(PdModeTest, LaxIntegersAsPydanticTakesThem) {
  EXPECT_EQ(Read(R"({"bootstrap_room":" 42"})").room, "42");
  EXPECT_EQ(Read(R"({"bootstrap_room":"+7"})").room, "7");
  EXPECT_EQ(Read(R"({"bootstrap_room":0})").room, "0");
  EXPECT_EQ(Read(R"({"bootstrap_port":"8999"})").port, 8999);
  EXPECT_EQ(Read(R"({"bootstrap_port":70000})").port, -1);  // taken, but nothing listens there
}

TEST(PdModeTest, WrongTypesAreValidationErrors) {
  BootstrapFields f;
  std::string loc, msg;
  EXPECT_FALSE(ReadBootstrapFields(json::parse(R"({"bootstrap_room":"abc"})"), &f, &loc, &msg));
  EXPECT_EQ(loc, "('body', 'bootstrap_room')");
  EXPECT_EQ(msg, "Input should be a valid integer, unable to parse string as an integer");
  msg.clear();
  EXPECT_FALSE(ReadBootstrapFields(json::parse(R"({"bootstrap_room":[1]})"), &f, &loc, &msg));
  EXPECT_EQ(msg, "Input should be a valid integer");
  msg.clear();
  EXPECT_FALSE(ReadBootstrapFields(json::parse(R"({"bootstrap_host":5})"), &f, &loc, &msg));
  EXPECT_EQ(loc, "('body', 'bootstrap_host')");
  msg.clear();
  EXPECT_FALSE(ReadBootstrapFields(json::parse(R"({"bootstrap_port":1.5})"), &f, &loc, &msg));
  EXPECT_EQ(loc, "('body', 'bootstrap_port')");
}

TEST(PdModeTest, TheFakeBackendNeedsNoRoom) {
  EXPECT_TRUE(RoomRequired(PdMode::kPrefill, "mooncake"));
  EXPECT_TRUE(RoomRequired(PdMode::kDecode, "nixl"));
  EXPECT_FALSE(RoomRequired(PdMode::kDecode, "fake"));
  EXPECT_FALSE(RoomRequired(PdMode::kNull, "mooncake"));
}

TEST(PdModeTest, MessagesInSGLangsWords) {
  EXPECT_EQ(MissingRoomMessage("abc"),
            "Invalid request: Disaggregated request received without bootstrap room id. req.rid='abc'");
  EXPECT_EQ(PrefillBootstrapTimeoutMessage("r1", "77", 2.04),
            "Prefill bootstrap failed for request rank=0 req.rid='r1' req.bootstrap_room=77 with exception "
            "KVTransferError(bootstrap_room=77): Request 77 timed out after 2.0s in KVPoll.Bootstrapping");
  EXPECT_EQ(DecodeWaitingTimeoutMessage("r2", "5", 1.0),
            "Decode transfer failed for request rank=0 decode_req.req.rid='r2' decode_req.req.bootstrap_room=5 with "
            "exception KVTransferError(bootstrap_room=5): Request 5 timed out after 1.0s in KVPoll.WaitingForInput");
  EXPECT_EQ(DecodeHandshakeFailedMessage("r3", "6"),
            "Decode handshake failed for request rank=0 decode_req.req.rid='r3' decode_req.req.bootstrap_room=6 with "
            "exception KVTransferError(bootstrap_room=6): Aborted by AbortReq.");
  EXPECT_NE(
      DecodeLostPrefillMessage("r4", "8", "h:1").find("Lost connection with prefill instance (bootstrap_addr: h:1)"),
      std::string::npos);
  EXPECT_EQ(OneDecimal(299.96), "300.0");
}

}  // namespace
}  // namespace shim::fake_sglang
