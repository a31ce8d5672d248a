#!/usr/bin/env bash
# Regenerates the README's translation table from the binary's own table.
set -euo pipefail
cd "$(dirname "$0")/.."
bin="${SHIM_BIN_DIR:-build/bin}/vllm-sglang-shim"
python3 - "$bin" <<'PY'
import subprocess, sys
table = subprocess.run([sys.argv[1], "flag-table"], check=True, capture_output=True, text=True).stdout
readme = open("README.md").read()
begin, end = "<!-- flag-table:begin -->\n", "<!-- flag-table:end -->"
head, rest = readme.split(begin, 1)
_, tail = rest.split(end, 1)
open("README.md", "w").write(head + begin + table + end + tail)
PY
