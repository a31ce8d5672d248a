#include "loadgen/process_stats.h"

#include <unistd.h>

#include <fstream>
#include <sstream>

#include "common/strings.h"

namespace shim::loadgen {

namespace {

std::optional<std::string> ReadWholeFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) return std::nullopt;
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

std::optional<long long> RssKiBFromStatus(const std::string& status_text) {
  std::istringstream lines(status_text);
  std::string line;
  while (std::getline(lines, line)) {
    if (!StartsWith(line, "VmRSS:")) continue;
    std::string_view value = TrimSpaces(std::string_view(line).substr(6));
    if (EndsWith(value, "kB")) value = TrimSpaces(value.substr(0, value.size() - 2));
    auto kib = ParseInt(value);
    if (!kib) return std::nullopt;
    return *kib;
  }
  return std::nullopt;
}

std::optional<double> CpuSecondsFromStat(const std::string& stat_text, long ticks_per_second) {
  size_t close = stat_text.rfind(')');
  if (close == std::string::npos || ticks_per_second <= 0) return std::nullopt;
  std::istringstream fields(stat_text.substr(close + 1));
  // After the command: state(3) ppid(4) ... utime(14) stime(15).
  std::string field;
  long long utime = -1, stime = -1;
  for (int number = 3; number <= 15 && (fields >> field); ++number) {
    if (number == 14 || number == 15) {
      auto v = ParseInt(field);
      if (!v) return std::nullopt;
      (number == 14 ? utime : stime) = *v;
    }
  }
  if (utime < 0 || stime < 0) return std::nullopt;
  return static_cast<double>(utime + stime) / static_cast<double>(ticks_per_second);
}

std::optional<long long> ReadRssKiB(pid_t pid) {
  auto text = ReadWholeFile("/proc/" + std::to_string(pid) + "/status");
  if (!text) return std::nullopt;
  return RssKiBFromStatus(*text);
}

std::optional<double> ReadCpuSeconds(pid_t pid) {
  auto text = ReadWholeFile("/proc/" + std::to_string(pid) + "/stat");
  if (!text) return std::nullopt;
  return CpuSecondsFromStat(*text, sysconf(_SC_CLK_TCK));
}

}  // namespace shim::loadgen
