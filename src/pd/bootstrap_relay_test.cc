// The relay with real sockets: SGLang's listener stands on 127.0.0.1, the relay on 127.0.0.2
// with the same port, as on a pod (bootstrap_relay.h).
#include "pd/bootstrap_relay.h"

#include <atomic>
#include <string>
#include <thread>

#include <gtest/gtest.h>

#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>

namespace shim::pd {
namespace {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

// A blocking echo server for one connection at a time, on an ephemeral loopback port.
class EchoServer {
 public:
  EchoServer() : acceptor_(io_, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)) {
    thread_ = std::thread([this] {
      for (;;) {
        boost::system::error_code ec;
        tcp::socket socket(io_);
        acceptor_.accept(socket, ec);
        if (ec || stop_) return;
        char buffer[4096];
        for (;;) {
          size_t n = socket.read_some(asio::buffer(buffer), ec);
          if (ec) break;
          asio::write(socket, asio::buffer(buffer, n), ec);
          if (ec) break;
        }
        socket.shutdown(tcp::socket::shutdown_send, ec);
      }
    });
  }
  ~EchoServer() {
    // Wakes the blocking accept with a connection of its own.
    stop_ = true;
    asio::io_context io;
    tcp::socket waker(io);
    boost::system::error_code ec;
    waker.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port()), ec);
    thread_.join();
  }
  unsigned short port() const { return acceptor_.local_endpoint().port(); }

 private:
  asio::io_context io_;
  tcp::acceptor acceptor_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

struct RunningRelay {
  explicit RunningRelay(unsigned short target_port, unsigned short listen_port)
      : relay(io, tcp::endpoint(asio::ip::make_address("127.0.0.2"), listen_port),
              tcp::endpoint(asio::ip::make_address("127.0.0.1"), target_port), 2) {}
  ~RunningRelay() {
    asio::post(io, [this] { relay.Stop(); });
    io.stop();
    if (thread.joinable()) thread.join();
  }
  void Start() {
    relay.Start();
    thread = std::thread([this] { io.run(); });
  }
  asio::io_context io;
  BootstrapRelay relay;
  std::thread thread;
};

std::string ReadAll(tcp::socket& socket) {
  std::string out;
  char buffer[4096];
  boost::system::error_code ec;
  for (;;) {
    size_t n = socket.read_some(asio::buffer(buffer), ec);
    out.append(buffer, n);
    if (ec) return out;
  }
}

TEST(BootstrapRelayTest, RelaysBothWaysOnThePodAddressWithTheSamePort) {
  EchoServer engine;
  RunningRelay running(engine.port(), engine.port());
  std::string err;
  ASSERT_TRUE(running.relay.Listen(&err)) << err;
  EXPECT_EQ(running.relay.local_endpoint().address().to_string(), "127.0.0.2");
  running.Start();

  asio::io_context client_io;
  tcp::socket client(client_io);
  client.connect(tcp::endpoint(asio::ip::make_address("127.0.0.2"), engine.port()));
  std::string request = "GET /health HTTP/1.1\r\nHost: x\r\n\r\n";
  std::string big(100000, 'k');  // more than one read's worth
  asio::write(client, asio::buffer(request));
  asio::write(client, asio::buffer(big));
  client.shutdown(tcp::socket::shutdown_send);
  // The half-close reaches the engine, whose own close comes back.
  EXPECT_EQ(ReadAll(client), request + big);
}

TEST(BootstrapRelayTest, AnEngineThatIsNotListeningClosesTheClient) {
  unsigned short free_port = 0;
  {
    asio::io_context io;
    tcp::acceptor probe(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
    free_port = probe.local_endpoint().port();
  }
  RunningRelay running(free_port, free_port);
  std::string err;
  ASSERT_TRUE(running.relay.Listen(&err)) << err;
  running.Start();
  asio::io_context client_io;
  tcp::socket client(client_io);
  client.connect(tcp::endpoint(asio::ip::make_address("127.0.0.2"), free_port));
  EXPECT_EQ(ReadAll(client), "");
}

TEST(BootstrapRelayTest, ABusyAddressIsAClearError) {
  asio::io_context io;
  tcp::acceptor taken(io, tcp::endpoint(asio::ip::make_address("127.0.0.2"), 0));
  BootstrapRelay relay(io, taken.local_endpoint(), tcp::endpoint(asio::ip::make_address("127.0.0.1"), 1));
  std::string err;
  EXPECT_FALSE(relay.Listen(&err));
  EXPECT_NE(err.find("127.0.0.2:" + std::to_string(taken.local_endpoint().port())), std::string::npos) << err;
}

}  // namespace
}  // namespace shim::pd
