#!/usr/bin/env bash
# Compare the build time of this checkout with an earlier commit on the same generated site.
#
#   bench/compare.sh b663a8a            # 10,000 tasks, 10 alternating runs each
#   N=50000 RUNS=6 bench/compare.sh b663a8a
#   FRESH=1 bench/compare.sh b663a8a    # delete both outputs (untimed) before every timed run
#
# The earlier commit is built (release) in a temporary git worktree with its own target folder
# (BASE_TARGET to reuse one). Both binaries build the same `synth --tasks N --seed SEED` site,
# rebuilding into their previous output (one untimed warm-up each), alternating, timed with
# /usr/bin/time. Prints every run, then the median wall and CPU (user + sys) of each and the
# change. Scratch files go to WORK (default /dev/shm when writable).
set -euo pipefail

BASE=${1:?usage: bench/compare.sh COMMIT}
N=${N:-10000}
RUNS=${RUNS:-10}
SEED=${SEED:-1}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
if [ -z "${WORK:-}" ]; then
  if [ -d /dev/shm ] && [ -w /dev/shm ]; then WORK=/dev/shm/gongkai-compare.$$; else WORK=$(mktemp -d)/gongkai-compare; fi
fi
mkdir -p "$WORK"
TREE="$WORK/base-tree"
cleanup() { git worktree remove --force "$TREE" >/dev/null 2>&1 || true; rm -rf "$WORK"; }
trap cleanup EXIT

echo "== building this checkout and the generator (release)" >&2
cargo build --release --quiet --bin gongkai --example synth
TGT=${CARGO_TARGET_DIR:-$ROOT/target}
NEW="$TGT/release/gongkai"
SYNTH="$TGT/release/examples/synth"

echo "== building $BASE (release)" >&2
git worktree add --detach "$TREE" "$BASE" >/dev/null
BASE_TARGET=${BASE_TARGET:-$WORK/base-target}
(cd "$TREE" && CARGO_TARGET_DIR="$BASE_TARGET" cargo build --release --quiet --bin gongkai)
OLD="$BASE_TARGET/release/gongkai"

echo "== generating $N tasks (seed $SEED)" >&2
"$SYNTH" --tasks "$N" --seed "$SEED" --out "$WORK/site" >/dev/null
"$OLD" build --root "$WORK/site" --output "$WORK/out-base" >/dev/null 2>&1
"$NEW" build --root "$WORK/site" --output "$WORK/out-new" >/dev/null 2>&1

: >"$WORK/times"
for i in $(seq "$RUNS"); do
  for which in base new; do
    if [ $which = base ]; then bin=$OLD; else bin=$NEW; fi
    if [ "${FRESH:-0}" = 1 ]; then rm -rf "$WORK/out-$which" "$WORK"/.out-$which.*; fi
    /usr/bin/time -f "$which %e %U %S" -a -o "$WORK/times" \
      "$bin" build --root "$WORK/site" --output "$WORK/out-$which" >/dev/null 2>&1
  done
done
cat "$WORK/times"
awk -v base="$BASE" '
  { wall[$1] = wall[$1] " " $2; cpu[$1] = cpu[$1] " " ($3 + $4) }
  function median(s,   a, n, i, j, t) {
    n = split(s, a, " ")
    for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
    return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
  }
  END {
    bw = median(wall["base"]); nw = median(wall["new"]); bc = median(cpu["base"]); nc = median(cpu["new"])
    printf "median wall: %s %.2f s, this checkout %.2f s (%+.1f%%)\n", base, bw, nw, (nw / bw - 1) * 100
    printf "median CPU:  %s %.2f s, this checkout %.2f s (%+.1f%%)\n", base, bc, nc, (nc / bc - 1) * 100
  }' "$WORK/times"
