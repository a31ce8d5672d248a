#include "frontdoor/route.h"

#include <algorithm>

namespace shim {

RouteDecision RouteDecision::Proxy(RouteLabel label) {
  RouteDecision decision;
  decision.kind = Kind::kProxy;
  decision.label = label.text;
  return decision;
}

RouteDecision RouteDecision::Answer(RouteLabel label, LocalResponse response) {
  RouteDecision decision;
  decision.kind = Kind::kAnswer;
  decision.label = label.text;
  decision.answer = std::move(response);
  return decision;
}

RouteDecision RouteDecision::AnswerAsync(RouteLabel label, AsyncAnswer answer) {
  RouteDecision decision;
  decision.kind = Kind::kAnswerAsync;
  decision.label = label.text;
  decision.async_answer = std::move(answer);
  return decision;
}

void RouteTable::AddExact(std::string path, std::vector<std::string> methods, RouteHandler handler) {
  entries_.insert(entries_.begin(), Entry{NormalizePath(path), false, std::move(methods), std::move(handler)});
}

void RouteTable::AddPrefix(std::string prefix, std::vector<std::string> methods, RouteHandler handler) {
  entries_.insert(entries_.begin(), Entry{std::move(prefix), true, std::move(methods), std::move(handler)});
}

void RouteTable::SetFallback(RouteHandler handler) { fallback_ = std::move(handler); }

void RouteTable::AddFilter(DecisionFilter filter) { filters_.push_back(std::move(filter)); }

RouteDecision RouteTable::Decide(const RequestHead& head) const {
  RouteDecision decision = Match(head);
  for (const DecisionFilter& filter : filters_) filter(head, &decision);
  return decision;
}

RouteDecision RouteTable::Match(const RequestHead& head) const {
  std::string storage;
  const std::string_view path = NormalizedPath(head.path(), &storage);
  auto method_ok = [&](const Entry& entry) {
    return entry.methods.empty() ||
           std::find(entry.methods.begin(), entry.methods.end(), head.method) != entry.methods.end();
  };
  for (const Entry& entry : entries_) {
    if (!entry.prefix && entry.path == path && method_ok(entry)) return entry.handler(head);
  }
  for (const Entry& entry : entries_) {
    if (entry.prefix && path.compare(0, entry.path.size(), entry.path) == 0 && method_ok(entry)) {
      return entry.handler(head);
    }
  }
  if (fallback_) return fallback_(head);
  return RouteDecision::Proxy("proxy");
}

const std::vector<std::string>& SglangAdminPaths() {
  static const std::vector<std::string> paths = {
      // cache and memory
      "/flush_cache",
      "/release_memory_occupation",
      "/resume_memory_occupation",
      // LoRA (vLLM's /v1/load_lora_adapter is a separate, gated route)
      "/load_lora_adapter",
      "/unload_lora_adapter",
      "/load_lora_adapter_from_tensors",
      // internal state; server_info dumps every server argument, API keys included
      "/set_internal_state",
      "/server_info",
      "/get_server_info",
      // external corpora and HiCache storage
      "/add_external_corpus",
      "/remove_external_corpus",
      "/list_external_corpora",
      "/clear_hicache_storage_backend",
      // profiling and GC
      "/start_profile",
      "/stop_profile",
      "/set_trace_level",
      "/freeze_gc",
      // expert distribution
      "/start_expert_distribution_record",
      "/stop_expert_distribution_record",
      "/dump_expert_distribution_record",
      // weight updates and groups
      "/update_weights_from_disk",
      "/update_weights_from_tensor",
      "/update_weights_from_distributed",
      "/update_weights_from_ipc",
      "/update_weight_version",
      "/init_weights_update_group",
      "/destroy_weights_update_group",
      "/init_weights_send_group_for_remote_instance",
      "/send_weights_to_remote_instance",
      "/get_remote_instance_transfer_engine_info",
      "/remote_instance_transfer_engine_info",
      // weight checks and testing
      "/get_weights_by_name",
      "/weights_checker",
      "/slow_down",
      // logging and generation control
      "/configure_logging",
      "/pause_generation",
      "/continue_generation",
      "/abort_request",
      // elastic EP
      "/scale_elastic_ep",
      "/is_scaling_elastic_ep",
  };
  return paths;
}

const std::vector<std::string>& SglangAdminPrefixes() {
  static const std::vector<std::string> prefixes = {"/hicache/", "/dumper/"};
  return prefixes;
}

bool IsSglangAdminPath(std::string_view normalized_path) {
  for (const std::string& path : SglangAdminPaths()) {
    if (normalized_path == path) return true;
  }
  for (const std::string& prefix : SglangAdminPrefixes()) {
    std::string_view bare = std::string_view(prefix).substr(0, prefix.size() - 1);
    if (normalized_path == bare || normalized_path.substr(0, prefix.size()) == prefix) return true;
  }
  return false;
}

void HideSglangAdminRoutes(RouteTable* routes) {
  auto hidden = [](const RequestHead&) { return RouteDecision::Answer("admin_hidden", FastApiNotFound()); };
  for (const std::string& path : SglangAdminPaths()) routes->AddExact(path, {}, hidden);
  for (const std::string& prefix : SglangAdminPrefixes()) {
    routes->AddPrefix(prefix, {}, hidden);
    routes->AddExact(prefix.substr(0, prefix.size() - 1), {}, hidden);
  }
}

}  // namespace shim
