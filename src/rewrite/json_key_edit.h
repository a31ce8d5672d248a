// Byte edits of the members of JSON objects at one nesting depth, for answers the front
// door relays: every other byte, values included, passes unchanged, and a text without
// the key costs one memmem. The text must be valid JSON (it is not validated again);
// on anything else the edits stay in bounds and the result is unspecified.
#pragma once
#include <string>
#include <string_view>

namespace shim {

// Renames each key `from` of an object whose opening brace is at bracket depth `depth`
// (the root object is depth 1) to `to`, or, with `keep_both`, inserts `"to":<same value>`
// after the member. `text` must be valid JSON (it is not validated again). Returns false,
// leaving *out alone, when there is no such key; a key spelled with escapes is not matched.
bool RenameJsonKeys(std::string_view text, std::string_view from, std::string_view to, int depth, bool keep_both,
                    std::string* out);

// Index one past the JSON value that starts at `i` (after whitespace) in valid JSON text;
// text.size() when it runs off the end. No validation and no allocation.
size_t SkipJsonValue(std::string_view text, size_t i);

// True when `needle` occurs in `text` (glibc's two-way memmem: string_view::find stops at
// every occurrence of the first byte, and JSON is full of quotes).
bool ContainsBytes(std::string_view text, std::string_view needle);

// Replaces the value of each member `key` that is null, in an object whose opening brace is
// at bracket depth `depth`, with `replacement` (JSON text). False, leaving *out alone, when
// there is none.
bool ReplaceNullMembers(std::string_view text, std::string_view key, std::string_view replacement, int depth,
                        std::string* out);

// Replaces the value of each member `key`, in an object whose opening brace is at bracket
// depth `depth`, with null. False, leaving *out alone, when there is none.
bool NullJsonMembers(std::string_view text, std::string_view key, int depth, std::string* out);

}  // namespace shim
