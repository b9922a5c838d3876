#!/usr/bin/env bash
# Every C++ source and header of the repository is formatted by .clang-format (clang-format 14, Debian's).
#   tools/check_format.sh          list the files that differ (exit 1 if any), with the first differences
#   tools/check_format.sh --fix    format them in place
# Run as a test (ctest -R clang_format). Tables the formatter would mangle stay inside `// clang-format off/on`.
set -euo pipefail
cd "$(dirname "$0")/.."
cf=$(command -v clang-format-14 || command -v clang-format || true)
if [ -z "$cf" ]; then
  echo "check_format: clang-format not installed (apt-get install clang-format-14)" >&2
  exit 2
fi
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  mapfile -t files < <(git ls-files '*.cc' '*.h')
else
  mapfile -t files < <(find . -path ./build -prune -o \( -name '*.cc' -o -name '*.h' \) -print | sort)
fi
if [ "${1:-}" = "--fix" ]; then
  "$cf" -i "${files[@]}"
  exit 0
fi
# One formatter process for every file (a process per file takes minutes on a loaded machine).
if ! out=$("$cf" --dry-run --Werror "${files[@]}" 2>&1); then
  bad=$(grep -E '^[^ :]+:[0-9]+:[0-9]+: error:' <<< "$out" | cut -d: -f1 | sort -u || true)
  echo "$out" | head -20
  echo "check_format: $(wc -l <<< "$bad") of ${#files[@]} files are not formatted by .clang-format:" >&2
  echo "$bad" | head -20 >&2
  echo "  (tools/check_format.sh --fix formats them)" >&2
  exit 1
fi
echo "check_format: ${#files[@]} files formatted"
