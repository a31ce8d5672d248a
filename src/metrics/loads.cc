#include "metrics/loads.h"

#include <cmath>
#include <cstdint>

#include <nlohmann/json.hpp>

namespace shim::metrics {
namespace {

using nlohmann::json;

// A finite, non-negative number under `key`; nullopt when absent or not one.
std::optional<double> NumberField(const json& object, const char* key) {
  auto it = object.find(key);
  if (it == object.end() || !it->is_number()) return std::nullopt;
  double value = it->get<double>();
  if (!std::isfinite(value) || value < 0) return std::nullopt;
  return value;
}

}  // namespace

double Loads::TotalRunning() const {
  double total = 0;
  for (const RankLoad& rank : ranks) total += rank.num_running_reqs;
  return total;
}

double Loads::TotalWaiting() const {
  double total = 0;
  for (const RankLoad& rank : ranks) total += rank.num_waiting_reqs;
  return total;
}

std::optional<double> Loads::TokenUsage() const {
  double weighted = 0, weight = 0, plain = 0;
  size_t reporting = 0;
  bool every_rank_weighted = true;
  for (const RankLoad& rank : ranks) {
    if (!rank.token_usage) continue;
    ++reporting;
    plain += *rank.token_usage;
    if (rank.max_total_num_tokens && *rank.max_total_num_tokens > 0) {
      weighted += *rank.token_usage * *rank.max_total_num_tokens;
      weight += *rank.max_total_num_tokens;
    } else {
      every_rank_weighted = false;
    }
  }
  if (reporting == 0) return std::nullopt;
  if (every_rank_weighted && weight > 0) return weighted / weight;
  return plain / static_cast<double>(reporting);
}

bool ParseLoadsJson(std::string_view body, Loads* out, std::string* err) {
  json document = json::parse(body.begin(), body.end(), nullptr, /*allow_exceptions=*/false);
  if (document.is_discarded()) {
    *err = "/v1/loads body is not valid JSON";
    return false;
  }
  if (!document.is_object()) {
    *err = "/v1/loads body is not a JSON object";
    return false;
  }
  auto loads = document.find("loads");
  if (loads == document.end() || !loads->is_array() || loads->empty()) {
    *err = "/v1/loads body has no non-empty \"loads\" array";
    return false;
  }
  Loads parsed;
  for (const json& entry : *loads) {
    if (!entry.is_object()) {
      *err = "/v1/loads entry is not an object";
      return false;
    }
    RankLoad rank;
    auto dp_rank = entry.find("dp_rank");
    if (dp_rank != entry.end() && dp_rank->is_number_integer()) {
      int64_t value = dp_rank->get<int64_t>();
      if (value >= 0 && value <= 1 << 20) rank.dp_rank = static_cast<int>(value);
    }
    std::optional<double> running = NumberField(entry, "num_running_reqs");
    std::optional<double> waiting = NumberField(entry, "num_waiting_reqs");
    if (!running || !waiting) {
      *err = "/v1/loads entry for dp_rank " + std::to_string(rank.dp_rank) +
             " lacks a valid num_running_reqs or num_waiting_reqs";
      return false;
    }
    rank.num_running_reqs = *running;
    rank.num_waiting_reqs = *waiting;
    rank.token_usage = NumberField(entry, "token_usage");
    rank.max_total_num_tokens = NumberField(entry, "max_total_num_tokens");
    parsed.ranks.push_back(rank);
  }
  *out = std::move(parsed);
  return true;
}

}  // namespace shim::metrics
