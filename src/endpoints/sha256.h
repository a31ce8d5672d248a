// SHA-256 (FIPS 180-4), used only to compare API keys the way vLLM does:
// both sides are hashed so the constant-time comparison always runs over 32
// bytes, whatever the length of the key a client sends.
#pragma once
#include <array>
#include <cstdint>
#include <string_view>

namespace shim::endpoints {

using Sha256Digest = std::array<uint8_t, 32>;

Sha256Digest Sha256(std::string_view data);

// True when the digests are equal; the time taken does not depend on where they differ.
bool DigestsEqualConstantTime(const Sha256Digest& a, const Sha256Digest& b);

}  // namespace shim::endpoints
