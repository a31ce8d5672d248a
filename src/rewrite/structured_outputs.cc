#include "rewrite/structured_outputs.h"

#include <nlohmann/json.hpp>

#include "rewrite/json_scanner.h"

namespace shim {
namespace {

using nlohmann::json;

// JSON schemas nest, but not this deep; deeper values are refused rather than
// risk recursion in the JSON library.
constexpr size_t kMaxSchemaDepth = 128;

// SGLang's JsonSchemaResponseFormat requires a name; vLLM has none to give.
constexpr const char* kSchemaName = "structured_output";

enum class Kind { kJson, kRegex, kChoice, kGrammar, kJsonObject, kStructuralTag };

bool ParseSchema(const json& value, const char* what, json* schema, std::string* err) {
  if (value.is_object()) {
    *schema = value;
    return true;
  }
  if (value.is_string()) {
    const std::string& text = value.get_ref<const std::string&>();
    json parsed;
    if (ParseJsonValue(text, kMaxSchemaDepth, &parsed) && parsed.is_object()) {
      *schema = std::move(parsed);
      return true;
    }
  }
  *err = std::string(what) + " must be a JSON schema object or a string holding one";
  return false;
}

bool Emit(Kind kind, const json& value, RouteKind route, const char* what, std::vector<SglangMember>* out,
          std::string* err) {
  bool chat = route == RouteKind::kChatCompletions;
  switch (kind) {
    case Kind::kJson: {
      json schema;
      if (!ParseSchema(value, what, &schema, err)) return false;
      if (chat) {
        json format = {{"type", "json_schema"},
                       {"json_schema", {{"name", kSchemaName}, {"schema", std::move(schema)}}}};
        out->push_back({"response_format", DumpJson(format)});
      } else {
        // CompletionRequest.json_schema is a string.
        out->push_back({"json_schema", DumpJson(json(DumpJson(schema)))});
      }
      return true;
    }
    case Kind::kRegex:
    case Kind::kGrammar:
      if (!value.is_string()) {
        *err = std::string(what) + " must be a string";
        return false;
      }
      out->push_back({kind == Kind::kRegex ? "regex" : "ebnf", DumpJson(value)});
      return true;
    case Kind::kChoice: {
      std::vector<std::string> choices;
      if (value.is_array() && !value.empty()) {
        for (const auto& item : value) {
          if (!item.is_string()) break;
          choices.push_back(item.get<std::string>());
        }
      }
      if (choices.empty() || choices.size() != value.size()) {
        *err = std::string(what) + " must be a non-empty list of strings";
        return false;
      }
      out->push_back({"regex", DumpJson(json(ChoiceRegex(choices)))});
      return true;
    }
    case Kind::kJsonObject:
      if (!value.is_boolean()) {
        *err = std::string(what) + " must be a boolean";
        return false;
      }
      if (!value.get<bool>()) return true;  // false asks for nothing
      if (chat) {
        out->push_back({"response_format", R"({"type":"json_object"})"});
      } else {
        // What SGLang's own completions handler does for json_object.
        out->push_back({"json_schema", DumpJson(json(R"({"type":"object"})"))});
      }
      return true;
    case Kind::kStructuralTag: {
      json tag;
      if (value.is_object()) {
        tag = value;
      } else if (!value.is_string() || !ParseJsonValue(value.get_ref<const std::string&>(), kMaxSchemaDepth, &tag) ||
                 !tag.is_object()) {
        *err = std::string(what) + " must be a structural tag object or a string holding one";
        return false;
      }
      tag["type"] = "structural_tag";
      out->push_back({"response_format", DumpJson(tag)});
      return true;
    }
  }
  return false;
}

}  // namespace

bool TranslateConstraint(FieldAction source, std::string_view value_text, RouteKind route,
                         std::vector<SglangMember>* out, std::string* err) {
  out->clear();
  json value;
  if (!ParseJsonValue(value_text, kMaxSchemaDepth, &value)) {
    *err = "the structured-output value could not be read (too deep or not plain JSON)";
    return false;
  }
  switch (source) {
    case FieldAction::kGuidedJson:
      return Emit(Kind::kJson, value, route, "guided_json", out, err);
    case FieldAction::kGuidedRegex:
      return Emit(Kind::kRegex, value, route, "guided_regex", out, err);
    case FieldAction::kGuidedChoice:
      return Emit(Kind::kChoice, value, route, "guided_choice", out, err);
    case FieldAction::kGuidedGrammar:
      return Emit(Kind::kGrammar, value, route, "guided_grammar", out, err);
    case FieldAction::kStructuredOutputs:
      break;
    default:
      *err = "not a structured-output field";
      return false;
  }
  if (!value.is_object()) {
    *err = "structured_outputs must be an object";
    return false;
  }
  static constexpr struct {
    const char* key;
    Kind kind;
    const char* what;
  } kConstraints[] = {
      {"json", Kind::kJson, "structured_outputs.json"},
      {"regex", Kind::kRegex, "structured_outputs.regex"},
      {"choice", Kind::kChoice, "structured_outputs.choice"},
      {"grammar", Kind::kGrammar, "structured_outputs.grammar"},
      {"json_object", Kind::kJsonObject, "structured_outputs.json_object"},
      {"structural_tag", Kind::kStructuralTag, "structured_outputs.structural_tag"},
  };
  int found = 0;
  for (const auto& c : kConstraints) {
    auto it = value.find(c.key);
    if (it == value.end() || it->is_null()) continue;
    if (++found > 1) {
      // vLLM: "You can only use one kind of structured outputs constraint".
      *err =
          "structured_outputs may name only one constraint (json, regex, choice, grammar, "
          "json_object or structural_tag)";
      out->clear();
      return false;
    }
    if (!Emit(c.kind, *it, route, c.what, out, err)) return false;
  }
  return true;
}

std::string ChoiceRegex(const std::vector<std::string>& choices) {
  std::string regex = "(";
  for (size_t i = 0; i < choices.size(); ++i) {
    if (i) regex.push_back('|');
    for (char c : choices[i]) {
      switch (c) {
        case '\\':
        case '.':
        case '^':
        case '$':
        case '*':
        case '+':
        case '?':
        case '(':
        case ')':
        case '[':
        case ']':
        case '{':
        case '}':
        case '|':
          regex.push_back('\\');
          break;
        default:
          break;
      }
      regex.push_back(c);
    }
  }
  regex.push_back(')');
  return regex;
}

}  // namespace shim
