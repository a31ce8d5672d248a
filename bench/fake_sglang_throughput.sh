#!/usr/bin/env bash
# Requests/s of the SGLang stand-in on small non-streaming chat completions: the server pinned to
# core 0, wrk (one thread) to core 1, loopback only, bounded duration. Target: >= 20,000 req/s, so the
# stand-in is never the bottleneck of a shim benchmark.
# Usage: bench/fake_sglang_throughput.sh [BIN_DIR] (default: $SHIM_BIN_DIR or <repo>/build/bin)
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
bin_dir="${1:-${SHIM_BIN_DIR:-$repo/build/bin}}"
duration="${BENCH_DURATION:-10s}"
connections="${BENCH_CONNECTIONS:-64}"
port="${BENCH_PORT:-$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')}"

command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk)" >&2; exit 1; }
pin_server=(); pin_client=()
if command -v taskset >/dev/null && [ "$(nproc)" -ge 2 ]; then
  pin_server=(taskset -c 0); pin_client=(taskset -c 1)
fi

log="$(mktemp)"
"${pin_server[@]}" "$bin_dir/fake-sglang" --model-path bench-model --port "$port" --skip-server-warmup 2>"$log" &
server=$!
trap 'kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; rm -f "$log"' EXIT
for _ in $(seq 1 100); do
  grep -q "ready to roll" "$log" && break
  sleep 0.05
done
grep -q "ready to roll" "$log" || { echo "fake-sglang did not start:" >&2; cat "$log" >&2; exit 1; }

# CPU seconds the server spent (utime+stime from /proc): on a shared machine the wall-clock rate
# understates what one free core does, so the script also reports requests per server CPU-second.
cpu_seconds() { awk -v hz="$(getconf CLK_TCK)" '{print ($14 + $15) / hz}' "/proc/$server/stat"; }
cpu_before="$(cpu_seconds)"
out="$("${pin_client[@]}" wrk -t1 -c"$connections" -d"$duration" --latency -s "$repo/bench/fake_sglang_post.lua" \
  "http://127.0.0.1:$port")"
cpu_after="$(cpu_seconds)"
echo "$out"
rps="$(echo "$out" | awk '/Requests\/sec/ {print $2}')"
non2xx="$(echo "$out" | awk '/Non-2xx/ {print $NF}')"
total="$(echo "$out" | awk '/requests in/ {print $1}')"
per_cpu="$(awk -v n="$total" -v a="$cpu_before" -v b="$cpu_after" 'BEGIN { if (b > a) printf "%.0f", n / (b - a); else print "n/a" }')"
echo "fake-sglang: ${rps} requests/s wall clock (non-streaming chat, wrk -t1 -c${connections} -d${duration})"
echo "fake-sglang: ${per_cpu} requests per server CPU-second (server used $(awk -v a="$cpu_before" -v b="$cpu_after" 'BEGIN{printf "%.2f", b-a}') s CPU)"
echo "load average during the run: $(cut -d' ' -f1-3 /proc/loadavg)"
if [ -n "$non2xx" ]; then echo "error: $non2xx non-2xx responses" >&2; exit 1; fi
