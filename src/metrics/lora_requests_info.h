// vllm:lora_requests_info, which LoRA-aware routers read (the Gateway API
// Inference Extension's model-server protocol: running_lora_adapters,
// waiting_lora_adapters, max_lora). vLLM sets the gauge of the current
// combination of adapters to the time of day on every engine step and keeps
// the children of earlier combinations with the time they were last set, so
// a reader takes the series with the largest value. The front door keeps the
// same from the generation requests it relays: a request naming an adapter
// runs from the moment it arrives until its exchange ends. SGLang does not
// say which of them wait, so waiting_lora_adapters stays empty.
#pragma once
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace shim::metrics {

class LoraRequestsInfo {
 public:
  // `base_names`: the served model names (requests for them use no adapter).
  // `wall_clock`: seconds since the epoch (injected for tests).
  LoraRequestsInfo(int max_loras, std::vector<std::string> base_names, std::function<double()> wall_clock);

  // A request for `model` started or ended; names of the base model are ignored.
  void Started(std::string_view model);
  void Finished(std::string_view model);

  void Render(std::string* out) const;

  // Combinations remembered besides the current one (oldest dropped first).
  static constexpr size_t kMaxRemembered = 64;

 private:
  std::string Current() const;  // running adapters, comma-joined in name order
  void Remember(const std::string& combination, double when);

  int max_loras_;
  std::vector<std::string> base_names_;
  std::function<double()> wall_clock_;
  std::map<std::string, int, std::less<>> running_;  // adapter → requests in flight
  std::map<std::string, double> earlier_;            // combination → when it stopped being current
};

}  // namespace shim::metrics
