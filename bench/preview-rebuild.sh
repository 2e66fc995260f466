#!/usr/bin/env bash
# Measures the preview's rebuild after a one-record change: starts `gongkai serve` on a copy of a
# site (default: the project's content/), edits one progress record N times, and prints the
# rebuild times gongkai logs (from the change being noticed to the new pages being served), their
# median, and the watcher's debounce, which comes on top.
#   bash bench/preview-rebuild.sh [SITE_DIR] [N]
# Environment: CARGO_TARGET_DIR (as for cargo).
set -euo pipefail
cd "$(dirname "$0")/.."
SRC="${1:-.}"
N="${2:-10}"
cargo build --release --quiet
GK="${CARGO_TARGET_DIR:-target}/release/gongkai"
WORK="$(mktemp -d)"
trap 'kill $PID 2>/dev/null || true; rm -rf "$WORK"' EXIT
cp -r "$SRC/content" "$WORK/content"
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$GK" serve --root "$WORK" --port "$PORT" 2> "$WORK/log" &
PID=$!
for _ in $(seq 100); do grep -q "预览已启动" "$WORK/log" 2>/dev/null && break; sleep 0.1; done
FILE="$(ls "$WORK"/content/plans/*/progress/*.yaml | head -1)"
for i in $(seq "$N"); do
  python3 - "$FILE" "$i" <<'PY'
import re, sys
p, i = sys.argv[1], sys.argv[2]
s = open(p, encoding="utf-8").read()
s = re.sub(r"summary: (.*?)( 〔改动\d+〕)?\n", lambda m: f"summary: {m.group(1)} 〔改动{i}〕\n", s, count=1)
open(p, "w", encoding="utf-8").write(s)
PY
  sleep 1
done
grep "预览已启动" "$WORK/log"
grep -o "生成用时 [0-9]* 毫秒（从收到通知起 [0-9]* 毫秒；另有文件监视防抖 [0-9]* 毫秒）" "$WORK/log" | sort -t' ' -k2 -n | awk '{print} {split($0,a," "); t[NR]=a[2]} END {print "rebuilds: " NR ", median: " t[int((NR+1)/2)] " ms (debounce reported separately above)"}'
