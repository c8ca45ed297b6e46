#!/usr/bin/env python3
"""Edit-to-rebuilt benchmark for `zhanqun serve` on a generated cluster.

usage: serve_edit.py [PAGES] [EDITS] [--city]

With --city the cluster has the city's shape (benches/gen_city.py) instead of
gen_cluster.py's, and the peak memory of the server (GNU time) is printed too.

Starts `target/release/zhanqun serve` on a cluster of PAGES pages, edits one school's news
page EDITS times and measures, per edit, the server's own rebuild time ("rebuilt … in Nms")
and the end-to-end time from writing the file to the new title being served over HTTP
(which includes the 10 ms watcher debounce and rendering the school again on that request).
The baselines, in the same run: the server's start (nothing is rendered until asked for),
the first request of a school, the city and a county (each rendered then), and `zhanqun
build` of the same cluster to disk.
"""
import os
import re
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ARGS = [a for a in sys.argv[1:] if not a.startswith("--")]
CITY = "--city" in sys.argv
PAGES = int(ARGS[0]) if ARGS else 10000
EDITS = int(ARGS[1]) if len(ARGS) > 1 else 15
SETTLE = 15.0 if CITY or PAGES >= 50000 else 3.0
WORK = os.path.join(ROOT, "target", "bench-serve-city" if CITY else "bench-serve")
ZQ = os.path.join(ROOT, "target", "release", "zhanqun")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main():
    subprocess.run(["rm", "-rf", WORK], check=True)
    generator = "gen_city.py" if CITY else "gen_cluster.py"
    subprocess.run([sys.executable, os.path.join(ROOT, "benches", generator), os.path.join(WORK, "cluster"), str(PAGES)], check=True, stdout=subprocess.DEVNULL)
    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    cluster = os.path.join(WORK, "cluster")

    full_disk = []
    for _ in range(3):
        t = time.perf_counter()
        subprocess.run([ZQ, "build", "--root", cluster, "--out", os.path.join(WORK, "out")], check=True, stdout=subprocess.DEVNULL)
        full_disk.append((time.perf_counter() - t) * 1000)

    port = free_port()
    timed = ["/usr/bin/time", "-f", "peak %M KB"] if os.path.exists("/usr/bin/time") else []
    proc = subprocess.Popen(timed + [ZQ, "--lang", "en", "serve", "--root", cluster, "--port", str(port)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    lines = []
    ready = threading.Event()

    def reader():
        for line in proc.stdout:
            lines.append(line.strip())
            if "serving" in line:
                ready.set()

    threading.Thread(target=reader, daemon=True).start()
    if not ready.wait(120):
        proc.kill()
        sys.exit("the server did not start")
    initial = float(re.search(r"in (\d+)ms", next(l for l in lines if "serving" in l)).group(1))
    started = time.perf_counter()
    first = {}
    for path in ["/school-3/", "/city/", "/county-0/"]:
        t = time.perf_counter()
        urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=60).read()
        first[path] = (time.perf_counter() - t) * 1000
    # The link check of the whole cluster runs between requests after the start (a city:
    # about ten seconds); the edits are timed once it is done, as a teacher edits later.
    time.sleep(max(0.0, SETTLE - (time.perf_counter() - started)))

    news = os.path.join(cluster, "content", "school-3", "news")
    name = "n7.md" if not CITY else sorted(n for n in os.listdir(news) if n.endswith(".md") and n != "_index.md")[0]
    page = os.path.join(news, name)
    url = f"http://127.0.0.1:{port}/school-3/news/{name[:-3]}/"
    original = open(page, encoding="utf-8").read()
    end_to_end = []
    try:
        for i in range(EDITS):
            marker = f"基准修改{i}"
            time.sleep(0.3)
            t = time.perf_counter()
            with open(page, "w", encoding="utf-8") as f:
                f.write(original.replace("title: ", f"title: {marker} ", 1))
            while True:
                body = urllib.request.urlopen(url, timeout=10).read().decode()
                if marker in body:
                    break
                time.sleep(0.002)
            end_to_end.append((time.perf_counter() - t) * 1000)
        time.sleep(0.3)
    finally:
        with open(page, "w", encoding="utf-8") as f:
            f.write(original)
        # SIGTERM, not an interrupt: a server started from a shell's background job ignores
        # SIGINT. GNU time prints the peak however its command ended.
        proc.send_signal(15) if not timed else subprocess.run(["pkill", "-TERM", "-P", str(proc.pid)])
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
        time.sleep(0.2)
    rebuilds = [float(m.group(1)) for l in lines if (m := re.match(r"rebuilt .* in (\d+)ms", l))][:EDITS]
    med = statistics.median
    print(f"cluster: {PAGES} pages; {EDITS} edits of one school news page")
    print(f"zhanqun build (full, to disk), median of 3:   {med(full_disk):7.0f} ms")
    print(f"serve start (loaded, nothing rendered yet):  {initial:7.0f} ms")
    for path, ms in first.items():
        print(f"first request of {path:<12} (site rendered): {ms:7.0f} ms")
    print(f"serve rebuild after an edit, median:         {med(rebuilds):7.0f} ms  (max {max(rebuilds):.0f})")
    print(f"edit -> new page served over HTTP, median:   {med(end_to_end):7.0f} ms  (max {max(end_to_end):.0f})")
    print(f"speed-up of a rebuild vs `zhanqun build`:    {med(full_disk) / med(rebuilds):7.1f}x")
    peak = [l for l in lines if l.startswith("peak ")]
    if peak:
        print(f"serve peak memory:                           {int(peak[-1].split()[1]) / 2**20:7.2f} GiB")


if __name__ == "__main__":
    main()
