// How one proxied response goes to the client, decided once, before any body
// byte moves, from the request head, SGLang's response head and what the
// route's filters want. Pure: table-tested over every combination
// (relay_plan_test.cc); response_relay.cc carries it out.
#pragma once
#include "frontdoor/response_head.h"

namespace shim {

struct RelayFacts {
  bool head_request = false;      // the client asked with HEAD
  int client_minor = 1;           // HTTP/1.<minor> of the client
  bool client_keep_alive = true;  // the client's request allows another after it
  bool draining = false;          // the front door is draining: close after this response
  const ResponseHead* response = nullptr;
  bool filters_want_body = false;       // for this response's status
  bool filters_rewrite_frames = false;  // some filter rewrites SSE frames
  bool filters_edit_head = false;       // some filter edits the response head
};

struct RelayPlan {
  // The filters get the whole body (buffered up to max_body_bytes), which is
  // then sent with a Content-Length. Otherwise the body streams: each read
  // from SGLang goes out at once.
  bool whole_body = false;
  // Streaming: SGLang's body bytes go out as they are, chunk-size lines
  // included; otherwise they are decoded and re-framed.
  bool passthrough = true;
  bool rewrite_frames = false;   // streaming: each SSE frame goes through the filters
  bool chunked_out = false;      // the client gets Transfer-Encoding: chunked
  bool announce_length = false;  // the client gets SGLang's Content-Length
  // SGLang's head goes out byte for byte (same framing, keep-alive on both
  // sides, HTTP/1.1 both, no hop-by-hop field and no filter edit); otherwise
  // it is rebuilt from SGLang's end-to-end fields.
  bool forward_head = false;
  bool keep_alive = true;  // the client connection stays open afterwards
};

RelayPlan PlanRelay(const RelayFacts& facts);

}  // namespace shim
