#include "pd/pod_address.h"

#include <gtest/gtest.h>

#include <boost/asio/ip/address.hpp>

namespace shim::pd {
namespace {

TEST(PodAddressTest, TheConfiguredAddressWins) { EXPECT_EQ(PodAddress("10.4.0.17"), "10.4.0.17"); }

TEST(PodAddressTest, TheInterfaceAddressIsNeverLoopbackOrLinkLocal) {
  std::string address = PodAddress("");
  if (address.empty()) GTEST_SKIP() << "this machine has no interface besides loopback";
  boost::system::error_code ec;
  auto parsed = boost::asio::ip::make_address(address, ec);
  ASSERT_FALSE(ec) << address;
  EXPECT_FALSE(parsed.is_loopback()) << address;
  if (parsed.is_v6()) {
    EXPECT_FALSE(parsed.to_v6().is_link_local()) << address;
  }
}

}  // namespace
}  // namespace shim::pd
