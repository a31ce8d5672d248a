#include "cli/config_file.h"

#include <yaml-cpp/yaml.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli/json_arg.h"
#include "common/strings.h"

namespace shim {
namespace {

using nlohmann::json;

constexpr size_t kMaxConfigBytes = 1 << 20;  // a vLLM config is a few hundred bytes
constexpr int kMaxDepth = 32;
// Values one document may expand to. YAML aliases are copied at each use, so a few hundred
// bytes of nested aliases can stand for billions of values.
constexpr size_t kMaxValues = 100000;

bool IsPlain(const YAML::Node& node) { return node.Tag() == "?"; }

// YAML 1.1 booleans as PyYAML's safe_load reads them (plain scalars only).
std::optional<bool> YamlBool(const YAML::Node& node) {
  if (!IsPlain(node)) return std::nullopt;
  std::string lower = ToLower(node.Scalar());
  if (lower == "true" || lower == "yes" || lower == "on") return true;
  if (lower == "false" || lower == "no" || lower == "off") return false;
  return std::nullopt;
}

bool YamlIsNull(const YAML::Node& node) {
  if (node.IsNull()) return true;
  if (!node.IsScalar() || !IsPlain(node)) return false;
  const std::string& s = node.Scalar();
  return s == "~" || s == "null" || s == "Null" || s == "NULL" || s.empty();
}

// Python's str() of a scalar as PyYAML would have typed it.
std::string ScalarText(const YAML::Node& node) {
  if (YamlIsNull(node)) return "None";
  if (std::optional<bool> b = YamlBool(node)) return *b ? "True" : "False";
  return node.Scalar();
}

// *budget: how many more values may be produced (kMaxValues for the whole document).
bool ToJson(const YAML::Node& node, int depth, size_t* budget, json* out, std::string* err) {
  if (depth > kMaxDepth) {
    *err = "nesting deeper than " + std::to_string(kMaxDepth) + " levels";
    return false;
  }
  if (*budget == 0) {
    *err = "more than " + std::to_string(kMaxValues) + " values (YAML aliases expand to copies)";
    return false;
  }
  --*budget;
  if (YamlIsNull(node)) {
    *out = nullptr;
    return true;
  }
  if (node.IsMap()) {
    *out = json::object();
    for (const auto& item : node) {
      if (!item.first.IsScalar()) {
        *err = "a mapping key is not a plain value";
        return false;
      }
      json value;
      if (!ToJson(item.second, depth + 1, budget, &value, err)) return false;
      (*out)[item.first.Scalar()] = std::move(value);
    }
    return true;
  }
  if (node.IsSequence()) {
    *out = json::array();
    for (const auto& item : node) {
      json value;
      if (!ToJson(item, depth + 1, budget, &value, err)) return false;
      out->push_back(std::move(value));
    }
    return true;
  }
  if (!node.IsScalar()) {
    *err = "unsupported YAML node";
    return false;
  }
  if (std::optional<bool> b = YamlBool(node)) {
    *out = *b;
    return true;
  }
  const std::string& s = node.Scalar();
  if (IsPlain(node)) {
    if (std::optional<long long> i = ParseInt(s)) {
      *out = *i;
      return true;
    }
    if (s.find_first_of(".eE") != std::string::npos && s.find_first_of("0123456789") != std::string::npos) {
      if (std::optional<double> d = ParseDouble(s)) {
        *out = *d;
        return true;
      }
    }
  }
  *out = s;
  return true;
}

bool ConvertDocument(const YAML::Node& root, std::vector<std::string>* args, std::string* err) {
  if (!root || root.IsNull()) return true;  // an empty file adds nothing
  size_t budget = kMaxValues;
  if (!root.IsMap()) {
    *err = "the top level must be a mapping of flag names to values";
    return false;
  }
  for (const auto& item : root) {
    if (!item.first.IsScalar() || item.first.Scalar().empty()) {
      *err = "a top-level key is not a flag name";
      return false;
    }
    const std::string flag = "--" + item.first.Scalar();
    const YAML::Node& value = item.second;
    if (value.IsScalar() || value.IsNull()) {
      if (std::optional<bool> b = YamlBool(value)) {
        if (*b) args->push_back(flag);
        continue;
      }
      args->push_back(flag);
      args->push_back(ScalarText(value));
    } else if (value.IsSequence()) {
      if (value.size() == 0) continue;
      args->push_back(flag);
      for (const auto& element : value) {
        if (!element.IsScalar() && !element.IsNull()) {
          // str() of a nested list/dict is Python repr: not something any flag accepts.
          *err = "key '" + item.first.Scalar() + "': list items must be plain values";
          return false;
        }
        args->push_back(ScalarText(element));
      }
    } else if (value.IsMap()) {
      json converted;
      std::string why;
      if (!ToJson(value, 1, &budget, &converted, &why)) {
        *err = "key '" + item.first.Scalar() + "': " + why;
        return false;
      }
      args->push_back(flag);
      args->push_back(DumpJsonArg(converted));
    } else {
      *err = "key '" + item.first.Scalar() + "': unsupported value";
      return false;
    }
  }
  return true;
}

}  // namespace

bool ConfigYamlToArgs(std::string_view yaml_text, std::vector<std::string>* args, std::string* err) {
  if (yaml_text.size() > kMaxConfigBytes) {
    *err = "larger than " + std::to_string(kMaxConfigBytes) + " bytes";
    return false;
  }
  std::vector<std::string> converted;
  try {
    YAML::Node root = YAML::Load(std::string(yaml_text));
    if (!ConvertDocument(root, &converted, err)) return false;
  } catch (const std::exception& e) {
    // yaml-cpp reports syntax errors (and its own depth guard) by throwing.
    *err = std::string("invalid YAML: ") + e.what();
    return false;
  }
  *args = std::move(converted);
  return true;
}

bool LoadConfigFileArgs(const std::string& path, std::vector<std::string>* args, std::string* err) {
  size_t dot = path.rfind('.');
  std::string extension = dot == std::string::npos ? path : path.substr(dot + 1);
  if (extension != "yaml" && extension != "yml") {
    *err = "argument --config: config file must be of a yaml/yml type, got '" + path + "'";
    return false;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    *err = "argument --config: unable to read the config file at '" + path + "'";
    return false;
  }
  std::string text;
  char buffer[8192];
  while (in.read(buffer, sizeof(buffer)) || in.gcount() > 0) {
    text.append(buffer, static_cast<size_t>(in.gcount()));
    if (text.size() > kMaxConfigBytes) break;
  }
  std::string why;
  if (!ConfigYamlToArgs(text, args, &why)) {
    *err = "argument --config: " + path + ": " + why;
    return false;
  }
  return true;
}

}  // namespace shim
