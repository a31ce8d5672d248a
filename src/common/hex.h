// One hex digit's value, for the decoders of untrusted text (percent escapes,
// chunk sizes).
#pragma once

namespace shim {

// 0-15 for a hex digit, else -1.
inline int HexDigitValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace shim
