// The response half of a proxied exchange: SGLang's response read with one
// recv per readiness into a buffer kept for the connection, its head parsed
// (response_head.cc), and its body sent on the moment it arrives with one
// gathered write per read. When framing and bytes need no change (the common
// case) the body passes through untouched, chunk-size lines included, so a
// token costs one recv and one send; otherwise it is decoded and re-chunked,
// optionally frame by frame through the route's SSE rewrite.
#include "common/prelude.h"

#include <sys/socket.h>

#include <cstdio>
#include <cstring>
#include <optional>

#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "common/invariants.h"
#include "common/log.h"
#include "common/strings.h"
#include "frontdoor/client_connection.h"
#include "frontdoor/relay_plan.h"
#include "frontdoor/response_body.h"
#include "frontdoor/response_head.h"
#include "frontdoor/send_now.h"
#include "frontdoor/server_state.h"
#include "frontdoor/sse_frames.h"
#include "rewrite/error_shape.h"

namespace shim {

namespace asio = boost::asio;
using asio::ip::tcp;

namespace {

constexpr size_t kRelayBufferBytes = 16 * 1024;
constexpr char kCrlf[] = "\r\n";
constexpr char kLastChunk[] = "0\r\n\r\n";

// The head the client gets: SGLang's status and end-to-end headers, our framing.
std::string BuildClientHead(int version_minor, int status, const HeaderList& headers, std::string_view framing,
                            bool keep_alive) {
  std::string out;
  size_t size = 64 + framing.size();
  for (const auto& [name, value] : headers) size += name.size() + value.size() + 4;
  out.reserve(size);
  out.append(version_minor == 0 ? "HTTP/1.0 " : "HTTP/1.1 ");
  out.append(std::to_string(status)).append(" ").append(HttpStatusPhrase(status)).append("\r\n");
  for (const auto& [name, value] : headers) out.append(name).append(": ").append(value).append("\r\n");
  out.append(framing);
  if (!keep_alive) {
    out.append("Connection: close\r\n");
  } else if (version_minor == 0) {
    out.append("Connection: keep-alive\r\n");
  }
  out.append("\r\n");
  return out;
}

// SGLang's end-to-end fields for the client (copied: the bytes they view move
// later), after the filters' edits.
HeaderList EndToEndHeaders(const RequestHead& head, const RouteDecision& decision, const ResponseHead& response) {
  HeaderList headers;
  headers.reserve(response.headers.size() + 1);
  const bool has_connection = response.Find("connection") != nullptr;
  for (const auto& [name, value] : response.headers) {
    if (IsHopByHopHeader(name)) continue;
    if (has_connection && IsListedInConnection(response.headers, name)) continue;
    headers.emplace_back(std::string(name), std::string(value));
  }
  decision.filters.RunResponseHead(head, response.status, &headers);
  return headers;
}

}  // namespace

std::span<const asio::const_buffer> ClientConnection::Coalesce(const std::vector<asio::const_buffer>& pieces) {
  if (pieces.size() > 1 && asio::buffer_size(pieces) <= kCoalesceBytes) {
    // Head and body, or a chunk's size line, data and CRLF: one send() of a
    // few hundred copied bytes is cheaper than a sendmsg() over several pieces.
    relay_coalesced_.clear();
    for (const asio::const_buffer& piece : pieces) {
      relay_coalesced_.append(static_cast<const char*>(piece.data()), piece.size());
    }
    relay_whole_ = asio::buffer(relay_coalesced_);
    return std::span(&relay_whole_, 1);
  }
  return pieces;
}

asio::awaitable<int> ClientConnection::RelayResponse(const RequestHead& head, const RouteDecision& decision,
                                                     tcp::socket& upstream, bool* keep_alive, bool* upstream_reusable) {
  FrontDoorStats& stats = state_->stats;
  const Settings& settings = state_->config.settings;
  const bool head_request = head.method == "HEAD";
  boost::system::error_code ec;
  if (relay_in_.size() != kRelayBufferBytes) relay_in_.assign(kRelayBufferBytes, '\0');
  RelayCursor cursor;

  // The head, however many reads it takes (bounded by max_header_bytes).
  ResponseHead response;
  std::string parse_error;
  while (true) {
    size_t n =
        co_await upstream.async_read_some(asio::buffer(relay_in_.data() + cursor.end, relay_in_.size() - cursor.end),
                                          asio::redirect_error(asio::use_awaitable, ec));
    if (ec) break;
    cursor.end += n;
    ParseStatus parsed = ParseResponseHead(std::string_view(relay_in_.data(), cursor.end), settings.max_header_bytes,
                                           head_request, &response, &cursor.begin, &parse_error);
    if (parsed == ParseStatus::kComplete && response.status < 200) {
      parsed = ParseStatus::kError;  // 1xx: we never send Expect or Upgrade upstream
      parse_error = "unexpected informational response";
    }
    if (parsed == ParseStatus::kComplete) break;
    if (parsed == ParseStatus::kError) {
      ec = asio::error::invalid_argument;
      break;
    }
    if (cursor.end == relay_in_.size()) relay_in_.resize(relay_in_.size() + kRelayBufferBytes);
  }
  if (ec) {
    if (flags_.client_gone || flags_.closed) {
      ++stats.client_aborts;
      *keep_alive = false;
      co_return kClientClosed;
    }
    if (flags_.upstream_timed_out) co_return co_await AnswerUpstreamTimeout(head, keep_alive);
    ++stats.upstream_errors;
    LogWarning("SGLang failed before responding to ", head.method, " ", head.path(), ": ",
               parse_error.empty() ? ec.message() : parse_error);
    co_return co_await WriteError(head, 502, "The engine failed to respond.", keep_alive);
  }
  ExpectUpstreamWithin(settings.stream_timeout);  // from here on, silence between reads is what counts
  if (decision.filters.WatchesExchange()) decision.filters.RunWatchedHead(response.status, response.event_stream);

  RelayFacts facts;
  facts.head_request = head_request;
  facts.client_minor = head.version_minor;
  facts.client_keep_alive = *keep_alive;
  facts.draining = state_->draining;
  facts.response = &response;
  facts.filters_want_body = decision.filters.WantsResponseBody(response.status);
  facts.filters_rewrite_frames = decision.filters.RewritesSseFrames();
  facts.filters_edit_head = decision.filters.EditsResponseHead();
  const RelayPlan plan = PlanRelay(facts);
  *keep_alive = plan.keep_alive;
  ResponseBodyDecoder decoder(response.framing, response.content_length);
  if (plan.whole_body) {
    co_return co_await RelayWholeBody(head, decision, upstream, response, &decoder, &cursor, keep_alive,
                                      upstream_reusable);
  }
  co_return co_await RelayStream(head, decision, upstream, response, plan, &decoder, &cursor, keep_alive,
                                 upstream_reusable);
}

asio::awaitable<bool> ClientConnection::ReadMoreFromEngine(tcp::socket& upstream, RelayCursor* cursor,
                                                           boost::system::error_code* ec) {
  if (cursor->begin == cursor->end) {
    cursor->begin = cursor->end = 0;
  } else if (cursor->end == relay_in_.size()) {
    std::memmove(relay_in_.data(), relay_in_.data() + cursor->begin, cursor->end - cursor->begin);
    cursor->end -= cursor->begin;
    cursor->begin = 0;
  }
  // The decoder leaves at most a chunk-size line undecoded, far below the buffer.
  if (!SHIM_BUG(cursor->end < relay_in_.size(), "the relay buffer is full of undecoded bytes")) {
    *ec = asio::error::no_buffer_space;
    co_return false;
  }
  ExpectUpstreamWithin(state_->config.settings.stream_timeout);
  size_t n =
      co_await upstream.async_read_some(asio::buffer(relay_in_.data() + cursor->end, relay_in_.size() - cursor->end),
                                        asio::redirect_error(asio::use_awaitable, *ec));
  cursor->end += n;
  co_return !*ec;
}

int ClientConnection::CutResponse(const RequestHead& head, int status, bool* keep_alive, const char* why) {
  FrontDoorStats& stats = state_->stats;
  if (flags_.client_gone || flags_.closed) {
    ++stats.client_aborts;
  } else if (flags_.upstream_timed_out) {
    ++stats.upstream_timeouts;
    LogWarning("SGLang was silent for ", InSeconds(state_->config.settings.stream_timeout),
               " s in the middle of a response to ", head.path(), "; the response is cut");
  } else {
    ++stats.upstream_errors;
    LogWarning("SGLang failed in the middle of a response to ", head.path(), ": ", why);
  }
  *keep_alive = false;
  Abort();  // cut, not ended: the client must see the response is incomplete
  return flags_.client_gone ? kClientClosed : status;
}

asio::awaitable<int> ClientConnection::RelayWholeBody(const RequestHead& head, const RouteDecision& decision,
                                                      tcp::socket& upstream, const ResponseHead& response,
                                                      ResponseBodyDecoder* decoder, RelayCursor* cursor,
                                                      bool* keep_alive, bool* upstream_reusable) {
  const size_t max_body = state_->config.settings.max_body_bytes;
  const bool watching = decision.filters.WatchesExchange();
  // Before reading on: reads may move the bytes the head's fields view.
  HeaderList headers = EndToEndHeaders(head, decision, response);
  std::string body;
  boost::system::error_code ec;
  bool at_eof = false;
  while (true) {
    relay_pieces_.clear();
    long used = decoder->Decode(std::string_view(relay_in_.data() + cursor->begin, cursor->end - cursor->begin),
                                &relay_pieces_);
    if (used < 0) co_return CutResponse(head, response.status, keep_alive, decoder->error());
    cursor->begin += static_cast<size_t>(used);
    for (std::string_view piece : relay_pieces_) body.append(piece);
    if (watching) {
      for (std::string_view piece : relay_pieces_) decision.filters.RunWatchedBody(piece);
    }
    if (body.size() > max_body) {
      ++state_->stats.upstream_errors;
      co_return co_await WriteError(head, 502, "The engine's response is too large to rewrite.", keep_alive);
    }
    if (decoder->done() || at_eof) break;
    if (!co_await ReadMoreFromEngine(upstream, cursor, &ec)) {
      if (ec != asio::error::eof || !decoder->FinishAtEof()) {
        co_return CutResponse(head, response.status, keep_alive, ec.message().c_str());
      }
      at_eof = true;
    }
  }
  int final_status = response.status;
  decision.filters.RunResponseBody(head, &final_status, &headers, &body);
  LocalResponse local{final_status, "", std::move(body), std::move(headers)};
  *upstream_reusable = response.keep_alive && !at_eof && cursor->begin == cursor->end;
  if (!co_await WriteAll(SerializeLocalResponse(local, head.version_minor, *keep_alive, false))) {
    ++state_->stats.client_aborts;
    *keep_alive = false;
    *upstream_reusable = false;
  } else {
    flags_.response_complete = true;
  }
  co_return final_status;
}

asio::awaitable<int> ClientConnection::RelayStream(const RequestHead& head, const RouteDecision& decision,
                                                   tcp::socket& upstream, const ResponseHead& response,
                                                   const RelayPlan& plan, ResponseBodyDecoder* decoder,
                                                   RelayCursor* cursor, bool* keep_alive, bool* upstream_reusable) {
  const int status = response.status;
  std::string framing;
  if (plan.announce_length) {
    framing.append("Content-Length: ").append(std::to_string(response.content_length)).append("\r\n");
  } else if (plan.chunked_out) {
    framing = "Transfer-Encoding: chunked\r\n";
  }
  std::string rebuilt_head;
  if (!plan.forward_head) {
    rebuilt_head =
        BuildClientHead(head.version_minor, status, EndToEndHeaders(head, decision, response), framing, *keep_alive);
  }
  // SGLang's head bytes start relay_in_ and go out in the first send, before any read can move them.
  const std::string_view client_head =
      plan.forward_head ? std::string_view(relay_in_.data(), cursor->begin) : std::string_view(rebuilt_head);

  std::optional<SseFrameRelay> frames;  // only for a rewritten event stream
  SseFrameRelay::Rewrite rewrite_frame;
  if (plan.rewrite_frames) {
    frames.emplace();
    const FilterChain* filters = &decision.filters;
    rewrite_frame = [filters](std::string_view frame, std::string* out) { return filters->RunSseFrame(frame, out); };
  }
  const bool watching = decision.filters.WatchesExchange();
  char size_line[24];
  bool head_sent = false;
  bool at_eof = false;
  boost::system::error_code ec;
  while (true) {
    relay_pieces_.clear();
    std::string_view available(relay_in_.data() + cursor->begin, cursor->end - cursor->begin);
    long used = decoder->Decode(available, &relay_pieces_);
    if (used < 0) {
      if (head_sent) co_return CutResponse(head, status, keep_alive, decoder->error());
      ++state_->stats.upstream_errors;
      LogWarning("SGLang sent a malformed body to ", head.path(), ": ", decoder->error());
      co_return co_await WriteError(head, 502, "The engine failed to respond.", keep_alive);
    }
    std::string_view raw = available.substr(0, static_cast<size_t>(used));
    cursor->begin += static_cast<size_t>(used);
    if (watching) {
      for (std::string_view piece : relay_pieces_) decision.filters.RunWatchedBody(piece);
    }
    const bool finished = decoder->done() || at_eof;

    relay_out_.clear();
    if (!head_sent) relay_out_.push_back(asio::buffer(client_head.data(), client_head.size()));
    if (plan.passthrough) {
      if (!raw.empty()) relay_out_.push_back(asio::buffer(raw.data(), raw.size()));
    } else {
      const std::vector<std::string_view>* views = &relay_pieces_;
      if (plan.rewrite_frames) {
        relay_frames_.clear();
        if (!relay_pieces_.empty()) frames->Feed(relay_pieces_, rewrite_frame, &relay_frames_);
        if (finished) {
          std::string_view tail = frames->Finish();
          if (!tail.empty()) relay_frames_.push_back(tail);
        }
        views = &relay_frames_;
      }
      size_t total = 0;
      for (std::string_view view : *views) total += view.size();
      if (total > 0 && plan.chunked_out) {
        int n = std::snprintf(size_line, sizeof size_line, "%zx\r\n", total);
        relay_out_.push_back(asio::buffer(size_line, static_cast<size_t>(n)));
      }
      for (std::string_view view : *views) relay_out_.push_back(asio::buffer(view.data(), view.size()));
      if (total > 0 && plan.chunked_out) relay_out_.push_back(asio::buffer(kCrlf, 2));
      if (finished && plan.chunked_out) relay_out_.push_back(asio::buffer(kLastChunk, 5));
    }
    // The head goes out at once even before any body (an SSE client wants it
    // early); otherwise it rides with the first body bytes in one send.
    if (!relay_out_.empty()) {
      std::span<const asio::const_buffer> out = Coalesce(relay_out_);
      size_t sent = 0;
      if (!SendAtOnce(socket_, out, &sent, &ec)) co_await SendRemainder(socket_, out, sent, &ec);
      if (ec) {
        ++state_->stats.client_aborts;
        *keep_alive = false;
        co_return kClientClosed;
      }
      head_sent = true;
    }
    if (finished) break;
    if (!co_await ReadMoreFromEngine(upstream, cursor, &ec)) {
      if (ec != asio::error::eof || !decoder->FinishAtEof()) {
        co_return CutResponse(head, status, keep_alive, ec.message().c_str());
      }
      at_eof = true;
    }
  }
  *upstream_reusable = response.keep_alive && !at_eof && cursor->begin == cursor->end;
  flags_.response_complete = true;
  co_return status;
}

}  // namespace shim
