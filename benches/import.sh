#!/usr/bin/env bash
# Word import benchmark (issue: a 30-page document with 20 pictures in well under a second):
# `zhanqun import` writing the page bundle, against mammoth.js converting the same document
# to HTML (the most used docx converter), in the same run with hyperfine; peak memory with
# GNU time.
#   bash benches/import.sh [PAGES] [PICTURES]   (needs python-docx, hyperfine; npm for mammoth)
set -euo pipefail
cd "$(dirname "$0")/.."
PAGES=${1:-30}
PICTURES=${2:-20}
WORK=target/bench-import
rm -rf "$WORK" && mkdir -p "$WORK"
cargo build --release --quiet
ZQ="$PWD/target/release/zhanqun"
DOC="$WORK/工作总结.docx"
python3 benches/import_doc.py "$DOC" "$PAGES" "$PICTURES"
cp -r tests/fixtures/basic "$WORK/cluster"
cmds=("$ZQ import $DOC --to school/news/总结 --root $WORK/cluster")
prepare="rm -rf $WORK/cluster/content/school/news/*-总结"
mkdir -p "$WORK/mammoth"
if command -v npm >/dev/null && (cd "$WORK" && npm install --silent --prefix . mammoth >/dev/null 2>&1); then
  cmds+=("$WORK/node_modules/.bin/mammoth $DOC --output-dir=$WORK/mammoth")
else
  echo "npm not available: measuring zhanqun alone" >&2
fi
hyperfine --warmup 2 --runs 10 --prepare "$prepare" --export-markdown "$WORK/result.md" "${cmds[@]}"
cat "$WORK/result.md"
eval "$prepare"
/usr/bin/time -f "zhanqun import: %e s wall, %M KB peak RSS" "$ZQ" import "$DOC" --to school/news/总结 --root "$WORK/cluster" >/dev/null
