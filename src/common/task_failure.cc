#include "common/task_failure.h"

#include <cstdlib>

#include "common/log.h"

namespace shim {

std::string DescribeException(const std::exception_ptr& error) {
  try {
    std::rethrow_exception(error);
  } catch (const std::exception& e) {
    return e.what();
  } catch (...) {
    return "an exception that is not a std::exception";
  }
}

void LogTaskFailure::operator()(std::exception_ptr error) const {
  if (!error) return;
  LogError(task, " failed: ", DescribeException(error));
  if (then) then();
}

void EndProcessOnTaskFailure::operator()(std::exception_ptr error) const {
  if (!error) return;
  LogError(task, " failed: ", DescribeException(error), "; the shim cannot serve or drain without it and stops");
  std::abort();
}

}  // namespace shim
