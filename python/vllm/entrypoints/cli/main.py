"""`python -m vllm.entrypoints.cli.main ...` behaves as the `vllm` command."""

import sys

from vllm._shim import exec_shim


def main():
    # argv[0] "vllm" selects the binary's vLLM command-line personality.
    exec_shim(["vllm"] + sys.argv[1:])


if __name__ == "__main__":
    main()
