#include "loadgen/http_url.h"

#include "common/strings.h"

namespace shim::loadgen {

namespace {

bool IsNumericAddress(std::string_view host) {
  if (host.empty()) return false;
  for (char c : host) {
    bool ok = (c >= '0' && c <= '9') || c == '.' || c == ':' || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    if (!ok) return false;
  }
  return true;
}

}  // namespace

bool ParseHttpUrl(std::string_view text, HttpUrl* out, std::string* err) {
  constexpr std::string_view kScheme = "http://";
  if (!StartsWith(text, kScheme)) {
    *err = "URL must start with http:// (got '" + std::string(text) + "')";
    return false;
  }
  std::string_view rest = text.substr(kScheme.size());
  size_t slash = rest.find('/');
  std::string_view authority = rest.substr(0, slash);
  std::string target = slash == std::string_view::npos ? "/" : std::string(rest.substr(slash));

  std::string_view host = authority;
  int port = 80;
  if (!authority.empty() && authority.front() == '[') {  // [::1]:port
    size_t close = authority.find(']');
    if (close == std::string_view::npos) {
      *err = "unterminated IPv6 address in '" + std::string(text) + "'";
      return false;
    }
    host = authority.substr(1, close - 1);
    std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') {
        *err = "unexpected text after IPv6 address in '" + std::string(text) + "'";
        return false;
      }
      auto p = ParseInt(after.substr(1));
      if (!p || *p < 1 || *p > 65535) {
        *err = "bad port in '" + std::string(text) + "'";
        return false;
      }
      port = static_cast<int>(*p);
    }
  } else {
    size_t colon = authority.rfind(':');
    if (colon != std::string_view::npos) {
      host = authority.substr(0, colon);
      auto p = ParseInt(authority.substr(colon + 1));
      if (!p || *p < 1 || *p > 65535) {
        *err = "bad port in '" + std::string(text) + "'";
        return false;
      }
      port = static_cast<int>(*p);
    }
  }
  std::string host_text(host);
  if (host_text == "localhost") host_text = "127.0.0.1";
  if (!IsNumericAddress(host_text)) {
    *err = "host must be a numeric address or localhost (got '" + host_text + "')";
    return false;
  }
  out->host = host_text;
  out->port = port;
  out->target = target;
  return true;
}

}  // namespace shim::loadgen
