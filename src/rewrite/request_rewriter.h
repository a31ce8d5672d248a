// Request bodies: vLLM's OpenAI dialect in, SGLang's out.
//
// Pure function, no I/O. The body is scanned once (json_scanner.h) and edited
// by splicing the original bytes (json_splice.h), so untouched values are
// forwarded byte for byte and the cost is linear in the body size. The rules
// are the table in rewrite_rules.cc; docs/rewriting.md describes them.
//
// Duplicate top-level keys behave as in Python's json (which SGLang uses): the
// last occurrence wins. Rules look at the last occurrence; when a key is
// removed or renamed, every occurrence goes.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "rewrite/json_scanner.h"

#include "rewrite/rewrite_rules.h"

namespace shim {

struct RewriteOptions {
  // Top-level keys removed from chat completion requests
  // (VLLM_SGLANG_STRIP_PARAMS; Settings::strip_params).
  std::vector<std::string> strip_params{"logprobs", "top_logprobs"};
  // Fill RequestRewrite::notes. For debug logs only: each note is a string
  // built per request, so leave it off unless someone reads them.
  bool explain = false;
};

// The route a request goes to, from the table in rewrite_rules.cc. `path` may
// carry a query string.
RouteKind ClassifyRoute(std::string_view method, std::string_view path);

struct RequestRewrite {
  enum Outcome {
    kUnchanged,  // forward the original body; `body` is empty
    kRewritten,  // forward `body` instead (Content-Length changes)
    kReject,     // answer the client with `status` and `body` (vLLM error JSON)
  };
  Outcome outcome = kUnchanged;
  std::string body;
  int status = 0;
  // When set: the root object's members of the body to forward (the original
  // when kUnchanged, `body` when kRewritten), so a later step need not scan it
  // again.
  std::optional<JsonObjectScan> scan;
  // What was done, for debug logs (RewriteOptions::explain). Only field names
  // from the rules table or the strip list; never values.
  std::vector<std::string> notes;
};

// Bodies that are not a JSON object (invalid JSON, arrays, ...) come back
// kUnchanged so that the engine answers them as it would.
RequestRewrite RewriteRequestBody(RouteKind route, std::string_view body, const RewriteOptions& options);

}  // namespace shim
