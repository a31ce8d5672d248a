#include "supervise/engine_process.h"

#include <cerrno>
#include <csignal>
#include <cstring>
#include <spawn.h>
#include <sys/wait.h>

namespace shim {

int ExitCodeFromWaitStatus(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return 1;
}

bool EngineProcess::Start(const std::vector<std::string>& argv, const std::vector<std::string>& env,
                          std::string* err) {
  if (argv.empty()) {
    *err = "empty launcher command";
    return false;
  }
  std::vector<char*> c_argv;
  for (const std::string& a : argv) c_argv.push_back(const_cast<char*>(a.c_str()));
  c_argv.push_back(nullptr);
  std::vector<char*> c_env;
  for (const std::string& e : env) c_env.push_back(const_cast<char*>(e.c_str()));
  c_env.push_back(nullptr);

  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  // Own session, hence own process group (pgid = child's pid) for signals to
  // the whole tree. A session, not just a group: where the kernel shares CPU
  // between sessions (autogroup, outside a cpu cgroup), SGLang's busy schedulers
  // must not count against the front door's share. Default signal dispositions
  // and an empty mask, whatever the shim blocked or ignored for itself.
  sigset_t all, none;
  sigfillset(&all);
  sigemptyset(&none);
  posix_spawnattr_setsigdefault(&attr, &all);
  posix_spawnattr_setsigmask(&attr, &none);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSID | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);

  pid_t pid = -1;
  int rc = posix_spawnp(&pid, c_argv[0], nullptr, &attr, c_argv.data(), c_env.data());
  posix_spawnattr_destroy(&attr);
  if (rc != 0) {
    *err = "cannot start SGLang launcher '" + argv[0] + "': " + std::strerror(rc);
    return false;
  }
  pid_ = pid;
  exited_ = false;
  return true;
}

void EngineProcess::SignalGroup(int signal_number) {
  if (!running()) return;
  if (::kill(-pid_, signal_number) != 0 && errno == ESRCH) {
    ::kill(pid_, signal_number);  // the group may not exist yet if the child has not run
  }
}

bool EngineProcess::Reap(int* exit_code) {
  if (pid_ <= 0) return false;
  if (exited_) return true;
  int status = 0;
  pid_t r;
  do {
    r = ::waitpid(pid_, &status, WNOHANG);
  } while (r < 0 && errno == EINTR);
  if (r != pid_) return false;
  exited_ = true;
  *exit_code = ExitCodeFromWaitStatus(status);
  // Stragglers of SGLang's tree (schedulers) must not outlive it.
  ::kill(-pid_, SIGKILL);
  return true;
}

}  // namespace shim
