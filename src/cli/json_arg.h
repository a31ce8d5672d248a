// JSON given on vLLM's command line (a JSON flag, a dotted key, a --config mapping), read and
// written back without ever throwing.
//
// vLLM reads these with Python's json.loads, on arguments Python decoded with surrogate
// escapes, so bytes that are not UTF-8 are accepted there. nlohmann::json refuses them when
// parsing and throws type_error.316 when dumping them: here they become U+FFFD instead.
// Python's json gives up near 1000 levels of nesting (its recursion limit); nlohmann's dump()
// and copies recurse once per level, so deeper documents are refused with a clear error.
#pragma once
#include <cstddef>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace shim {

inline constexpr size_t kMaxJsonDepth = 512;

// Deepest nesting of arrays and objects in JSON text, not counting brackets inside strings.
size_t JsonNestingDepth(std::string_view text);

// text with every byte sequence that is not UTF-8 replaced by U+FFFD.
std::string ValidUtf8(std::string_view text);

// nlohmann::json::parse without exceptions: discarded when text is not JSON, or nested
// deeper than kMaxJsonDepth (then *too_deep is set). Bytes that are not UTF-8 inside strings
// are read as U+FFFD.
nlohmann::json ParseJsonArg(std::string_view text, bool* too_deep = nullptr);

// Compact dump() that never throws: strings that are not UTF-8 are written with U+FFFD.
std::string DumpJsonArg(const nlohmann::json& value);

}  // namespace shim
