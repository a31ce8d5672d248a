#include "frontdoor/listener.h"

#include <linux/filter.h>
#include <sys/socket.h>

#include <array>
#include <cerrno>
#include <chrono>
#include <cstring>

#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "common/log.h"
#include "frontdoor/client_connection.h"
#include "frontdoor/server_state.h"

namespace shim {

namespace asio = boost::asio;
using asio::ip::tcp;

namespace {

void Admit(const std::shared_ptr<ServerState>& state, tcp::socket socket) {
  boost::system::error_code ec;
  if (state->stopped) return;  // StopNow() or the drain's end: nothing is served any more
  socket.set_option(tcp::no_delay(true), ec);
  if (state->stats.connections_open >= state->config.settings.max_connections) {
    ++state->stats.connections_refused;
    std::string refusal =
        SerializeLocalResponse(VllmErrorResponse(503, "too many open connections; try again later"), 1, false, false);
    socket.non_blocking(true, ec);
    socket.write_some(asio::buffer(refusal), ec);
    socket.close(ec);
    return;
  }
  std::make_shared<ClientConnection>(state, std::move(socket))->Start();
}

}  // namespace

asio::awaitable<void> AcceptLoop(std::shared_ptr<ServerState> state) {
  while (state->acceptor && state->acceptor->is_open()) {
    boost::system::error_code ec;
    tcp::socket socket = co_await state->acceptor->async_accept(asio::redirect_error(asio::use_awaitable, ec));
    if (!ec) {
      // Admitted even if the listener closed meanwhile: the kernel has
      // established it, and its client may be sending a request already.
      Admit(state, std::move(socket));
      continue;
    }
    if (ec == asio::error::operation_aborted || !state->acceptor || !state->acceptor->is_open()) co_return;
    // EMFILE and friends: back off briefly instead of spinning.
    LogWarning("accept failed: ", ec.message());
    asio::steady_timer pause(state->io, std::chrono::milliseconds(50));
    co_await pause.async_wait(asio::redirect_error(asio::use_awaitable, ec));
  }
}

bool RefuseNewHandshakes(tcp::acceptor& acceptor, std::string* err) {
  // Classic BPF over the TCP header (a TCP socket's filter sees the segment
  // from its TCP header on, for IPv4 and IPv6 alike): drop a segment whose
  // flags carry SYN without ACK, let everything else through.
  constexpr unsigned kTcpFlagsOffset = 13;
  constexpr unsigned kSyn = 0x02;
  constexpr unsigned kAck = 0x10;
  std::array<sock_filter, 5> program = {{
      BPF_STMT(BPF_LD | BPF_B | BPF_ABS, kTcpFlagsOffset), BPF_STMT(BPF_ALU | BPF_AND | BPF_K, kSyn | kAck),
      BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, kSyn, 0, 1), BPF_STMT(BPF_RET | BPF_K, 0),  // drop
      BPF_STMT(BPF_RET | BPF_K, 0xffffffffu),                                         // keep the whole segment
  }};
  sock_fprog filter{static_cast<unsigned short>(program.size()), program.data()};
  if (setsockopt(acceptor.native_handle(), SOL_SOCKET, SO_ATTACH_FILTER, &filter, sizeof filter) != 0) {
    *err = std::string("cannot stop new handshakes on the listener: ") + std::strerror(errno);
    return false;
  }
  return true;
}

void AcceptQueued(const std::shared_ptr<ServerState>& state) {
  if (!state->acceptor || !state->acceptor->is_open()) return;
  boost::system::error_code ec;
  state->acceptor->non_blocking(true, ec);
  while (true) {
    tcp::socket socket(state->io);
    state->acceptor->accept(socket, ec);
    if (ec) break;  // would_block: the queue is empty
    Admit(state, std::move(socket));
  }
}

}  // namespace shim
