// API keys as vLLM enforces them (vllm/entrypoints/openai/server_utils.py,
// AuthenticationMiddleware): `Authorization: Bearer <key>` on paths starting
// with /v1, /v2 or /inference (after stripping --root-path); OPTIONS and every
// other path are exempt; failure is 401 {"error": "Unauthorized"}. Keys are
// kept only as SHA-256 digests and compared in constant time.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "endpoints/endpoint_reply.h"
#include "endpoints/sha256.h"

namespace shim::endpoints {

class ApiKeyGuard {
 public:
  // `keys`: --api-key values, or VLLM_API_KEY when --api-key was absent (the
  // caller resolves that precedence, as FrontendOptions::api_keys does).
  // Empty keys are ignored; no keys means no check at all.
  ApiKeyGuard(const std::vector<std::string>& keys, std::string root_path);

  bool enabled() const { return !digests_.empty(); }

  // Whether the request may pass. `authorization` is the Authorization header
  // value, or nullptr when absent.
  bool Allows(std::string_view method, std::string_view path, const std::string* authorization) const {
    return AllowsRequest(method, IsGuardedPath(path), authorization);
  }
  // The same, where the caller has decided whether the path is guarded (the
  // front door also guards forwarded routes that vLLM does not have).
  bool AllowsRequest(std::string_view method, bool guarded, const std::string* authorization) const;

  // True when vLLM guards this path (before the credential check).
  bool IsGuardedPath(std::string_view path) const;

  // The value matches one of the keys: scheme "Bearer" (any case), one space,
  // then the key.
  bool VerifyAuthorization(std::string_view authorization) const;

  static EndpointReply Unauthorized();

 private:
  std::vector<Sha256Digest> digests_;
  std::string root_path_;
};

}  // namespace shim::endpoints
