#include "supervise/engine_process.h"

#include <fcntl.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>

#include "supervise/executable_path.h"

namespace shim {

int ExitCodeFromWaitStatus(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return 1;
}

namespace {

// In the forked child: the state SGLang must start from, then exec. Reports
// the exec failure's errno through `report_fd` (close-on-exec: a successful
// exec closes it with nothing written).
[[noreturn]] void BecomeEngine(const char* path, char* const* argv, char* const* envp, pid_t parent, int report_fd) {
  // Own session, hence own process group (pgid = child's pid) for signals to
  // the whole tree. A session, not just a group: where the kernel shares CPU
  // between sessions (autogroup, outside a cpu cgroup), SGLang's busy
  // schedulers must not count against the front door's share.
  ::setsid();
  // Default signal dispositions and an empty mask, whatever the shim blocked
  // or ignored for itself.
  struct sigaction default_action {};
  default_action.sa_handler = SIG_DFL;
  for (int sig = 1; sig < NSIG; ++sig) ::sigaction(sig, &default_action, nullptr);
  sigset_t none;
  sigemptyset(&none);
  ::sigprocmask(SIG_SETMASK, &none, nullptr);
  // If the shim dies without stopping SGLang (SIGKILL, the OOM killer), the
  // kernel kills SGLang too, so it cannot keep the GPU and the port. SGLang's
  // own workers follow their parent the same way (sglang's srt utils,
  // kill_itself_when_parent_died). Kept across exec for a non-setuid binary.
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (::getppid() != parent) ::_exit(127);  // the shim died before the line above
  ::execve(path, argv, envp);
  int error = errno;
  ssize_t ignored = ::write(report_fd, &error, sizeof error);
  (void)ignored;
  ::_exit(127);
}

}  // namespace

bool EngineProcess::Start(const std::vector<std::string>& argv, const std::vector<std::string>& env, std::string* err) {
  if (argv.empty()) {
    *err = "empty launcher command";
    return false;
  }
  auto fail = [&](int error) {
    *err = "cannot start SGLang launcher '" + argv[0] + "': " + std::strerror(error);
    return false;
  };
  int lookup_error = 0;
  // Looked up before fork: after fork the child makes only async-signal-safe calls.
  const std::string path = ResolveExecutable(argv[0], &lookup_error);
  if (path.empty()) return fail(lookup_error);
  std::vector<char*> c_argv;
  for (const std::string& a : argv) c_argv.push_back(const_cast<char*>(a.c_str()));
  c_argv.push_back(nullptr);
  std::vector<char*> c_env;
  for (const std::string& e : env) c_env.push_back(const_cast<char*>(e.c_str()));
  c_env.push_back(nullptr);

  // fork/exec rather than posix_spawn: a parent-death signal can only be set
  // in the child itself.
  int report[2];
  if (::pipe2(report, O_CLOEXEC) != 0) return fail(errno);
  const pid_t parent = ::getpid();
  const pid_t pid = ::fork();
  if (pid < 0) {
    int error = errno;
    ::close(report[0]);
    ::close(report[1]);
    return fail(error);
  }
  if (pid == 0) BecomeEngine(path.c_str(), c_argv.data(), c_env.data(), parent, report[1]);
  ::close(report[1]);
  int exec_error = 0;
  ssize_t n;
  do {
    n = ::read(report[0], &exec_error, sizeof exec_error);
  } while (n < 0 && errno == EINTR);
  ::close(report[0]);
  if (n == static_cast<ssize_t>(sizeof exec_error)) {
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    return fail(exec_error);
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
