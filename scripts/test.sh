#!/usr/bin/env bash
# Runs every test of the project on a fresh Debian machine, installing what it needs first:
# the lints CI enforces (rustfmt, clippy and rustdoc, all with warnings as errors; first, so a
# lint failure stops the run before anything slow), Rust unit + integration tests (incl. the
# mutation test and the nginx sub-path test), the browser suite (Chromium, axe-core, Nu HTML
# Checker), the office round trips (openpyxl, LibreOffice Calc) and the benchmark script at
# N = 1,000.
set -euo pipefail
cd "$(dirname "$0")/.."

# Minutes:seconds since the start, on every stage line, so the log shows what each stage costs.
at() { printf '%d:%02d' $((SECONDS / 60)) $((SECONDS % 60)); }

# has_component CMD COMPONENT: whether `cargo CMD` runs; installs the rustup COMPONENT when
# it is missing and rustup can fetch it. Prints why not otherwise.
has_component() {
  local cmd=$1 component=$2
  cargo "$cmd" --version >/dev/null 2>&1 && return 0
  if command -v rustup >/dev/null; then
    echo "== [$(at)] installing the rustup component $component"
    rustup component add "$component" || true
    cargo "$cmd" --version >/dev/null 2>&1 && return 0
  fi
  echo "== [$(at)] SKIPPED: cargo $cmd — the rustup component $component is not installed and could not be installed here (rustup component add $component)"
  return 1
}

if has_component fmt rustfmt; then
  echo "== [$(at)] cargo fmt --check"
  cargo fmt --check
fi
# The lints with the release profile: the build scripts and procedural macros they compile
# (syn, serde_derive, ring's and the other build scripts, at the release profile's settings) are
# the ones the release test build below uses, so they are compiled once, not twice.
if has_component clippy clippy; then
  echo "== [$(at)] cargo clippy --release --all-targets -- -D warnings"
  cargo clippy --release --all-targets -- -D warnings
fi
echo "== [$(at)] cargo doc --release --no-deps (rustdoc warnings are errors)"
RUSTDOCFLAGS=-Dwarnings cargo doc --release --no-deps

need=()
command -v chromium >/dev/null || need+=(chromium)
fc-list 2>/dev/null | grep -qi "Noto Sans CJK" || need+=(fonts-noto-cjk)
command -v java >/dev/null || need+=(default-jre-headless)
[ -x /usr/sbin/nginx ] || need+=(nginx-light)
[ -x /usr/bin/time ] || need+=(time)
# Publishing over SSH is tested against a real sshd with the system's ssh and rsync.
[ -x /usr/sbin/sshd ] || need+=(openssh-server)
command -v ssh >/dev/null || need+=(openssh-client)
command -v rsync >/dev/null || need+=(rsync)
# The browser suite runs on Node.js and installs its pinned packages with npm.
command -v node >/dev/null || need+=(nodejs)
command -v npm >/dev/null || need+=(npm)
# The browser suite prints pages to PDF and counts them with poppler's pdfinfo.
command -v pdfinfo >/dev/null || need+=(poppler-utils)
# Unit report sheets and leaders' reports are read back as Excel's users would: openpyxl and
# LibreOffice Calc.
/usr/bin/python3 -c "import openpyxl" 2>/dev/null || need+=(python3-openpyxl)
[ -x /usr/bin/soffice ] || need+=(libreoffice-calc-nogui)
if [ ${#need[@]} -gt 0 ]; then
  echo "== [$(at)] installing: ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

# gongkai remembers the signatures it has verified in ~/.cache/gongkai; the tests get a cache of
# their own, so that neither the user's cache (which a large site makes tens of megabytes, read by
# every build) nor what the tests leave behind changes what is measured or found.
GONGKAI_CACHE_DIR="$(mktemp -d "${TMPDIR:-/tmp}/gongkai-test-cache.XXXXXX")"
export GONGKAI_CACHE_DIR
trap 'rm -rf "$GONGKAI_CACHE_DIR"' EXIT

echo "== [$(at)] cargo test --release --no-run (compiles the binary, the examples and the tests)"
# Once, with the features the test-only dependencies turn on: bench/run.sh and the browser suite
# build `--bin gongkai --example synth`, which resolves the same features, so nothing after this
# compiles again (a plain `cargo build --release` would resolve without them and compile the
# library, its dependents and gongkai a second time).
cargo test --release --no-run

echo "== [$(at)] Rust tests (unit, integration, mutation)"
# One test at a time: most tests run gongkai builds that use both cores themselves, and two at
# once (nginx and SSH publishing, the swap's fsyncs, the privacy builds) took 584 s against
# 446 s one after another (measured on the single integration binary, CI=true).
cargo test --release -- --test-threads=1

if [ -f bench/run.sh ]; then
  echo "== [$(at)] benchmark script, N = 1,000, untimed (keeps it from rotting)"
  bash bench/run.sh --ci
fi

if [ -f tests/browser/run.sh ]; then
  echo "== [$(at)] browser suite (every page: axe-core, Nu HTML Checker, reflow, keyboard, toolbar)"
  bash tests/browser/run.sh
fi

echo "== [$(at)] all tests passed"
