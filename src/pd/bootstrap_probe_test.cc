#include "pd/bootstrap_probe.h"

#include <optional>

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

namespace shim::pd {
namespace {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using std::chrono::milliseconds;

std::string RunCheck(BootstrapProbe& probe, const std::string& host, int port) {
  asio::io_context io;
  std::optional<std::string> out;
  asio::co_spawn(io, probe.Check(host, port), [&](std::exception_ptr, std::string why) { out = std::move(why); });
  io.run();
  return out.value_or("did not finish");
}

// A port nothing listens on: bound, then closed.
unsigned short ClosedPort() {
  asio::io_context io;
  tcp::acceptor acceptor(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
  unsigned short port = acceptor.local_endpoint().port();
  acceptor.close();
  return port;
}

TEST(BootstrapProbeTest, AListeningPortPassesAndIsRemembered) {
  asio::io_context io;
  tcp::acceptor acceptor(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));  // the backlog accepts
  const int port = acceptor.local_endpoint().port();
  BootstrapProbe probe(milliseconds(1000), milliseconds(60000));
  EXPECT_EQ(RunCheck(probe, "127.0.0.1", port), "");
  EXPECT_EQ(RunCheck(probe, "127.0.0.1", port), "");
  EXPECT_EQ(probe.probes(), 1);  // the second check used the remembered success
}

TEST(BootstrapProbeTest, ARefusedPortSaysWhyEveryTime) {
  const int port = ClosedPort();
  BootstrapProbe probe(milliseconds(1000), milliseconds(60000));
  std::string why = RunCheck(probe, "127.0.0.1", port);
  EXPECT_NE(why.find("connect to 127.0.0.1:" + std::to_string(port)), std::string::npos) << why;
  EXPECT_FALSE(RunCheck(probe, "127.0.0.1", port).empty());
  EXPECT_EQ(probe.probes(), 2);  // failures are never remembered
}

TEST(BootstrapProbeTest, NamesAndBadPortsAreNotProbed) {
  BootstrapProbe probe(milliseconds(1000), milliseconds(60000));
  EXPECT_EQ(RunCheck(probe, "prefill.default.svc", 8998), "");
  EXPECT_EQ(RunCheck(probe, "127.0.0.1", 0), "");
  EXPECT_EQ(RunCheck(probe, "127.0.0.1", 70000), "");
  EXPECT_EQ(probe.probes(), 0);
}

}  // namespace
}  // namespace shim::pd
