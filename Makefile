# The two set-up commands (README): `make demo` and `make test`.
# Both install what they need first (Debian 12, as root).
SHELL := /bin/bash

.PHONY: all deps build asan fuzz fuzz-long test demo bench clean

all: build

deps:
	bash scripts/install-deps.sh

build: deps
	cmake --preset release
	cmake --build --preset release

# The asan build runs its black-box tests against the release build's SGLang
# stand-in (SHIM_FAKE_SGLANG_BIN in CMakePresets.json), so that comes first.
asan: deps
	[ -f build/build.ninja ] || cmake --preset release
	cmake --build --preset release --target fake-sglang
	cmake --preset asan
	cmake --build --preset asan

fuzz: deps
	cmake --preset fuzz
	cmake --build --preset fuzz

# Longer fuzzing from random seeds, to look for new bugs (not part of `make test`):
# FUZZ_SECONDS per target (default 60); findings go to $(FUZZ_BUILD_DIR)/fuzz-long/.
FUZZ_SECONDS ?= 60
FUZZ_BUILD_DIR ?= build-fuzz
fuzz-long: fuzz
	bash fuzz/fuzz_long.sh $(FUZZ_BUILD_DIR) $(FUZZ_SECONDS)

# Every test: unit and black-box tests on the optimised build, again under
# ASan/UBSan, then each libFuzzer target over its seed corpus plus a short run
# from a fixed seed (the same work every time; see fuzz/CMakeLists.txt).
test: build asan fuzz
	ctest --preset release
	ctest --preset asan
	ctest --preset fuzz

# The demo needs only the shim and the stand-in engine.
demo: deps
	cmake --preset release
	cmake --build --preset release --target vllm-sglang-shim fake-sglang
	bash scripts/demo.sh

bench: build
	bash bench/run.sh

clean:
	rm -rf build build-debug build-asan build-fuzz
