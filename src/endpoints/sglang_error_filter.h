// SGLang's errors in vLLM's shape on a relayed route: whole error bodies and SSE error frames
// (src/rewrite/error_shape.h, sse_rewriter.h); a successful answer passes untouched.
// Stateless: one instance may serve every request of a route.
#pragma once
#include "frontdoor/route_filter.h"
#include "rewrite/error_shape.h"
#include "rewrite/sse_rewriter.h"

namespace shim::endpoints {

class SglangErrorFilter final : public RouteFilter {
 public:
  bool WantsResponseBody(int status) const override { return status >= 400; }
  void OnResponseBody(const RequestHead&, int* status, HeaderList*, std::string* body) override {
    ReshapeSglangError(status, body);
  }
  bool RewritesSseFrames() const override { return true; }
  bool OnSseFrame(std::string_view frame, std::string* out) override { return RewriteSseErrorFrame(frame, out); }
};

// Makes a relayed route read the whole request body first, so that the front door's body
// limit answers 413 in vLLM's shape before SGLang sees any of it.
class WholeRequestBody final : public RouteFilter {
 public:
  bool NeedsRequestBody() const override { return true; }
};

}  // namespace shim::endpoints
