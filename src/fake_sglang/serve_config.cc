#include "fake_sglang/serve_config.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>

#include "common/strings.h"

namespace shim::fake_sglang {

std::optional<long long> ParseHumanReadableInt(const std::string& text) {
  std::string_view t = TrimSpaces(text);
  size_t digits = 0;
  while (digits < t.size() && (std::isdigit(static_cast<unsigned char>(t[digits])) || t[digits] == '.')) ++digits;
  auto number = ParseDouble(t.substr(0, digits));
  if (!number) return std::nullopt;
  std::string suffix = ToLower(TrimSpaces(t.substr(digits)));
  double scale = 1;
  if (suffix.empty())
    scale = 1;
  else if (suffix == "k")
    scale = 1e3;
  else if (suffix == "m")
    scale = 1e6;
  else if (suffix == "g")
    scale = 1e9;
  else if (suffix == "t")
    scale = 1e12;
  else if (suffix == "ki")
    scale = 1024.0;
  else if (suffix == "mi")
    scale = 1024.0 * 1024;
  else if (suffix == "gi")
    scale = 1024.0 * 1024 * 1024;
  else if (suffix == "ti")
    scale = 1024.0 * 1024 * 1024 * 1024;
  else
    return std::nullopt;
  return static_cast<long long>(std::llround(*number * scale));
}

namespace {

// One --bucket-* flag: the floats argparse already checked. With --enable-metrics SGLang builds
// its TokenizerMetricsCollector, and prometheus_client's Histogram refuses the bounds there
// (Histogram._prepare_buckets): unsorted, or nothing but +Inf.
bool ReadBuckets(const ParsedArgs& args, const char* dest, bool enable_metrics, std::vector<double>* out,
                 std::string* err) {
  std::vector<double> bounds;
  for (const std::string& value : args.List(dest)) {
    std::optional<double> bound = ParseDouble(TrimSpaces(value));
    if (!bound) {
      *err = "could not convert string to float: " + PythonRepr(value);
      return false;
    }
    bounds.push_back(*bound);
  }
  if (enable_metrics && !bounds.empty()) {
    if (!std::is_sorted(bounds.begin(), bounds.end())) {
      *err = "Buckets not in sorted order";
      return false;
    }
    if (bounds.size() == 1 && bounds[0] == std::numeric_limits<double>::infinity()) {
      *err = "Must have at least two buckets";
      return false;
    }
  }
  *out = std::move(bounds);
  return true;
}

}  // namespace

bool BuildServeConfig(const ParsedArgs& args, ServeConfig* out, std::string* err) {
  ServeConfig c;
  c.model_path = args.Get("model_path").value_or("");
  c.served_model_name = args.Get("served_model_name").value_or(c.model_path);
  c.tokenizer_path = args.Get("tokenizer_path").value_or(c.model_path);
  c.host = args.Get("host").value_or(c.host);
  if (auto port = args.Int("port")) {
    if (*port < 0 || *port > 65535) {
      *err = "port " + std::to_string(*port) + " is out of range";
      return false;
    }
    c.port = static_cast<int>(*port);
  }
  c.api_key = args.Get("api_key").value_or("");
  c.admin_api_key = args.Get("admin_api_key").value_or("");
  c.tool_call_parser = args.Get("tool_call_parser").value_or("");
  c.reasoning_parser = args.Get("reasoning_parser").value_or("");
  c.enable_metrics = args.Flag("enable_metrics");
  if (!ReadBuckets(args, "bucket_time_to_first_token", c.enable_metrics, &c.buckets.time_to_first_token, err) ||
      !ReadBuckets(args, "bucket_inter_token_latency", c.enable_metrics, &c.buckets.inter_token_latency, err) ||
      !ReadBuckets(args, "bucket_e2e_request_latency", c.enable_metrics, &c.buckets.e2e_request_latency, err)) {
    return false;
  }
  c.enable_memory_saver = args.Flag("enable_memory_saver");
  c.skip_server_warmup = args.Flag("skip_server_warmup");
  c.disable_radix_cache = args.Flag("disable_radix_cache");
  c.is_embedding = args.Flag("is_embedding");
  c.tp_size = static_cast<int>(args.Int("tp_size").value_or(1));
  c.dp_size = static_cast<int>(args.Int("dp_size").value_or(1));
  if (c.tp_size < 1 || c.dp_size < 1) {
    *err = "tp_size and dp_size must be positive";
    return false;
  }
  c.max_running_requests = static_cast<int>(std::max(0LL, args.Int("max_running_requests").value_or(0)));
  c.max_loaded_loras = static_cast<int>(std::max(0LL, args.Int("max_loaded_loras").value_or(0)));
  if (auto v = args.Get("max_total_tokens")) {
    auto parsed = ParseHumanReadableInt(*v);
    if (!parsed || *parsed <= 0) {
      *err = "invalid --max-total-tokens " + *v;
      return false;
    }
    c.max_total_tokens = *parsed;
  }
  if (auto v = args.Get("context_length")) {
    auto parsed = ParseHumanReadableInt(*v);
    if (!parsed || *parsed <= 0) {
      *err = "invalid --context-length " + *v;
      return false;
    }
    c.context_length = *parsed;
  }
  c.disaggregation_mode = args.Get("disaggregation_mode").value_or(c.disaggregation_mode);
  c.transfer_backend = args.Get("disaggregation_transfer_backend").value_or(c.transfer_backend);
  if (auto port = args.Int("disaggregation_bootstrap_port")) {
    if (*port < 0 || *port > 65535) {
      *err = "disaggregation_bootstrap_port " + std::to_string(*port) + " is out of range";
      return false;
    }
    c.bootstrap_port = static_cast<int>(*port);
  }
  // server_args.py: --lora-paths turns LoRA on even without --enable-lora.
  c.enable_lora = args.Flag("enable_lora") || args.Has("lora_paths");
  for (const std::string& spec : args.List("lora_paths")) {
    LoraAdapter adapter;
    if (!LoraRegistry::ParseSpec(spec, &adapter, err)) return false;
    c.lora_paths.push_back(adapter);
  }
  c.server_args = nlohmann::json::object();
  for (const auto& [dest, values] : args.all()) {
    c.server_args[dest] = values.size() == 1 ? nlohmann::json(values[0]) : nlohmann::json(values);
  }
  // ServerArgs fields every client reads, with SGLang's defaults applied.
  c.server_args["model_path"] = c.model_path;
  c.server_args["served_model_name"] = c.served_model_name;
  c.server_args["tokenizer_path"] = c.tokenizer_path;
  c.server_args["host"] = c.host;
  c.server_args["port"] = c.port;
  c.server_args["tp_size"] = c.tp_size;
  c.server_args["dp_size"] = c.dp_size;
  c.server_args["context_length"] = c.context_length;
  c.server_args["enable_lora"] = c.enable_lora;
  c.server_args["enable_metrics"] = c.enable_metrics;
  c.server_args["is_embedding"] = c.is_embedding;
  c.server_args["disaggregation_mode"] = c.disaggregation_mode;
  c.server_args["disaggregation_transfer_backend"] = c.transfer_backend;
  c.server_args["disaggregation_bootstrap_port"] = c.bootstrap_port;
  // ServerArgs holds the bounds as floats (argparse type=float).
  const std::pair<const char*, const std::vector<double>*> bucket_args[] = {
      {"bucket_time_to_first_token", &c.buckets.time_to_first_token},
      {"bucket_inter_token_latency", &c.buckets.inter_token_latency},
      {"bucket_e2e_request_latency", &c.buckets.e2e_request_latency},
  };
  for (const auto& [dest, bounds] : bucket_args) {
    if (!bounds->empty()) c.server_args[dest] = *bounds;
  }
  // Real SGLang's /server_info is dataclasses.asdict(server_args), keys and all
  // (http_server.py @8905cbd4, get_server_info): so is the stand-in's, so that
  // tests see what the front door has to remove.
  *out = c;
  return true;
}

}  // namespace shim::fake_sglang
