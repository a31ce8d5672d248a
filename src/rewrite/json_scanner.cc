#include "rewrite/json_scanner.h"

#include <bitset>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace shim {
namespace {

constexpr uint64_t kOnes = 0x0101010101010101ULL;
constexpr uint64_t kHighs = 0x8080808080808080ULL;

// True when some byte of `word` is zero (no false negatives; false positives
// only above a true zero, which the byte loop then handles).
inline uint64_t HasZeroByte(uint64_t word) { return (word - kOnes) & ~word & kHighs; }

// Bytes that end the fast path inside a string: '"', '\\', control bytes and
// any non-ASCII byte (which needs UTF-8 validation).
inline bool WordIsPlainAscii(uint64_t word) {
  uint64_t quote = HasZeroByte(word ^ (kOnes * '"'));
  uint64_t backslash = HasZeroByte(word ^ (kOnes * '\\'));
  uint64_t control = (word - kOnes * 0x20) & ~word & kHighs;
  uint64_t high = word & kHighs;
  return (quote | backslash | control | high) == 0;
}

inline bool IsHex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

inline int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return c - 'A' + 10;
}

// Length of the valid UTF-8 sequence starting at p[0] (a byte >= 0x80), or 0.
// Rejects overlong forms, UTF-16 surrogates and code points above U+10FFFF,
// as Python's strict UTF-8 decoder does.
size_t Utf8SequenceLength(const unsigned char* p, const unsigned char* end) {
  unsigned char b0 = p[0];
  size_t avail = static_cast<size_t>(end - p);
  auto cont = [&](size_t i) { return i < avail && (p[i] & 0xC0) == 0x80; };
  if (b0 >= 0xC2 && b0 <= 0xDF) return cont(1) ? 2 : 0;
  if (b0 >= 0xE0 && b0 <= 0xEF) {
    if (!cont(1) || !cont(2)) return 0;
    if (b0 == 0xE0 && p[1] < 0xA0) return 0;   // overlong
    if (b0 == 0xED && p[1] >= 0xA0) return 0;  // surrogate
    return 3;
  }
  if (b0 >= 0xF0 && b0 <= 0xF4) {
    if (!cont(1) || !cont(2) || !cont(3)) return 0;
    if (b0 == 0xF0 && p[1] < 0x90) return 0;   // overlong
    if (b0 == 0xF4 && p[1] >= 0x90) return 0;  // above U+10FFFF
    return 4;
  }
  return 0;
}

class Scanner {
 public:
  explicit Scanner(std::string_view text)
      : begin_(reinterpret_cast<const unsigned char*>(text.data())), p_(begin_), end_(begin_ + text.size()) {}

  size_t Offset() const { return static_cast<size_t>(p_ - begin_); }
  bool AtEnd() const { return p_ >= end_; }
  unsigned char Peek() const { return *p_; }
  const std::string& Error() const { return error_; }

  void SkipSpace() {
    while (p_ < end_ && (*p_ == ' ' || *p_ == '\n' || *p_ == '\r' || *p_ == '\t')) ++p_;
  }

  bool Expect(char c, const char* what) {
    SkipSpace();
    if (p_ >= end_ || *p_ != static_cast<unsigned char>(c)) return Fail(what);
    ++p_;
    return true;
  }

  bool Fail(const char* what) {
    if (error_.empty()) error_ = std::string(what) + " at byte " + std::to_string(Offset());
    return false;
  }

  // p_ at the opening quote; leaves p_ after the closing quote.
  bool SkipString() {
    ++p_;
    for (;;) {
#if defined(__SSE2__)
      // 16 bytes at a time: a signed compare below 0x20 catches control bytes
      // and every non-ASCII byte (negative as signed char) in one go.
      const __m128i quote = _mm_set1_epi8('"');
      const __m128i backslash = _mm_set1_epi8('\\');
      const __m128i space = _mm_set1_epi8(0x20);
      while (end_ - p_ >= 16) {
        __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p_));
        __m128i special = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, backslash)),
                                       _mm_cmplt_epi8(v, space));
        int mask = _mm_movemask_epi8(special);
        if (mask != 0) {
          p_ += __builtin_ctz(static_cast<unsigned>(mask));  // straight to the special byte
          break;
        }
        p_ += 16;
      }
#endif
      while (end_ - p_ >= 8) {
        uint64_t word;
        std::memcpy(&word, p_, 8);
        if (!WordIsPlainAscii(word)) break;
        p_ += 8;
      }
      if (p_ >= end_) return Fail("unterminated string");
      unsigned char c = *p_;
      if (c == '"') {
        ++p_;
        return true;
      }
      if (c == '\\') {
        if (end_ - p_ < 2) return Fail("unterminated escape");
        char e = static_cast<char>(p_[1]);
        if (e == 'u') {
          if (end_ - p_ < 6 || !IsHex(p_[2]) || !IsHex(p_[3]) || !IsHex(p_[4]) || !IsHex(p_[5])) {
            return Fail("bad \\u escape");
          }
          p_ += 6;
        } else if (e == '"' || e == '\\' || e == '/' || e == 'b' || e == 'f' || e == 'n' || e == 'r' || e == 't') {
          p_ += 2;
        } else {
          return Fail("bad escape");
        }
        continue;
      }
      if (c < 0x20) return Fail("control character in string");
      if (c >= 0x80) {
        size_t n = Utf8SequenceLength(p_, end_);
        if (n == 0) return Fail("invalid UTF-8");
        p_ += n;
        continue;
      }
      ++p_;
    }
  }

  bool SkipLiteral(std::string_view word) {
    if (static_cast<size_t>(end_ - p_) < word.size() || std::memcmp(p_, word.data(), word.size()) != 0) {
      return Fail("invalid literal");
    }
    p_ += word.size();
    return true;
  }

  bool SkipDigits() {
    const unsigned char* start = p_;
    while (p_ < end_ && *p_ >= '0' && *p_ <= '9') ++p_;
    return p_ != start;
  }

  // Python's json number grammar, plus NaN / Infinity / -Infinity.
  bool SkipNumber() {
    if (*p_ == 'N') return SkipLiteral("NaN");
    if (*p_ == 'I') return SkipLiteral("Infinity");
    if (*p_ == '-') {
      ++p_;
      if (p_ < end_ && *p_ == 'I') return SkipLiteral("Infinity");
    }
    if (p_ >= end_) return Fail("bad number");
    if (*p_ == '0') {
      ++p_;
    } else if (!SkipDigits()) {
      return Fail("bad number");
    }
    if (p_ < end_ && *p_ == '.') {
      ++p_;
      if (!SkipDigits()) return Fail("bad fraction");
    }
    if (p_ < end_ && (*p_ == 'e' || *p_ == 'E')) {
      ++p_;
      if (p_ < end_ && (*p_ == '+' || *p_ == '-')) ++p_;
      if (!SkipDigits()) return Fail("bad exponent");
    }
    return true;
  }

  // Skips one value of any kind, iteratively (no recursion, so hostile nesting
  // cannot exhaust the stack). *kind and *depth describe the value.
  bool SkipValue(JsonKind* kind, size_t* depth) {
    // One bit per open container (object or array): a fixed bitset, so
    // skipping a value never allocates.
    std::bitset<kMaxJsonDepth + 1> in_object;
    size_t open = 0;
    size_t max_depth = 0;
    bool first = true;
    for (;;) {
      // A value starts here.
      SkipSpace();
      if (p_ >= end_) return Fail("expected a value");
      unsigned char c = *p_;
      JsonKind this_kind;
      bool opened = false;
      if (c == '{' || c == '[') {
        this_kind = c == '{' ? JsonKind::kObject : JsonKind::kArray;
        ++p_;
        if (open >= kMaxJsonDepth) return Fail("nesting too deep");
        in_object[open++] = c == '{';
        if (open > max_depth) max_depth = open;
        SkipSpace();
        if (p_ < end_ && *p_ == (c == '{' ? '}' : ']')) {
          ++p_;
          --open;
        } else {
          opened = true;
          if (c == '{' && !SkipKeyAndColon()) return false;
        }
      } else if (c == '"') {
        this_kind = JsonKind::kString;
        if (!SkipString()) return false;
      } else if (c == 't') {
        this_kind = JsonKind::kTrue;
        if (!SkipLiteral("true")) return false;
      } else if (c == 'f') {
        this_kind = JsonKind::kFalse;
        if (!SkipLiteral("false")) return false;
      } else if (c == 'n') {
        this_kind = JsonKind::kNull;
        if (!SkipLiteral("null")) return false;
      } else if (c == '-' || c == 'N' || c == 'I' || (c >= '0' && c <= '9')) {
        this_kind = JsonKind::kNumber;
        if (!SkipNumber()) return false;
      } else {
        return Fail("unexpected character");
      }
      if (first) {
        *kind = this_kind;
        first = false;
      }
      if (opened) continue;  // parse the container's first element
      // After a value: close containers or move to the next element.
      for (;;) {
        if (open == 0) {
          *depth = max_depth;
          return true;
        }
        SkipSpace();
        if (p_ >= end_) return Fail("unterminated container");
        unsigned char d = *p_;
        if (d == ',') {
          ++p_;
          if (in_object[open - 1] && !SkipKeyAndColon()) return false;
          break;
        }
        if (d == (in_object[open - 1] ? '}' : ']')) {
          ++p_;
          --open;
          continue;
        }
        return Fail("expected ',' or a closing bracket");
      }
    }
  }

  bool SkipKeyAndColon() {
    SkipSpace();
    if (p_ >= end_ || *p_ != '"') return Fail("expected a key");
    if (!SkipString()) return false;
    return Expect(':', "expected ':'");
  }

 private:
  const unsigned char* begin_;
  const unsigned char* p_;
  const unsigned char* end_;
  std::string error_;
};

void AppendUtf8(uint32_t cp, std::string* out) {
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

}  // namespace

bool ScanTopLevelObject(std::string_view text, JsonObjectScan* out, std::string* err) {
  Scanner s(text);
  out->members.clear();
  out->members.reserve(16);  // a typical request has fewer: one allocation
  s.SkipSpace();
  if (s.AtEnd() || s.Peek() != '{') {
    *err = s.AtEnd() ? "empty body" : "the body is not a JSON object";
    return false;
  }
  out->open = s.Offset();
  if (!s.Expect('{', "expected '{'")) return false;
  s.SkipSpace();
  if (!s.AtEnd() && s.Peek() == '}') {
    out->close = s.Offset();
    s.Expect('}', "expected '}'");
  } else {
    for (;;) {
      s.SkipSpace();
      JsonMember member;
      member.key_begin = s.Offset();
      if (s.AtEnd() || s.Peek() != '"') {
        *err = "expected a key at byte " + std::to_string(s.Offset());
        return false;
      }
      if (!s.SkipString()) break;
      if (!DecodeJsonString(text.substr(member.key_begin, s.Offset() - member.key_begin), &member.key)) {
        *err = "undecodable key";
        return false;
      }
      if (!s.Expect(':', "expected ':'")) break;
      s.SkipSpace();
      member.value_begin = s.Offset();
      if (!s.SkipValue(&member.kind, &member.depth)) break;
      member.value_end = s.Offset();
      out->members.push_back(std::move(member));
      s.SkipSpace();
      if (s.AtEnd()) {
        s.Fail("unterminated object");
        break;
      }
      if (s.Peek() == ',') {
        s.Expect(',', "");
        continue;
      }
      if (s.Peek() == '}') {
        out->close = s.Offset();
        s.Expect('}', "");
        break;
      }
      s.Fail("expected ',' or '}'");
      break;
    }
    if (!s.Error().empty()) {
      *err = s.Error();
      return false;
    }
  }
  s.SkipSpace();
  if (!s.AtEnd()) {
    *err = "trailing data at byte " + std::to_string(s.Offset());
    return false;
  }
  return true;
}

bool ValidateJson(std::string_view text, size_t* depth, std::string* err) {
  Scanner s(text);
  JsonKind kind;
  size_t value_depth = 0;
  if (!s.SkipValue(&kind, &value_depth)) {
    *err = s.Error();
    return false;
  }
  s.SkipSpace();
  if (!s.AtEnd()) {
    *err = "trailing data at byte " + std::to_string(s.Offset());
    return false;
  }
  if (depth) *depth = value_depth;
  return true;
}

bool DecodeJsonString(std::string_view literal, std::string* out) {
  out->clear();
  if (literal.size() < 2 || literal.front() != '"' || literal.back() != '"') return false;
  std::string_view body = literal.substr(1, literal.size() - 2);
  if (body.find('\\') == std::string_view::npos) {
    out->assign(body);  // no escapes: the common case, one copy
    return true;
  }
  out->reserve(body.size());
  for (size_t i = 0; i < body.size(); ++i) {
    char c = body[i];
    if (c != '\\') {
      out->push_back(c);
      continue;
    }
    if (i + 1 >= body.size()) return false;
    char e = body[++i];
    switch (e) {
      case '"':
        out->push_back('"');
        break;
      case '\\':
        out->push_back('\\');
        break;
      case '/':
        out->push_back('/');
        break;
      case 'b':
        out->push_back('\b');
        break;
      case 'f':
        out->push_back('\f');
        break;
      case 'n':
        out->push_back('\n');
        break;
      case 'r':
        out->push_back('\r');
        break;
      case 't':
        out->push_back('\t');
        break;
      case 'u': {
        auto read4 = [&](size_t at, uint32_t* v) {
          if (at + 4 > body.size()) return false;
          *v = 0;
          for (size_t k = 0; k < 4; ++k) {
            if (!IsHex(body[at + k])) return false;
            *v = (*v << 4) | static_cast<uint32_t>(HexValue(body[at + k]));
          }
          return true;
        };
        uint32_t cp;
        if (!read4(i + 1, &cp)) return false;
        i += 4;
        if (cp >= 0xD800 && cp <= 0xDBFF && i + 6 < body.size() && body[i + 1] == '\\' && body[i + 2] == 'u') {
          uint32_t low;
          if (read4(i + 3, &low) && low >= 0xDC00 && low <= 0xDFFF) {
            cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
            i += 6;
          }
        }
        AppendUtf8(cp, out);
        break;
      }
      default:
        return false;
    }
  }
  return true;
}

bool ParseJsonValue(std::string_view text, size_t max_depth, nlohmann::json* out) {
  size_t depth = 0;
  std::string err;
  if (!ValidateJson(text, &depth, &err) || depth > max_depth) return false;
  nlohmann::json parsed = nlohmann::json::parse(text.begin(), text.end(), nullptr, false);
  if (parsed.is_discarded()) return false;
  *out = std::move(parsed);
  return true;
}

std::string DumpJson(const nlohmann::json& value) {
  return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string DumpJson(const nlohmann::ordered_json& value) {
  return value.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

}  // namespace shim
