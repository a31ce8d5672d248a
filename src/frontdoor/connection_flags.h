// What a client connection knows of its own condition, beyond its buffers and
// timers, in one place: each field says when it is set and what it stops, and
// Describe() shows all of them in a debug log line. Internal to src/frontdoor.
#pragma once
#include <cstdint>
#include <string>

namespace shim {

struct ConnectionFlags {
  enum class Phase {
    kIdle,         // between requests, nothing buffered: the drain may close it
    kReadingHead,  // part of a request head has arrived
    kServing,      // a request is being answered
  };
  Phase phase = Phase::kIdle;
  uint64_t requests_served = 0;  // answered on this connection (the drain closes only after one)
  // Close() ran: both sockets are closed and every waiter has been woken; each
  // loop of the connection returns when it sees this.
  bool closed = false;
  // The reader saw EOF or an error from the client: no more bytes will come.
  bool input_failed = false;
  // Views of the input buffer are held across a co_await (a body piece being
  // written to SGLang): the reader must not compact or grow the buffer.
  bool input_pinned = false;
  // The client deadline (head, idle or body wait) passed: the waiting request
  // path gives up, answering 408 for a partial head.
  bool timed_out = false;
  // The client left in the middle of an exchange: its upstream connection was
  // closed, so SGLang aborts the request.
  bool client_gone = false;
  // The current request's body has been read (buffered, relayed or dropped):
  // an error answered now must not wait to discard a body that is not coming.
  bool body_consumed = false;
  // SGLang stayed silent past its deadline: the upstream socket was closed,
  // and the relay answers 504 or cuts the response.
  bool upstream_timed_out = false;
  // The current proxied response went to the client whole (not cut, not
  // refused): what the filters watching the exchange are told at its end.
  bool response_complete = false;

  // "phase=serving served=3 closed=0 ..." for debug logs.
  std::string Describe() const;
};

}  // namespace shim
