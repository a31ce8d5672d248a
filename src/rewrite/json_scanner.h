// A strict, allocation-light JSON scanner for request bodies.
//
// It validates a whole document in one pass and records where each top-level
// member of the root object lives, without building a DOM. The request
// rewriter then edits the body by splicing the original bytes, so a 10 MiB
// multimodal request costs one scan and one copy, and every untouched value is
// forwarded byte for byte.
//
// Accepted grammar: RFC 8259 plus the literals NaN, Infinity and -Infinity,
// because SGLang parses bodies with Python's json module, which accepts them.
// Like Python's json (strict mode) it rejects raw control characters inside
// strings and invalid UTF-8; \u escapes may be lone surrogates (Python keeps
// them). A UTF-8 byte-order mark is treated as invalid.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace shim {

enum class JsonKind : uint8_t { kNull, kFalse, kTrue, kNumber, kString, kArray, kObject };

// One member of the root object. Offsets index the scanned text.
struct JsonMember {
  size_t key_begin = 0;    // the key's opening quote
  size_t value_begin = 0;  // first byte of the value
  size_t value_end = 0;    // one past the value's last byte
  JsonKind kind = JsonKind::kNull;
  size_t depth = 0;  // nesting depth of the value (scalars: 0)
  std::string key;   // decoded key (escapes resolved)

  std::string_view Value(std::string_view text) const { return text.substr(value_begin, value_end - value_begin); }
};

struct JsonObjectScan {
  size_t open = 0;                  // offset of the root '{'
  size_t close = 0;                 // offset of the root '}'
  std::vector<JsonMember> members;  // in document order; duplicates kept
};

// Nesting deeper than this is reported as invalid: far beyond anything an
// OpenAI request needs, and well inside what Python's json accepts.
inline constexpr size_t kMaxJsonDepth = 512;

// Validates `text` as exactly one JSON document whose root is an object and
// records the root's members. Returns false with *err on anything else.
bool ScanTopLevelObject(std::string_view text, JsonObjectScan* out, std::string* err);

// Validates `text` as exactly one JSON document of any kind; *depth (optional)
// receives its nesting depth.
bool ValidateJson(std::string_view text, size_t* depth, std::string* err);

// Decodes a JSON string literal including its quotes (already validated or
// not: returns false on malformed input). Lone surrogates become WTF-8.
bool DecodeJsonString(std::string_view literal, std::string* out);

// Parses a small value into nlohmann::json without ever throwing: the text is
// validated by the scanner first (bounded depth), then parsed non-throwing.
// Returns false when the value is invalid, too deep, or not representable by
// nlohmann (NaN/Infinity literals, lone surrogates).
bool ParseJsonValue(std::string_view text, size_t max_depth, nlohmann::json* out);

// Serialises without throwing: invalid UTF-8 in strings is replaced.
std::string DumpJson(const nlohmann::json& value);
std::string DumpJson(const nlohmann::ordered_json& value);

}  // namespace shim
