// The SGLang child process: started in its own session and process group so
// that signals reach SGLang's whole tree (tokenizer, scheduler and detokenizer
// processes) and its CPU time is accounted apart from the shim's, and killed
// by the kernel if the shim dies without stopping it.
#pragma once
#include <sys/types.h>

#include <string>
#include <vector>

namespace shim {

class EngineProcess {
 public:
  EngineProcess() = default;
  EngineProcess(const EngineProcess&) = delete;
  EngineProcess& operator=(const EngineProcess&) = delete;

  // Starts argv[0] (looked up on PATH) with the given environment ("NAME=value").
  // Returns false with a one-line *err when it cannot be started.
  bool Start(const std::vector<std::string>& argv, const std::vector<std::string>& env, std::string* err);

  // Sends a signal to the child's process group. No-op once it has exited.
  void SignalGroup(int signal_number);

  // Reaps the child if it has exited; returns true then, with *exit_code set the
  // way a shell reports it (the exit status, or 128 + signal number).
  bool Reap(int* exit_code);

  pid_t pid() const { return pid_; }
  bool running() const { return pid_ > 0 && !exited_; }

 private:
  pid_t pid_ = -1;
  bool exited_ = false;
};

// Converts a waitpid() status to a shell-style exit code.
int ExitCodeFromWaitStatus(int status);

}  // namespace shim
