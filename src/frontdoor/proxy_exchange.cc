// The proxy half of ClientConnection: one request relayed to SGLang and its
// response relayed back, chunk by chunk, following Beast's "Relay an HTTP
// message" example (example/doc/http_examples.hpp) with async_read_some so a
// token is forwarded the moment it arrives instead of when a buffer fills.
#include "common/prelude.h"

#include <sys/socket.h>

#include <array>
#include <cerrno>
#include <limits>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>

#include "common/log.h"
#include "common/strings.h"
#include "frontdoor/client_connection.h"
#include "frontdoor/server_state.h"
#include "frontdoor/sse_frames.h"

namespace shim {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = boost::beast::http;
using asio::ip::tcp;

namespace {

constexpr size_t kRelayBufferBytes = 16 * 1024;
constexpr size_t kPipelineReadChunk = 4 * 1024;
// nginx's convention for "client closed the request" in logs and stats.
constexpr int kClientClosed = 499;

}  // namespace

std::string ClientConnection::BuildUpstreamHead(const RequestHead& head, const std::string* fixed_body) const {
  std::string out;
  out.reserve(256 + head.target.size() + head.headers.size() * 48);
  out.append(head.method).append(" ").append(head.target).append(" HTTP/1.1\r\n");
  bool has_connection_header = head.Find("connection") != nullptr;
  bool has_host = false;
  std::string forwarded_for;
  bool had_content_length = false;
  // With API keys, the front door has already checked the client's key the way
  // vLLM does; SGLang knows only the first key (and guards paths vLLM leaves
  // open), so it always gets that one.
  const std::string backend_key = state_->backend_api_key();
  for (const auto& [name, value] : head.headers) {
    if (EqualsIgnoreCase(name, "content-length")) had_content_length = true;
    if (IsHopByHopHeader(name) || EqualsIgnoreCase(name, "expect")) continue;
    if (has_connection_header && IsListedInConnection(head.headers, name)) continue;
    if (EqualsIgnoreCase(name, "x-forwarded-for")) {
      if (!forwarded_for.empty()) forwarded_for.append(", ");
      forwarded_for.append(value);
      continue;
    }
    if (EqualsIgnoreCase(name, "host")) has_host = true;
    if (!backend_key.empty() && EqualsIgnoreCase(name, "authorization")) continue;
    out.append(name).append(": ").append(value).append("\r\n");
  }
  if (!backend_key.empty()) out.append("Authorization: Bearer ").append(backend_key).append("\r\n");
  if (!has_host) {
    const Endpoint& backend = state_->config.backend;
    out.append("Host: ").append(backend.host).append(":").append(std::to_string(backend.port)).append("\r\n");
  }
  if (!client_ip_.empty()) {
    if (!forwarded_for.empty()) forwarded_for.append(", ");
    forwarded_for.append(client_ip_);
  }
  if (!forwarded_for.empty()) out.append("X-Forwarded-For: ").append(forwarded_for).append("\r\n");
  if (fixed_body) {
    out.append("Content-Length: ").append(std::to_string(fixed_body->size())).append("\r\n");
  } else if (head.framing == BodyFraming::kContentLength) {
    out.append("Content-Length: ").append(std::to_string(head.content_length)).append("\r\n");
  } else if (head.framing == BodyFraming::kChunked) {
    out.append("Transfer-Encoding: chunked\r\n");
  } else if (had_content_length) {
    out.append("Content-Length: 0\r\n");
  }
  out.append("\r\n");
  return out;
}

asio::awaitable<void> ClientConnection::WatchForDisconnect(std::shared_ptr<ClientConnection> self,
                                                           uint64_t generation) {
  while (true) {
    boost::system::error_code ec;
    co_await socket_.async_wait(tcp::socket::wait_read, asio::redirect_error(asio::use_awaitable, ec));
    if (ec || closed_ || generation != exchange_generation_) co_return;
    // Pipelined bytes are moved into inbuf_ (the next ReadHead parses them) so
    // the socket becomes quiet again and a later EOF is still seen at once;
    // Run() does not touch inbuf_ while a response is being relayed. Past a
    // head's worth of buffered bytes, stop watching: the write path still
    // notices a dead client.
    const size_t room_limit = state_->config.settings.max_header_bytes;
    if (inbuf_.size() >= room_limit) co_return;
    size_t room = room_limit - inbuf_.size();
    auto buffer = inbuf_.prepare(room < kPipelineReadChunk ? room : kPipelineReadChunk);
    ssize_t n = ::recv(socket_.native_handle(), buffer.data(), buffer.size(), MSG_DONTWAIT);
    if (n > 0) {
      inbuf_.commit(static_cast<size_t>(n));
      continue;
    }
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) continue;
    // EOF or reset: the client is gone. Closing the upstream connection makes
    // SGLang abort the generation and free its KV cache (anchors.md §4.4).
    client_gone_ = true;
    if (upstream_) upstream_->close(ec);
    co_return;
  }
}

asio::awaitable<int> ClientConnection::Proxy(const RequestHead& head, const RouteDecision& decision,
                                             const std::string* fixed_body, bool* keep_alive) {
  FrontDoorStats& stats = state_->stats;
  std::string upstream_head = BuildUpstreamHead(head, fixed_body);
  std::optional<tcp::socket> upstream;
  boost::system::error_code ec;
  // A pooled connection can still die under us; the request is then retried
  // once on a fresh connection (nothing of the client's body was consumed yet).
  for (int attempt = 0; attempt < 2; ++attempt) {
    bool reused = false;
    if (attempt == 0) upstream = state_->pool.TakeIdle();
    if (upstream) {
      reused = true;
      ++stats.upstream_connections_reused;
    } else {
      upstream = co_await state_->pool.Connect(&ec);
      if (!upstream) {
        ++stats.upstream_connect_errors;
        LogWarning("SGLang is not reachable at ", state_->config.backend.host, ":", state_->config.backend.port,
                   ": ", ec.message());
        co_return co_await WriteError(head, 503, "The engine is not reachable; try again later.", keep_alive);
      }
      ++stats.upstream_connections_opened;
    }
    upstream_ = &*upstream;
    std::array<asio::const_buffer, 2> buffers = {
        asio::buffer(upstream_head),
        fixed_body ? asio::buffer(*fixed_body) : asio::const_buffer()};
    co_await asio::async_write(*upstream, buffers, asio::redirect_error(asio::use_awaitable, ec));
    if (!ec) break;
    upstream_ = nullptr;
    upstream.reset();
    if (closed_) co_return kClientClosed;
    if (!reused) {
      ++stats.upstream_errors;
      co_return co_await WriteError(head, 502, "The engine closed the connection.", keep_alive);
    }
  }
  if (!upstream) {
    co_return co_await WriteError(head, 502, "The engine closed the connection.", keep_alive);
  }

  if (!fixed_body && head.framing != BodyFraming::kNone) {
    BodySink sink;
    sink.kind = SinkKind::kUpstream;
    sink.upstream = &*upstream;
    BodyOutcome outcome = co_await PumpBody(head, sink);
    if (outcome != BodyOutcome::kOk) {
      upstream_ = nullptr;
      upstream->close(ec);
      *keep_alive = false;
      if (outcome == BodyOutcome::kMalformed) {
        co_return co_await WriteError(head, 400, "malformed request body", keep_alive);
      }
      if (outcome == BodyOutcome::kUpstreamFailed) {
        ++stats.upstream_errors;
        co_return co_await WriteError(head, 502, "The engine closed the connection.", keep_alive);
      }
      ++stats.client_aborts;
      co_return kClientClosed;
    }
  }

  uint64_t generation = ++exchange_generation_;
  client_gone_ = false;
  asio::co_spawn(socket_.get_executor(), WatchForDisconnect(shared_from_this(), generation), asio::detached);
  bool reusable = false;
  int status = co_await RelayResponse(head, decision, *upstream, keep_alive, &reusable);
  ++exchange_generation_;
  if (!closed_) socket_.cancel(ec);  // ends the watcher's wait
  upstream_ = nullptr;
  if (reusable && upstream->is_open() && !closed_) {
    state_->pool.Return(std::move(*upstream));
  } else {
    upstream->close(ec);
  }
  co_return status;
}

asio::awaitable<bool> ClientConnection::WritePiece(Serializer& serializer, Response& response, const char* data,
                                                   size_t size, bool more) {
  response.body().data = size ? const_cast<char*>(data) : nullptr;
  response.body().size = size;
  response.body().more = more;
  boost::system::error_code ec;
  co_await http::async_write(socket_, serializer, asio::redirect_error(asio::use_awaitable, ec));
  if (ec == http::error::need_buffer) ec = {};
  co_return !ec;
}

asio::awaitable<int> ClientConnection::RelayResponse(const RequestHead& head, const RouteDecision& decision,
                                                     tcp::socket& upstream, bool* keep_alive,
                                                     bool* upstream_reusable) {
  FrontDoorStats& stats = state_->stats;
  const Settings& settings = state_->config.settings;
  boost::system::error_code ec;
  beast::flat_buffer upstream_buffer;
  http::response_parser<http::buffer_body> parser;
  parser.header_limit(static_cast<std::uint32_t>(settings.max_header_bytes));
  parser.body_limit(std::numeric_limits<std::uint64_t>::max());
  const bool head_request = head.method == "HEAD";
  if (head_request) parser.skip(true);

  co_await http::async_read_header(upstream, upstream_buffer, parser, asio::redirect_error(asio::use_awaitable, ec));
  if (!ec && parser.get().result_int() < 200) ec = http::error::bad_status;  // 1xx: we never sent Expect/Upgrade
  if (ec) {
    if (client_gone_ || closed_) {
      ++stats.client_aborts;
      *keep_alive = false;
      co_return kClientClosed;
    }
    ++stats.upstream_errors;
    LogWarning("SGLang failed before responding to ", head.method, " ", head.path(), ": ", ec.message());
    co_return co_await WriteError(head, 502, "The engine failed to respond.", keep_alive);
  }

  auto& upstream_head = parser.get();
  const int status = static_cast<int>(upstream_head.result_int());
  HeaderList headers;
  bool has_connection = upstream_head.find(http::field::connection) != upstream_head.end();
  std::string_view connection_value = has_connection ? upstream_head[http::field::connection] : std::string_view();
  bool sse = false;
  for (const auto& field : upstream_head) {
    std::string_view name = field.name_string();
    if (IsHopByHopHeader(name)) continue;
    if (has_connection && IsListedInConnection({{"connection", std::string(connection_value)}}, name)) continue;
    if (EqualsIgnoreCase(name, "content-type") && StartsWith(ToLower(field.value()), "text/event-stream")) sse = true;
    headers.emplace_back(std::string(name), std::string(field.value()));
  }
  if (decision.response_headers) decision.response_headers(head, status, &headers);
  if (state_->draining) *keep_alive = false;
  const bool no_body = head_request || status == 204 || status == 304;

  if (!relay_buffer_) relay_buffer_ = std::make_unique<char[]>(kRelayBufferBytes);
  char* buffer = relay_buffer_.get();
  auto read_some = [&]() -> asio::awaitable<size_t> {
    parser.get().body().data = buffer;
    parser.get().body().size = kRelayBufferBytes;
    co_await http::async_read_some(upstream, upstream_buffer, parser, asio::redirect_error(asio::use_awaitable, ec));
    if (ec == http::error::need_buffer) ec = {};
    co_return kRelayBufferBytes - parser.get().body().size;
  };
  auto fail_mid_body = [&]() -> int {
    if (client_gone_ || closed_) {
      ++stats.client_aborts;
    } else {
      ++stats.upstream_errors;
      LogWarning("SGLang failed in the middle of a response to ", head.path(), ": ", ec.message());
    }
    *keep_alive = false;
    Abort();  // cut, not ended: the client must see the response is incomplete
    return client_gone_ ? kClientClosed : status;
  };

  // Whole-body rewriting (e.g. error bodies): buffer, transform, send with a length.
  if (decision.response_transform && !sse && !no_body) {
    std::string body;
    while (!parser.is_done()) {
      size_t n = co_await read_some();
      if (ec) co_return fail_mid_body();
      body.append(buffer, n);
      if (body.size() > settings.max_body_bytes) {
        ++stats.upstream_errors;
        co_return co_await WriteError(head, 502, "The engine's response is too large to rewrite.", keep_alive);
      }
    }
    int final_status = status;
    decision.response_transform(head, &final_status, &headers, &body);
    LocalResponse response{final_status, "", std::move(body), std::move(headers)};
    *upstream_reusable = parser.keep_alive() && upstream_buffer.size() == 0;
    if (!co_await WriteAll(SerializeLocalResponse(response, head.version_minor, *keep_alive, false))) {
      ++stats.client_aborts;
      *keep_alive = false;
      *upstream_reusable = false;
    }
    co_return final_status;
  }

  const bool rewrite_frames = decision.sse_transform && sse && !no_body;
  Response response;
  response.version(head.version_minor == 0 ? 10 : 11);
  response.result(static_cast<unsigned>(status));
  for (const auto& [name, value] : headers) response.insert(name, value);
  if (head_request && parser.content_length()) {
    response.content_length(*parser.content_length());
  } else if (no_body) {
    // no body, no framing headers
  } else if (parser.content_length() && !rewrite_frames) {
    response.content_length(*parser.content_length());
  } else if (head.version_minor >= 1) {
    response.chunked(true);
  } else {
    *keep_alive = false;  // HTTP/1.0 client, unknown length: the close ends the body
  }
  response.keep_alive(*keep_alive);
  Serializer serializer(response);
  response.body().data = nullptr;
  response.body().more = !no_body;
  co_await http::async_write_header(socket_, serializer, asio::redirect_error(asio::use_awaitable, ec));
  if (ec) {
    ++stats.client_aborts;
    *keep_alive = false;
    co_return kClientClosed;
  }
  if (no_body) {
    *upstream_reusable = parser.is_done() && parser.keep_alive() && upstream_buffer.size() == 0;
    co_return status;
  }

  SseFrameSplitter splitter;
  std::string rewritten;
  while (!parser.is_done()) {
    size_t n = co_await read_some();
    if (ec) co_return fail_mid_body();
    if (n == 0) continue;
    const char* out = buffer;
    size_t out_size = n;
    if (rewrite_frames) {
      rewritten.clear();
      splitter.Feed(std::string_view(buffer, n), [&](std::string* frame) {
        decision.sse_transform(frame);
        rewritten.append(*frame);
      });
      if (rewritten.empty()) continue;
      out = rewritten.data();
      out_size = rewritten.size();
    }
    if (!co_await WritePiece(serializer, response, out, out_size, true)) {
      ++stats.client_aborts;
      *keep_alive = false;
      co_return kClientClosed;
    }
  }
  std::string tail = rewrite_frames ? splitter.TakeRemainder() : std::string();
  if (!co_await WritePiece(serializer, response, tail.data(), tail.size(), false)) {
    ++stats.client_aborts;
    *keep_alive = false;
    co_return kClientClosed;
  }
  *upstream_reusable = parser.keep_alive() && upstream_buffer.size() == 0;
  co_return status;
}

}  // namespace shim
