#!/usr/bin/env bash
# The front-door benchmark in one command (`make bench`): (a) direct, (b) shim,
# (c) haproxy, (d) the original design, one run, same machine; raw JSON in
# bench/results/<timestamp>/, tables in docs/benchmarks.md, plot in
# docs/bench-latency.png; then the disaggregated-prefill run (docs/bench-pd.md).
# Builds nothing: expects build/bin (or BENCH_BIN_DIR).
# BENCH_QUICK=1 runs a ~1-minute smoke version.
set -euo pipefail
cd "$(dirname "$0")/.."

# 1,000 streams hold ~4,000 descriptors across client, proxy and engine, and
# haproxy sizes its connection limit from this limit: take as much as allowed.
want=65536
hard=$(ulimit -Hn)
if [ "$hard" != "unlimited" ] && [ "$hard" -lt "$want" ]; then want=$hard; fi
if [ "$(ulimit -Sn)" != "unlimited" ] && [ "$(ulimit -Sn)" -lt "$want" ]; then ulimit -n "$want"; fi
if [ "$(ulimit -n)" != "unlimited" ] && [ "$(ulimit -n)" -lt 4096 ]; then
  echo "bench: need at least 4096 open files (ulimit -n is $(ulimit -n), hard limit $hard)" >&2
  exit 1
fi

# Debian's python3 has fastapi/uvicorn/httpx/matplotlib; a pyenv python on PATH may not.
/usr/bin/python3 bench/run_bench.py "$@"

# Then disaggregated prefill's time to first token (docs/bench-pd.md).
pd_requests=400
if [ "${BENCH_QUICK:-0}" = 1 ]; then pd_requests=32; fi
/usr/bin/python3 bench/pd_ttft.py --requests "$pd_requests" --docs docs
