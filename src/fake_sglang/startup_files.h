// FAKE_SGLANG_ARGV_FILE: what the stand-in was started with, so shim tests can assert the exact
// SGLang command line and environment the shim produced.
#pragma once
#include <string>
#include <vector>

#include "config/settings.h"

namespace shim::fake_sglang {

// Writes {"program": argv0, "argv": [args...], "env": {...}} where env holds PYTHONPATH,
// PROMETHEUS_MULTIPROC_DIR, CUDA_VISIBLE_DEVICES and every SGLANG_*/SGL_* variable (null when unset).
bool WriteArgvFile(const std::string& path, const std::string& program, const std::vector<std::string>& args,
                   char** environ_list, std::string* err);

}  // namespace shim::fake_sglang
