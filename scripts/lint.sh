#!/usr/bin/env bash
# The lint checks CI runs (cmake/Lint.cmake), also usable by hand:
#   scripts/lint.sh format [clang-format]            every C++ file matches .clang-format
#   scripts/lint.sh format-fix [clang-format]        rewrite files to match it
#   scripts/lint.sh tidy [clang-tidy] [build-dir]    .clang-tidy over the shim's own sources
# tidy needs a configured Clang build (compile_commands.json): the fuzz preset's.
set -euo pipefail
cd "$(dirname "$0")/.."

cxx_files() {
  if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    git ls-files -- '*.cc' '*.h'
  else
    find src fuzz bench -name '*.cc' -o -name '*.h' | sort
  fi
}

mode="${1:-}"
case "$mode" in
  format | format-fix)
    tool="${2:-clang-format}"
    if [ "$mode" = format-fix ]; then
      cxx_files | xargs "$tool" -i --style=file
      exit 0
    fi
    # One clang-format run over every file; each file that differs is named
    # once, at its first difference.
    if ! cxx_files | xargs "$tool" --style=file --dry-run -Werror --ferror-limit=1; then
      echo "lint: files above are not formatted (scripts/lint.sh format-fix)" >&2
      exit 1
    fi
    ;;
  tidy)
    tool="${2:-clang-tidy}"
    build="${3:-build-fuzz}"
    db="$build/compile_commands.json"
    [ -f "$db" ] || { echo "lint: no $db (configure the fuzz preset first)" >&2; exit 2; }
    # The shim's own translation units: not the tests, the benchmarks or the stand-in engine.
    mapfile -t units < <(/usr/bin/python3 - "$db" <<'PY'
import json, sys
for entry in json.load(open(sys.argv[1])):
    f = entry["file"]
    if "/src/" in f and "/fake_sglang/" not in f and not f.endswith(("_test.cc", "_bench.cc")):
        print(f)
PY
)
    echo "clang-tidy: ${#units[@]} translation units"
    printf '%s\n' "${units[@]}" | sort -u | xargs -P "$(nproc)" -n 4 "$tool" -p "$build" --quiet
    ;;
  *)
    echo "usage: scripts/lint.sh format|format-fix|tidy [tool] [build-dir]" >&2
    exit 2
    ;;
esac
