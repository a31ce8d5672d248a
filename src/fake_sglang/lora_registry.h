// LoRA adapters the stand-in "serves": those given with --lora-paths at start-up and those
// loaded at run time through /load_lora_adapter (python/sglang/srt/lora/lora_registry.py).
#pragma once
#include <map>
#include <string>
#include <vector>

namespace shim::fake_sglang {

struct LoraAdapter {
  std::string name;
  std::string path;
  bool pinned = false;
};

class LoraRegistry {
 public:
  // Parses one --lora-paths item: "PATH", "NAME=PATH" or JSON {"lora_name","lora_path","pinned"}
  // (server_args.py LoRAPathAction). A bare PATH is its own name.
  static bool ParseSpec(const std::string& spec, LoraAdapter* out, std::string* err);

  void set_max_loaded(int max) { max_loaded_ = max; }
  bool Load(const LoraAdapter& adapter, std::string* err);
  bool Unload(const std::string& name, std::string* err);
  bool Has(const std::string& name) const { return adapters_.count(name) != 0; }
  const std::map<std::string, LoraAdapter>& adapters() const { return adapters_; }

 private:
  std::map<std::string, LoraAdapter> adapters_;
  int max_loaded_ = 0;  // 0: unlimited
};

}  // namespace shim::fake_sglang
