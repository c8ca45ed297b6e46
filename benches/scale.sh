#!/usr/bin/env bash
# City-scale benchmark (issue: 100,000 pages): the rows of the performance table, each with
# wall time and peak memory (GNU time), in one run:
#   1. full build into an empty output folder
#   2. full build over the previous output (nothing changed: every file is linked, not written)
#   3. full build after one school page changed
#   4. `check` of the whole cluster
#   5. Hugo building the same pages as one site (when `hugo` is installed)
# then the same for the city's shape (benches/gen_city.py), on this disk as well when
# BENCH_DIR is a tmpfs, and the paired one-site rows
# against Hugo and Zola (benches/pair.sh). Every figure of the README's table is one run of
# this script.
#   bash benches/scale.sh [PAGES]        (default 100000; needs python3, GNU time)
#   BENCH_DIR=/dev/shm/bench bash benches/scale.sh    (on a tmpfs)
# `serve` start and edit-to-served times: python3 benches/serve_edit.py PAGES.
set -euo pipefail
cd "$(dirname "$0")/.."
PAGES=${1:-100000}
WORK=${BENCH_DIR:-target/bench-scale}
ZQ="$PWD/target/release/zhanqun"
export ZHANQUN_LANG=en
cargo build --release --quiet
if [ ! -f "$WORK/cluster/cluster.yaml" ] || [ "$(cat "$WORK/pages" 2>/dev/null)" != "$PAGES" ]; then
  rm -rf "$WORK" && mkdir -p "$WORK"
  python3 benches/gen_cluster.py "$WORK/cluster" "$PAGES" --hugo "$WORK/hugo" >/dev/null
  echo "$PAGES" > "$WORK/pages"
fi
rm -rf "$WORK/out" "$WORK"/.out.zhanqun-*
measure() {
  local label=$1; shift
  /usr/bin/time -f "$label: %e s wall, %M KB peak RSS" "$@" > "$WORK/last.log" 2> "$WORK/time.log" || true
  tail -n 1 "$WORK/time.log"
}
echo "$PAGES pages: $(find "$WORK/cluster/content" -name '*.md' | wc -l) Markdown files"
measure "build, empty output folder   " "$ZQ" build --root "$WORK/cluster" --out "$WORK/out"
measure "build over previous output   " "$ZQ" build --root "$WORK/cluster" --out "$WORK/out"
page=$(find "$WORK/cluster/content" -path '*news*' -name '*.md' | sort | tail -n 1)
printf '\n本页已更新。\n' >> "$page"
measure "build after one page changed " "$ZQ" build -v --root "$WORK/cluster" --out "$WORK/out"
grep -h "unchanged" "$WORK/time.log" "$WORK/last.log" 2>/dev/null || true
measure "check                        " "$ZQ" check --root "$WORK/cluster" --today 2026-01-01
if command -v hugo >/dev/null; then
  measure "hugo, same pages as one site " hugo --quiet --source "$WORK/hugo" --destination "$(realpath -m "$WORK")/out-hugo"
fi

# The city's shape (benches/gen_city.py): 12 counties, ~2,000 schools, notices pushed down to
# every school, a 10,000-resource library. Output size and the largest page, beside the times.
CITY="$WORK/city"
if [ ! -f "$CITY/cluster/cluster.yaml" ] || [ "$(cat "$CITY/pages" 2>/dev/null)" != "$PAGES" ]; then
  rm -rf "$CITY" && mkdir -p "$CITY"
  python3 benches/gen_city.py "$CITY/cluster" "$PAGES"
  echo "$PAGES" > "$CITY/pages"
fi
# A previous run's replaced tree too: the build would remove it in the background.
rm -rf "$CITY/out" "$CITY"/.out.zhanqun-*
sync
measure "city shape: build, empty out " "$ZQ" build --root "$CITY/cluster" --out "$CITY/out"
tail -n 1 "$WORK/last.log"
echo "city shape: output $(du -sh "$CITY/out" | cut -f1), largest page $(find "$CITY/out" -name '*.html' -printf '%s %P\n' | sort -n | tail -n 1)"
sync
measure "city shape: build over output" "$ZQ" build --root "$CITY/cluster" --out "$CITY/out"
measure "city shape: check            " "$ZQ" check --root "$CITY/cluster" --today 2026-01-01
# The city built onto this machine's disk too when the runs above went to a tmpfs, each after
# `sync` so that the previous run's writeback does not land in the next one.
# The disk's trees are removed only at the end: an ext4 without a journal (as on the
# machine of the README's table) skips inodes freed in the last minutes while it allocates
# new ones, so a large tree removed just before a build makes that build's file creation
# several times slower (see the README's Benchmarks).
DISK="$PWD/target/bench-disk"
if [ "$(df --output=fstype "$WORK" | tail -n 1)" = tmpfs ]; then
  rm -rf "$CITY/out" "$DISK" && mkdir -p "$DISK" && sync
  journal=$([ -n "$(ls /proc/fs/jbd2 2>/dev/null)" ] && echo "with a journal" || echo "no journal")
  echo "disk: $(df --output=fstype "$DISK" | tail -n 1), $journal"
  measure "city shape: build, disk, empty " "$ZQ" build --root "$CITY/cluster" --out "$DISK/out"
  sync
  measure "city shape: build, disk, over  " "$ZQ" build --root "$CITY/cluster" --out "$DISK/out"
fi
bash benches/pair.sh 5000
rm -rf "$DISK"
