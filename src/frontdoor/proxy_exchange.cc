// The proxy half of ClientConnection: one request relayed to SGLang over a
// pooled connection (the connection's reader closes it if the client leaves);
// the response comes back through RelayResponse (response_relay.cc).
#include "common/prelude.h"

#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "common/log.h"
#include "common/strings.h"
#include "frontdoor/client_connection.h"
#include "frontdoor/send_now.h"
#include "frontdoor/server_state.h"

namespace shim {

namespace asio = boost::asio;
using asio::ip::tcp;

std::string ClientConnection::BuildUpstreamHead(const RequestHead& head, std::string_view upstream_path,
                                                const std::string* fixed_body) const {
  std::string out;
  out.reserve(256 + head.target.size() + head.headers.size() * 48);
  out.append(head.method).append(" ");
  if (upstream_path.empty()) {
    out.append(head.target);
  } else {
    out.append(upstream_path);
    if (std::string_view query = head.query(); !query.empty()) out.append("?").append(query);
  }
  out.append(" HTTP/1.1\r\n");
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

asio::awaitable<int> ClientConnection::AnswerUpstreamTimeout(const RequestHead& head, bool* keep_alive) {
  ++state_->stats.upstream_timeouts;
  LogWarning("SGLang did not respond to ", head.method, " ", head.path(), " within ",
             InSeconds(state_->config.settings.response_timeout), " s");
  *keep_alive = false;
  co_return co_await WriteError(head, 504, "The engine did not respond in time.", keep_alive);
}

asio::awaitable<int> ClientConnection::Proxy(const RequestHead& head, const RouteDecision& decision,
                                             const std::string* fixed_body, bool* keep_alive) {
  FrontDoorStats& stats = state_->stats;
  // The client already left (its reader saw EOF): SGLang need not start.
  flags_.client_gone = false;
  flags_.response_complete = false;
  if (flags_.input_failed) {
    ++stats.client_aborts;
    *keep_alive = false;
    co_return kClientClosed;
  }
  std::string_view upstream_path = decision.filters.UpstreamPath();
  if (upstream_path.empty()) upstream_path = decision.upstream_path;
  std::string upstream_head = BuildUpstreamHead(head, upstream_path, fixed_body);
  std::optional<tcp::socket> upstream;
  flags_.upstream_timed_out = false;
  ExpectUpstreamWithin(state_->config.settings.response_timeout);
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
        LogWarning("SGLang is not reachable at ", state_->config.backend.host, ":", state_->config.backend.port, ": ",
                   ec.message());
        co_return co_await WriteError(head, 503, "The engine is not reachable; try again later.", keep_alive);
      }
      ++stats.upstream_connections_opened;
    }
    upstream_ = &*upstream;
    relay_out_.clear();
    relay_out_.push_back(asio::buffer(upstream_head));
    if (fixed_body) relay_out_.push_back(asio::buffer(*fixed_body));
    std::span<const asio::const_buffer> out = Coalesce(relay_out_);
    size_t sent = 0;
    if (!SendAtOnce(*upstream, out, &sent, &ec)) co_await SendRemainder(*upstream, out, sent, &ec);
    if (!ec) break;
    upstream_ = nullptr;
    upstream.reset();
    if (flags_.closed) co_return kClientClosed;
    if (flags_.upstream_timed_out) co_return co_await AnswerUpstreamTimeout(head, keep_alive);
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
        if (flags_.upstream_timed_out) co_return co_await AnswerUpstreamTimeout(head, keep_alive);
        ++stats.upstream_errors;
        co_return co_await WriteError(head, 502, "The engine closed the connection.", keep_alive);
      }
      ++stats.client_aborts;
      co_return kClientClosed;
    }
  }

  bool reusable = false;
  int status = co_await RelayResponse(head, decision, *upstream, keep_alive, &reusable);
  upstream_ = nullptr;
  if (reusable && upstream->is_open() && !flags_.closed) {
    state_->pool.Return(std::move(*upstream));
  } else {
    upstream->close(ec);
  }
  co_return status;
}

}  // namespace shim
