// Small shared pieces of the load generator's HTTP/1.1 client: the monotonic
// clock (the same CLOCK_MONOTONIC the stand-in stamps chunks with), request
// bytes built once per run, and connecting with TCP_NODELAY.
#pragma once
#include "common/prelude.h"

#include <cstdint>
#include <string>
#include <string_view>

#include <boost/asio.hpp>

#include "loadgen/http_url.h"

namespace shim::loadgen {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using boost::system::error_code;

// CLOCK_MONOTONIC in nanoseconds.
int64_t NowNs();

// A complete HTTP/1.1 request (keep-alive); a body adds JSON content headers.
std::string BuildRequest(std::string_view method, const HttpUrl& url, std::string_view body);

bool EndpointOf(const HttpUrl& url, tcp::endpoint* out, std::string* err);

// Connects a fresh socket; returns the error (never throws).
asio::awaitable<error_code> ConnectTo(tcp::socket& socket, const tcp::endpoint& endpoint);

// Waits (never throws; returns early if the timer is cancelled).
asio::awaitable<void> SleepNs(int64_t nanoseconds);

}  // namespace shim::loadgen
