#include "frontdoor/connection_flags.h"

#include <gtest/gtest.h>

namespace shim {
namespace {

TEST(ConnectionFlags, DescribeShowsEveryField) {
  ConnectionFlags flags;
  EXPECT_EQ(flags.Describe(),
            "phase=idle served=0 closed=0 input_failed=0 input_pinned=0 timed_out=0 client_gone=0 body_consumed=0 "
            "upstream_timed_out=0 response_complete=0");
  flags.phase = ConnectionFlags::Phase::kServing;
  flags.requests_served = 2;
  flags.client_gone = true;
  flags.upstream_timed_out = true;
  EXPECT_EQ(flags.Describe(),
            "phase=serving served=2 closed=0 input_failed=0 input_pinned=0 timed_out=0 client_gone=1 body_consumed=0 "
            "upstream_timed_out=1 response_complete=0");
}

}  // namespace
}  // namespace shim
