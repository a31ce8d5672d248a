#include "metrics/lora_requests_info.h"

#include <algorithm>

#include "metrics/prometheus_text.h"

namespace shim::metrics {

LoraRequestsInfo::LoraRequestsInfo(int max_loras, std::vector<std::string> base_names,
                                   std::function<double()> wall_clock)
    : max_loras_(max_loras), base_names_(std::move(base_names)), wall_clock_(std::move(wall_clock)) {}

std::string LoraRequestsInfo::Current() const {
  std::string joined;
  for (const auto& [name, count] : running_) {
    if (!joined.empty()) joined += ",";
    joined += name;
  }
  return joined;
}

void LoraRequestsInfo::Remember(const std::string& combination, double when) {
  earlier_[combination] = when;
  if (earlier_.size() <= kMaxRemembered) return;
  auto oldest = std::min_element(earlier_.begin(), earlier_.end(),
                                 [](const auto& a, const auto& b) { return a.second < b.second; });
  earlier_.erase(oldest);
}

void LoraRequestsInfo::Started(std::string_view model) {
  if (model.empty() || std::find(base_names_.begin(), base_names_.end(), model) != base_names_.end()) return;
  auto it = running_.find(model);
  if (it != running_.end()) {
    ++it->second;
    return;
  }
  Remember(Current(), wall_clock_());
  running_.emplace(std::string(model), 1);
}

void LoraRequestsInfo::Finished(std::string_view model) {
  auto it = running_.find(model);
  if (it == running_.end()) return;
  if (--it->second > 0) return;
  Remember(Current(), wall_clock_());
  running_.erase(it);
}

void LoraRequestsInfo::Render(std::string* out) const {
  out->append("# HELP vllm:lora_requests_info Running stats on lora requests.\n");
  out->append("# TYPE vllm:lora_requests_info gauge\n");
  const std::string max_lora = std::to_string(max_loras_);
  auto line = [&](const std::string& running, double when) {
    out->append("vllm:lora_requests_info{max_lora=\"").append(max_lora);
    out->append("\",waiting_lora_adapters=\"\",running_lora_adapters=\"").append(EscapeLabelValue(running));
    out->append("\"} ").append(FormatPrometheusValue(when)).append("\n");
  };
  const std::string current = Current();
  for (const auto& [combination, when] : earlier_) {
    if (combination != current) line(combination, when);
  }
  line(current, wall_clock_());
}

}  // namespace shim::metrics
