// `vllm serve`: translate, start SGLang, run the front door, and turn signals
// and SGLang's exit into the process exit code Kubernetes expects.
#include "common/prelude.h"

#include <algorithm>
#include <cmath>
#include <csignal>
#include <iostream>
#include <optional>

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>

#include "app/commands.h"
#include "app/front_door_routes.h"
#include "common/log.h"
#include "common/redact.h"
#include "common/strings.h"
#include "config/settings.h"
#include "frontdoor/front_door.h"
#include "pd/bootstrap_relay.h"
#include "pd/pod_address.h"
#include "supervise/engine_environment.h"
#include "supervise/engine_process.h"
#include "supervise/sglang_version_probe.h"
#include "version.h"

namespace shim {
namespace {

namespace asio = boost::asio;

void LogTranslation(const Translation& t) {
  for (const FlagOutcome& f : t.flags) {
    // Lossy drops also appear in t.warnings; a drop by itself is often by design
    // (--host and --port belong to the front door).
    if (f.action == FlagOutcome::Action::kDropped) {
      LogInfo("dropped ", f.flag, ": ", f.reason);
    } else {
      LogInfo(ActionName(f.action), " ", f.flag, " -> ", JoinStrings(RedactArgv(f.sglang), " "),
              f.reason.empty() ? "" : " (" + f.reason + ")");
    }
  }
  // Values left out: the bucket lists are long, and the full command line is logged too.
  for (const AddedFlag& a : t.added) LogInfo("added ", a.flag, " (", a.reason, ")");
  for (const std::string& w : t.warnings) LogWarning(w);
}

// Owns the run: the engine, the front door, the signals and the exit code.
class ServeRun {
 public:
  ServeRun(const Settings& settings, Translation translation)
      : settings_(settings),
        translation_(std::move(translation)),
        signals_(io_, SIGTERM, SIGINT, SIGCHLD),
        kill_timer_(io_) {
    // A closed terminal (SIGHUP) would kill the shim and leave SGLang, in a
    // session of its own, holding the GPU: stop it first. Under nohup the
    // signal stays ignored.
    struct sigaction current {};
    if (::sigaction(SIGHUP, nullptr, &current) == 0 && current.sa_handler != SIG_IGN) signals_.add(SIGHUP);
  }

  int Run() {
    FrontDoorConfig config;
    config.listen = translation_.frontend.listen;
    config.backend = translation_.frontend.backend;
    config.settings = settings_;
    config.frontend = translation_.frontend;
    front_door_.emplace(io_, config);

    std::string err;
    routes_ = InstallFrontDoorRoutes(io_, *front_door_, settings_, translation_);
    // SGLang binds its port minutes after start; checking now turns a clash into
    // one clear line instead of a crash-looping pod.
    if (!CheckPortFree(config.backend, &err)) {
      LogError(err, " (choose another SGLang port with VLLM_SGLANG_BACKEND_PORT)");
      return 1;
    }
    if (!front_door_->Bind(&err)) {
      LogError(err);
      return 1;
    }
    if (translation_.frontend.pd_mode == pd::PdMode::kPrefill && !ListenForDecodePods(&err)) {
      LogError(err);
      return 1;
    }
    if (!MakePrivateMetricsDir(&metrics_dir_, &err)) {
      LogError(err);
      return 1;
    }

    std::vector<std::string> argv = settings_.launcher;
    argv.insert(argv.end(), translation_.sglang_argv.begin(), translation_.sglang_argv.end());
    LogInfo("starting SGLang: ", ShellJoin(RedactArgv(argv)));
    // The signal set is armed before the child exists, so its SIGCHLD cannot be missed.
    WaitForSignal();
    std::vector<std::string> environment = BuildEngineEnvironment(CurrentEnvironment(), metrics_dir_);
    // Secrets the translation moved out of argv (e.g. --hf-token → HF_TOKEN).
    for (const auto& [name, value] : translation_.sglang_env) {
      std::erase_if(environment, [prefix = name + "="](const std::string& e) { return StartsWith(e, prefix); });
      environment.push_back(name + "=" + value);
    }
    AddPdTimeouts(&environment);
    if (!engine_.Start(argv, environment, &err)) {
      LogError(err);
      RemoveMetricsDir(metrics_dir_);
      return 127;
    }
    LogInfo("SGLang pid ", engine_.pid(), "; vLLM API on ", Describe(config.listen), ", SGLang on ",
            Describe(config.backend));
    front_door_->Start();
    routes_->Start();
    if (bootstrap_relay_) bootstrap_relay_->Start();
    io_.run();
    RemoveMetricsDir(metrics_dir_);
    return exit_code_;
  }

 private:
  static std::string Describe(const Endpoint& e) {
    std::string host = e.host.empty() ? "0.0.0.0" : e.host;
    if (host.find(':') != std::string::npos) host = "[" + host + "]";
    return "http://" + host + ":" + std::to_string(e.port);
  }

  // SGLang waits 300 s by default for the other half of a PD pair (a prefill for its decode,
  // a decode for its KV). Unless set otherwise, both wait no longer than a prefill shim holds
  // its leg (VLLM_SGLANG_PD_PREFILL_TIMEOUT), so no leg of a failed pair outlives it by much.
  void AddPdTimeouts(std::vector<std::string>* environment) const {
    if (translation_.frontend.pd_mode == pd::PdMode::kNone) return;
    const long long seconds = std::max<long long>(1, std::llround(std::ceil(InSeconds(settings_.pd_prefill_timeout))));
    for (const char* name : {"SGLANG_DISAGGREGATION_BOOTSTRAP_TIMEOUT", "SGLANG_DISAGGREGATION_WAITING_TIMEOUT"}) {
      const std::string prefix = std::string(name) + "=";
      if (std::none_of(environment->begin(), environment->end(),
                       [&prefix](const std::string& e) { return StartsWith(e, prefix); })) {
        environment->push_back(prefix + std::to_string(seconds));
      }
    }
  }

  // A prefill engine's bootstrap listener, which SGLang binds to its loopback --host, on the
  // pod's address with the same port (pd/bootstrap_relay.h).
  bool ListenForDecodePods(std::string* err) {
    const int port = translation_.frontend.pd_bootstrap_port;
    const std::string pod = pd::PodAddress(settings_.pd_advertise_host);
    if (pod.empty()) {
      *err =
          "PD prefill: no address for decode pods to reach this pod on; set POD_IP (the Kubernetes downward "
          "API) or VLLM_SGLANG_PD_HOST";
      return false;
    }
    boost::system::error_code ec;
    boost::asio::ip::address listen = boost::asio::ip::make_address(pod, ec);
    if (ec) {
      boost::asio::ip::tcp::resolver resolver(io_);
      auto results = resolver.resolve(pod, std::to_string(port), ec);
      if (ec || results.empty()) {
        *err = "PD prefill: cannot resolve the pod address " + pod + ": " + ec.message();
        return false;
      }
      listen = results.begin()->endpoint().address();
    }
    boost::asio::ip::address engine = boost::asio::ip::make_address(
        translation_.frontend.backend.host.empty() ? "127.0.0.1" : translation_.frontend.backend.host, ec);
    if (ec || listen == engine) return true;  // SGLang already listens there
    bootstrap_relay_.emplace(io_, boost::asio::ip::tcp::endpoint(listen, static_cast<unsigned short>(port)),
                             boost::asio::ip::tcp::endpoint(engine, static_cast<unsigned short>(port)));
    if (!bootstrap_relay_->Listen(err)) return false;
    LogInfo("PD prefill: decode pods reach SGLang's bootstrap listener on ", pod, ":", port);
    return true;
  }

  void WaitForSignal() {
    signals_.async_wait([this](const boost::system::error_code& ec, int signal_number) {
      if (ec) return;
      OnSignal(signal_number);
      if (!finished_) WaitForSignal();
    });
  }

  void OnSignal(int signal_number) {
    if (signal_number == SIGCHLD) {
      int code = 0;
      if (engine_.Reap(&code)) OnEngineExit(code);
      return;
    }
    if (signal_number == SIGTERM) {
      if (stopping_) {
        LogInfo("SIGTERM again: already draining");
        return;
      }
      stopping_ = true;
      LogInfo("SIGTERM received: draining (health now 503)");
      routes_->Stop();
      front_door_->BeginDrain([this](bool clean) {
        drain_clean_ = clean;
        LogInfo(clean ? "drain complete" : "drain timed out with requests in flight", "; stopping SGLang");
        StopEngine(SIGTERM);
      });
      return;
    }
    // SIGINT (Ctrl-C) or SIGHUP: no drain, stop now. SGLang gets SIGTERM for a
    // hang-up, which it handles; it never saw the terminal's SIGHUP.
    const bool hang_up = signal_number == SIGHUP;
    LogInfo(hang_up ? "SIGHUP received: stopping" : "SIGINT received: stopping");
    stopping_ = true;
    interrupted_ = true;
    front_door_->StopNow();
    routes_->Stop();
    StopEngine(hang_up ? SIGTERM : SIGINT);
  }

  void StopEngine(int signal_number) {
    if (!engine_.running()) return;
    engine_.SignalGroup(signal_number);
    kill_timer_.expires_after(settings_.engine_stop_timeout);
    kill_timer_.async_wait([this](const boost::system::error_code& ec) {
      if (ec || !engine_.running()) return;
      LogWarning("SGLang did not exit within ", InSeconds(settings_.engine_stop_timeout), " s: SIGKILL");
      killed_ = true;
      engine_.SignalGroup(SIGKILL);
    });
  }

  void OnEngineExit(int code) {
    finished_ = true;
    kill_timer_.cancel();
    signals_.cancel();
    if (!stopping_) {
      // Kubernetes restarts the pod; the front door must not outlive the engine.
      // A short grace lets answers SGLang finished just before exiting reach
      // their clients; nothing new can arrive from a dead engine.
      LogError("SGLang exited with status ", code, "; exiting");
      exit_code_ = code;
      kill_timer_.expires_after(std::chrono::milliseconds(250));
      kill_timer_.async_wait([this](const boost::system::error_code&) {
        front_door_->StopNow();
        routes_->Stop();
        io_.stop();
      });
      return;
    } else if (interrupted_) {
      exit_code_ = code;
    } else if (killed_) {
      exit_code_ = 128 + SIGKILL;
    } else {
      exit_code_ = drain_clean_ ? 0 : (code != 0 ? code : 1);
      LogInfo("SGLang exited with status ", code, "; shim exits with ", exit_code_);
    }
    io_.stop();
  }

  Settings settings_;
  Translation translation_;
  // One thread and no other thread ever touches the loop (backend names are
  // resolved synchronously, signals arrive through asio's pipe): no locks.
  asio::io_context io_{BOOST_ASIO_CONCURRENCY_HINT_UNSAFE};
  asio::signal_set signals_;
  asio::steady_timer kill_timer_;
  std::optional<FrontDoor> front_door_;
  std::optional<pd::BootstrapRelay> bootstrap_relay_;
  std::unique_ptr<FrontDoorRoutes> routes_;
  EngineProcess engine_;
  std::string metrics_dir_;
  bool stopping_ = false;
  bool interrupted_ = false;
  bool killed_ = false;
  bool drain_clean_ = false;
  bool finished_ = false;
  int exit_code_ = 0;
};

// VLLM_SGLANG_SGLANG_VERSION when set; else the version the launcher's Python reports;
// else the newest recorded release, saying why.
bool ChooseReleaseToServe(const Settings& settings, ReleaseChoice* out, std::string* err) {
  if (settings.sglang_version) return ReleaseFromSettings(settings, out, err);
  const std::string python = LauncherPython(settings.launcher);
  if (python.empty()) {
    *out = FallbackSglangRelease("the launcher is not a Python the shim can ask for SGLang's version");
    return true;
  }
  // A cold container's first Python start can take seconds; SGLang's own start takes minutes.
  constexpr std::chrono::seconds kProbeTimeout{10};
  std::string version;
  std::string why;
  if (!ProbeSglangVersion(python, BuildEngineEnvironment(CurrentEnvironment(), ""), kProbeTimeout, &version, &why)) {
    *out = FallbackSglangRelease("SGLang's version is unknown: " + why);
    return true;
  }
  if (!ChooseSglangRelease(version, out, &why)) *out = FallbackSglangRelease("installed " + why);
  return true;
}

}  // namespace

int RunServe(const std::vector<std::string>& args, EntryPoint entry) {
  Settings settings;
  std::string err;
  if (!LoadSettings(ProcessEnv(), &settings, &err)) {
    std::cerr << "vllm-sglang-shim: error: " << err << "\n";
    return 2;
  }
  SetLogLevel(settings.log_level);
  ReleaseChoice release;
  if (!ChooseReleaseToServe(settings, &release, &err)) {
    std::cerr << "vllm serve: error: " << err << "\n";
    return 2;
  }
  LogInfo(release.note);
  Translation translation;
  if (!TranslateVllmArgsFor(release, args, entry, settings, &translation, &err)) {
    std::cerr << "vllm serve: error: " << err << "\n";
    return 2;
  }
  LogInfo("vllm-sglang-shim ", SHIM_VERSION, ": vLLM command line translated for SGLang");
  LogTranslation(translation);
  ServeRun run(settings, std::move(translation));
  return run.Run();
}

}  // namespace shim
