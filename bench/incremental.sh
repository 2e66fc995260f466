#!/usr/bin/env bash
# Incremental publish (issue 18, item 3): for each N, a country-shaped synthetic site
# (examples/synth.rs: 4 plans, 3,000 units, about 3 signed records per task, search off unless
# SEARCH=1), built in full once; then REPS times: one progress record's summary edited and signed
# again through 初审/复审/终审 with the example reviewers' keys (`gongkai sign`, untimed), and the
# site built into its previous output (incremental); then the same kind of edit built with
# `--full`. Prints the median wall time and peak RSS of each, and the stage timings of the last
# incremental build. Output on disk under $WORK (default a temporary folder, removed at the end).
#   bash bench/incremental.sh [N ...]        default: 10000 50000
#   REPS=5 SEARCH=1 bash bench/incremental.sh 10000
# Environment: CARGO_TARGET_DIR (as for cargo), WORK (where sites and outputs go).
set -euo pipefail
cd "$(dirname "$0")/.."
SIZES=("$@")
[ ${#SIZES[@]} -eq 0 ] && SIZES=(10000 50000)
REPS="${REPS:-3}"
cargo build --release --quiet --bin gongkai --example synth
T="${CARGO_TARGET_DIR:-target}/release"
GK="$(pwd)/$T/gongkai"
KEYS="$(pwd)/tests/fixtures/example-keys"
OWN_WORK=0
if [ -z "${WORK:-}" ]; then WORK="$(mktemp -d)"; OWN_WORK=1; fi
# The signature cache of this run only (the first build verifies every sign-off once).
export GONGKAI_CACHE_DIR="$WORK/cache"
cleanup() { [ "$OWN_WORK" = 1 ] && rm -rf "$WORK"; return 0; }
trap cleanup EXIT
command -v /usr/bin/time >/dev/null || { echo "needs GNU time (apt-get install time)" >&2; exit 2; }

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

# One timed build: prints "WALL RSS_MIB" and keeps the log in $WORK/last.log.
timed() {
  GONGKAI_TIMINGS=1 /usr/bin/time -f "%e %M" -o "$WORK/time" "$GK" build "$@" > "$WORK/last.log" 2>&1 \
    || { cat "$WORK/last.log" >&2; exit 1; }
  awk '{printf "%s %.0f\n", $1, $2/1024}' "$WORK/time"
}

# Edit record number $2 of the first progress file of site $1 and sign it again at every stage.
edit_and_sign() {
  local site=$1 k=$2
  local file rel id
  file="$(ls "$site"/content/plans/*/progress/*.yaml | head -1)"
  rel="${file#"$site"/}"
  id="$(python3 - "$file" "$k" <<'PY'
import re, sys
path, k = sys.argv[1], int(sys.argv[2])
text = open(path, encoding="utf-8").read()
ids = re.findall(r"^  - id: (\S+)$", text, flags=re.M)
rid = ids[k % len(ids)]
# The summary of that record: a suffix saying which edit this is.
start = text.index(f"  - id: {rid}\n")
at = text.index("    summary: \"", start) + len("    summary: \"")
end = text.index("\"\n", at)
body = re.sub(r"（第\d+次修改）$", "", text[at:end])
text = text[:at] + body + f"（第{k}次修改）" + text[end:]
open(path, "w", encoding="utf-8").write(text)
print(rid)
PY
)"
  local stage reviewer
  for pair in 初审:shili-chushen 复审:shili-fushen 终审:shili-zhongshen; do
    stage="${pair%%:*}"; reviewer="${pair#*:}"
    "$GK" sign --root "$site" "$rel#$id" --stage "$stage" --as "$reviewer" \
      --key "$KEYS/$reviewer.key.json" --passphrase-file "$KEYS/passphrase.txt" > /dev/null 2>&1 \
      || { echo "gongkai sign failed for $rel#$id at $stage" >&2; exit 1; }
  done
}

echo "Machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo); output on disk ($WORK); search: ${SEARCH:-0}; $REPS edits"
echo
echo "| tasks | full build (first) | rebuild, nothing changed | one record changed: incremental | one record changed: --full | files rendered / replaced (last incremental) |"
echo "|---:|---:|---:|---:|---:|---:|"
for N in "${SIZES[@]}"; do
  site="$WORK/site-$N"; out="$WORK/out-$N"
  rm -rf "$site" "$out"
  flags=(--no-search); [ "${SEARCH:-0}" = 1 ] && flags=()
  "$T/examples/synth" --tasks "$N" --plans 4 --units 3000 --records-per-task 3 --seed 1 \
    "${flags[@]}" --out "$site" 2> /dev/null
  first=$(timed --root "$site" --output "$out")
  same=$(timed --root "$site" --output "$out")
  inc=(); full=()
  for k in $(seq 1 "$REPS"); do
    edit_and_sign "$site" "$k"
    inc+=("$(timed --root "$site" --output "$out")")
    grep -q "只有进展记录改动" "$WORK/last.log" || { echo "N=$N edit $k: not incremental" >&2; cat "$WORK/last.log" >&2; exit 1; }
    cp "$WORK/last.log" "$WORK/inc.log"
  done
  for k in $(seq 1 "$REPS"); do
    edit_and_sign "$site" "$((k + REPS))"
    full+=("$(timed --root "$site" --output "$out" --full)")
  done
  med() { printf '%s\n' "$@" | awk '{print $1}' | median; }
  medrss() { printf '%s\n' "$@" | awk '{print $2}' | median; }
  counts=$(grep -o "重新生成了受影响的 [0-9]* 个文件，其中 [0-9]* 个" "$WORK/inc.log" | grep -o "[0-9]*" | paste -sd/ -)
  echo "| $N | ${first% *} s, ${first#* } MiB | ${same% *} s, ${same#* } MiB | **$(med "${inc[@]}") s**, $(medrss "${inc[@]}") MiB | $(med "${full[@]}") s, $(medrss "${full[@]}") MiB | $counts |"
  grep -E "^timings" "$WORK/inc.log" | sed "s/^/    N=$N incremental /" >&2
  rm -rf "$site" "$out" "$WORK"/.out-"$N".* "$WORK"/out-"$N".*
done
