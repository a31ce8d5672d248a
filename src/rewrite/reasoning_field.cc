#include "rewrite/reasoning_field.h"

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

}  // namespace

bool ParseReasoningField(std::string_view text, ReasoningField* out) {
  if (text == "reasoning") {
    *out = ReasoningField::kReasoning;
  } else if (text == "reasoning_content") {
    *out = ReasoningField::kReasoningContent;
  } else if (text == "both") {
    *out = ReasoningField::kBoth;
  } else {
    return false;
  }
  return true;
}

bool RenameJsonKeys(std::string_view text, std::string_view from, std::string_view to, int depth, bool keep_both,
                    std::string* out) {
  // The cheap test first: most SSE frames carry no such key at all (memmem is glibc's
  // two-way search; string_view::find stops at every quote).
  if (::memmem(text.data(), text.size(), from.data(), from.size()) == nullptr) return false;
  const std::string quoted_from = "\"" + std::string(from) + "\"";
  std::string result;
  size_t copied = 0;  // text[0, copied) is in result
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
      bool is_key = level == depth && level >= 1 && level < 64 && object_at_level[level];
      if (is_key) {
        size_t colon = end;
        while (colon < text.size() && IsSpace(text[colon])) ++colon;
        is_key = colon < text.size() && text[colon] == ':';
        if (is_key && text.substr(i, end - i) == quoted_from) {
          size_t value_end = SkipValue(text, colon + 1);
          if (!keep_both) {
            result.append(text.substr(copied, i - copied));
            result += "\"" + std::string(to) + "\"";
            copied = end;
          } else {
            result.append(text.substr(copied, value_end - copied));
            result += ",\"" + std::string(to) + "\":";
            size_t value_begin = colon + 1;
            while (value_begin < value_end && IsSpace(text[value_begin])) ++value_begin;
            result.append(text.substr(value_begin, value_end - value_begin));
            copied = value_end;
          }
          i = value_end;
          continue;
        }
      }
      i = end;
    } else {
      ++i;
    }
  }
  if (copied == 0) return false;
  result.append(text.substr(copied));
  *out = std::move(result);
  return true;
}

bool RenameReasoningInAnswer(std::string_view json, ReasoningField field, std::string* out) {
  // {"choices":[{"message":{"reasoning_content":...}}]}: the key's object is at depth 4.
  if (field == ReasoningField::kReasoningContent) return false;
  return RenameJsonKeys(json, "reasoning_content", "reasoning", 4, field == ReasoningField::kBoth, out);
}

bool RenameReasoningInMessages(std::string_view messages, std::string* out) {
  // [{"role":"assistant","reasoning":...}]: each message object is at depth 2. A message
  // that already carries reasoning_content keeps it, and its `reasoning` goes as it is.
  if (messages.find("\"reasoning_content\"") != std::string_view::npos) return false;
  return RenameJsonKeys(messages, "reasoning", "reasoning_content", 2, false, out);
}

}  // namespace shim
