#!/usr/bin/env python3
"""Sharded build: each county's subtree built in a separate process, then the city, and the
result compared byte for byte with one full build.

usage: sharded.py [PAGES]        (default 10000)

This is the path beyond one machine (docs/ci.md, "A CI matrix per county"): every shard
starts from the previous published output (here: a full build made first, as yesterday's
deploy would be), builds its county and the schools below it with `--site`, reading the
other sites from their manifests, and hands its subtree folders on; a last job builds the
city from the shards' manifests. The script prints each shard's time and peak memory and
exits 1 if any file differs from a single full build of the changed cluster.
"""
import filecmp
import os
import re
import resource
import shutil
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PAGES = int(sys.argv[1]) if len(sys.argv) > 1 else 10000
WORK = os.path.join(ROOT, "target", "bench-sharded")
ZQ = os.path.join(ROOT, "target", "release", "zhanqun")


def run(args):
    start = time.monotonic()
    subprocess.run([ZQ, *args], check=True, stdout=subprocess.DEVNULL, env={**os.environ, "CI": "true"})
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024
    return time.monotonic() - start, peak


def parents(cluster):
    out = {}
    for name in os.listdir(os.path.join(cluster, "sites")):
        text = open(os.path.join(cluster, "sites", name), encoding="utf-8").read()
        m = re.search(r"^parent:\s*(\S+)", text, re.M)
        out[name[:-5]] = m.group(1) if m else None
    return out


def subtree(tree, top):
    out = [top]
    for site, parent in sorted(tree.items()):
        if parent == top:
            out.extend(subtree(tree, site))
    return out


def differences(a, b):
    cmp = filecmp.dircmp(a, b, ignore=[".zhanqun"])
    diffs = cmp.left_only + cmp.right_only + cmp.diff_files
    for sub in cmp.common_dirs:
        diffs += [os.path.join(sub, d) for d in differences(os.path.join(a, sub), os.path.join(b, sub))]
    return diffs


def main():
    shutil.rmtree(WORK, ignore_errors=True)
    cluster = os.path.join(WORK, "cluster")
    subprocess.run([sys.executable, os.path.join(ROOT, "benches", "gen_cluster.py"), cluster, str(PAGES)], check=True, stdout=subprocess.DEVNULL)
    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    previous = os.path.join(WORK, "previous")
    run(["build", "--root", cluster, "--out", previous])
    # Today's edits: one news item offered up in a school of every county.
    tree = parents(cluster)
    counties = sorted(s for s, p in tree.items() if p == "city")
    for county in counties:
        school = subtree(tree, county)[1]
        news = os.path.join(cluster, "content", school, "news")
        with open(os.path.join(news, "2026-11-20-今日新闻.md"), "w", encoding="utf-8") as f:
            f.write(f"---\ntitle: {school}今日新闻\nsyndicate: up\n---\n今日。\n")
    full = os.path.join(WORK, "full")
    took, peak = run(["build", "--root", cluster, "--out", full])
    print(f"one full build: {took:.1f} s, {peak} MB peak")
    merged = os.path.join(WORK, "merged")
    shutil.copytree(previous, merged, copy_function=os.link)
    for county in counties:
        shard = os.path.join(WORK, "shard-" + county)
        shutil.copytree(previous, shard, copy_function=os.link)
        sites = subtree(tree, county)
        took, peak = run(["build", "--root", cluster, "--out", shard, *sum((["--site", s] for s in sites), [])])
        print(f"shard {county} ({len(sites)} sites): {took:.1f} s")
        for site in sites:
            shutil.rmtree(os.path.join(merged, site))
            shutil.copytree(os.path.join(shard, site), os.path.join(merged, site), copy_function=os.link)
    took, _ = run(["build", "--root", cluster, "--out", merged, "--site", "city"])
    print(f"city from the shards' manifests: {took:.1f} s")
    diffs = differences(full, merged)
    print(f"sharded result vs one full build: {len(diffs)} file(s) differ")
    for d in diffs[:10]:
        print("  ", d)
    sys.exit(1 if diffs else 0)


if __name__ == "__main__":
    main()
