// Small string helpers shared by the command-line and HTTP code.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace shim {

std::vector<std::string> SplitString(std::string_view text, char separator);
std::string JoinStrings(const std::vector<std::string>& parts, std::string_view separator);
std::string_view TrimSpaces(std::string_view text);
bool StartsWith(std::string_view text, std::string_view prefix);
bool EndsWith(std::string_view text, std::string_view suffix);
std::string ToLower(std::string_view text);
// %XX escapes decoded once (a '%' not followed by two hex digits stays as it
// is, as Python's urllib.parse.unquote leaves it); '+' is not a space here.
std::string DecodePercentEscapes(std::string_view text);

// ASCII case-insensitive equality (HTTP field names, tokens). Inline: the
// request path calls it some hundred times per request, nearly always with
// lengths that differ, which the caller then rejects without a call.
inline bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    unsigned char x = static_cast<unsigned char>(a[i]);
    unsigned char y = static_cast<unsigned char>(b[i]);
    if (x == y) continue;
    // Equal but for the case bit, and that bit is a letter's case.
    unsigned char lower = x | 0x20;
    if (lower != (y | 0x20) || lower < 'a' || lower > 'z') return false;
  }
  return true;
}

// Splits a command line the way a POSIX shell splits words: single and double
// quotes, backslash escapes, no expansion. Returns false with *err set on an
// unterminated quote or a trailing backslash.
bool ShellSplit(std::string_view text, std::vector<std::string>* words, std::string* err);

// Quotes one word so that a POSIX shell reads it back unchanged.
std::string ShellQuote(std::string_view word);
std::string ShellJoin(const std::vector<std::string>& words);

// Strict integer parsing: the whole text must be a decimal integer in range.
std::optional<long long> ParseInt(std::string_view text);
// Strict floating-point parsing of the whole text.
std::optional<double> ParseDouble(std::string_view text);

// "1"/"true"/"yes"/"on" → true, "0"/"false"/"no"/"off"/"" → false (case-insensitive).
std::optional<bool> ParseBool(std::string_view text);

}  // namespace shim
