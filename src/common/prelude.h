// Included first by every file that uses Asio or Beast.
// Boost 1.74's asio/awaitable.hpp uses std::exchange without including <utility>.
#pragma once
#include <utility>
