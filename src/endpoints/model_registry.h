// What the shim serves, as vLLM's OpenAIServingModels knows it
// (vllm/entrypoints/openai/serving_models.py): the served names of the base
// model, its path, max_model_len, and the LoRA adapters loaded so far.
// SGLang takes one served name and lists adapters its own way, so the shim
// keeps this registry and answers /v1/models from it. Thread-safe.
#pragma once
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace shim::endpoints {

struct LoraAdapter {
  std::string name;
  std::string path;
  std::string base_model_name;  // the card's `parent`
  int64_t created = 0;          // unix seconds of the load (the LoRA controller reads it as load time)
};

struct ModelRegistryConfig {
  std::vector<std::string> served_model_names;  // first one is the name vLLM answers with
  std::string model_path;                       // the cards' `root`
  std::optional<long long> max_model_len;       // known at start-up, else learned from SGLang
  int64_t created = 0;                          // unix seconds; stable for the process lifetime
};

class ModelRegistry {
 public:
  explicit ModelRegistry(ModelRegistryConfig config);

  const std::vector<std::string>& served_model_names() const { return config_.served_model_names; }
  const std::string& primary_name() const { return config_.served_model_names.front(); }
  const std::string& model_path() const { return config_.model_path; }

  std::optional<long long> max_model_len() const;
  // SGLang's /v1/models or /tokenize tells the real context length when
  // --max-model-len was not given.
  void LearnMaxModelLen(long long value);

  bool IsServedName(std::string_view name) const;
  std::optional<LoraAdapter> FindAdapter(std::string_view name) const;
  std::vector<LoraAdapter> Adapters() const;

  // Adds or replaces (load_inplace) an adapter. `base_model_name` that is not a
  // served name is ignored, as vLLM ignores it; the parent is then the primary name.
  void PutAdapter(const std::string& name, const std::string& path, const std::string& base_model_name, int64_t now);
  bool RemoveAdapter(const std::string& name);

  // GET /v1/models in vLLM's ModelList shape.
  std::string ModelsJson() const;

 private:
  ModelRegistryConfig config_;
  mutable std::mutex mu_;
  std::optional<long long> learned_max_model_len_;
  std::vector<LoraAdapter> adapters_;  // load order, as vLLM lists them
};

// "modelperm-" + 32 hex digits derived from the card id: stable across calls,
// unlike vLLM's random uuid, so repeated discovery sees identical cards.
std::string ModelPermissionId(const std::string& card_id);

}  // namespace shim::endpoints
