// The environment SGLang is started with.
#pragma once
#include <string>
#include <vector>

namespace shim {

// Marker file that identifies the shadow `vllm` package (python/vllm/_shim.py).
inline constexpr const char* kShadowPackageMarker = "vllm/_shim.py";

// Removes every PYTHONPATH entry that holds the shadow vllm package, so that an
// SGLang image that imports the real vllm finds it. Empty entries are dropped too
// (an empty entry means the current directory).
std::string PythonPathWithoutShadowPackage(const std::string& python_path);

// Builds SGLang's environment from the shim's: PYTHONPATH cleaned as above,
// PROMETHEUS_MULTIPROC_DIR set to `metrics_dir` (the chart points vLLM at /tmp,
// which SGLang must not share). `environ_entries` are "NAME=value" strings.
std::vector<std::string> BuildEngineEnvironment(const std::vector<std::string>& environ_entries,
                                                const std::string& metrics_dir);

// The current process environment as "NAME=value" strings.
std::vector<std::string> CurrentEnvironment();

// Creates a private directory for SGLang's Prometheus multiprocess files.
bool MakePrivateMetricsDir(std::string* path, std::string* err);
// Removes it and its files (best effort, at exit).
void RemoveMetricsDir(const std::string& path);

}  // namespace shim
