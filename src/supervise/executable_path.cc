#include "supervise/executable_path.h"

#include <unistd.h>

#include <cerrno>
#include <cstdlib>

namespace shim {

std::string ResolveExecutable(const std::string& name, int* error) {
  if (name.find('/') != std::string::npos) return name;
  const char* path = std::getenv("PATH");
  std::string dirs = path ? path : "/usr/local/bin:/usr/bin:/bin";
  *error = ENOENT;
  size_t start = 0;
  while (start <= dirs.size()) {
    size_t colon = dirs.find(':', start);
    if (colon == std::string::npos) colon = dirs.size();
    std::string dir = dirs.substr(start, colon - start);
    std::string candidate = (dir.empty() ? std::string(".") : dir) + "/" + name;
    if (::access(candidate.c_str(), X_OK) == 0) return candidate;
    if (errno == EACCES) *error = EACCES;
    start = colon + 1;
  }
  return {};
}

}  // namespace shim
