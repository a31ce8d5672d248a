// Fuzzes vLLM argv parsing and translation, and --config YAML conversion.
// Input: the first byte picks the mode; the rest is either argv words separated by NUL or
// newline, or YAML text whose converted words are then translated.
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

void Translate(const std::vector<std::string>& words, bool api_server, bool strict) {
  shim::Settings settings;
  settings.strict = strict;
  shim::Translation translation;
  std::string err;
  shim::EntryPoint entry = api_server ? shim::EntryPoint::kApiServer : shim::EntryPoint::kVllmServe;
  if (shim::TranslateVllmArgs(words, entry, settings, &translation, &err)) {
    // Rendering walks every field; it must not fail on anything the translator accepted.
    (void)shim::TranslationToJson(translation);
    (void)shim::TranslationToText(translation, settings.launcher);
  } else if (err.empty() || err.find('\n') != std::string::npos) {
    __builtin_trap();  // every failure must explain itself on one line
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
      Translate(words, false, false);
    }
    return 0;
  }
  Translate(SplitWords(data, size), mode % 3 == 1, (mode & 4) != 0);
  return 0;
}
