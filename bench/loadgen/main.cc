// shim-loadgen: the front-door benchmark's load generator (see options.h).
#include <fstream>
#include <iostream>

#include "loadgen/options.h"
#include "loadgen/post_load.h"
#include "loadgen/stream_load.h"

int main(int argc, char** argv) {
  using namespace shim::loadgen;
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty() || args[0] == "--help" || args[0] == "-h") {
    std::cout << LoadgenUsage();
    return args.empty() ? 2 : 0;
  }
  LoadOptions options;
  std::string err;
  if (!ParseLoadOptions(args, &options, &err)) {
    std::cerr << "shim-loadgen: " << err << "\n" << LoadgenUsage();
    return 2;
  }
  nlohmann::json result;
  bool ok = options.mode == "post" ? RunPostLoad(options, &result, &err) : RunStreamLoad(options, &result, &err);
  if (!ok) {
    std::cerr << "shim-loadgen: " << err << "\n";
    return 1;
  }
  const std::string text = result.dump(2) + "\n";
  if (options.out.empty() || options.out == "-") {
    std::cout << text;
  } else {
    std::ofstream out(options.out);
    out << text;
    if (!out) {
      std::cerr << "shim-loadgen: cannot write " << options.out << "\n";
      return 1;
    }
  }
  return 0;
}
