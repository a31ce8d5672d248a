// Reading members of client and engine JSON that may be absent, null or of the wrong type,
// without nlohmann's throwing accessors (json::value and get<> throw on a type mismatch).
#pragma once
#include <string>

#include <nlohmann/json.hpp>

namespace shim::responses {

// The member `key` of an object when present and not null, else nullptr.
inline const nlohmann::json* Member(const nlohmann::json& object, const char* key) {
  if (!object.is_object()) return nullptr;
  auto it = object.find(key);
  return it == object.end() || it->is_null() ? nullptr : &*it;
}

// A string member, or `fallback` when it is absent or not a string.
inline std::string Str(const nlohmann::json& object, const char* key, const std::string& fallback = "") {
  const nlohmann::json* v = Member(object, key);
  return v != nullptr && v->is_string() ? v->get<std::string>() : fallback;
}

}  // namespace shim::responses
