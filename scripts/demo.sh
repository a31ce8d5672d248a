#!/usr/bin/env bash
# The main job on the embedded default: `vllm serve` through the real entry point,
# fronting the SGLang stand-in engine. Serves in the foreground until Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."

BIN="$PWD/build/bin"
PORT="${DEMO_PORT:-8000}"
MODEL="${DEMO_MODEL:-Qwen/Qwen2.5-0.5B-Instruct}"
export VLLM_SGLANG_LAUNCHER="${VLLM_SGLANG_LAUNCHER:-$BIN/fake-sglang}"
export PATH="$BIN:$PATH"

if ! command -v vllm >/dev/null || [ "$(command -v vllm)" != "$BIN/vllm" ]; then
  echo "demo: $BIN/vllm is missing: run 'make build' first" >&2
  exit 1
fi

cat <<EOT
== vllm-sglang-shim demo ==
Running:  vllm serve $MODEL --host 127.0.0.1 --port $PORT
SGLang:   $VLLM_SGLANG_LAUNCHER (the stand-in engine; set VLLM_SGLANG_LAUNCHER to use real SGLang)

What SGLang is started with:
EOT
vllm-sglang-shim translate "$MODEL" --host 127.0.0.1 --port "$PORT" | sed 's/^/  /'

# Print the ready-to-paste commands once the front door reports ready.
(
  for _ in $(seq 1 600); do
    if curl -fs -o /dev/null "http://127.0.0.1:$PORT/health" 2>/dev/null; then
      cat <<EOT

== ready: try these in another terminal (Ctrl-C here stops the server) ==
curl -i http://127.0.0.1:$PORT/health
curl -s http://127.0.0.1:$PORT/v1/models
curl -s http://127.0.0.1:$PORT/v1/chat/completions -H 'Content-Type: application/json' \\
  -d '{"model": "$MODEL", "messages": [{"role": "user", "content": "Hello!"}], "max_tokens": 16}'
curl -sN http://127.0.0.1:$PORT/v1/chat/completions -H 'Content-Type: application/json' \\
  -d '{"model": "$MODEL", "messages": [{"role": "user", "content": "Hello!"}], "max_tokens": 16, "stream": true}'
curl -s http://127.0.0.1:$PORT/metrics | grep '^vllm:'

EOT
      exit 0
    fi
    sleep 0.2
  done
) &

exec vllm serve "$MODEL" --host 127.0.0.1 --port "$PORT"
