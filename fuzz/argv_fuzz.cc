// Fuzzes vLLM argv parsing and translation, and --config YAML conversion.
// Input: the first byte picks the mode; the rest is either argv words separated by NUL or
// newline, or YAML text whose converted words are then translated.
// Mode byte: % 3 == 0 `vllm serve` argv, 1 api_server argv, 2 YAML; & 4 strict; & 8 with
// VLLM_API_KEY set (then no message may contain it). Example: "0m\n--api-key=-k" (serve, m,
// one flag).
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "cli/config_file.h"
#include "translate/translator.h"

namespace {

std::vector<std::string> SplitWords(const uint8_t* data, size_t size) {
  std::vector<std::string> words;
  std::string current;
  for (size_t i = 0; i < size; ++i) {
    char c = static_cast<char>(data[i]);
    if (c == '\0' || c == '\n') {
      words.push_back(current);
      current.clear();
    } else {
      current.push_back(c);
    }
  }
  if (!current.empty()) words.push_back(current);
  return words;
}

constexpr const char* kFuzzApiKey = "-fuzzApiKey7";

bool Mentions(const std::string& text, const char* secret) { return text.find(secret) != std::string::npos; }

void Translate(const std::vector<std::string>& words, bool api_server, bool strict, bool env_key) {
  shim::Settings settings;
  settings.strict = strict;
  if (env_key) settings.vllm_api_keys = {kFuzzApiKey};
  shim::Translation translation;
  std::string err;
  shim::EntryPoint entry = api_server ? shim::EntryPoint::kApiServer : shim::EntryPoint::kVllmServe;
  if (shim::TranslateVllmArgs(words, entry, settings, &translation, &err)) {
    // Rendering walks every field; it must not fail on anything the translator accepted.
    std::string json = shim::TranslationToJson(translation);
    std::string text = shim::TranslationToText(translation, settings.launcher);
    if (env_key && (Mentions(json, kFuzzApiKey) || Mentions(text, kFuzzApiKey))) __builtin_trap();
  } else if (err.empty() || err.find('\n') != std::string::npos) {
    __builtin_trap();  // every failure must explain itself on one line
  } else if (err.rfind("internal error", 0) == 0) {
    __builtin_trap();  // the translation emitted something SGLang would misread
  } else if (env_key && Mentions(err, kFuzzApiKey)) {
    __builtin_trap();  // an API key in a message
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0 || size > 64 * 1024) return 0;
  uint8_t mode = data[0];
  ++data;
  --size;
  if (mode % 3 == 2) {
    std::vector<std::string> words;
    std::string err;
    if (shim::ConfigYamlToArgs(std::string(reinterpret_cast<const char*>(data), size), &words, &err)) {
      words.insert(words.begin(), "org/model");
      Translate(words, false, false, (mode & 8) != 0);
    }
    return 0;
  }
  std::vector<std::string> words = SplitWords(data, size);
  bool env_key = (mode & 8) != 0;
  for (const std::string& word : words) env_key &= !Mentions(word, kFuzzApiKey + 1);  // the input may spell it out
  Translate(words, mode % 3 == 1, (mode & 4) != 0, env_key);
  return 0;
}
