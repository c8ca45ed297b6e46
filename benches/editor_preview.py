#!/usr/bin/env python3
"""Preview-as-you-type benchmark for `zhanqun edit` on a generated cluster.

usage: editor_preview.py [PAGES] [ROUNDS]

Starts `target/release/zhanqun edit` on a cluster of PAGES pages (benches/gen_cluster.py)
and sends, ROUNDS times each, what the editor sends while a teacher types: `preview` of a
school news page with one more sentence each time, and `preview` of a page offered up
(its bureaus' listings are linked again). It reports the median and 95th percentile of the
time to the answer, the editor's peak RSS, and as the baseline in the same run the
server's own rebuild after a saved file (what `serve` does on every edit).
"""
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PAGES = int(sys.argv[1]) if len(sys.argv) > 1 else 10000
ROUNDS = int(sys.argv[2]) if len(sys.argv) > 2 else 30
WORK = os.path.join(ROOT, "target", "bench-editor")
ZQ = os.path.join(ROOT, "target", "release", "zhanqun")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def call(port, token, name, body):
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/_zhanqun/edit/api/{name}",
        data=json.dumps(body).encode(),
        headers={"X-Zhanqun-Token": token, "Origin": f"http://127.0.0.1:{port}", "Content-Type": "application/json"},
    )
    started = time.perf_counter()
    with urllib.request.urlopen(request, timeout=60) as r:
        r.read()
    return (time.perf_counter() - started) * 1000


def peak_rss_mb(pid):
    with open(f"/proc/{pid}/status") as f:
        return int(re.search(r"VmHWM:\s+(\d+)", f.read()).group(1)) / 1024


def a_news_page(cluster):
    news = os.path.join(cluster, "content")
    for site in sorted(os.listdir(news)):
        folder = os.path.join(news, site, "news")
        pages = sorted(p for p in os.listdir(folder) if p.endswith(".md") and p != "_index.md") if os.path.isdir(folder) else []
        if pages and "-" in site:
            return f"{site}/news/{pages[0]}", os.path.join(folder, pages[0])
    sys.exit("no school news page in the generated cluster")


def main():
    subprocess.run(["rm", "-rf", WORK], check=True)
    cluster = os.path.join(WORK, "cluster")
    subprocess.run([sys.executable, os.path.join(ROOT, "benches", "gen_cluster.py"), cluster, str(PAGES)], check=True)
    port = free_port()
    started = time.perf_counter()
    server = subprocess.Popen([ZQ, "edit", "--root", cluster, "--port", str(port)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env={**os.environ, "ZHANQUN_LANG": "en"})
    for line in server.stdout:
        if line.startswith("editor: "):
            break
    print(f"{PAGES} pages: editor ready in {(time.perf_counter() - started) * 1000:.0f} ms")
    page = urllib.request.urlopen(f"http://127.0.0.1:{port}/_zhanqun/edit/").read().decode()
    token = re.search(r'zhanqun-token" content="([0-9a-f]+)"', page).group(1)
    rel, path = a_news_page(cluster)
    text = open(path, encoding="utf-8").read()
    for kind, base in [("a news page", text), ("a news page offered up", text.replace("---\n", "---\nsyndicate: up\n", 1) if "syndicate:" not in text else text)]:
        times = [call(port, token, "preview", {"path": rel, "text": base + "\n新的一句话。" * (i + 1)}) for i in range(ROUNDS)]
        times.sort()
        print(f"preview of {kind}: median {statistics.median(times):.1f} ms, p95 {times[int(len(times) * 0.95) - 1]:.1f} ms")
    # Baseline: the rebuild `serve` does when the file is saved.
    with open(path, "a", encoding="utf-8") as f:
        f.write("\n保存后的一句话。\n")
    for line in server.stdout:
        m = re.search(r"in (\d+) ?ms", line)
        if m and "rebuilt" in line.lower():
            print(f"baseline, the rebuild after a save: {m.group(1)} ms")
            break
    print(f"peak RSS of zhanqun edit: {peak_rss_mb(server.pid):.0f} MB")
    server.terminate()


if __name__ == "__main__":
    main()
