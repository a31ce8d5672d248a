"""Finds the vllm-sglang-shim binary and replaces this Python process with it.

The binary removes the PYTHONPATH entry holding this file (its marker for the
shadow package) before it starts SGLang.
"""

import os
import sys

_BINARY = "vllm-sglang-shim"


def find_binary():
    explicit = os.environ.get("VLLM_SGLANG_SHIM_BIN")
    if explicit:
        return explicit
    # Installed tree (<prefix>/<python dir>/vllm) or source tree (<repo>/python/vllm):
    # look for bin/ or build/bin/ in the package's ancestors.
    here = os.path.dirname(os.path.abspath(__file__))
    directory = here
    for _ in range(5):
        directory = os.path.dirname(directory)
        for candidate in (os.path.join(directory, "bin", _BINARY),
                          os.path.join(directory, "build", "bin", _BINARY)):
            if os.access(candidate, os.X_OK):
                return candidate
    for entry in os.environ.get("PATH", "").split(os.pathsep):
        candidate = os.path.join(entry, _BINARY)
        if entry and os.access(candidate, os.X_OK):
            return candidate
    sys.stderr.write("vllm-sglang-shim: cannot find the %s binary (set VLLM_SGLANG_SHIM_BIN)\n" % _BINARY)
    sys.exit(127)


def exec_shim(argv):
    """Replaces this process with the binary; argv[0] selects its personality."""
    binary = find_binary()
    sys.stdout.flush()
    sys.stderr.flush()
    os.execv(binary, argv)
