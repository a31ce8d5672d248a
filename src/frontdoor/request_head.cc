#include "frontdoor/request_head.h"

#include "common/strings.h"
#include "frontdoor/http_syntax.h"
#include "frontdoor/request_path.h"

namespace shim {
namespace {

using namespace http_syntax;  // NOLINT(google-build-using-namespace): the file's vocabulary

// haproxy's default tune.http.maxhdr is 101; a little more headroom costs nothing.
constexpr size_t kMaxHeaderCount = 128;

// Visible ASCII only, and no '#': a fragment is never part of a request
// target (RFC 9112 §3.2), and uvicorn's httptools parser drops it, so
// "/flush_cache#x" would reach an engine route that the front door did not
// recognise as that route.
bool IsValidTarget(std::string_view text) {
  if (text.empty()) return false;
  for (unsigned char c : text) {
    if (c <= 0x20 || c >= 0x7f || c == '#') return false;
  }
  return true;
}

ParseStatus Fail(HeadError* error, int status, const char* reason) {
  error->status = status;
  error->reason = reason;
  return ParseStatus::kError;
}

bool ParseRequestLine(std::string_view line, RequestHead* out, HeadError* error) {
  size_t first_space = line.find(' ');
  if (first_space == std::string_view::npos) {
    Fail(error, 400, "malformed request line");
    return false;
  }
  size_t second_space = line.find(' ', first_space + 1);
  if (second_space == std::string_view::npos || line.find(' ', second_space + 1) != std::string_view::npos) {
    Fail(error, 400, "malformed request line");
    return false;
  }
  std::string_view method = line.substr(0, first_space);
  std::string_view target = line.substr(first_space + 1, second_space - first_space - 1);
  std::string_view version = line.substr(second_space + 1);
  if (!IsToken(method)) {
    Fail(error, 400, "invalid method");
    return false;
  }
  if (!IsValidTarget(target)) {
    Fail(error, 400, "invalid request target");
    return false;
  }
  if (version.size() != 8 || version.substr(0, 5) != "HTTP/" || version[6] != '.' || version[5] < '0' ||
      version[5] > '9' || version[7] < '0' || version[7] > '9') {
    Fail(error, 400, "invalid HTTP version");
    return false;
  }
  if (version[5] != '1' || (version[7] != '0' && version[7] != '1')) {
    Fail(error, 505, "HTTP version not supported");
    return false;
  }
  // Absolute-form ("http://host/path") is reduced to origin-form; "*" only for OPTIONS.
  if (target.front() == '/' || (target == "*" && method == "OPTIONS")) {
    out->target.assign(target);
  } else if (StartsWith(ToLower(target.substr(0, 8)), "http://") ||
             StartsWith(ToLower(target.substr(0, 8)), "https://")) {
    size_t scheme_end = target.find("://") + 3;
    size_t path_start = target.find_first_of("/?", scheme_end);
    out->target = "/";
    if (path_start != std::string_view::npos) {
      std::string_view rest = target.substr(path_start);
      if (rest.front() == '/') rest.remove_prefix(1);
      out->target.append(rest);
    }
  } else {
    Fail(error, 400, "invalid request target");
    return false;
  }
  if (HasDotSegment(out->path())) {
    Fail(error, 400, "dot segments in the request target");
    return false;
  }
  out->method.assign(method);
  out->version_minor = version[7] - '0';
  return true;
}

// Applies the framing rules once every header is known.
bool DecideFraming(RequestHead* out, HeadError* error) {
  bool have_length = false;
  uint64_t length = 0;
  bool have_te = false;
  int chunked_count = 0;
  bool chunked_last = false;
  bool other_coding = false;
  int host_count = 0;
  for (const auto& [name, value] : out->headers) {
    if (EqualsIgnoreCase(name, "content-length")) {
      if (!FoldContentLength(value, &have_length, &length)) {
        Fail(error, 400, "invalid or conflicting Content-Length");
        return false;
      }
    } else if (EqualsIgnoreCase(name, "transfer-encoding")) {
      have_te = true;
      ForEachListElement(value, [&](std::string_view element) {
        if (EqualsIgnoreCase(element, "chunked")) {
          ++chunked_count;
          chunked_last = true;
        } else {
          other_coding = true;
          chunked_last = false;
        }
      });
    } else if (EqualsIgnoreCase(name, "connection")) {
      ForEachListElement(value, [&](std::string_view element) {
        if (EqualsIgnoreCase(element, "close")) out->keep_alive = false;
        if (EqualsIgnoreCase(element, "keep-alive") && out->version_minor == 0) out->keep_alive = true;
      });
    } else if (EqualsIgnoreCase(name, "expect")) {
      if (EqualsIgnoreCase(TrimOws(value), "100-continue")) out->expect_continue = true;
    } else if (EqualsIgnoreCase(name, "host")) {
      ++host_count;
    }
  }
  if (host_count > 1) {
    Fail(error, 400, "more than one Host header");
    return false;
  }
  if (have_te) {
    if (out->version_minor == 0) {
      Fail(error, 400, "Transfer-Encoding in an HTTP/1.0 request");
      return false;
    }
    if (chunked_count > 1) {
      Fail(error, 400, "chunked applied more than once");
      return false;
    }
    if (!chunked_last) {
      Fail(error, 400, "Transfer-Encoding does not end with chunked");
      return false;
    }
    if (other_coding) {
      // haproxy answers "gzip, chunked" with 422: we would have to decode it.
      Fail(error, 422, "unsupported transfer coding");
      return false;
    }
    out->framing = BodyFraming::kChunked;
    out->close_after_response = have_length;
    return true;
  }
  if (have_length) {
    out->content_length = length;
    out->framing = length > 0 ? BodyFraming::kContentLength : BodyFraming::kNone;
  }
  return true;
}

}  // namespace

std::string_view RequestHead::path() const {
  std::string_view t = target;
  return t.substr(0, t.find('?'));
}

std::string_view RequestHead::query() const {
  std::string_view t = target;
  size_t q = t.find('?');
  return q == std::string_view::npos ? std::string_view() : t.substr(q + 1);
}

const std::string* RequestHead::Find(std::string_view name) const { return FindHeader(headers, name); }

namespace {

void ResetKeepingCapacity(RequestHead* head) {
  HeaderList headers = std::move(head->headers);
  std::string method = std::move(head->method);
  std::string target = std::move(head->target);
  *head = RequestHead{};
  head->headers = std::move(headers);
  head->headers.reserve(16);  // one allocation for a typical head
  head->method = std::move(method);
  head->method.clear();
  head->target = std::move(target);
  head->target.clear();
}

}  // namespace

ParseStatus ParseRequestHead(std::string_view data, size_t max_head_bytes, RequestHead* out, size_t* consumed,
                             HeadError* error) {
  // *out may hold the connection's previous head: its strings keep their
  // capacity, so a keep-alive connection parses most heads without allocating.
  ResetKeepingCapacity(out);
  size_t header_count = 0;
  // Entries past header_count are the previous head's: drop them on every return.
  struct DropStaleHeaders {
    HeaderList* headers;
    const size_t* count;
    ~DropStaleHeaders() { headers->resize(*count); }
  } drop_stale{&out->headers, &header_count};
  size_t pos = 0;
  // RFC 9112 §2.2: ignore at least one empty line before the request line.
  while (pos + 1 < data.size() && data[pos] == '\r' && data[pos + 1] == '\n') pos += 2;
  bool have_request_line = false;
  while (true) {
    size_t newline = data.find('\n', pos);
    if (newline == std::string_view::npos) {
      if (data.size() > max_head_bytes) return Fail(error, 431, "request head too large");
      return ParseStatus::kIncomplete;
    }
    if (newline + 1 > max_head_bytes) return Fail(error, 431, "request head too large");
    if (newline == pos || data[newline - 1] != '\r') return Fail(error, 400, "bare LF in request head");
    std::string_view line = data.substr(pos, newline - 1 - pos);
    pos = newline + 1;
    if (line.find('\r') != std::string_view::npos || line.find('\0') != std::string_view::npos) {
      return Fail(error, 400, "control character in request head");
    }
    if (!have_request_line) {
      if (!ParseRequestLine(line, out, error)) return ParseStatus::kError;
      have_request_line = true;
      continue;
    }
    if (line.empty()) break;
    if (line.front() == ' ' || line.front() == '\t') return Fail(error, 400, "obsolete line folding");
    size_t colon = line.find(':');
    if (colon == std::string_view::npos) return Fail(error, 400, "header line without a colon");
    std::string_view name = line.substr(0, colon);
    if (!IsToken(name)) return Fail(error, 400, "invalid header name");
    std::string_view value = TrimOws(line.substr(colon + 1));
    if (!IsValidFieldValue(value)) return Fail(error, 400, "invalid header value");
    if (header_count >= kMaxHeaderCount) return Fail(error, 431, "too many headers");
    if (header_count < out->headers.size()) {
      out->headers[header_count].first.assign(name);
      out->headers[header_count].second.assign(value);
    } else {
      out->headers.emplace_back(std::string(name), std::string(value));
    }
    ++header_count;
  }
  out->headers.resize(header_count);  // DecideFraming reads them
  out->keep_alive = out->version_minor >= 1;
  if (!DecideFraming(out, error)) return ParseStatus::kError;
  *consumed = pos;
  return ParseStatus::kComplete;
}

bool IsHopByHopHeader(std::string_view name) {
  // Called for every header in both directions: dispatch on length first.
  switch (name.size()) {
    case 2:
      return EqualsIgnoreCase(name, "te");
    case 7:
      return EqualsIgnoreCase(name, "trailer") || EqualsIgnoreCase(name, "upgrade");
    case 10:
      return EqualsIgnoreCase(name, "connection") || EqualsIgnoreCase(name, "keep-alive");
    case 14:
      return EqualsIgnoreCase(name, "content-length");
    case 16:
      return EqualsIgnoreCase(name, "proxy-connection");
    case 17:
      return EqualsIgnoreCase(name, "transfer-encoding");
    case 18:
      return EqualsIgnoreCase(name, "proxy-authenticate");
    case 19:
      return EqualsIgnoreCase(name, "proxy-authorization");
    default:
      return false;
  }
}

}  // namespace shim
