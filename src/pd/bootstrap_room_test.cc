#include "pd/bootstrap_room.h"

#include <set>

#include <gtest/gtest.h>

namespace shim::pd {
namespace {

TEST(BootstrapRoomTest, FreshRoomsFitSixtyThreeBitsAndDiffer) {
  std::set<uint64_t> seen;
  for (int i = 0; i < 1000; ++i) {
    uint64_t room = NewBootstrapRoom();
    EXPECT_LE(room, kMaxBootstrapRoom);
    seen.insert(room);
  }
  EXPECT_EQ(seen.size(), 1000u);
}

TEST(BootstrapRoomTest, TheSameRequestIdGivesTheSameRoomEverywhere) {
  // Fixed values: a change here would pair a new prefill shim with an old decode shim wrongly
  // during a rolling upgrade.
  EXPECT_EQ(BootstrapRoomFromRequestId(""), 0xcbf29ce484222325ULL & kMaxBootstrapRoom);
  EXPECT_EQ(BootstrapRoomFromRequestId("a"), 0xaf63dc4c8601ec8cULL & kMaxBootstrapRoom);
  EXPECT_EQ(BootstrapRoomFromRequestId("3f2c1a9e-7b2d-4c1e-9f00-5a6b7c8d9e0f"),
            BootstrapRoomFromRequestId("3f2c1a9e-7b2d-4c1e-9f00-5a6b7c8d9e0f"));
  EXPECT_NE(BootstrapRoomFromRequestId("request-1"), BootstrapRoomFromRequestId("request-2"));
  EXPECT_LE(BootstrapRoomFromRequestId("request-1"), kMaxBootstrapRoom);
}

}  // namespace
}  // namespace shim::pd
