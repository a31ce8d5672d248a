// Parsing of one HTTP/1.x request head from untrusted bytes, with the framing
// checks that stop request smuggling. Pure functions: no sockets, no allocation
// beyond the parsed strings, never throws. The fuzz target drives this file.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/strings.h"
#include "frontdoor/http_syntax.h"

namespace shim {

using HeaderList = std::vector<std::pair<std::string, std::string>>;

enum class BodyFraming { kNone, kContentLength, kChunked };

struct RequestHead {
  std::string method;     // as sent (methods are case-sensitive)
  std::string target;     // origin-form "/path?query" (absolute-form is reduced to it)
  int version_minor = 1;  // HTTP/1.<minor>; only 0 and 1 are accepted
  HeaderList headers;     // in arrival order, names as sent
  BodyFraming framing = BodyFraming::kNone;
  uint64_t content_length = 0;  // when framing == kContentLength
  bool keep_alive = true;       // from version and Connection
  // Both Content-Length and Transfer-Encoding were sent. haproxy serves such a
  // request by the chunked framing and then closes the connection
  // (reg-tests/http-messaging/http_transfer_encoding.vtc); so do we.
  bool close_after_response = false;
  bool expect_continue = false;  // "Expect: 100-continue"

  std::string_view path() const;   // target up to '?'
  std::string_view query() const;  // after '?', without it; empty when absent
  // First header with this name (case-insensitive), or nullptr.
  const std::string* Find(std::string_view name) const;
};

enum class ParseStatus { kIncomplete, kComplete, kError };

// Why a head was refused: the status to answer with and a one-line reason
// (safe to log and to send; it never quotes header values).
struct HeadError {
  int status = 400;
  std::string reason;
};

// Parses one request head at the start of `data`. kIncomplete: need more bytes
// (and `data` is still within `max_head_bytes`). kComplete: *out filled and
// *consumed = bytes of the head including the blank line. kError: *error set
// (431 when the head exceeds max_head_bytes, 400/501/505 otherwise).
// Leading empty lines before the request line are skipped (RFC 9112 §2.2).
ParseStatus ParseRequestHead(std::string_view data, size_t max_head_bytes, RequestHead* out, size_t* consumed,
                             HeadError* error);

// First field in `headers` (name/value pairs: owned strings or views) with
// this name (case-insensitive), or nullptr.
template <typename Fields>
const typename Fields::value_type::second_type* FindHeader(const Fields& headers, std::string_view name) {
  for (const auto& field : headers) {
    if (EqualsIgnoreCase(field.first, name)) return &field.second;
  }
  return nullptr;
}

// Hop-by-hop header names that a proxy must not forward (RFC 9110 §7.6.1),
// plus Content-Length/Transfer-Encoding which the proxy re-frames itself.
bool IsHopByHopHeader(std::string_view name);

// True when `name` is listed as a token of any Connection header in `headers`
// (name/value pairs: owned strings or views; those headers are hop-by-hop too).
template <typename Fields>
bool IsListedInConnection(const Fields& headers, std::string_view name) {
  bool found = false;
  for (const auto& [key, value] : headers) {
    if (!EqualsIgnoreCase(key, "connection")) continue;
    http_syntax::ForEachListElement(value, [&](std::string_view element) {
      if (EqualsIgnoreCase(element, name)) found = true;
    });
  }
  return found;
}

}  // namespace shim
