#include "cli/flexible_args.h"

#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "cli/config_file.h"
#include "cli/human_readable_int.h"
#include "cli/json_arg.h"
#include "common/strings.h"

namespace shim {
namespace {

using nlohmann::json;

bool IsModelOption(const std::string& word) {
  return word == "--model" || (StartsWith(word, "--model=") && word.size() > 8);
}

bool IsServedModelNameOption(const std::string& word) {
  std::string name = word.substr(0, word.find('='));
  for (char& c : name) {
    if (c == '_') c = '-';
  }
  return name == "--served-model-name";
}

bool IsConfigOption(const std::string& word) { return word == "--config" || StartsWith(word, "--config="); }

// A word that is a number ("-1", "-0.5") is a value, never an option (argparse's
// _negative_number_matcher: vLLM defines no option that looks like a negative number).
bool IsNegativeNumber(const std::string& word) {
  return word.size() > 1 && word[0] == '-' && ParseDouble(word).has_value();
}

// Step 1: `vllm serve ... --model X ...` -> `X ...` (the first match only, as vLLM does).
bool MoveModelToFront(std::vector<std::string>* args, std::vector<std::string>* warnings, std::string* err) {
  for (size_t i = 0; i < args->size(); ++i) {
    const std::string& word = (*args)[i];
    if (!IsModelOption(word)) continue;
    warnings->push_back(
        "With `vllm serve`, you should provide the model as a positional argument or in a config file instead of via "
        "the `--model` option. The `--model` option will be removed in a future version.");
    std::string model;
    size_t rest = i + 1;
    if (word == "--model") {
      if (i + 1 >= args->size() || StartsWith((*args)[i + 1], "-")) {
        *err = "argument --model: expected one argument";
        return false;
      }
      model = (*args)[i + 1];
      rest = i + 2;
    } else {
      model = word.substr(8);
    }
    std::vector<std::string> moved{model};
    moved.insert(moved.end(), args->begin(), args->begin() + static_cast<long>(i));
    moved.insert(moved.end(), args->begin() + static_cast<long>(rest), args->end());
    *args = std::move(moved);
    return true;
  }
  return true;
}

// Step 2.
bool PullConfig(std::vector<std::string>* args, const ExpandOptions& options, std::string* err) {
  size_t index = args->size();
  size_t count = 0;
  for (size_t i = 0; i < args->size(); ++i) {
    if (IsConfigOption((*args)[i])) {
      if (count++ == 0) index = i;
    }
  }
  if (count == 0) return true;
  if (count > 1) {
    *err = "argument --config: more than one config file specified";
    return false;
  }
  std::string path;
  size_t consumed = 1;
  if ((*args)[index] == "--config") {
    if (index + 1 >= args->size()) {
      *err = "argument --config: expected one argument";
      return false;
    }
    path = (*args)[index + 1];
    consumed = 2;
  } else {
    path = (*args)[index].substr(9);
  }
  std::vector<std::string> config_args;
  auto load = options.load_config ? options.load_config : LoadConfigFileArgs;
  if (!load(path, &config_args, err)) return false;

  std::vector<std::string> rest(args->begin(), args->begin() + static_cast<long>(index));
  rest.insert(rest.end(), args->begin() + static_cast<long>(index + consumed), args->end());
  // The positional model (if first) stays first; config words follow; the rest of the
  // command line comes last so that it wins.
  size_t head = 0;
  if (options.serve) {
    bool model_in_cli = !rest.empty() && !StartsWith(rest[0], "-");
    bool model_in_config = false;
    for (const std::string& word : config_args) model_in_config |= (word == "--model");
    if (!model_in_cli && !model_in_config) {
      *err = "No model specified! Please specify model either as a positional argument or in a config file.";
      return false;
    }
    head = model_in_cli ? 1 : 0;
  } else {
    head = (!rest.empty() && !StartsWith(rest[0], "-")) ? 1 : 0;
  }
  std::vector<std::string> merged(rest.begin(), rest.begin() + static_cast<long>(head));
  merged.insert(merged.end(), config_args.begin(), config_args.end());
  merged.insert(merged.end(), rest.begin() + static_cast<long>(head), rest.end());
  *args = std::move(merged);
  return true;
}

// Merges `update` into `original` as vLLM's recursive_dict_update does: nested objects merge,
// lists concatenate, anything else replaces (and is reported as a duplicate).
void MergeJson(json* original, const json& update, const std::string& prefix, std::set<std::string>* duplicates) {
  for (auto it = update.begin(); it != update.end(); ++it) {
    const std::string& key = it.key();
    auto existing = original->find(key);
    if (existing != original->end() && existing->is_object() && it->is_object()) {
      MergeJson(&*existing, *it, prefix + key + ".", duplicates);
    } else if (existing != original->end() && existing->is_array() && it->is_array()) {
      for (const json& item : *it) existing->push_back(item);
    } else {
      if (existing != original->end()) duplicates->insert(prefix + key);
      (*original)[key] = *it;
    }
  }
}

// A dotted value goes through json.loads, then human_readable_int, then stays a string.
// Returns false when it is JSON nested too deep to handle (json_arg.h).
bool DottedValue(const std::string& text, json* out) {
  bool too_deep = false;
  json parsed = ParseJsonArg(text, &too_deep);
  if (too_deep) return false;
  long long number = 0;
  std::string ignored;
  if (!parsed.is_discarded())
    *out = std::move(parsed);
  else if (ParseHumanReadableInt(text, &number, &ignored))
    *out = number;
  else
    *out = text;  // bytes that are not UTF-8 are kept; DumpJsonArg writes them as U+FFFD
  return true;
}

// Step 5.
bool MergeDottedArgs(std::vector<std::string>* args, std::vector<std::string>* warnings, std::string* err) {
  std::vector<std::string> kept;
  std::vector<std::pair<std::string, json>> merged;  // first-seen order of the flags
  std::set<std::string> duplicates;
  for (size_t i = 0; i < args->size(); ++i) {
    const std::string& word = (*args)[i];
    if (!StartsWith(word, "-") || word.find('.') == std::string::npos || IsNegativeNumber(word)) {
      kept.push_back(word);
      continue;
    }
    std::string key_part = word;
    std::string value;
    size_t eq = word.find('=');
    if (eq != std::string::npos) {
      key_part = word.substr(0, eq);
      if (key_part.find('.') == std::string::npos) {  // the "." was only in the value
        kept.push_back(word);
        continue;
      }
      value = word.substr(eq + 1);
    } else {
      if (i + 1 >= args->size()) {
        *err = "argument " + word + ": expected one argument";
        return false;
      }
      value = (*args)[++i];
    }
    json leaf;
    std::string leaf_text = value;
    if (EndsWith(key_part, "+")) {
      key_part.pop_back();
      json list = json::array();
      for (const std::string& item : SplitString(value, ',')) list.push_back(item);
      leaf_text = DumpJsonArg(list);  // vLLM: json.dumps(value_str.split(","))
    }
    std::vector<std::string> keys = SplitString(key_part, '.');
    const std::string flag = keys[0];
    for (size_t k = 1; k < keys.size(); ++k) {
      if (keys[k].empty()) {
        *err = "argument " + flag + ": empty key in '" + key_part + "'";
        return false;
      }
    }
    if (!DottedValue(leaf_text, &leaf) || keys.size() - 1 + JsonNestingDepth(leaf_text) > kMaxJsonDepth) {
      *err = "argument " + flag + ": JSON nested deeper than " + std::to_string(kMaxJsonDepth) + " levels";
      return false;
    }
    json nested = std::move(leaf);
    for (size_t k = keys.size(); k-- > 1;) nested = json{{keys[k], std::move(nested)}};
    auto slot = std::find_if(merged.begin(), merged.end(), [&](const auto& p) { return p.first == flag; });
    if (slot == merged.end()) {
      merged.emplace_back(flag, json::object());
      slot = merged.end() - 1;
    }
    if (nested.is_object()) {
      MergeJson(&slot->second, nested, flag + ".", &duplicates);
    } else {
      *err = "argument " + flag + ": '" + key_part + "' names no key";
      return false;
    }
  }
  if (!duplicates.empty()) {
    warnings->push_back("Found duplicate keys " +
                        JoinStrings(std::vector<std::string>(duplicates.begin(), duplicates.end()), ", "));
  }
  for (auto& [flag, value] : merged) {
    kept.push_back(flag);
    kept.push_back(DumpJsonArg(value));
  }
  *args = std::move(kept);
  return true;
}

}  // namespace

std::string NormalizeOptionName(const std::string& word) {
  if (!StartsWith(word, "--")) return word;
  std::string out = word;
  for (size_t i = 2; i < out.size(); ++i) {
    if (out[i] == '.' || out[i] == '=') break;
    if (out[i] == '_') out[i] = '-';
  }
  return out;
}

bool ExpandVllmArgv(const std::vector<std::string>& input, const ExpandOptions& options, ExpandedArgv* out,
                    std::string* err) {
  ExpandedArgv result;
  std::vector<std::string> args = input;
  if (options.serve) {
    if (!MoveModelToFront(&args, &result.warnings, err)) return false;
    bool has_config = false;
    bool has_served_name = false;
    for (const std::string& word : args) {
      has_config |= IsConfigOption(word);
      has_served_name |= IsServedModelNameOption(word);
    }
    if (!args.empty() && StartsWith(args[0], "-") && !has_config && has_served_name) {
      *err =
          "`model` should be provided as the first positional argument when using `vllm serve`. i.e. `vllm serve "
          "<model> --<arg> <value>`.";
      return false;
    }
  }
  if (!PullConfig(&args, options, err)) return false;

  std::vector<std::string> normalized;
  normalized.reserve(args.size());
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& word = args[i];
    if (StartsWith(word, "--")) {
      normalized.push_back(NormalizeOptionName(word));
    } else if (StartsWith(word, "-O") && word != "-O") {
      normalized.push_back("--optimization-level");
      normalized.push_back(word.size() > 2 && word[2] == '=' ? word.substr(3) : word.substr(2));
    } else if (word == "-O" && i + 1 < args.size() &&
               (args[i + 1] == "0" || args[i + 1] == "1" || args[i + 1] == "2" || args[i + 1] == "3")) {
      normalized.push_back("--optimization-level");
    } else {
      normalized.push_back(word);
    }
  }
  if (!MergeDottedArgs(&normalized, &result.warnings, err)) return false;
  result.words = std::move(normalized);
  *out = std::move(result);
  return true;
}

}  // namespace shim
