// Where the load generator sends requests: http://<numeric-or-localhost>:<port><path>.
// Benchmarks run on loopback only, so no name resolution is done.
#pragma once
#include <string>
#include <string_view>

namespace shim::loadgen {

struct HttpUrl {
  std::string host;  // numeric address ("localhost" becomes 127.0.0.1)
  int port = 80;
  std::string target;  // path and query, at least "/"
};

// Parses an http:// URL. Returns false with *err on anything else (https, names,
// a bad port).
bool ParseHttpUrl(std::string_view text, HttpUrl* out, std::string* err);

}  // namespace shim::loadgen
