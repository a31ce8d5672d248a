#include "fake_sglang/lora_registry.h"

#include <nlohmann/json.hpp>

#include "common/strings.h"

namespace shim::fake_sglang {

bool LoraRegistry::ParseSpec(const std::string& spec, LoraAdapter* out, std::string* err) {
  std::string_view text = TrimSpaces(spec);
  if (StartsWith(text, "{")) {
    auto json = nlohmann::json::parse(text, nullptr, false);
    if (json.is_discarded() || !json.is_object() || !json.contains("lora_name") || !json.contains("lora_path") ||
        !json["lora_name"].is_string() || !json["lora_path"].is_string()) {
      *err = "invalid LoRA JSON spec (need string lora_name and lora_path): " + spec;
      return false;
    }
    out->name = json["lora_name"].get<std::string>();
    out->path = json["lora_path"].get<std::string>();
    out->pinned = json.contains("pinned") && json["pinned"].is_boolean() && json["pinned"].get<bool>();
  } else if (size_t eq = text.find('='); eq != std::string_view::npos) {
    out->name = std::string(text.substr(0, eq));
    out->path = std::string(text.substr(eq + 1));
  } else {
    out->name = std::string(text);
    out->path = std::string(text);
  }
  if (out->name.empty() || out->path.empty()) {
    *err = "invalid LoRA spec (empty name or path): " + spec;
    return false;
  }
  return true;
}

bool LoraRegistry::Load(const LoraAdapter& adapter, std::string* err) {
  // Messages follow lora_manager.py's validation of load requests.
  if (adapter.name.empty() || adapter.path.empty()) {
    *err = "LoRA adapter name and path must not be empty.";
    return false;
  }
  if (adapters_.count(adapter.name)) {
    *err = "Failed to load LoRA adapter " + adapter.name + " because it is already loaded";
    return false;
  }
  if (max_loaded_ > 0 && static_cast<int>(adapters_.size()) >= max_loaded_) {
    *err = "Failed to load LoRA adapter " + adapter.name +
           ": the number of loaded adapters reached max_loaded_loras (" + std::to_string(max_loaded_) + ")";
    return false;
  }
  adapters_[adapter.name] = adapter;
  return true;
}

bool LoraRegistry::Unload(const std::string& name, std::string* err) {
  if (!adapters_.erase(name)) {
    *err = "LoRA adapter " + name + " is not loaded";
    return false;
  }
  return true;
}

}  // namespace shim::fake_sglang
