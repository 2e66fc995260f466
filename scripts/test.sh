#!/usr/bin/env bash
# Runs every test of the project on a fresh Debian machine, installing what it needs first:
# Rust unit + integration tests (incl. the mutation test and the nginx sub-path test), the
# browser suite (Chromium, axe-core, Nu HTML Checker) and the benchmark script at N = 1,000.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v chromium >/dev/null || need+=(chromium)
fc-list 2>/dev/null | grep -qi "Noto Sans CJK" || need+=(fonts-noto-cjk)
command -v java >/dev/null || need+=(default-jre-headless)
[ -x /usr/sbin/nginx ] || need+=(nginx-light)
[ -x /usr/bin/time ] || need+=(time)
if [ ${#need[@]} -gt 0 ]; then
  echo "== installing: ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

echo "== cargo build --release"
# The binary, with the same features `cargo run --release` uses later (building with
# --all-targets would unify dev-dependency features and compile the library twice).
cargo build --release

echo "== Rust tests (unit, integration, mutation)"
cargo test --release

if [ -f bench/run.sh ]; then
  echo "== benchmark script, N = 1,000, untimed (keeps it from rotting)"
  bash bench/run.sh --ci
fi

if [ -f tests/browser/run.sh ]; then
  echo "== browser suite (every page: axe-core, Nu HTML Checker, reflow, keyboard, toolbar)"
  bash tests/browser/run.sh
fi
