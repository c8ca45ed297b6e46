#!/usr/bin/env bash
# Full-build benchmark: zhanqun on a generated cluster of PAGES pages, against Hugo building
# the same pages as one site, measured in the same run with hyperfine.
#   bash benches/build.sh [PAGES]      (needs: apt-get install hyperfine hugo)
set -euo pipefail
cd "$(dirname "$0")/.."
PAGES=${1:-10000}
WORK=target/bench-build
rm -rf "$WORK" && mkdir -p "$WORK"
python3 benches/gen_cluster.py "$WORK/cluster" "$PAGES" --hugo "$WORK/hugo"
cargo build --release --quiet
ZQ="$PWD/target/release/zhanqun"
cmds=("$ZQ build --root $WORK/cluster --out $WORK/out-zhanqun")
if command -v hugo >/dev/null; then
  cmds+=("hugo --quiet --source $WORK/hugo --destination $PWD/$WORK/out-hugo")
else
  echo "hugo not installed: measuring zhanqun alone" >&2
fi
hyperfine --warmup 1 --runs 5 --export-markdown "$WORK/result.md" "${cmds[@]}"
cat "$WORK/result.md"
