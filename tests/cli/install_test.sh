#!/usr/bin/env bash
# An installed tree finds its bundled files next to the binary (docs/install.md), without the source tree:
#   install_test.sh BUILD_DIR SOURCE_DIR
# 1. `cmake --install` into a temporary prefix; the binary runs from another directory with no FIREBREAK_*
#    variables and finds share/firebreak/rules and share/firebreak/forces;
# 2. the tree still works after it is moved (nothing absolute is compiled in); the binary holds no source path;
# 3. with its rules removed it fails with exit 8 (not found) and names the search order;
# 4. FIREBREAK_RULES still wins.
set -euo pipefail
build=$1
src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "install_test: $*" >&2; exit 1; }

cmake --install "$build" --prefix "$tmp/prefix" >/dev/null
unset FIREBREAK_RULES FIREBREAK_FORCES FIREBREAK_GEO_PLUGIN
export XDG_CACHE_HOME="$tmp/cache"
cp "$src/tests/engine/data/iii-area-casualties-night.json" "$tmp/report.json"
cd "$tmp"

check_tree() {
  local bin=$1/bin/firebreak
  [ -x "$bin" ] || fail "$bin not installed"
  [ -f "$1/share/firebreak/rules/liuzhou-2022.yaml" ] || fail "rule file not installed"
  out=$("$bin" rules show) || fail "rules show failed in $1"
  grep -q '超过50公顷' <<<"$out" || fail "rules show did not print the Liuzhou table"
  out=$("$bin" assess report.json) || fail "assess failed in $1"
  grep -q 'Ⅲ级响应' <<<"$out" || fail "assess did not decide level III: $out"
  out=$("$bin" --lang en forces) || fail "forces (demo registry + plugin) failed in $1: $out"
  grep -q 'DEMO' <<<"$out" || fail "forces did not read the bundled demo registry: $out"
}

check_tree "$tmp/prefix"
if grep -qF "$src/rules" "$tmp/prefix/bin/firebreak"; then fail "the binary embeds the source path $src/rules"; fi

mv "$tmp/prefix" "$tmp/moved"
check_tree "$tmp/moved"

mv "$tmp/moved/share/firebreak/rules" "$tmp/rules-aside"
set +e
err=$("$tmp/moved/bin/firebreak" rules show 2>&1)
code=$?
set -e
[ "$code" -eq 8 ] || fail "missing rules: exit $code, want 8: $err"
grep -q 'FIREBREAK_RULES' <<<"$err" || fail "missing rules: the error does not name the search order: $err"

FIREBREAK_RULES="$tmp/rules-aside/liuzhou-2022.yaml" "$tmp/moved/bin/firebreak" rules show >/dev/null ||
  fail "FIREBREAK_RULES was not used"
echo "install_test: ok"
