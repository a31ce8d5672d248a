#include "frontdoor/response_head.h"

#include "common/strings.h"
#include "frontdoor/http_syntax.h"

namespace shim {
namespace {

using namespace http_syntax;  // NOLINT(google-build-using-namespace): the file's vocabulary

constexpr size_t kMaxHeaderCount = 256;

ParseStatus Fail(std::string* error, const char* reason) {
  *error = reason;
  return ParseStatus::kError;
}

// "HTTP/1.1 200 OK": version, three digits, optional reason.
bool ParseStatusLine(std::string_view line, ResponseHead* out) {
  if (line.size() < 12 || line.substr(0, 7) != "HTTP/1." || line[8] != ' ') return false;
  if (line[7] != '0' && line[7] != '1') return false;
  int status = 0;
  for (size_t i = 9; i < 12; ++i) {
    if (line[i] < '0' || line[i] > '9') return false;
    status = status * 10 + (line[i] - '0');
  }
  if (status < 100 || (line.size() > 12 && line[12] != ' ')) return false;
  out->status = status;
  out->version_minor = line[7] - '0';
  return true;
}

bool DecideFraming(bool head_request, ResponseHead* out, std::string* error) {
  bool have_te = false;
  bool chunked_last = false;
  out->keep_alive = out->version_minor >= 1;
  for (const auto& [name, value] : out->headers) {
    if (EqualsIgnoreCase(name, "content-length")) {
      if (!FoldContentLength(value, &out->has_content_length, &out->content_length)) {
        *error = "invalid or conflicting Content-Length";
        return false;
      }
    } else if (EqualsIgnoreCase(name, "transfer-encoding")) {
      have_te = true;
      ForEachListElement(value, [&](std::string_view element) { chunked_last = EqualsIgnoreCase(element, "chunked"); });
    } else if (EqualsIgnoreCase(name, "connection")) {
      ForEachListElement(value, [&](std::string_view element) {
        if (EqualsIgnoreCase(element, "close")) out->keep_alive = false;
        if (EqualsIgnoreCase(element, "keep-alive") && out->version_minor == 0) out->keep_alive = true;
      });
    } else if (EqualsIgnoreCase(name, "content-type")) {
      constexpr std::string_view kEventStream = "text/event-stream";
      out->event_stream = EqualsIgnoreCase(TrimOws(value).substr(0, kEventStream.size()), kEventStream);
    }
  }
  // RFC 9112 §6.3, in its order.
  if (head_request || out->status < 200 || out->status == 204 || out->status == 304) {
    out->framing = ResponseFraming::kNone;
  } else if (have_te) {
    out->framing = chunked_last ? ResponseFraming::kChunked : ResponseFraming::kUntilClose;
    // Both framings at once: the message is read as chunked, but the connection
    // is not trusted for another request.
    if (out->has_content_length || !chunked_last) out->keep_alive = false;
  } else if (out->has_content_length) {
    out->framing = ResponseFraming::kContentLength;
  } else {
    out->framing = ResponseFraming::kUntilClose;
  }
  if (out->framing == ResponseFraming::kUntilClose) out->keep_alive = false;
  return true;
}

}  // namespace

const std::string_view* ResponseHead::Find(std::string_view name) const { return FindHeader(headers, name); }

ParseStatus ParseResponseHead(std::string_view data, size_t max_head_bytes, bool head_request, ResponseHead* out,
                              size_t* consumed, std::string* error) {
  *out = ResponseHead{};
  out->headers.reserve(16);  // one allocation for a typical head
  size_t pos = 0;
  bool have_status_line = false;
  while (true) {
    size_t newline = data.find('\n', pos);
    if (newline == std::string_view::npos) {
      if (data.size() > max_head_bytes) return Fail(error, "response head too large");
      return ParseStatus::kIncomplete;
    }
    if (newline + 1 > max_head_bytes) return Fail(error, "response head too large");
    // A bare LF ends a line too (RFC 9112 §2.2 lets a recipient accept it).
    size_t line_end = (newline > pos && data[newline - 1] == '\r') ? newline - 1 : newline;
    std::string_view line = data.substr(pos, line_end - pos);
    pos = newline + 1;
    if (line.find('\r') != std::string_view::npos || line.find('\0') != std::string_view::npos) {
      return Fail(error, "control character in response head");
    }
    if (!have_status_line) {
      if (!ParseStatusLine(line, out)) return Fail(error, "malformed status line");
      have_status_line = true;
      continue;
    }
    if (line.empty()) break;
    if (line.front() == ' ' || line.front() == '\t') return Fail(error, "obsolete line folding");
    size_t colon = line.find(':');
    if (colon == std::string_view::npos) return Fail(error, "header line without a colon");
    std::string_view name = line.substr(0, colon);
    std::string_view value = TrimOws(line.substr(colon + 1));
    if (!IsToken(name)) return Fail(error, "invalid header name");
    if (!IsValidFieldValue(value)) return Fail(error, "invalid header value");
    if (out->headers.size() >= kMaxHeaderCount) return Fail(error, "too many headers");
    out->headers.emplace_back(name, value);
  }
  if (!DecideFraming(head_request, out, error)) return ParseStatus::kError;
  *consumed = pos;
  return ParseStatus::kComplete;
}

}  // namespace shim
