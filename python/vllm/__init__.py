"""Shadow `vllm` package of vllm-sglang-shim.

It stands first on PYTHONPATH so that `python -m vllm.entrypoints.openai.api_server ...`
and `python -m vllm.entrypoints.cli.main serve ...` run the shim, which starts SGLang.
The shim removes this directory from PYTHONPATH before it launches SGLang.
"""
