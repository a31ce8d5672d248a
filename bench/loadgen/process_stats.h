// What the benchmark reads about the processes under test, from /proc: resident
// memory and CPU time (user + system, all threads).
#pragma once
#include <optional>
#include <string>
#include <sys/types.h>

namespace shim::loadgen {

// VmRSS from /proc/<pid>/status in KiB; nullopt if the process is gone.
std::optional<long long> ReadRssKiB(pid_t pid);

// utime + stime from /proc/<pid>/stat in seconds; nullopt if the process is gone.
std::optional<double> ReadCpuSeconds(pid_t pid);

// Parses the text of /proc/<pid>/stat (exposed for tests: the command name may
// hold spaces and parentheses, so fields are counted after the last ')').
std::optional<double> CpuSecondsFromStat(const std::string& stat_text, long ticks_per_second);

// Parses the VmRSS line out of /proc/<pid>/status text.
std::optional<long long> RssKiBFromStatus(const std::string& status_text);

}  // namespace shim::loadgen
