// Pairing of PD legs by bootstrap room (pd_rooms.h).
#include "fake_sglang/pd_rooms.h"

#include <gtest/gtest.h>

namespace shim::fake_sglang {
namespace {

TEST(PdRoomsTest, PrefillFirstThenDecode) {
  PdRooms rooms;
  rooms.PrefillArrived("1");
  EXPECT_FALSE(rooms.DecodeConnected("1"));
  rooms.DecodeArrived("1");
  EXPECT_TRUE(rooms.DecodeConnected("1"));
  EXPECT_FALSE(rooms.KvWaiting("1"));
  rooms.KvSent("1");
  EXPECT_TRUE(rooms.KvWaiting("1"));
  EXPECT_FALSE(rooms.DecodeConnected("1"));  // that decode is served; a second prefill would wait
  rooms.DecodeLeft("1", /*took_kv=*/true);
  EXPECT_EQ(rooms.rooms_in_use(), 0u);
}

TEST(PdRoomsTest, DecodeFirstThenPrefill) {
  PdRooms rooms;
  rooms.DecodeArrived("9");
  rooms.PrefillArrived("9");
  EXPECT_TRUE(rooms.DecodeConnected("9"));
  rooms.KvSent("9");
  rooms.DecodeLeft("9", true);
  EXPECT_EQ(rooms.rooms_in_use(), 0u);
}

TEST(PdRoomsTest, RoomsDoNotCross) {
  PdRooms rooms;
  rooms.PrefillArrived("1");
  rooms.DecodeArrived("2");
  EXPECT_FALSE(rooms.DecodeConnected("1"));
  rooms.KvSent("1");  // no decode in room 1: no KV appears anywhere
  EXPECT_FALSE(rooms.KvWaiting("2"));
  EXPECT_FALSE(rooms.KvWaiting("1"));
}

TEST(PdRoomsTest, LeavingFreesTheRoom) {
  PdRooms rooms;
  rooms.PrefillArrived("3");
  rooms.PrefillLeft("3");  // bootstrap timeout or abort
  EXPECT_EQ(rooms.rooms_in_use(), 0u);
  rooms.DecodeArrived("4");
  rooms.PrefillArrived("4");
  rooms.KvSent("4");
  rooms.DecodeLeft("4", /*took_kv=*/false);  // the decode hung up before collecting
  EXPECT_EQ(rooms.rooms_in_use(), 0u);
  rooms.PrefillLeft("5");  // unknown rooms are ignored
  rooms.DecodeLeft("5", true);
  EXPECT_EQ(rooms.rooms_in_use(), 0u);
}

}  // namespace
}  // namespace shim::fake_sglang
