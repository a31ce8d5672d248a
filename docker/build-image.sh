#!/usr/bin/env bash
# Builds (and optionally pushes) the engine image. The version comes from the
# VERSION file only: it becomes the SHIM_VERSION build argument (checked against
# VERSION inside the build), the image label and the first part of the tag.
#
#   docker/build-image.sh [--rocm] [--registry REG] [--sglang-tag TAG] [--push] [--print]
#
#   --rocm            build docker/Dockerfile.rocm (AMD) instead of docker/Dockerfile (NVIDIA)
#   --registry REG    image name prefix, e.g. ghcr.io/acme (default: vllm-sglang-shim, local only)
#   --sglang-tag TAG  SGLang base image tag (default: the Dockerfile's SGLANG_TAG)
#   --push            docker push the image after building it
#   --print           print the commands instead of running them
#
# Tag: <registry>/vllm-sglang-shim:<VERSION>-sglang-<SGLang tag>, e.g.
#   ghcr.io/acme/vllm-sglang-shim:0.1.0-sglang-v0.5.15.post1
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dockerfile="docker/Dockerfile"
registry=""
sglang_tag=""
push=0
print_only=0

while [ "$#" -gt 0 ]; do
  case "$1" in
    --rocm) dockerfile="docker/Dockerfile.rocm" ;;
    --registry) [ "$#" -ge 2 ] || { echo "build-image: --registry needs a value" >&2; exit 2; }
                registry="${2%/}"; shift ;;
    --sglang-tag) [ "$#" -ge 2 ] || { echo "build-image: --sglang-tag needs a value" >&2; exit 2; }
                  sglang_tag="$2"; shift ;;
    --push) push=1 ;;
    --print) print_only=1 ;;
    -h|--help) sed -n '2,15p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "build-image: unknown argument: $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done

version="$(tr -d '[:space:]' < "${repo_root}/VERSION")"
if ! [[ "${version}" =~ ^[0-9]+\.[0-9]+\.[0-9]+([-+.][0-9A-Za-z.-]+)?$ ]]; then
  echo "build-image: VERSION holds '${version}', not a version number" >&2
  exit 1
fi

if [ -z "${sglang_tag}" ]; then
  # The default lives in the Dockerfile, once.
  sglang_tag="$(sed -n 's/^ARG SGLANG_TAG=\(.*\)$/\1/p' "${repo_root}/${dockerfile}" | head -n 1)"
  [ -n "${sglang_tag}" ] || { echo "build-image: no ARG SGLANG_TAG default in ${dockerfile}" >&2; exit 1; }
fi
if [[ "${sglang_tag}" == latest* ]]; then
  echo "build-image: refusing SGLang tag '${sglang_tag}': pin a release tag" >&2
  exit 1
fi

name="vllm-sglang-shim"
[ -n "${registry}" ] && name="${registry}/${name}"
image="${name}:${version}-sglang-${sglang_tag}"

build=(docker build -f "${dockerfile}"
       --build-arg "SHIM_VERSION=${version}"
       --build-arg "SGLANG_TAG=${sglang_tag}"
       -t "${image}" .)

run() {
  if [ "${print_only}" -eq 1 ]; then
    printf '%q ' "$@"; printf '\n'
  else
    "$@"
  fi
}

cd "${repo_root}"
run "${build[@]}"
if [ "${push}" -eq 1 ]; then
  run docker push "${image}"
fi
