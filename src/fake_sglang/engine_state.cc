#include "fake_sglang/engine_state.h"

#include <cstdio>
#include <ctime>

namespace shim::fake_sglang {

void SglangLog(const std::string& message) {
  std::time_t now = std::time(nullptr);
  std::tm local{};
  localtime_r(&now, &local);
  char stamp[32];
  std::strftime(stamp, sizeof(stamp), "%Y-%m-%d %H:%M:%S", &local);
  std::fprintf(stderr, "[%s] %s\n", stamp, message.c_str());
  std::fflush(stderr);
}

EngineState::EngineState(ServeConfig config, FakeKnobs knobs)
    : config_(std::move(config)), knobs_(std::move(knobs)), metrics_(config_.buckets), faults_(knobs_) {
  loras_.set_max_loaded(config_.max_loaded_loras);
  if (!knobs_.record_file.empty()) record_.open(knobs_.record_file, std::ios::app);
}

bool EngineState::TryAdmit() {
  if (config_.max_running_requests > 0 && running_ >= config_.max_running_requests) return false;
  ++running_;
  return true;
}

void EngineState::Release() {
  --running_;
  if (in_flight() == 0 && on_idle_) on_idle_();
}

LoadSnapshot EngineState::Snapshot() {
  LoadSnapshot s;
  s.running = running_;
  s.queued = queued_;
  s.pd = config_.disaggregation_mode == "prefill" || config_.disaggregation_mode == "decode";
  for (int i = 0; i < 3; ++i) s.pd_queues[i] = pd_queues_[i];
  s.used_tokens = used_tokens_;
  s.max_total_tokens = config_.max_total_tokens;
  s.max_running_requests = config_.max_running_requests;
  s.gen_throughput = metrics_.GenThroughput(Now());
  s.cache_hit_rate = metrics_.CacheHitRate();
  return s;
}

void EngineState::Record(const std::string& line) {
  if (!record_.is_open()) return;
  record_ << line << '\n';
  record_.flush();
}

double EngineState::Now() const {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
}

}  // namespace shim::fake_sglang
