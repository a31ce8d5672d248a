// fake-sglang: a stand-in for `python -m sglang.launch_server` that needs no GPU. It accepts
// exactly SGLang's flags and serves SGLang's HTTP surface; see `fake-sglang --help` for the
// FAKE_SGLANG_* test knobs.
#include "common/prelude.h"

#include <boost/asio.hpp>
#include <chrono>
#include <cstdio>
#include <thread>

#include "fake_sglang/bootstrap_server.h"
#include "fake_sglang/cli.h"
#include "translate/sglang_release.h"
#include "fake_sglang/engine_state.h"
#include "fake_sglang/faults.h"
#include "fake_sglang/pd_mode.h"
#include "fake_sglang/serve_config.h"
#include "fake_sglang/server.h"
#include "fake_sglang/startup_files.h"

extern char** environ;

namespace {

std::string KnobHelp() {
  std::string out =
      "\nfake-sglang test knobs (environment variables; not SGLang flags, so they never collide with them).\n"
      "Generated text is a fixed word sequence derived from a hash of the prompt; one token = one\n"
      "whitespace-separated word. A LoRA answer starts with the token [lora:<adapter>].\n\n";
  for (const auto& doc : shim::fake_sglang::KnobDocs()) {
    out += "  " + std::string(doc.name) + " (default " + (doc.default_text[0] ? doc.default_text : "unset") +
           ")\n      " + doc.description + "\n";
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace shim::fake_sglang;
  std::vector<std::string> args(argv + 1, argv + argc);
  if (const char* path = std::getenv("FAKE_SGLANG_ARGV_FILE"); path && *path) {
    std::string err;
    if (!WriteArgvFile(path, argv[0], args, environ, &err)) std::fprintf(stderr, "fake-sglang: %s\n", err.c_str());
  }
  if (const char* label = std::getenv("FAKE_SGLANG_RELEASE"); label && *label) {
    const shim::SglangRelease* emulated = nullptr;
    for (const shim::SglangRelease& release : shim::SglangReleases()) {
      if (release.label() == label) emulated = &release;
    }
    if (!emulated) {
      std::fprintf(stderr, "fake-sglang: FAKE_SGLANG_RELEASE: no recorded release '%s'\n", label);
      return 2;
    }
    EmulateSglangRelease(emulated);
  }
  ParsedArgs parsed;
  std::string message;
  switch (ParseSglangArgs(args, &parsed, &message)) {
    case CliOutcome::kHelp:
      std::fputs((message + KnobHelp()).c_str(), stdout);
      return 0;
    case CliOutcome::kError:
      std::fputs(message.c_str(), stderr);
      return 2;  // argparse's exit status
    case CliOutcome::kOk:
      break;
  }
  FakeKnobs knobs;
  std::string err;
  if (!LoadKnobs(shim::ProcessEnv(), &knobs, &err)) {
    std::fprintf(stderr, "fake-sglang: %s\n", err.c_str());
    return 2;
  }
  ServeConfig config;
  if (!BuildServeConfig(parsed, &config, &err)) {
    SglangLog("ValueError: " + err);
    return 1;
  }
  EngineState state(config, knobs);
  for (const LoraAdapter& adapter : config.lora_paths) {
    if (!state.loras().Load(adapter, &err)) {
      SglangLog("ValueError: " + err);
      return 1;
    }
  }
  SglangLog("server_args=ServerArgs(model_path='" + config.model_path + "', served_model_name='" +
            config.served_model_name + "', host='" + config.host + "', port=" + std::to_string(config.port) +
            ", tp_size=" + std::to_string(config.tp_size) + ", ...)");
  if (knobs.load_delay_s > 0) {
    SglangLog("Load weight begin.");
    std::this_thread::sleep_for(std::chrono::duration<double>(knobs.load_delay_s));
    SglangLog("Load weight end.");
  }
  boost::asio::io_context io(1);
  Server server(io, state);
  if (!server.Listen(&err)) {
    SglangLog("ERROR: " + err);
    return 1;
  }
  // disagg_service.py start_disagg_service: only a prefill server runs a bootstrap server.
  // Its bind failure is logged by its thread and the HTTP server keeps running.
  BootstrapServer bootstrap(io, state);
  if (ParsePdMode(config.disaggregation_mode) == PdMode::kPrefill) {
    if (bootstrap.Listen(&err)) {
      bootstrap.Start();
      SglangLog("Bootstrap server started on " + bootstrap.address());
    } else {
      SglangLog(err);
    }
  }
  server.Start();
  io.run();
  std::fflush(stdout);
  std::fflush(stderr);
  // Skip destructors of half-finished connection coroutines: the process is done.
  std::_Exit(server.exit_code());
}
