#include "endpoints/model_registry.h"

#include <algorithm>
#include <cstdio>

#include <nlohmann/json.hpp>

namespace shim::endpoints {
namespace {

using json = nlohmann::ordered_json;  // ModelCard's member order, as vLLM serialises it

// ModelPermission defaults (vllm/entrypoints/openai/engine/protocol.py).
json Permission(const std::string& card_id, int64_t created) {
  return json{{"id", ModelPermissionId(card_id)},
              {"object", "model_permission"},
              {"created", created},
              {"allow_create_engine", false},
              {"allow_sampling", true},
              {"allow_logprobs", true},
              {"allow_search_indices", false},
              {"allow_view", true},
              {"allow_fine_tuning", false},
              {"organization", "*"},
              {"group", nullptr},
              {"is_blocking", false}};
}

uint64_t Fnv1a(const std::string& text, uint64_t seed) {
  uint64_t h = 1469598103934665603ULL ^ seed;
  for (unsigned char c : text) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  return h;
}

}  // namespace

std::string ModelPermissionId(const std::string& card_id) {
  char buf[40];
  std::snprintf(buf, sizeof(buf), "%016llx%016llx", static_cast<unsigned long long>(Fnv1a(card_id, 0)),
                static_cast<unsigned long long>(Fnv1a(card_id, 0x9e3779b97f4a7c15ULL)));
  return "modelperm-" + std::string(buf);
}

ModelRegistry::ModelRegistry(ModelRegistryConfig config) : config_(std::move(config)) {
  if (config_.served_model_names.empty()) config_.served_model_names.push_back(config_.model_path);
}

std::optional<long long> ModelRegistry::max_model_len() const {
  if (config_.max_model_len) return config_.max_model_len;
  std::lock_guard<std::mutex> lock(mu_);
  return learned_max_model_len_;
}

void ModelRegistry::LearnMaxModelLen(long long value) {
  if (value <= 0) return;
  std::lock_guard<std::mutex> lock(mu_);
  learned_max_model_len_ = value;
}

bool ModelRegistry::IsServedName(std::string_view name) const {
  const auto& names = config_.served_model_names;
  return std::find(names.begin(), names.end(), name) != names.end();
}

std::optional<LoraAdapter> ModelRegistry::FindAdapter(std::string_view name) const {
  std::lock_guard<std::mutex> lock(mu_);
  for (const auto& adapter : adapters_) {
    if (adapter.name == name) return adapter;
  }
  return std::nullopt;
}

std::vector<LoraAdapter> ModelRegistry::Adapters() const {
  std::lock_guard<std::mutex> lock(mu_);
  return adapters_;
}

void ModelRegistry::PutAdapter(const std::string& name, const std::string& path, const std::string& base_model_name,
                               int64_t now) {
  LoraAdapter adapter{name, path, IsServedName(base_model_name) ? base_model_name : primary_name(), now};
  std::lock_guard<std::mutex> lock(mu_);
  for (auto& existing : adapters_) {
    if (existing.name == name) {
      existing = adapter;
      return;
    }
  }
  adapters_.push_back(std::move(adapter));
}

bool ModelRegistry::RemoveAdapter(const std::string& name) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = std::remove_if(adapters_.begin(), adapters_.end(), [&](const LoraAdapter& a) { return a.name == name; });
  bool removed = it != adapters_.end();
  adapters_.erase(it, adapters_.end());
  return removed;
}

std::string ModelRegistry::ModelsJson() const {
  json data = json::array();
  std::optional<long long> max_len = max_model_len();
  for (const auto& name : config_.served_model_names) {
    json card = {{"id", name},
                 {"object", "model"},
                 {"created", config_.created},
                 {"owned_by", "vllm"},
                 {"root", config_.model_path},
                 {"parent", nullptr},
                 {"max_model_len", max_len ? json(*max_len) : json(nullptr)},
                 {"permission", json::array({Permission(name, config_.created)})}};
    data.push_back(std::move(card));
  }
  for (const auto& adapter : Adapters()) {
    // LoRA cards carry no max_model_len (ModelCard default None).
    json card = {
        {"id", adapter.name},         {"object", "model"},
        {"created", adapter.created}, {"owned_by", "vllm"},
        {"root", adapter.path},       {"parent", adapter.base_model_name},
        {"max_model_len", nullptr},   {"permission", json::array({Permission(adapter.name, adapter.created)})}};
    data.push_back(std::move(card));
  }
  json list = {{"object", "list"}, {"data", std::move(data)}};
  return list.dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace shim::endpoints
