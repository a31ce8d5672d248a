#!/usr/bin/env bash
# Installs the Debian 12 packages that building, testing, benchmarking and the
# demo need. Idempotent: packages already present are not fetched again.
set -euo pipefail

packages=(
  # build
  build-essential cmake ninja-build g++ clang libclang-rt-14-dev clang-format clang-tidy
  # GCC 11: Ubuntu 22.04's compiler (the ROCm images), used by the asan preset
  g++-11
  libboost-dev libboost-system-dev nlohmann-json3-dev libyaml-cpp-dev libgoogle-perftools-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  # tests: black-box harness, Prometheus text checks, real HTTP clients
  python3 python3-pytest python3-prometheus-client python3-yaml
  prometheus curl
  # benchmark baselines: haproxy and the original FastAPI middleware design
  haproxy python3-fastapi python3-uvicorn python3-httpx wrk
  python3-matplotlib
)

missing=()
# The machine image may ship its own Node.js (which conflicts with Debian's npm):
# take Debian's only when there is none.
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  packages+=(nodejs npm)
fi
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ "${#missing[@]}" -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages present"
elif [ "$(id -u)" -ne 0 ]; then
  echo "install-deps: missing packages: ${missing[*]} (run as root, or install them)" >&2
  exit 1
else
  echo "install-deps: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  echo "install-deps: packages done"
fi

# The official OpenAI SDK for tests/sdk, exactly as pinned by its committed
# package-lock.json (npm registry only; no install scripts run). Skipped when
# the installed copy already matches the lock, so re-running costs nothing.
sdk_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/tests/sdk"
if [ -f "$sdk_dir/node_modules/.package-lock.json" ] &&
   [ "$sdk_dir/node_modules/.package-lock.json" -nt "$sdk_dir/package-lock.json" ]; then
  echo "install-deps: tests/sdk node modules present"
else
  echo "install-deps: npm ci in tests/sdk"
  npm ci --prefix "$sdk_dir" --ignore-scripts --no-audit --no-fund --loglevel=error >/dev/null
fi
