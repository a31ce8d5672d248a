#include "endpoints/api_key_auth.h"

#include "common/strings.h"

namespace shim::endpoints {

ApiKeyGuard::ApiKeyGuard(const std::vector<std::string>& keys, std::string root_path)
    : root_path_(std::move(root_path)) {
  for (const auto& key : keys) {
    if (!key.empty()) digests_.push_back(Sha256(key));
  }
}

bool ApiKeyGuard::IsGuardedPath(std::string_view path) const {
  // str.removeprefix(root_path), then str.startswith(("/v1", "/v2", "/inference")):
  // plain string prefixes, so "/v1x" is guarded too, exactly as in vLLM.
  if (!root_path_.empty() && StartsWith(path, root_path_)) path.remove_prefix(root_path_.size());
  return StartsWith(path, "/v1") || StartsWith(path, "/v2") || StartsWith(path, "/inference");
}

bool ApiKeyGuard::VerifyAuthorization(std::string_view authorization) const {
  // Python: scheme, _, param = value.partition(" "); scheme.lower() == "bearer".
  size_t space = authorization.find(' ');
  std::string_view scheme = authorization.substr(0, space);
  std::string_view param = space == std::string_view::npos ? std::string_view{} : authorization.substr(space + 1);
  if (!EqualsIgnoreCase(scheme, "bearer")) return false;
  Sha256Digest given = Sha256(param);
  bool match = false;
  // Every key is compared, so timing does not reveal which one matched.
  for (const auto& digest : digests_) match = DigestsEqualConstantTime(given, digest) || match;
  return match;
}

bool ApiKeyGuard::AllowsRequest(std::string_view method, bool guarded, const std::string* authorization) const {
  if (!enabled() || method == "OPTIONS" || !guarded) return true;
  return authorization != nullptr && VerifyAuthorization(*authorization);
}

EndpointReply ApiKeyGuard::Unauthorized() { return JsonReply(401, R"({"error":"Unauthorized"})"); }

}  // namespace shim::endpoints
