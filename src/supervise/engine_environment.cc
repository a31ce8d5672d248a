#include "supervise/engine_environment.h"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/strings.h"

extern char** environ;

namespace shim {
namespace {

bool FileExists(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

}  // namespace

std::string PythonPathWithoutShadowPackage(const std::string& python_path) {
  std::vector<std::string> kept;
  for (const std::string& entry : SplitString(python_path, ':')) {
    if (entry.empty()) continue;
    if (FileExists(entry + "/" + kShadowPackageMarker)) continue;
    kept.push_back(entry);
  }
  return JoinStrings(kept, ":");
}

std::vector<std::string> BuildEngineEnvironment(const std::vector<std::string>& environ_entries,
                                                const std::string& metrics_dir) {
  std::vector<std::string> out;
  for (const std::string& entry : environ_entries) {
    if (StartsWith(entry, "PROMETHEUS_MULTIPROC_DIR=")) continue;
    if (StartsWith(entry, "PYTHONPATH=")) {
      std::string cleaned = PythonPathWithoutShadowPackage(entry.substr(strlen("PYTHONPATH=")));
      if (!cleaned.empty()) out.push_back("PYTHONPATH=" + cleaned);
      continue;
    }
    out.push_back(entry);
  }
  if (!metrics_dir.empty()) out.push_back("PROMETHEUS_MULTIPROC_DIR=" + metrics_dir);
  return out;
}

std::vector<std::string> CurrentEnvironment() {
  std::vector<std::string> out;
  for (char** e = environ; e && *e; ++e) out.emplace_back(*e);
  return out;
}

bool MakePrivateMetricsDir(std::string* path, std::string* err) {
  const char* tmp = std::getenv("TMPDIR");
  std::string pattern = std::string(tmp && *tmp ? tmp : "/tmp") + "/vllm-sglang-shim-metrics-XXXXXX";
  std::vector<char> buffer(pattern.begin(), pattern.end());
  buffer.push_back('\0');
  if (!::mkdtemp(buffer.data())) {
    *err = "cannot create a metrics directory under " + pattern + ": " + std::strerror(errno);
    return false;
  }
  *path = buffer.data();
  return true;
}

void RemoveMetricsDir(const std::string& path) {
  if (path.empty()) return;
  if (DIR* dir = ::opendir(path.c_str())) {
    while (struct dirent* entry = ::readdir(dir)) {
      std::string name = entry->d_name;
      if (name == "." || name == "..") continue;
      ::unlink((path + "/" + name).c_str());
    }
    ::closedir(dir);
  }
  ::rmdir(path.c_str());
}

}  // namespace shim
