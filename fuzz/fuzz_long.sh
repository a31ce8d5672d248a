#!/usr/bin/env bash
# `make fuzz-long`: every libFuzzer target of a fuzz build, for FUZZ_SECONDS each, from a
# random seed. Unlike the ctests (fixed seed, fixed number of runs: see fuzz/CMakeLists.txt)
# this looks for new bugs, so two runs differ. The committed corpus is only read: new inputs
# and crashers go to <build>/fuzz-long/<target>/.
#
#   fuzz/fuzz_long.sh [build dir (build-fuzz)] [seconds per target (60)]
#
# Exits 1 when a target crashed; the summary says how to reproduce and keep the input.
set -uo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:-build-fuzz}" 2>/dev/null && pwd) || { echo "fuzz-long: no build directory '${1:-build-fuzz}'" >&2; exit 2; }
seconds=${2:-60}
case "$seconds" in '' | *[!0-9]*) echo "fuzz-long: FUZZ_SECONDS must be a whole number of seconds, got '$seconds'" >&2; exit 2 ;; esac

crashed=()
declare -A seeds
missing=()
ran=0
for corpus in "$repo"/fuzz/corpus/*/; do
  corpus=${corpus%/}
  name="$(basename "$corpus")_fuzz"
  binary="$build/bin/$name"
  if [ ! -x "$binary" ]; then
    missing+=("$name")
    continue
  fi
  out="$build/fuzz-long/$name"
  # new/ is kept from one run to the next, so longer fuzzing builds on earlier runs.
  rm -rf "$out/crashes"
  mkdir -p "$out/new" "$out/crashes"
  ran=$((ran + 1))
  echo "== $name: $seconds s from a random seed (log: $out/log)"
  # The scratch directory comes first: libFuzzer writes what it finds into the first one.
  (cd "$out" && "$binary" "$out/new" "$corpus" -max_total_time="$seconds" -timeout=5 -rss_limit_mb=2048 \
    -artifact_prefix="$out/crashes/" -print_final_stats=1) > "$out/log" 2>&1
  status=$?
  seed=$(grep -m1 -o 'Seed: [0-9]*' "$out/log" | cut -d' ' -f2)
  seeds[$name]=${seed:-?}
  runs=$(grep -m1 -o 'stat::number_of_executed_units: *[0-9]*' "$out/log" | grep -o '[0-9]*$')
  echo "   seed ${seed:-?}, ${runs:-?} runs, $(ls "$out/new" | wc -l) inputs in $out/new, exit status $status"
  if [ $status -ne 0 ]; then
    crashed+=("$name")
    grep -E '^(==[0-9]+==ERROR|SUMMARY|artifact_prefix|Base64)' "$out/log" | sed 's/^/   /'
  fi
done

echo
if [ ${#missing[@]} -ne 0 ]; then
  echo "fuzz-long: not built, not run: ${missing[*]} (cmake --build $build --target fuzzers)" >&2
fi
if [ $ran -eq 0 ]; then
  echo "fuzz-long: no fuzz target in $build/bin" >&2
  exit 2
fi
if [ ${#crashed[@]} -eq 0 ]; then
  echo "fuzz-long: no crash. New inputs are in $build/fuzz-long/<target>/new; to keep those that add"
  echo "coverage, merge them into the seed corpus on purpose:"
  echo "  <build>/bin/<target> -merge=1 fuzz/corpus/<name> $build/fuzz-long/<target>/new"
  exit 0
fi
echo "fuzz-long: crashed: ${crashed[*]}"
for name in "${crashed[@]}"; do
  for input in "$build/fuzz-long/$name"/crashes/*; do
    echo "  $input"
    echo "    reproduce:   $build/bin/$name $input"
    echo "    once fixed, keep it as a regression input (the ctest fuzz_$name replays the corpus):"
    echo "                 cp $input fuzz/corpus/${name%_fuzz}/<what-it-tests>"
  done
  echo "  $name again from the same seed: $build/bin/$name <scratch dir> fuzz/corpus/${name%_fuzz} -seed=${seeds[$name]}"
done
exit 1
