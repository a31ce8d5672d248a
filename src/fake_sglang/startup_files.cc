#include "fake_sglang/startup_files.h"

#include <fstream>
#include <nlohmann/json.hpp>

#include "common/strings.h"

namespace shim::fake_sglang {

bool WriteArgvFile(const std::string& path, const std::string& program, const std::vector<std::string>& args,
                   char** environ_list, std::string* err) {
  nlohmann::json env = nlohmann::json::object();
  for (const char* name : {"PYTHONPATH", "PROMETHEUS_MULTIPROC_DIR", "CUDA_VISIBLE_DEVICES"}) env[name] = nullptr;
  for (char** entry = environ_list; entry && *entry; ++entry) {
    std::string_view item = *entry;
    size_t eq = item.find('=');
    if (eq == std::string_view::npos) continue;
    std::string name(item.substr(0, eq));
    if (env.contains(name) || StartsWith(name, "SGLANG_") || StartsWith(name, "SGL_")) {
      env[name] = std::string(item.substr(eq + 1));
    }
  }
  nlohmann::json doc{{"program", program}, {"argv", args}, {"env", env}};
  std::ofstream out(path, std::ios::trunc);
  if (!out) {
    *err = "cannot write " + path;
    return false;
  }
  out << doc.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
  return static_cast<bool>(out);
}

}  // namespace shim::fake_sglang
