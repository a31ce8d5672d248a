#include "rewrite/json_key_edit.h"

#include <string.h>  // memmem

#include <cstring>

namespace shim {
namespace {

// Index one past the string literal that opens at `i` (text[i] == '"').
size_t SkipString(std::string_view text, size_t i) {
  ++i;
  while (i < text.size()) {
    const void* hit = std::memchr(text.data() + i, '"', text.size() - i);
    if (!hit) return text.size();
    size_t quote = static_cast<const char*>(hit) - text.data();
    size_t backslashes = 0;
    while (quote - backslashes > i && text[quote - backslashes - 1] == '\\') ++backslashes;
    if (backslashes % 2 == 0) return quote + 1;
    i = quote + 1;
  }
  return text.size();
}

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

// Index one past the value that starts at `i` (after whitespace).
size_t SkipValue(std::string_view text, size_t i) {
  while (i < text.size() && IsSpace(text[i])) ++i;
  if (i >= text.size()) return i;
  if (text[i] == '"') return SkipString(text, i);
  if (text[i] == '{' || text[i] == '[') {
    int depth = 0;
    while (i < text.size()) {
      char c = text[i];
      if (c == '"') {
        i = SkipString(text, i);
        continue;
      }
      if (c == '{' || c == '[') ++depth;
      if (c == '}' || c == ']') {
        if (--depth == 0) return i + 1;
      }
      ++i;
    }
    return i;
  }
  while (i < text.size() && text[i] != ',' && text[i] != '}' && text[i] != ']' && !IsSpace(text[i])) ++i;
  return i;
}

// Calls on_member(key_begin, key_end, value_begin, value_end) for each member whose key is
// `quoted_key` in an object at bracket depth `depth`, in order.
template <typename OnMember>
void ForEachMember(std::string_view text, std::string_view quoted_key, int depth, const OnMember& on_member) {
  int level = 0;
  bool object_at_level[64] = {};  // whether each open bracket is an object (deeper levels are not edited)
  size_t i = 0;
  while (i < text.size()) {
    char c = text[i];
    if (c == '{' || c == '[') {
      ++level;
      if (level >= 0 && level < 64) object_at_level[level] = c == '{';
      ++i;
    } else if (c == '}' || c == ']') {
      --level;
      ++i;
    } else if (c == '"') {
      size_t end = SkipString(text, i);
      if (level == depth && level >= 1 && level < 64 && object_at_level[level]) {
        size_t colon = end;
        while (colon < text.size() && IsSpace(text[colon])) ++colon;
        if (colon < text.size() && text[colon] == ':' && text.substr(i, end - i) == quoted_key) {
          size_t value_begin = colon + 1;
          while (value_begin < text.size() && IsSpace(text[value_begin])) ++value_begin;
          size_t value_end = SkipValue(text, value_begin);
          on_member(i, end, value_begin, value_end);
          i = value_end;
          continue;
        }
      }
      i = end;
    } else {
      ++i;
    }
  }
}

}  // namespace

size_t SkipJsonValue(std::string_view text, size_t i) { return SkipValue(text, i); }

bool ContainsBytes(std::string_view text, std::string_view needle) {
  return ::memmem(text.data(), text.size(), needle.data(), needle.size()) != nullptr;
}

bool RenameJsonKeys(std::string_view text, std::string_view from, std::string_view to, int depth, bool keep_both,
                    std::string* out) {
  if (!ContainsBytes(text, from)) return false;  // most SSE frames carry no such key at all
  const std::string quoted_from = "\"" + std::string(from) + "\"";
  std::string result;
  size_t copied = 0;  // text[0, copied) is in result
  ForEachMember(text, quoted_from, depth, [&](size_t key_begin, size_t key_end, size_t value_begin, size_t value_end) {
    if (!keep_both) {
      result.append(text.substr(copied, key_begin - copied));
      result += "\"" + std::string(to) + "\"";
      copied = key_end;
    } else {
      result.append(text.substr(copied, value_end - copied));
      result += ",\"" + std::string(to) + "\":";
      result.append(text.substr(value_begin, value_end - value_begin));
      copied = value_end;
    }
  });
  if (copied == 0) return false;
  result.append(text.substr(copied));
  *out = std::move(result);
  return true;
}

bool ReplaceNullMembers(std::string_view text, std::string_view key, std::string_view replacement, int depth,
                        std::string* out) {
  if (!ContainsBytes(text, key)) return false;
  const std::string quoted_key = "\"" + std::string(key) + "\"";
  std::string result;
  size_t copied = 0;
  ForEachMember(text, quoted_key, depth, [&](size_t, size_t, size_t value_begin, size_t value_end) {
    if (text.substr(value_begin, value_end - value_begin) != "null") return;
    result.append(text.substr(copied, value_begin - copied));
    result.append(replacement);
    copied = value_end;
  });
  if (copied == 0) return false;
  result.append(text.substr(copied));
  *out = std::move(result);
  return true;
}

bool NullJsonMembers(std::string_view text, std::string_view key, int depth, std::string* out) {
  if (!ContainsBytes(text, key)) return false;
  const std::string quoted_key = "\"" + std::string(key) + "\"";
  std::string result;
  size_t copied = 0;
  ForEachMember(text, quoted_key, depth, [&](size_t, size_t, size_t value_begin, size_t value_end) {
    if (text.substr(value_begin, value_end - value_begin) == "null") return;
    result.append(text.substr(copied, value_begin - copied));
    result.append("null");
    copied = value_end;
  });
  if (copied == 0) return false;
  result.append(text.substr(copied));
  *out = std::move(result);
  return true;
}

}  // namespace shim
