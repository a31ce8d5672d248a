// Test-only: a small scripted HTTP server standing in for SGLang, and a
// FrontDoor running on its own thread. Included only by *_test.cc files.
#pragma once
#include "common/prelude.h"

#include <poll.h>
#include <sys/socket.h>

#include <atomic>
#include <chrono>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <nlohmann/json.hpp>

#include "frontdoor/front_door.h"
#include "frontdoor/route_filter.h"

namespace shim::testing {

namespace asio = boost::asio;
namespace http = boost::beast::http;
using asio::ip::tcp;

inline int QueryInt(std::string_view target, std::string_view key, int fallback) {
  std::string needle = std::string(key) + "=";
  size_t at = target.find(needle);
  if (at == std::string_view::npos) return fallback;
  return std::atoi(std::string(target.substr(at + needle.size())).c_str());
}

// Routes: /health, /v1/models (status and delay settable), /echo (JSON of the
// request it saw), /stream?n=&gap_ms= (SSE, counts streams aborted by the
// proxy), /die (cuts a chunked response), anything else: 200 "ok <path>".
class TestUpstream {
 public:
  std::atomic<int> health_status{200};
  std::atomic<int> health_delay_ms{0};
  std::atomic<int> models_status{200};
  std::atomic<int> connections{0};
  std::atomic<int> aborted_streams{0};
  std::atomic<int> finished_streams{0};
  std::atomic<long long> abort_seen_at_ns{0};

  TestUpstream() : acceptor_(io_, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)) {
    port_ = acceptor_.local_endpoint().port();
    accept_thread_ = std::thread([this] { AcceptLoop(); });
  }
  ~TestUpstream() {
    stopping_ = true;
    ::shutdown(acceptor_.native_handle(), SHUT_RDWR);
    accept_thread_.join();
    {
      std::lock_guard<std::mutex> lock(mu_);
      for (int fd : fds_) ::shutdown(fd, SHUT_RDWR);
    }
    for (auto& thread : threads_) thread.join();
  }
  int port() const { return port_; }

 private:
  void AcceptLoop() {
    while (!stopping_) {
      boost::system::error_code ec;
      tcp::socket socket(io_);
      acceptor_.accept(socket, ec);
      if (ec || stopping_) return;
      ++connections;
      std::lock_guard<std::mutex> lock(mu_);
      fds_.push_back(socket.native_handle());
      threads_.emplace_back([this, s = std::make_shared<tcp::socket>(std::move(socket))] { Serve(*s); });
    }
  }

  void Serve(tcp::socket& socket) {
    boost::beast::flat_buffer buffer;
    while (true) {
      boost::system::error_code ec;
      http::request_parser<http::string_body> parser;
      parser.body_limit(64 * 1024 * 1024);
      http::read(socket, buffer, parser, ec);
      if (ec) return;
      auto request = parser.release();
      std::string target(request.target());
      std::string path = target.substr(0, target.find('?'));
      if (path == "/stream") {
        if (!Stream(socket, target)) return;
        continue;
      }
      if (path == "/silent") {
        // Says nothing for ms milliseconds (a hung engine), then answers.
        auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(QueryInt(target, "ms", 1000));
        while (!stopping_ && std::chrono::steady_clock::now() < until) {
          std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
      }
      if (path == "/die") {
        std::string head =
            "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n"
            "9\r\ndata: 1\n\n\r\n";
        asio::write(socket, asio::buffer(head), ec);
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        return;  // cut mid-stream
      }
      http::response<http::string_body> response;
      response.version(11);
      response.result(200);
      response.keep_alive(request.keep_alive());
      if (path == "/health") {
        std::this_thread::sleep_for(std::chrono::milliseconds(health_delay_ms.load()));
        response.result(static_cast<unsigned>(health_status.load()));
      } else if (path == "/v1/models") {
        response.result(static_cast<unsigned>(models_status.load()));
        response.set(http::field::content_type, "application/json");
        response.body() = R"({"object":"list","data":[{"id":"m"}]})";
      } else if (path == "/echo") {
        nlohmann::json seen;
        seen["method"] = std::string(request.method_string());
        seen["target"] = target;
        seen["body"] = request.body();
        for (const auto& field : request) {
          std::string name(field.name_string());
          for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
          seen["headers"][name] = std::string(field.value());
        }
        response.set(http::field::content_type, "application/json");
        response.body() = seen.dump();
      } else if (path == "/hop") {
        // A response with hop-by-hop fields the proxy must not pass on.
        response.set(http::field::keep_alive, "timeout=5");
        response.set(http::field::connection, "X-Private");
        response.set("X-Private", "upstream only");
        response.set("X-Public", "yes");
        response.body() = "hop";
      } else {
        response.body() = "ok " + path;
      }
      response.prepare_payload();
      http::write(socket, response, ec);
      if (ec || !request.keep_alive()) return;
    }
  }

  // Streams n SSE frames gap_ms apart; between frames it watches for the proxy
  // closing the connection, as uvicorn does, and counts that as an abort.
  bool Stream(tcp::socket& socket, const std::string& target) {
    int n = QueryInt(target, "n", 5);
    int gap = QueryInt(target, "gap_ms", 10);
    boost::system::error_code ec;
    std::string head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n";
    asio::write(socket, asio::buffer(head), ec);
    for (int i = 0; i < n && !ec; ++i) {
      std::string frame = "data: " + std::to_string(i) + "\n\n";
      char size[16];
      std::snprintf(size, sizeof size, "%zx\r\n", frame.size());
      asio::write(socket, asio::buffer(std::string(size) + frame + "\r\n"), ec);
      pollfd pfd{socket.native_handle(), POLLIN, 0};
      if (::poll(&pfd, 1, gap) > 0) {
        char byte;
        if (::recv(socket.native_handle(), &byte, 1, MSG_PEEK) <= 0) {
          abort_seen_at_ns = std::chrono::steady_clock::now().time_since_epoch().count();
          ++aborted_streams;
          return false;
        }
      }
    }
    if (ec) {
      ++aborted_streams;
      return false;
    }
    asio::write(socket, asio::buffer("0\r\n\r\n", 5), ec);
    ++finished_streams;
    return !ec;
  }

  asio::io_context io_;
  tcp::acceptor acceptor_;
  int port_ = 0;
  std::atomic<bool> stopping_{false};
  std::thread accept_thread_;
  std::mutex mu_;
  std::vector<int> fds_;
  std::vector<std::thread> threads_;
};

// A route filter that drops the SSE frame "data: 1"; the rest pass unchanged.
class DropOneFrame final : public RouteFilter {
 public:
  bool RewritesSseFrames() const override { return true; }
  bool OnSseFrame(std::string_view frame, std::string* out) override {
    out->clear();
    return frame == "data: 1\n\n";
  }
};

// A FrontDoor on 127.0.0.1:<ephemeral> running on its own thread.
class FrontDoorHarness {
 public:
  FrontDoorHarness(Settings settings, int backend_port) {
    FrontDoorConfig config;
    config.listen = Endpoint{"127.0.0.1", 0};
    config.backend = Endpoint{"127.0.0.1", backend_port};
    config.settings = std::move(settings);
    door_ = std::make_unique<FrontDoor>(io_, config);
    std::string err;
    bound_ = door_->Bind(&err);
    error_ = err;
    if (bound_) {
      port_ = door_->bound_endpoint().port;
      door_->Start();
    }
    // The guard keeps run() going after a drain has stopped everything, so the
    // destructor's posted StopNow() still runs.
    thread_ = std::thread([this] {
      auto guard = asio::make_work_guard(io_);
      io_.run();
    });
  }
  ~FrontDoorHarness() {
    std::promise<void> stopped;
    asio::post(io_, [&] {
      door_->StopNow();
      stopped.set_value();
    });
    stopped.get_future().wait();
    io_.stop();
    thread_.join();
    door_.reset();
  }
  template <typename Fn>
  auto OnLoop(Fn fn) {
    std::packaged_task<decltype(fn())()> task(fn);
    auto future = task.get_future();
    asio::post(io_, [&task] { task(); });
    return future.get();
  }
  FrontDoor& door() { return *door_; }
  asio::io_context& io() { return io_; }
  int port() const { return port_; }
  bool bound() const { return bound_; }
  const std::string& error() const { return error_; }

 private:
  asio::io_context io_;
  std::unique_ptr<FrontDoor> door_;
  std::thread thread_;
  int port_ = 0;
  bool bound_ = false;
  std::string error_;
};

// Blocking client connection with a receive timeout, for raw HTTP exchanges.
class RawClient {
 public:
  explicit RawClient(int port) : socket_(io_) {
    socket_.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(port)));
    timeval tv{5, 0};
    ::setsockopt(socket_.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  }
  void Send(std::string_view data) {
    boost::system::error_code ec;
    asio::write(socket_, asio::buffer(data.data(), data.size()), ec);
  }
  // One response, parsed; status 0 on failure.
  http::response<http::string_body> Read(boost::system::error_code* ec_out = nullptr) {
    http::response<http::string_body> response;
    boost::system::error_code ec;
    http::read(socket_, buffer_, response, ec);
    if (ec_out) *ec_out = ec;
    if (ec) response.result(0u);
    return response;
  }
  // Everything until the peer closes (or the timeout).
  std::string ReadToEnd(boost::system::error_code* ec_out = nullptr) {
    std::string all(static_cast<const char*>(buffer_.data().data()), buffer_.size());
    buffer_.consume(buffer_.size());
    char chunk[4096];
    boost::system::error_code ec;
    while (true) {
      size_t n = socket_.read_some(asio::buffer(chunk), ec);
      if (ec) break;
      all.append(chunk, n);
    }
    if (ec_out) *ec_out = ec;
    return all;
  }
  tcp::socket& socket() { return socket_; }
  boost::beast::flat_buffer& buffer() { return buffer_; }

 private:
  asio::io_context io_;
  tcp::socket socket_;
  boost::beast::flat_buffer buffer_;
};

}  // namespace shim::testing
