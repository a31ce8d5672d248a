#include "supervise/sglang_version_probe.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>

#include "supervise/executable_path.h"

namespace shim {
namespace {

std::string BaseName(const std::string& path) {
  size_t slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

bool IsPythonName(const std::string& word) { return BaseName(word).rfind("python", 0) == 0; }

// "#!/opt/venv/bin/python3" -> "/opt/venv/bin/python3"; "#!/usr/bin/env python3" -> "python3".
std::string ShebangPython(const std::string& script) {
  std::ifstream in(script);
  std::string line;
  if (!in || !std::getline(in, line) || line.rfind("#!", 0) != 0) return "";
  std::vector<std::string> words;
  size_t i = 2;
  while (i < line.size()) {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
    size_t end = line.find_first_of(" \t", i);
    if (end == std::string::npos) end = line.size();
    if (end > i) words.push_back(line.substr(i, end - i));
    i = end;
  }
  if (!words.empty() && BaseName(words[0]) == "env" && words.size() > 1) words.erase(words.begin());
  return !words.empty() && IsPythonName(words[0]) ? words[0] : "";
}

// importlib.metadata exists since Python 3.8; SGLang needs 3.9 or later.
constexpr const char* kProbeScript = "import importlib.metadata as m; print(m.version('sglang'))";

}  // namespace

std::string LauncherPython(const std::vector<std::string>& launcher) {
  if (launcher.empty()) return "";
  if (IsPythonName(launcher[0])) return launcher[0];
  if (BaseName(launcher[0]) == "sglang") {
    int error = 0;
    std::string script = ResolveExecutable(launcher[0], &error);
    return script.empty() ? "" : ShebangPython(script);
  }
  return "";
}

bool ProbeSglangVersion(const std::string& python, const std::vector<std::string>& environment,
                        std::chrono::milliseconds timeout, std::string* version, std::string* why) {
  int out[2];
  if (::pipe2(out, O_CLOEXEC) != 0) {
    *why = std::string("pipe: ") + std::strerror(errno);
    return false;
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  sigset_t none;
  sigset_t all;
  sigemptyset(&none);
  sigfillset(&all);
  posix_spawnattr_setsigmask(&attr, &none);
  posix_spawnattr_setsigdefault(&attr, &all);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);

  std::vector<std::string> words{python, "-c", kProbeScript};
  std::vector<char*> argv;
  for (std::string& word : words) argv.push_back(word.data());
  argv.push_back(nullptr);
  std::vector<std::string> env_copy = environment;
  std::vector<char*> envp;
  for (std::string& entry : env_copy) envp.push_back(entry.data());
  envp.push_back(nullptr);

  pid_t pid = -1;
  int spawned = ::posix_spawnp(&pid, python.c_str(), &actions, &attr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  ::close(out[1]);
  if (spawned != 0) {
    ::close(out[0]);
    *why = python + " could not be started (" + std::strerror(spawned) + ")";
    return false;
  }

  std::string text;
  bool timed_out = false;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (text.size() < 4096) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      timed_out = true;
      break;
    }
    pollfd fd{out[0], POLLIN, 0};
    int ready = ::poll(&fd, 1, static_cast<int>(left.count()));
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) {
      timed_out = ready == 0;
      break;
    }
    char buffer[512];
    ssize_t n = ::read(out[0], buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    text.append(buffer, static_cast<size_t>(n));
  }
  ::close(out[0]);
  if (timed_out) ::kill(pid, SIGKILL);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (timed_out) {
    *why = python + " gave no answer within " + std::to_string(timeout.count()) + " ms";
    return false;
  }
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ')) text.pop_back();
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || text.empty()) {
    *why = python + " found no installed sglang package";
    return false;
  }
  const bool plain = text.size() <= 64 && text.find_first_not_of(
                                              "0123456789abcdefghijklmnopqrstuvwxyz"
                                              "ABCDEFGHIJKLMNOPQRSTUVWXYZ.+-_") == std::string::npos;
  if (!plain) {
    *why = python + " answered something that is not a version";
    return false;
  }
  *version = text;
  return true;
}

}  // namespace shim
