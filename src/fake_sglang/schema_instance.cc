#include "fake_sglang/schema_instance.h"

#include <cmath>

namespace shim::fake_sglang {
namespace {

using nlohmann::json;

constexpr int kMaxDepth = 16;

const json* Member(const json& object, const char* key) {
  if (!object.is_object()) return nullptr;
  auto it = object.find(key);
  return it == object.end() ? nullptr : &*it;
}

std::string TypeOf(const json& schema) {
  const json* type = Member(schema, "type");
  if (type != nullptr && type->is_string()) return type->get<std::string>();
  if (type != nullptr && type->is_array()) {
    std::string first;
    for (const json& t : *type) {
      if (!t.is_string()) continue;
      if (t != "null") return t.get<std::string>();
      first = "null";
    }
    return first;
  }
  if (Member(schema, "properties") != nullptr) return "object";
  if (Member(schema, "items") != nullptr) return "array";
  return "";
}

double Bounded(const json& schema, double value, bool integer) {
  double step = integer ? 1 : 0.5;
  if (const json* v = Member(schema, "minimum"); v != nullptr && v->is_number()) {
    value = std::max(value, integer ? std::ceil(v->get<double>()) : v->get<double>());
  }
  if (const json* v = Member(schema, "exclusiveMinimum"); v != nullptr && v->is_number()) {
    double bound = integer ? std::floor(v->get<double>()) + 1 : v->get<double>() + step;
    value = std::max(value, bound);
  }
  if (const json* v = Member(schema, "maximum"); v != nullptr && v->is_number()) {
    value = std::min(value, integer ? std::floor(v->get<double>()) : v->get<double>());
  }
  if (const json* v = Member(schema, "exclusiveMaximum"); v != nullptr && v->is_number()) {
    double bound = integer ? std::ceil(v->get<double>()) - 1 : v->get<double>() - step;
    value = std::min(value, bound);
  }
  return value;
}

long long Count(const json& schema, const char* key, long long fallback) {
  const json* v = Member(schema, key);
  if (v == nullptr || !v->is_number_integer()) return fallback;
  return std::clamp<long long>(v->get<long long>(), 0, 64);
}

json StringInstance(const json& schema) {
  const json* format = Member(schema, "format");
  if (format != nullptr && format->is_string()) {
    static const std::pair<const char*, const char*> kFormats[] = {
        {"date", "2024-01-01"},
        {"date-time", "2024-01-01T00:00:00Z"},
        {"time", "00:00:00"},
        {"email", "user@example.com"},
        {"uuid", "00000000-0000-4000-8000-000000000000"},
        {"uri", "https://example.com"},
    };
    for (const auto& [name, value] : kFormats) {
      if (*format == name) return value;
    }
  }
  std::string text = "sample";
  long long min_length = Count(schema, "minLength", 0);
  if (static_cast<long long>(text.size()) < min_length) text.resize(static_cast<size_t>(min_length), 'x');
  long long max_length = Count(schema, "maxLength", -1);
  if (max_length >= 0 && static_cast<long long>(text.size()) > max_length) text.resize(static_cast<size_t>(max_length));
  return text;
}

json Instance(const json& schema, int depth) {
  if (depth > kMaxDepth || !schema.is_object()) return depth > kMaxDepth ? json(nullptr) : json("sample");
  if (const json* v = Member(schema, "const")) return *v;
  if (const json* v = Member(schema, "enum"); v != nullptr && v->is_array() && !v->empty()) return (*v)[0];
  for (const char* key : {"anyOf", "oneOf", "allOf"}) {
    const json* v = Member(schema, key);
    if (v != nullptr && v->is_array() && !v->empty()) return Instance((*v)[0], depth + 1);
  }
  const std::string type = TypeOf(schema);
  if (type == "object") {
    json out = json::object();
    if (const json* props = Member(schema, "properties"); props != nullptr && props->is_object()) {
      for (auto it = props->begin(); it != props->end(); ++it) out[it.key()] = Instance(it.value(), depth + 1);
    }
    if (const json* required = Member(schema, "required"); required != nullptr && required->is_array()) {
      for (const json& name : *required) {
        if (name.is_string() && !out.contains(name.get<std::string>())) out[name.get<std::string>()] = "sample";
      }
    }
    return out;
  }
  if (type == "array") {
    long long n = std::max<long long>(Count(schema, "minItems", 0), 1);
    n = std::min(n, Count(schema, "maxItems", n));
    const json* items = Member(schema, "items");
    json element = items != nullptr ? Instance(*items, depth + 1) : json("sample");
    json out = json::array();
    for (long long i = 0; i < n; ++i) out.push_back(element);
    return out;
  }
  if (type == "string") return StringInstance(schema);
  if (type == "integer") return static_cast<long long>(Bounded(schema, 1, true));
  if (type == "number") return Bounded(schema, 1.5, false);
  if (type == "boolean") return true;
  if (type == "null") return nullptr;
  return "sample";
}

}  // namespace

json SchemaInstance(const json& schema) { return Instance(schema, 0); }

std::vector<std::string> SplitIntoPieces(std::string text, size_t n) {
  n = std::max<size_t>(n, 1);
  if (text.size() < n) text.resize(n, ' ');
  std::vector<std::string> pieces;
  pieces.reserve(n);
  size_t start = 0;
  for (size_t i = 0; i < n; ++i) {
    size_t end = text.size() * (i + 1) / n;
    pieces.push_back(text.substr(start, end - start));
    start = end;
  }
  return pieces;
}

void ShapeAsJson(Generation* g, size_t keep, const json& schema) {
  if (g->tokens.size() <= keep) return;
  std::string text = SchemaInstance(schema).dump(-1, ' ', /*ensure_ascii=*/true, json::error_handler_t::replace);
  std::vector<std::string> pieces = SplitIntoPieces(std::move(text), g->tokens.size() - keep);
  g->tokens.resize(keep);
  for (std::string& piece : pieces) g->tokens.push_back(std::move(piece));
}

}  // namespace shim::fake_sglang
