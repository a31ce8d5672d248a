// The path of a request target as SGLang's HTTP server will route it, so that
// every routing and gating question is decided on the same path the engine
// sees. uvicorn (httptools) hands Starlette the target's path percent-decoded
// once (uvicorn/protocols/http/httptools_impl.py, on_url); Starlette matches
// that string exactly and resolves neither dot segments nor doubled slashes.
#pragma once
#include <string>
#include <string_view>

namespace shim {

// The path as the backend's router would see it: percent-decoded, runs of '/'
// collapsed, one trailing '/' removed (except the root). Used for matching so
// that "/flush%5Fcache" or "//flush_cache/" cannot slip past a blocked route.
std::string NormalizePath(std::string_view path);
// True when NormalizePath(path) == path (nothing to decode or collapse).
bool IsNormalPath(std::string_view path);
// NormalizePath without a copy in the common case: `path` itself when it is
// already normal, else the normal form kept in *storage.
std::string_view NormalizedPath(std::string_view path, std::string* storage);

// True when a "." or ".." segment appears in `path`, as sent or once
// percent-decoded. Such a path names one route to a server that resolves dot
// segments and another to one that does not; the parser refuses it.
bool HasDotSegment(std::string_view path);

}  // namespace shim
