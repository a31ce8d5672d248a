// Everything the stand-in engine knows while it runs: its configuration and knobs, the
// lifecycle status (python/sglang/srt/managers/tokenizer_manager.py ServerStatus), the
// load it carries (for /metrics and /v1/loads), LoRA adapters and injected faults.
#pragma once
#include <chrono>
#include <cstdint>
#include <fstream>
#include <functional>
#include <string>

#include "fake_sglang/faults.h"
#include "fake_sglang/lora_registry.h"
#include "fake_sglang/metrics.h"
#include "fake_sglang/pd_rooms.h"
#include "fake_sglang/serve_config.h"

namespace shim::fake_sglang {

enum class ServerStatus { kStarting, kUp, kDraining };

// Writes SGLang-style log lines ("[YYYY-MM-DD HH:MM:SS] message") to stderr.
void SglangLog(const std::string& message);

class EngineState {
 public:
  EngineState(ServeConfig config, FakeKnobs knobs);

  const ServeConfig& config() const { return config_; }
  const FakeKnobs& knobs() const { return knobs_; }
  Metrics& metrics() { return metrics_; }
  LoraRegistry& loras() { return loras_; }
  FaultPlan& faults() { return faults_; }
  PdRooms& pd_rooms() { return pd_rooms_; }

  ServerStatus status() const { return status_; }
  void set_status(ServerStatus status) { status_ = status; }
  bool memory_released() const { return memory_released_; }
  void set_memory_released(bool released) { memory_released_ = released; }

  // /pause_generation and /continue_generation (tokenizer_manager.py is_pause): while
  // paused, new generation requests wait before admission and running ones at their
  // next token. AbortAll ends every running generation request with finish_reason
  // "abort" (/abort_request abort_all, /pause_generation mode abort): each request
  // compares the epoch it started in with the current one.
  bool paused() const { return paused_; }
  // mode: "abort", "retract" or "in_place" (PauseGenerationReqInput); "" resumes.
  void set_pause_mode(std::string mode) {
    paused_ = !mode.empty();
    pause_mode_ = std::move(mode);
  }
  // scheduler.py: retracted requests hold no KV cache, so the cache may be flushed
  // while they wait; in place (or unpaused) any request in flight refuses the flush.
  bool FlushAllowed() const { return in_flight() == 0 || (paused_ && pause_mode_ == "retract"); }
  void AbortAll() { ++abort_epoch_; }
  uint64_t abort_epoch() const { return abort_epoch_; }

  // Generation requests in flight. Admission beyond --max-running-requests waits in a queue.
  bool TryAdmit();  // true: running now; false: caller must wait and retry
  void Enqueue() { ++queued_; }
  void Dequeue() { --queued_; }
  void Release();
  void NotifyIfIdle() {
    if (in_flight() == 0 && on_idle_) on_idle_();
  }
  void AddUsedTokens(long long delta) { used_tokens_ += delta; }
  int running() const { return running_; }
  int queued() const { return queued_; }
  // PD requests waiting for their other leg: neither running nor queued in SGLang's
  // gauges (they sit in the PD queues, which have gauges of their own), but a drain
  // waits for them.
  void PdWaitBegin(PdQueue queue) { ++pd_queues_[static_cast<int>(queue)]; }
  void PdWaitEnd(PdQueue queue) {
    --pd_queues_[static_cast<int>(queue)];
    NotifyIfIdle();
  }
  int pd_waiting() const { return pd_queues_[0] + pd_queues_[1] + pd_queues_[2]; }
  int in_flight() const { return running_ + queued_ + pd_waiting(); }
  LoadSnapshot Snapshot();

  // Called whenever a generation request ends, so a drain can finish.
  void set_on_idle(std::function<void()> callback) { on_idle_ = std::move(callback); }

  // FAKE_SGLANG_RECORD: one JSON line per received request.
  void Record(const std::string& line);

  double Now() const;  // seconds since start (monotonic)

 private:
  ServeConfig config_;
  FakeKnobs knobs_;
  Metrics metrics_;
  LoraRegistry loras_;
  FaultPlan faults_;
  PdRooms pd_rooms_;
  ServerStatus status_ = ServerStatus::kStarting;
  bool memory_released_ = false;
  bool paused_ = false;
  std::string pause_mode_;
  uint64_t abort_epoch_ = 0;
  int running_ = 0;
  int queued_ = 0;
  int pd_queues_[3] = {0, 0, 0};
  long long used_tokens_ = 0;
  std::function<void()> on_idle_;
  std::ofstream record_;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
};

}  // namespace shim::fake_sglang
