#include "frontdoor/client_connection.h"

#include <sys/ioctl.h>
#include <sys/socket.h>

#include <algorithm>
#include <array>
#include <cstring>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "common/task_failure.h"
#include "common/log.h"
#include "frontdoor/chunked_decoder.h"
#include "frontdoor/send_now.h"
#include "frontdoor/server_state.h"

namespace shim {

namespace asio = boost::asio;
using asio::ip::tcp;

namespace {

constexpr size_t kReadChunk = 16 * 1024;
constexpr const char kContinue[] = "HTTP/1.1 100 Continue\r\n\r\n";

}  // namespace

ClientConnection::ClientConnection(std::shared_ptr<ServerState> state, tcp::socket socket)
    : state_(std::move(state)), socket_(std::move(socket)), deadline_timer_(socket_.get_executor()) {
  boost::system::error_code ec;
  tcp::endpoint remote = socket_.remote_endpoint(ec);
  if (!ec) {
    asio::ip::address address = remote.address();
    // "::ffff:10.0.0.1" on a dual-stack listener is an IPv4 client.
    if (address.is_v6() && address.to_v6().is_v4_mapped()) {
      address = asio::ip::make_address_v4(asio::ip::v4_mapped, address.to_v6());
    }
    client_ip_ = address.to_string();
  }
  state_->connections.insert(this);
  ++state_->stats.connections_open;
  ++state_->stats.connections_total;
}

ClientConnection::~ClientConnection() {
  state_->connections.erase(this);
  --state_->stats.connections_open;
}

void ClientConnection::Start() {
  auto self = shared_from_this();
  // Whatever escapes one of the three ends the connection (the others see flags_.closed), and is logged.
  auto close = [self] { self->Close(); };
  asio::co_spawn(socket_.get_executor(), ReadLoop(self), LogTaskFailure("a connection's reader", close));
  asio::co_spawn(socket_.get_executor(), Run(self), LogTaskFailure("a connection's request loop", close));
  asio::co_spawn(socket_.get_executor(), Watchdog(self), LogTaskFailure("a connection's watchdog", close));
}

void ClientConnection::Close() {
  if (flags_.closed) return;
  flags_.closed = true;
  if (LogEnabled(LogLevel::kDebug)) LogDebug("connection from ", client_ip_, " closes: ", flags_.Describe());
  boost::system::error_code ignored;
  socket_.close(ignored);
  deadline_timer_.cancel();
  if (upstream_) upstream_->close(ignored);
  // Whoever waits on the connection sees flags_.closed and returns.
  input_arrived_.Notify();
  reader_resume_.Notify();
}

void ClientConnection::Abort() {
  boost::system::error_code ignored;
  socket_.set_option(asio::socket_base::linger(true, 0), ignored);
  Close();
}

std::string_view ClientConnection::Buffered() const { return inbuf_.data(); }

bool ClientConnection::KernelHasInput() {
  int pending = 0;
  if (!socket_.is_open() || ::ioctl(socket_.native_handle(), FIONREAD, &pending) != 0) {
    return false;
  }
  return pending > 0;
}

bool ClientConnection::CloseIfQuiet() {
  if (flags_.closed) return true;
  if (flags_.phase != Phase::kIdle || flags_.requests_served == 0 || inbuf_.size() > 0 || KernelHasInput())
    return false;
  Close();
  return true;
}

void ClientConnection::LimitWaitForFirstRequest(Clock::duration grace) {
  if (flags_.closed || flags_.requests_served > 0 || flags_.phase != Phase::kIdle || inbuf_.size() > 0) return;
  Clock::time_point limit = Clock::now() + grace;
  if (limit < deadline_) SetDeadline(limit);
}

void ClientConnection::SetDeadline(Clock::time_point deadline) {
  deadline_ = deadline;
  // Only an earlier deadline re-arms the timer; the watchdog re-arms for a later one when it wakes.
  if (deadline < deadline_timer_.expiry()) deadline_timer_.expires_at(deadline);
}

void ClientConnection::ExpectUpstreamWithin(Duration limit) {
  if (limit <= Duration::zero()) {
    upstream_deadline_ = Clock::time_point::max();
    return;
  }
  upstream_deadline_ = Clock::now() + limit;
  if (upstream_deadline_ < deadline_timer_.expiry()) deadline_timer_.expires_at(upstream_deadline_);
}

asio::awaitable<void> ClientConnection::Watchdog(std::shared_ptr<ClientConnection> self) {
  while (!flags_.closed) {
    const Clock::time_point next = std::min(deadline_, upstream_deadline_);
    if (deadline_timer_.expiry() != next) deadline_timer_.expires_at(next);
    boost::system::error_code ec;
    co_await deadline_timer_.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    if (flags_.closed) co_return;
    const Clock::time_point now = Clock::now();
    if (now >= deadline_) {
      flags_.timed_out = true;
      deadline_ = Clock::time_point::max();
      input_arrived_.Notify();  // the waiting request path gives up; ReadHead answers 408 or closes
    }
    if (now >= upstream_deadline_) {
      upstream_deadline_ = Clock::time_point::max();
      if (upstream_) {
        // The relay's pending read fails; it answers 504 or cuts the response.
        flags_.upstream_timed_out = true;
        boost::system::error_code ignored;
        upstream_->close(ignored);
      }
    }
  }
}

void ClientConnection::SendBestEffort(std::string_view data) {
  // Never block on a client that does not read (slowloris): one non-blocking try.
  if (!socket_.is_open()) return;
  ssize_t ignored = ::send(socket_.native_handle(), data.data(), data.size(), MSG_DONTWAIT | MSG_NOSIGNAL);
  (void)ignored;
}

asio::awaitable<void> ClientConnection::ReadLoop(std::shared_ptr<ClientConnection> self) {
  // A head's worth of pipelined bytes beyond the current request is plenty.
  const size_t limit = state_->config.settings.max_header_bytes + kReadChunk;
  while (!flags_.closed) {
    if (flags_.input_pinned || inbuf_.size() >= limit) {
      co_await reader_resume_.Wait(asio::use_awaitable);
      continue;
    }
    size_t room = limit - inbuf_.size();
    size_t want = room < kReadChunk ? room : kReadChunk;
    boost::system::error_code ec;
    size_t n = co_await socket_.async_read_some(asio::buffer(inbuf_.Prepare(want), want),
                                                asio::redirect_error(asio::use_awaitable, ec));
    if (ec) break;
    inbuf_.Commit(n);
    // The request path goes first: it forwards the request before this loop
    // re-arms its read (which, right after a whole request, finds nothing).
    input_arrived_.NotifyNow();
  }
  flags_.input_failed = true;
  // EOF or reset in the middle of an exchange: closing the upstream connection
  // makes SGLang abort the generation and free its KV cache (SGLang @8905cbd4
  // python/sglang/srt/managers/tokenizer_manager.py aborts a request whose client has gone).
  if (upstream_ && !flags_.closed) {
    flags_.client_gone = true;
    boost::system::error_code ignored;
    upstream_->close(ignored);
  }
  input_arrived_.Notify();
}

asio::awaitable<bool> ClientConnection::WaitForInput(size_t have) {
  while (inbuf_.size() <= have) {
    if (flags_.input_failed || flags_.timed_out || flags_.closed) co_return false;
    co_await input_arrived_.Wait(asio::use_awaitable);
  }
  co_return true;
}

void ClientConnection::ConsumeInput(size_t n) {
  inbuf_.Consume(n);
  if (reader_resume_.waiting() && !flags_.input_pinned) reader_resume_.Notify();
}

void ClientConnection::UnpinInput() {
  flags_.input_pinned = false;
  if (reader_resume_.waiting()) reader_resume_.Notify();
}

asio::awaitable<bool> ClientConnection::WriteAll(std::string_view data) {
  boost::system::error_code ec;
  const asio::const_buffer whole = asio::buffer(data.data(), data.size());
  co_return co_await SendNow(socket_, std::span(&whole, 1), &ec);
}

asio::awaitable<void> ClientConnection::Run(std::shared_ptr<ClientConnection> self) {
  bool first = true;
  RequestHead head;  // reused: its strings keep their capacity from one request to the next
  while (!flags_.closed) {
    if (!co_await ReadHead(&head, first)) break;
    first = false;
    ServeResult result = co_await Serve(head);
    ++flags_.requests_served;
    if (!result.keep_alive || flags_.closed) break;
  }
  flags_.phase = Phase::kServing;
  Close();
}

asio::awaitable<bool> ClientConnection::ReadHead(RequestHead* head, bool first) {
  const Settings& settings = state_->config.settings;
  if (inbuf_.size() == 0) {
    // Draining with the listener closed: a kept-alive connection ends here
    // unless the client's next request is already on its way in.
    if (!first && state_->draining && !state_->acceptor && !KernelHasInput()) co_return false;
    flags_.phase = Phase::kIdle;
    SetDeadline(Clock::now() + (first ? settings.header_timeout : settings.idle_timeout));
  } else {
    flags_.phase = Phase::kReadingHead;
    SetDeadline(Clock::now() + settings.header_timeout);
  }
  flags_.timed_out = false;
  bool parse = inbuf_.size() > 0;
  while (true) {
    if (parse) {
      size_t consumed = 0;
      HeadError error;
      ParseStatus status = ParseRequestHead(Buffered(), settings.max_header_bytes, head, &consumed, &error);
      if (status == ParseStatus::kComplete) {
        ConsumeInput(consumed);
        flags_.phase = Phase::kServing;
        SetDeadline(Clock::time_point::max());
        co_return true;
      }
      if (status == ParseStatus::kError) {
        flags_.phase = Phase::kServing;
        ++state_->stats.bad_requests;
        state_->stats.CountResponse("bad_request", error.status);
        LogDebug("refused a request head: ", error.status, " ", error.reason);
        LocalResponse response = VllmErrorResponse(error.status, error.reason);
        co_await WriteAll(SerializeLocalResponse(response, 1, false, false));
        co_return false;
      }
    }
    size_t before = inbuf_.size();
    if (!co_await WaitForInput(before)) {
      if (flags_.timed_out && before > 0) {
        // haproxy answers a slow or incomplete head with 408 (timeout http-request).
        ++state_->stats.bad_requests;
        state_->stats.CountResponse("bad_request", 408);
        SendBestEffort(
            SerializeLocalResponse(VllmErrorResponse(408, "request head not received in time"), 1, false, false));
      }
      co_return false;
    }
    if (flags_.phase == Phase::kIdle) {
      flags_.phase = Phase::kReadingHead;
      SetDeadline(Clock::now() + settings.header_timeout);
    }
    // The head can only have completed if a newline arrived.
    std::string_view fresh = Buffered().substr(before);
    parse = fresh.find('\n') != std::string_view::npos || inbuf_.size() > settings.max_header_bytes;
  }
}

asio::awaitable<ClientConnection::BodyOutcome> ClientConnection::PumpBody(const RequestHead& head, BodySink sink) {
  if (head.framing == BodyFraming::kNone) co_return BodyOutcome::kOk;
  // Whatever the outcome, nobody may read this body again (a failure also ends keep-alive).
  flags_.body_consumed = true;
  const Settings& settings = state_->config.settings;
  if (sink.kind != SinkKind::kUpstream && head.framing == BodyFraming::kContentLength &&
      head.content_length > sink.limit) {
    co_return BodyOutcome::kTooLarge;
  }
  if (head.expect_continue && inbuf_.size() == 0) {
    if (!co_await WriteAll(kContinue)) co_return BodyOutcome::kClientGone;
  }
  uint64_t total = 0;
  boost::system::error_code ec;
  // Sends (or keeps) one piece of body; false when the sink failed.
  auto deliver = [&](std::string_view data, bool* too_large) -> bool {
    total += data.size();
    if (sink.kind != SinkKind::kUpstream && total > sink.limit) {
      *too_large = true;
      return false;
    }
    if (sink.kind == SinkKind::kCollect) sink.collect->append(data);
    return true;
  };
  ChunkedDecoder decoder(settings.max_header_bytes);
  uint64_t remaining = head.content_length;
  while (true) {
    std::string_view buffered = Buffered();
    std::string_view piece;
    size_t consumed = 0;
    bool finished = false;
    if (head.framing == BodyFraming::kContentLength) {
      size_t take = buffered.size() < remaining ? buffered.size() : static_cast<size_t>(remaining);
      piece = buffered.substr(0, take);
      consumed = take;
      remaining -= take;
      finished = remaining == 0;
    } else {
      ChunkedDecoder::Step step = decoder.Next(buffered);
      consumed = step.consumed;
      if (step.status == ChunkedDecoder::Status::kError) {
        LogDebug("malformed chunked request body: ", decoder.error());
        co_return BodyOutcome::kMalformed;
      }
      if (step.status == ChunkedDecoder::Status::kData) piece = step.data;
      finished = step.status == ChunkedDecoder::Status::kDone;
    }
    if (!piece.empty()) {
      bool too_large = false;
      if (!deliver(piece, &too_large)) co_return BodyOutcome::kTooLarge;
      if (sink.kind == SinkKind::kUpstream) {
        // The pieces are views of inbuf_: pinned until the write is done.
        PinInput();
        if (head.framing == BodyFraming::kChunked) {
          // Re-frame: our own chunk sizes, no extensions, no trailers.
          char size_line[24];
          int size_len = std::snprintf(size_line, sizeof size_line, "%zx\r\n", piece.size());
          std::array<asio::const_buffer, 3> buffers = {asio::buffer(size_line, static_cast<size_t>(size_len)),
                                                       asio::buffer(piece.data(), piece.size()),
                                                       asio::buffer("\r\n", 2)};
          co_await SendNow(*sink.upstream, buffers, &ec);
        } else {
          const asio::const_buffer whole = asio::buffer(piece.data(), piece.size());
          co_await SendNow(*sink.upstream, std::span(&whole, 1), &ec);
        }
        UnpinInput();
        if (ec) co_return flags_.client_gone ? BodyOutcome::kClientGone : BodyOutcome::kUpstreamFailed;
      }
    }
    ConsumeInput(consumed);
    if (finished) break;
    if (piece.empty() && (head.framing == BodyFraming::kContentLength || consumed == 0 || inbuf_.size() == 0)) {
      SetDeadline(Clock::now() + settings.idle_timeout);
      bool ok = co_await WaitForInput(inbuf_.size());
      SetDeadline(Clock::time_point::max());
      if (!ok) co_return BodyOutcome::kClientGone;
    }
  }
  if (sink.kind == SinkKind::kUpstream && head.framing == BodyFraming::kChunked) {
    const asio::const_buffer last_chunk = asio::buffer("0\r\n\r\n", 5);
    co_await SendNow(*sink.upstream, std::span(&last_chunk, 1), &ec);
    if (ec) co_return BodyOutcome::kUpstreamFailed;
  }
  co_return BodyOutcome::kOk;
}

asio::awaitable<int> ClientConnection::WriteError(const RequestHead& head, int status, std::string_view message,
                                                  bool* keep_alive) {
  co_return co_await AnswerLocal(head, VllmErrorResponse(status, message), keep_alive);
}

asio::awaitable<int> ClientConnection::AnswerLocal(const RequestHead& head, const LocalResponse& response,
                                                   bool* keep_alive) {
  // The request body (rare on local routes) is read and dropped so the next
  // pipelined request starts at the right byte; a large or 100-continue body
  // is not worth reading: close instead.
  if (head.framing != BodyFraming::kNone && *keep_alive && !flags_.body_consumed) {
    if (head.expect_continue && inbuf_.size() == 0) {
      *keep_alive = false;
    } else {
      BodySink sink;
      sink.kind = SinkKind::kDiscard;
      sink.limit = 1024 * 1024;
      if (co_await PumpBody(head, sink) != BodyOutcome::kOk) *keep_alive = false;
    }
  }
  if (flags_.closed) co_return response.status;
  if (state_->draining) *keep_alive = false;
  if (!co_await WriteAll(SerializeLocalResponse(response, head.version_minor, *keep_alive, head.method == "HEAD"))) {
    *keep_alive = false;
  }
  co_return response.status;
}

// Reads the whole request body (up to max_body_bytes) into *body for a route
// that needs it at once. On failure the client has been answered (413/400) or
// is gone; returns that status, else 0.
asio::awaitable<int> ClientConnection::CollectBody(const RequestHead& head, std::string* body, bool* keep_alive) {
  BodySink sink;
  sink.kind = SinkKind::kCollect;
  sink.collect = body;
  sink.limit = state_->config.settings.max_body_bytes;
  if (head.framing == BodyFraming::kContentLength && head.content_length <= sink.limit) {
    body->reserve(static_cast<size_t>(head.content_length));  // one allocation, not a doubling series
  }
  BodyOutcome outcome = co_await PumpBody(head, sink);
  if (outcome == BodyOutcome::kOk) co_return 0;
  *keep_alive = false;
  if (outcome == BodyOutcome::kTooLarge) co_return co_await WriteError(head, 413, "request body too large", keep_alive);
  if (outcome == BodyOutcome::kMalformed)
    co_return co_await WriteError(head, 400, "malformed request body", keep_alive);
  ++state_->stats.client_aborts;
  co_return kClientClosed;
}

bool ClientConnection::TakeBufferedBody(const RequestHead& head, std::string* body) {
  if (head.framing == BodyFraming::kNone) return true;
  if (head.framing != BodyFraming::kContentLength) return false;
  if (head.content_length > state_->config.settings.max_body_bytes) return false;  // 413 from CollectBody
  if (head.expect_continue && inbuf_.size() == 0) return false;                    // 100 Continue from PumpBody
  std::string_view buffered = Buffered();
  if (buffered.size() < head.content_length) return false;
  const size_t length = static_cast<size_t>(head.content_length);
  body->assign(buffered.data(), length);
  ConsumeInput(length);
  flags_.body_consumed = true;
  return true;
}

asio::awaitable<int> ClientConnection::AnswerAsync(const RequestHead& head, const RouteDecision& decision,
                                                   bool* keep_alive) {
  std::string body;
  if (!TakeBufferedBody(head, &body)) {
    int failed_status = co_await CollectBody(head, &body, keep_alive);
    if (failed_status != 0) co_return failed_status;
  }
  LocalResponse response;
  bool failed = false;
  try {
    response = co_await decision.async_answer(head, std::move(body));
  } catch (const std::exception& e) {
    LogError("route ", decision.label, " failed: ", e.what());
    failed = true;
  }
  if (failed) co_return co_await WriteError(head, 500, "internal error in the front door", keep_alive);
  decision.filters.RunLocalAnswer(head, &response);
  co_return co_await AnswerLocal(head, response, keep_alive);  // the body was read: flags_.body_consumed
}

asio::awaitable<int> ClientConnection::ProxyWithBodyTransform(const RequestHead& head, const RouteDecision& decision,
                                                              bool* keep_alive) {
  std::string body;
  if (!TakeBufferedBody(head, &body)) {
    int failed_status = co_await CollectBody(head, &body, keep_alive);
    if (failed_status != 0) co_return failed_status;
  }
  LocalResponse reject;
  bool answered = !decision.filters.RunRequestBody(head, &body, &reject);
  if (!answered && decision.filters.HasPreflight())  // no co_await in a condition: GCC 11/12 bugs
    answered = co_await decision.filters.RunPreflight(head, &body, &reject);
  if (answered) co_return co_await AnswerLocal(head, reject, keep_alive);  // the body was read: body_consumed
  co_return co_await Proxy(head, decision, &body, keep_alive);
}

asio::awaitable<ClientConnection::ServeResult> ClientConnection::Serve(const RequestHead& head) {
  Clock::time_point start = Clock::now();
  FrontDoorStats& stats = state_->stats;
  ++stats.requests_total;
  ++stats.requests_in_flight;
  flags_.body_consumed = false;
  RouteDecision decision = state_->routes.Decide(head);
  bool keep_alive = head.keep_alive && !head.close_after_response;
  int status = 0;
  switch (decision.kind) {
    case RouteDecision::Kind::kAnswer:
      decision.filters.RunLocalAnswer(head, &decision.answer);
      status = co_await AnswerLocal(head, decision.answer, &keep_alive);
      break;
    case RouteDecision::Kind::kAnswerAsync:
      status = co_await AnswerAsync(head, decision, &keep_alive);
      break;
    case RouteDecision::Kind::kProxy:
      if (decision.filters.NeedsRequestBody()) {
        status = co_await ProxyWithBodyTransform(head, decision, &keep_alive);
      } else {
        status = co_await Proxy(head, decision, nullptr, &keep_alive);
      }
      decision.filters.RunExchangeEnd({flags_.response_complete, status == kClientClosed || flags_.client_gone});
      break;
  }
  ClearUpstreamDeadline();
  --stats.requests_in_flight;
  stats.CountResponse(decision.label, status);
  if (LogEnabled(LogLevel::kDebug)) {
    double ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
    // Path only: queries and headers may carry secrets.
    LogDebug(client_ip_, " \"", head.method, " ", head.path(), "\" ", status, " ", decision.label, " ", ms, " ms");
  }
  co_return ServeResult{status, keep_alive && !flags_.closed};
}

}  // namespace shim
