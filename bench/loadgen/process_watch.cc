#include "loadgen/process_watch.h"

#include "loadgen/process_stats.h"

namespace shim::loadgen {

void ProcessWatch::StartWindow() {
  start_cpu_.clear();
  for (const auto& p : processes_) start_cpu_.push_back(ReadCpuSeconds(p.pid).value_or(-1));
}

nlohmann::json ProcessWatch::FinishWindow(double window_seconds) {
  nlohmann::json out = nlohmann::json::object();
  for (size_t i = 0; i < processes_.size(); ++i) {
    const auto& p = processes_[i];
    nlohmann::json entry = {{"pid", p.pid}, {"cpu_percent", nullptr}, {"rss_kib", nullptr}};
    auto cpu = ReadCpuSeconds(p.pid);
    double start = i < start_cpu_.size() ? start_cpu_[i] : -1;
    if (cpu && start >= 0 && window_seconds > 0) entry["cpu_percent"] = 100.0 * (*cpu - start) / window_seconds;
    if (auto rss = ReadRssKiB(p.pid)) entry["rss_kib"] = *rss;
    out[p.name] = entry;
  }
  return out;
}

}  // namespace shim::loadgen
