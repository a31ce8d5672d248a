// Small pieces of HTTP/1.1 syntax (RFC 9110 §5.6) shared by the request and
// response head parsers. Pure, allocation-free.
#pragma once
#include <cstdint>
#include <string_view>

namespace shim::http_syntax {

// tchar (RFC 9110 §5.6.2), as a table: header names are checked byte by byte
// on every request.
struct TokenCharTable {
  bool allowed[256] = {};
  constexpr TokenCharTable() {
    for (int c = '0'; c <= '9'; ++c) allowed[c] = true;
    for (int c = 'a'; c <= 'z'; ++c) allowed[c] = true;
    for (int c = 'A'; c <= 'Z'; ++c) allowed[c] = true;
    for (char c : std::string_view("!#$%&'*+-.^_`|~")) allowed[static_cast<unsigned char>(c)] = true;
  }
};
inline constexpr TokenCharTable kTokenChars;

inline bool IsTokenChar(unsigned char c) { return kTokenChars.allowed[c]; }

inline bool IsToken(std::string_view text) {
  if (text.empty()) return false;
  for (unsigned char c : text) {
    if (!IsTokenChar(c)) return false;
  }
  return true;
}

// Field values may hold visible characters, spaces, tabs and obs-text; never
// other control characters (a NUL or bare CR inside a value is a smuggling tool).
inline bool IsValidFieldValue(std::string_view text) {
  for (unsigned char c : text) {
    if (c == '\t') continue;
    if (c < 0x20 || c == 0x7f) return false;
  }
  return true;
}

inline std::string_view TrimOws(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

// Calls fn(token) for each non-empty comma-separated element, trimmed.
template <typename Fn>
void ForEachListElement(std::string_view value, Fn fn) {
  while (true) {
    size_t comma = value.find(',');
    std::string_view element = TrimOws(value.substr(0, comma));
    if (!element.empty()) fn(element);
    if (comma == std::string_view::npos) return;
    value.remove_prefix(comma + 1);
  }
}

inline bool ParseDecimal(std::string_view text, uint64_t* out) {
  // 18 digits keeps every value far from overflow and above any sane body.
  if (text.empty() || text.size() > 18) return false;
  uint64_t value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
    value = value * 10 + static_cast<uint64_t>(c - '0');
  }
  *out = value;
  return true;
}

// Folds one Content-Length field value ("42" or the list form "42, 42") into
// *length. False for a non-number, an empty list, or a value that disagrees
// with one seen before (*have says whether one was).
inline bool FoldContentLength(std::string_view value, bool* have, uint64_t* length) {
  bool ok = true;
  int elements = 0;
  ForEachListElement(value, [&](std::string_view element) {
    uint64_t parsed = 0;
    ++elements;
    if (!ParseDecimal(element, &parsed) || (*have && parsed != *length)) {
      ok = false;
      return;
    }
    *have = true;
    *length = parsed;
  });
  return ok && elements > 0;
}

}  // namespace shim::http_syntax
