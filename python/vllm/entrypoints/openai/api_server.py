"""`python -m vllm.entrypoints.openai.api_server ...` runs the shim's api-server path."""

import sys

from vllm._shim import exec_shim, find_binary

if __name__ == "__main__":
    exec_shim([find_binary(), "api-server"] + sys.argv[1:])
