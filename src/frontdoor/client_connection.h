// One client connection: reads request heads in order (keep-alive and
// pipelining), applies limits, asks the route table, and either answers
// locally or proxies to SGLang (proxy_exchange.cc). Internal to src/frontdoor.
#pragma once
#include <chrono>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/prelude.h"
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/buffer.hpp>

#include "config/settings.h"
#include "frontdoor/connection_flags.h"
#include "frontdoor/input_buffer.h"
#include "frontdoor/request_head.h"
#include "frontdoor/route.h"
#include "frontdoor/wakeup.h"

namespace shim {

struct ServerState;
struct ResponseHead;
struct RelayPlan;
class ResponseBodyDecoder;

class ClientConnection : public std::enable_shared_from_this<ClientConnection> {
 public:
  ClientConnection(std::shared_ptr<ServerState> state, boost::asio::ip::tcp::socket socket);
  ~ClientConnection();

  void Start();
  // Closes the client socket and any upstream connection now.
  void Close();
  // Drain: closes the connection when that loses nothing: it is between
  // requests, has answered at least one, and holds no byte of another, neither
  // read nor still in the kernel. True when closed (now or before).
  bool CloseIfQuiet();
  // Drain: a connection still waiting for its first request gets at most
  // `grace` more to send it.
  void LimitWaitForFirstRequest(std::chrono::steady_clock::duration grace);

 private:
  using Clock = std::chrono::steady_clock;
  using Phase = ConnectionFlags::Phase;
  // nginx's convention for "client closed the request" in logs and stats.
  static constexpr int kClientClosed = 499;
  // Below this, copying pieces into one buffer costs less than a gathered send.
  static constexpr size_t kCoalesceBytes = 16 * 1024;
  enum class BodyOutcome { kOk, kClientGone, kMalformed, kTooLarge, kUpstreamFailed };
  enum class SinkKind { kDiscard, kCollect, kUpstream };
  struct BodySink {
    SinkKind kind = SinkKind::kDiscard;
    std::string* collect = nullptr;                    // kCollect
    size_t limit = 0;                                  // kCollect, kDiscard: larger → kTooLarge
    boost::asio::ip::tcp::socket* upstream = nullptr;  // kUpstream
  };
  struct ServeResult {
    int status = 0;
    bool keep_alive = false;
  };

  // client_connection.cc
  boost::asio::awaitable<void> Run(std::shared_ptr<ClientConnection> self);
  boost::asio::awaitable<void> Watchdog(std::shared_ptr<ClientConnection> self);
  boost::asio::awaitable<bool> ReadHead(RequestHead* head, bool first);
  boost::asio::awaitable<ServeResult> Serve(const RequestHead& head);
  boost::asio::awaitable<int> AnswerLocal(const RequestHead& head, const LocalResponse& response, bool* keep_alive);
  boost::asio::awaitable<int> CollectBody(const RequestHead& head, std::string* body, bool* keep_alive);
  // CollectBody's common case without a coroutine: the whole body is already
  // buffered. False when CollectBody has to read (or refuse) it.
  bool TakeBufferedBody(const RequestHead& head, std::string* body);
  boost::asio::awaitable<int> AnswerAsync(const RequestHead& head, const RouteDecision& decision, bool* keep_alive);
  boost::asio::awaitable<int> ProxyWithBodyTransform(const RequestHead& head, const RouteDecision& decision,
                                                     bool* keep_alive);
  boost::asio::awaitable<BodyOutcome> PumpBody(const RequestHead& head, BodySink sink);
  // The connection's only reader of the client socket (client_connection.cc):
  // it keeps one read pending whenever there is room, so bytes pipelined
  // during a response are buffered and a client that leaves mid-response is
  // seen at once (its upstream connection is closed then, and SGLang aborts).
  boost::asio::awaitable<void> ReadLoop(std::shared_ptr<ClientConnection> self);
  // Waits until more than `have` bytes are buffered; false when the client
  // is gone, the deadline passed, or the connection closed.
  boost::asio::awaitable<bool> WaitForInput(size_t have);
  void ConsumeInput(size_t n);
  // While pinned, views of inbuf_ stay valid across a co_await (the reader
  // does not compact or grow the buffer).
  void PinInput() { flags_.input_pinned = true; }
  void UnpinInput();
  boost::asio::awaitable<bool> WriteAll(std::string_view data);
  boost::asio::awaitable<int> WriteError(const RequestHead& head, int status, std::string_view message,
                                         bool* keep_alive);
  void SetDeadline(Clock::time_point deadline);
  // The bound on SGLang's silence during an exchange: reached, the watchdog
  // closes the upstream socket and sets flags_.upstream_timed_out. A zero limit: none.
  void ExpectUpstreamWithin(Duration limit);
  void ClearUpstreamDeadline() { upstream_deadline_ = Clock::time_point::max(); }
  void SendBestEffort(std::string_view data);
  void Abort();  // RST: the client can tell the response was cut
  std::string_view Buffered() const;
  // Bytes from the client wait in the kernel's receive queue.
  bool KernelHasInput();

  // proxy_exchange.cc
  boost::asio::awaitable<int> Proxy(const RequestHead& head, const RouteDecision& decision,
                                    const std::string* fixed_body, bool* keep_alive);
  // vLLM's 504 for a request SGLang did not begin to answer in time.
  boost::asio::awaitable<int> AnswerUpstreamTimeout(const RequestHead& head, bool* keep_alive);
  // response_relay.cc
  boost::asio::awaitable<int> RelayResponse(const RequestHead& head, const RouteDecision& decision,
                                            boost::asio::ip::tcp::socket& upstream, bool* keep_alive,
                                            bool* upstream_reusable);
  // SGLang's bytes not yet relayed: relay_in_[begin, end).
  struct RelayCursor {
    size_t begin = 0;
    size_t end = 0;
  };
  // Carry out a RelayPlan (relay_plan.h): the whole body through the filters,
  // or a stream sent as it arrives.
  boost::asio::awaitable<int> RelayWholeBody(const RequestHead& head, const RouteDecision& decision,
                                             boost::asio::ip::tcp::socket& upstream, const ResponseHead& response,
                                             ResponseBodyDecoder* decoder, RelayCursor* cursor, bool* keep_alive,
                                             bool* upstream_reusable);
  boost::asio::awaitable<int> RelayStream(const RequestHead& head, const RouteDecision& decision,
                                          boost::asio::ip::tcp::socket& upstream, const ResponseHead& response,
                                          const RelayPlan& plan, ResponseBodyDecoder* decoder, RelayCursor* cursor,
                                          bool* keep_alive, bool* upstream_reusable);
  // Makes room in relay_in_ and reads more of SGLang's body; false at EOF or error.
  boost::asio::awaitable<bool> ReadMoreFromEngine(boost::asio::ip::tcp::socket& upstream, RelayCursor* cursor,
                                                  boost::system::error_code* ec);
  // Ends a response SGLang failed in the middle of: counted, logged, and the
  // client connection reset so the client can tell. Returns the status to record.
  int CutResponse(const RequestHead& head, int status, bool* keep_alive, const char* why);
  // `upstream_path`: the decision's SGLang path, or empty for the client's target.
  std::string BuildUpstreamHead(const RequestHead& head, std::string_view upstream_path,
                                const std::string* fixed_body) const;
  // The buffers to write for `pieces`: small ones copied into one buffer (one
  // send()), large ones as they are (gathered). Valid until the next call.
  std::span<const boost::asio::const_buffer> Coalesce(const std::vector<boost::asio::const_buffer>& pieces);

  std::shared_ptr<ServerState> state_;
  boost::asio::ip::tcp::socket socket_;
  boost::asio::steady_timer deadline_timer_;
  Clock::time_point deadline_ = Clock::time_point::max();
  Clock::time_point upstream_deadline_ = Clock::time_point::max();
  InputBuffer inbuf_;
  Wakeup input_arrived_;  // the request path waits here for bytes
  Wakeup reader_resume_;  // the reader waits here for room or an unpin
  std::string client_ip_;
  ConnectionFlags flags_;
  boost::asio::ip::tcp::socket* upstream_ = nullptr;  // during an exchange
  // Relay scratch, kept for the connection's life so a response allocates
  // nothing once warm: SGLang's bytes, the body views of one read, and the
  // buffers of one gathered write to the client.
  std::vector<char> relay_in_;
  std::vector<std::string_view> relay_pieces_;
  std::vector<std::string_view> relay_frames_;
  std::vector<boost::asio::const_buffer> relay_out_;
  std::string relay_coalesced_;
  boost::asio::const_buffer relay_whole_;
};

}  // namespace shim
