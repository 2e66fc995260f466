#!/usr/bin/env bash
# Browser accessibility suite of the default theme (issue 4 part 3).
#
#   bash tests/browser/run.sh
#
# 1. installs what is missing on a fresh Debian machine: chromium, fonts-noto-cjk, a JRE, nodejs,
#    npm and poppler-utils via apt (no browser download), the pinned npm packages via `npm ci`;
# 2. builds the default site and every fixture site under tests/fixtures/sites/*/ into a temp folder,
#    and a generated 3,000-task site of which a sample of long paginated lists is checked;
# 3. serves each over a local HTTP server and checks every page in one Chromium instance (a11y.mjs);
# 4. prints pages of the default site to A4 PDFs and counts their pages (print.mjs), then runs the
#    preview and review servers end to end (serve-e2e.mjs, review-e2e.mjs).
#
# Environment: CI=true makes a missing browser or JRE a failure instead of a skip; CHROMIUM, JAVA,
# CONCURRENCY (pages in flight, default 2), FULL=1 (second axe pass on every page), KEEP=1 (keep the
# built sites and print where they are).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"
export CHROMIUM
is_ci() { case "${CI:-}" in 1|true|TRUE|yes) return 0;; *) return 1;; esac; }

# --- 1. system packages -------------------------------------------------------------------------
need=()
[ -x "$CHROMIUM" ] || need+=(chromium)
command -v java >/dev/null 2>&1 || need+=(default-jre-headless)
fc-list : family 2>/dev/null | grep -i "Noto Sans CJK" >/dev/null || need+=(fonts-noto-cjk)
command -v node >/dev/null 2>&1 || need+=(nodejs)
command -v npm >/dev/null 2>&1 || need+=(npm)
command -v pdfinfo >/dev/null 2>&1 || need+=(poppler-utils)
if [ "${#need[@]}" -gt 0 ]; then
  if command -v apt-get >/dev/null 2>&1; then
    SUDO=""
    [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    echo "run.sh: installing ${need[*]} with apt-get" >&2
    export DEBIAN_FRONTEND=noninteractive
    $SUDO apt-get update -q >&2 || true
    $SUDO apt-get install -y -q --no-install-recommends "${need[@]}" >&2 || echo "run.sh: apt-get install failed" >&2
  else
    echo "run.sh: missing ${need[*]} and no apt-get" >&2
  fi
fi
if ! command -v node >/dev/null 2>&1; then
  echo "run.sh: node is not installed" >&2
  echo "0 passed, 1 failed"
  exit 1
fi

# --- npm packages (pinned in package-lock.json; scripts off: nothing is downloaded by postinstall) --
if [ ! -f "$HERE/node_modules/.package-lock.json" ] || [ "$HERE/package-lock.json" -nt "$HERE/node_modules/.package-lock.json" ]; then
  (cd "$HERE" && npm ci --ignore-scripts --no-audit --no-fund >&2)
fi

# --- 2. build the sites -------------------------------------------------------------------------
WORK="$(mktemp -d "${TMPDIR:-/tmp}/gongkai-browser.XXXXXX")"
cleanup() { [ "${KEEP:-}" = 1 ] || rm -rf "$WORK"; }
trap cleanup EXIT
[ "${KEEP:-}" != 1 ] || echo "run.sh: the built sites are kept in $WORK" >&2

cd "$REPO"
fail_build() { echo "run.sh: building $1 failed" >&2; echo "0 passed, 1 failed"; exit 1; }
# One build of the binary and the generator, with the same features `cargo test --release` and
# bench/run.sh use (building the example turns on the test-only dependencies' features too), so
# in CI nothing is compiled again; serve-e2e.mjs and review-e2e.mjs run the same binary.
cargo build --release --quiet --bin gongkai --example synth >&2 || fail_build "gongkai"
TGT="${CARGO_TARGET_DIR:-$REPO/target}"
gk() { "$TGT/release/gongkai" "$@"; }
sites=()
gk build --root "$REPO" --output "$WORK/default" >&2 || fail_build "the default site"
sites+=("default=$WORK/default")
shopt -s nullglob
for dir in "$REPO"/tests/fixtures/sites/*/; do
  name="$(basename "$dir")"
  gk build --root "$dir" --output "$WORK/site-$name" >&2 || fail_build "fixture site $name"
  sites+=("$name=$WORK/site-$name")
done
shopt -u nullglob
# Long lists: a generated plan of 3,000 tasks, whose category pages and ledgers run to several
# pages (pagers with gaps, a pager above and below each list). Only a sample of its pages is
# checked (all of them would add some 3,300 pages); they are copied with the assets.
# No search index: this site is here for its long lists (search is checked on the default site).
"$TGT/release/examples/synth" --tasks 3000 --seed 3 --no-search --out "$WORK/long-src" >&2 \
  || fail_build "the generated long-list site"
gk build --root "$WORK/long-src" --output "$WORK/long-out" >&2 || fail_build "the generated long-list site"
mkdir -p "$WORK/long"
cp -r "$WORK/long-out/assets" "$WORK/long/"
# Page K > 1 of list NAME is NAME-K.html beside NAME.html, or NAME/K.html (either naming works).
# most_pages DIR: the list in DIR with the most pages, as "NAME LAST".
most_pages() {
  (cd "$1" && {
    ls | sed -n 's/^\(.*\)-\([0-9]*\)\.html$/\1 \2/p'
    find . -mindepth 2 -maxdepth 2 -name '[0-9]*.html' | sed -n 's|^\./\(.*\)/\([0-9]*\)\.html$|\1 \2|p'
  } | sort -k2 -n | tail -1)
}
# page_file DIR NAME K: the file of page K of list NAME in DIR (under the built site).
page_file() {
  if [ "$3" = 1 ]; then echo "$1/$2.html"
  elif [ -f "$WORK/long-out/$1/$2/$3.html" ]; then echo "$1/$2/$3.html"
  else echo "$1/$2-$3.html"; fi
}
pages=(index.html)
for dir in units "$(cd "$WORK/long-out" && ls -d */categories | head -1)"; do
  read -r name last <<<"$(most_pages "$WORK/long-out/$dir")"
  for k in 1 $(( (last + 1) / 2 )) "$last"; do pages+=("$(page_file "$dir" "$name" "$k")"); done
done
for f in "${pages[@]}"; do
  mkdir -p "$WORK/long/$(dirname "$f")"
  cp "$WORK/long-out/$f" "$WORK/long/$f" || fail_build "the generated long-list site ($f)"
done
if ! grep -q 'class=gap' "$WORK/long/${pages[5]}"; then
  echo "run.sh: the generated site has no pager with gaps (${pages[5]})" >&2
  echo "0 passed, 1 failed"
  exit 1
fi
sites+=("long=$WORK/long")

# --- 3. check them ------------------------------------------------------------------------------
cd "$HERE"
set +e
node a11y.mjs "${sites[@]}" 2>&1 | tee "$WORK/a11y.out"
s1=${PIPESTATUS[0]}

# --- 4. printing: A4 PDFs of the home, a category, two tasks and a ledger, pages counted ---------
node print.mjs "$WORK/default" 2>&1 | tee "$WORK/print.out"
s4=${PIPESTATUS[0]}

# --- 5. the reviewers' preview end to end: start `gongkai serve`, edit a file, watch the page --
node serve-e2e.mjs 2>&1 | tee "$WORK/serve.out"
s2=${PIPESTATUS[0]}

# --- 5b. portal pages: the first screen on a phone, and site search at the root and a sub-path -
node portal.mjs "$WORK/default" 2>&1 | tee "$WORK/search.out"
s5=${PIPESTATUS[0]}

# --- 6. 三审 in three browsers over HTTPS: enrol, sign, return, refuse, build ------------------
node review-e2e.mjs 2>&1 | tee "$WORK/review.out"
s3=${PIPESTATUS[0]}
set -e

# One closing line for the whole browser suite.
# A part that printed no closing line counts as one failure.
count() { tail -n 1 "$1" | sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed.*/\1 \2/p' | grep . || echo "0 1"; }
read -r p1 f1 <<<"$(count "$WORK/a11y.out")"
read -r p2 f2 <<<"$(count "$WORK/serve.out")"
read -r p3 f3 <<<"$(count "$WORK/review.out")"
read -r p4 f4 <<<"$(count "$WORK/print.out")"
read -r p5 f5 <<<"$(count "$WORK/search.out")"
p=$((p1 + p2 + p3 + p4 + p5))
f=$((f1 + f2 + f3 + f4 + f5))
status=0
if [ "$s1" -ne 0 ] || [ "$s2" -ne 0 ] || [ "$s3" -ne 0 ] || [ "$s4" -ne 0 ] || [ "$s5" -ne 0 ] || [ "$f" -ne 0 ]; then status=1; fi
echo "browser: $p passed, $f failed"
exit "$status"
