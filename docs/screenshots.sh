#!/usr/bin/env bash
# Screenshots of both shipped themes (default, campus) at 390 px and 1280 px, made from the
# example cluster in Debian's chromium: bash docs/screenshots.sh [OUT_DIR]; and the editor's,
# which the guide shows, into docs/images (with the checks of tests/browser/editor.mjs).
# (default target/screenshots). Needs node, chromium and a CJK font (Debian: apt-get install
# fonts-noto-cjk, or the Chinese text shows as boxes); installs its npm packages locally.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-target/screenshots}
npm install --prefix target/npm --no-audit --no-fund --loglevel=error \
  playwright-core@1.52.0 axe-core@4.10.3 >/dev/null
cargo build --release --quiet
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
port=$(free_port)
preview=$(free_port)
ZHANQUN_LANG=zh-CN target/release/zhanqun edit --port "$port" --preview-port "$preview" >/dev/null 2>&1 &
server=$!
trap 'kill $server' EXIT
sleep 2
NODE_PATH="$PWD/target/npm/node_modules" node tests/browser/screenshots.mjs "http://127.0.0.1:$preview/" "$out"
SHOTS_DIR=docs/images NODE_PATH="$PWD/target/npm/node_modules" node tests/browser/editor.mjs "http://127.0.0.1:$port/"
