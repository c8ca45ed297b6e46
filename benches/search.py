#!/usr/bin/env python3
"""Search at city scale: what the index costs the build, and what a query costs a visitor.

usage: python3 benches/search.py [PAGES] [QUERY]     (default 100000 pages, query 活动)

1. Builds the generated cluster; prints wall time and peak RSS (GNU time), and the search
   steps of `build -v` (reading the documents, building the indexes) as a share of the
   build's own steps (no switch leaves the index out: production output never depends on
   a benchmark's environment).
2. Index size on disk: the city's `search/` folder, and every site's search files.
3. Serves the output with `python3 -m http.server`, opens `/search/?q=QUERY` on the city,
   a county and a school in headless Chromium (DevTools protocol, `pip install
   websocket-client`), and prints the bytes the page fetched for the query and the time
   from the script's start to the results shown (both measured by the page itself:
   `data-bytes`, `data-ms` on `#search-results`), cold and with a warm cache.
Needs python3, GNU time, chromium and websocket-client.
"""
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PAGES = int(sys.argv[1]) if len(sys.argv) > 1 else 100000
QUERY = sys.argv[2] if len(sys.argv) > 2 else "活动"
WORK = os.path.join(ROOT, "target", "bench-search")
ZQ = os.path.join(ROOT, "target", "release", "zhanqun")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def timed_build(cluster, out, env_extra):
    subprocess.run(["rm", "-rf", out], check=True)
    env = dict(os.environ, **env_extra)
    r = subprocess.run(["/usr/bin/time", "-f", "TIME %e %M", ZQ, "build", "-v", "--root", cluster,
                        "--out", out, "--base-url", env_extra.get("BASE", "http://127.0.0.1:1")],
                       env=env, capture_output=True, text=True, check=True)
    wall, rss = re.search(r"TIME ([\d.]+) (\d+)", r.stderr).groups()
    steps = {m[0]: int(m[1]) for m in re.findall(r"^\s+([a-z-]+)\s+(\d+)ms", r.stderr, re.M)}
    return float(wall), int(rss) // 1024, steps


def du(paths):
    total = 0
    for p in paths:
        for d, _, files in os.walk(p):
            total += sum(os.path.getsize(os.path.join(d, f)) for f in files)
    return total


class Browser:
    """Headless Chromium driven over the DevTools protocol."""

    def __init__(self):
        import websocket
        self.port = free_port()
        self.profile = tempfile.mkdtemp()
        self.proc = subprocess.Popen(
            ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
             f"--remote-debugging-port={self.port}", f"--user-data-dir={self.profile}", "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(100):
            try:
                targets = json.load(urllib.request.urlopen(f"http://127.0.0.1:{self.port}/json"))
                page = next(t for t in targets if t["type"] == "page")
                break
            except Exception:
                time.sleep(0.1)
        self.ws = websocket.create_connection(page["webSocketDebuggerUrl"])
        self.n = 0

    def call(self, method, **params):
        self.n += 1
        self.ws.send(json.dumps({"id": self.n, "method": method, "params": params}))
        while True:
            msg = json.loads(self.ws.recv())
            if msg.get("id") == self.n:
                return msg.get("result", {})

    def search(self, url):
        self.call("Page.navigate", url=url)
        expr = "(function(){var l=document.getElementById('search-results');" \
               "return l&&l.dataset.ms?[l.dataset.ms,l.dataset.bytes,l.dataset.results]:null})()"
        for _ in range(300):
            v = self.call("Runtime.evaluate", expression=expr, returnByValue=True)["result"].get("value")
            if v:
                return [int(x) for x in v]
            time.sleep(0.05)
        raise RuntimeError("no results on " + url)

    def close(self):
        self.proc.kill()


def main():
    cluster = os.path.join(WORK, "cluster")
    if not os.path.exists(os.path.join(WORK, f"pages-{PAGES}")):
        subprocess.run(["rm", "-rf", WORK], check=True)
        subprocess.run([sys.executable, os.path.join(ROOT, "benches", "gen_cluster.py"), cluster, str(PAGES)],
                       check=True, stdout=subprocess.DEVNULL)
        open(os.path.join(WORK, f"pages-{PAGES}"), "w").close()
    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    port = free_port()
    base = {"BASE": f"http://127.0.0.1:{port}"}
    out = os.path.join(WORK, "out")
    full = timed_build(cluster, out, base)
    steps = full[2]
    search_ms = sum(v for k, v in steps.items() if k.startswith("search"))
    total_ms = sum(steps.values())
    print(f"{PAGES} pages")
    print(f"build: {full[0]:.2f} s, {full[1]} MiB peak RSS; search steps {search_ms} ms of "
          f"{total_ms} ms of steps ({search_ms / max(total_ms, 1) * 100:.0f} %)  steps: {steps}")
    # Site folders only: a host's root also holds robots.txt and the sitemap index.
    sites = [os.path.join(out, s) for s in os.listdir(out)
             if not s.startswith(".") and os.path.isdir(os.path.join(out, s, "_zhanqun"))]
    city = du([os.path.join(out, "city", "search")])
    everything = du([os.path.join(s, "search") for s in sites])
    exports = sum(os.path.getsize(os.path.join(s, "_zhanqun", "search.jsonl")) for s in sites)
    print(f"index on disk: city {city / 2**20:.1f} MiB; all sites {everything / 2**20:.1f} MiB "
          f"(of which rows of their own pages are part); exports {exports / 2**20:.1f} MiB")
    server = subprocess.Popen([sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1"],
                              cwd=out, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(0.5)
    browser = Browser()
    try:
        q = urllib.parse.quote(QUERY)
        for site in ["city", "county-0", "school-0"]:
            url = f"http://127.0.0.1:{port}/{site}/search/?q={q}"
            cold = browser.search(url)
            warm = browser.search(url + "&page=1")
            print(f"query {QUERY!r} on {site}: {cold[2]} results; cold {cold[0]} ms, {cold[1] / 1024:.0f} KiB "
                  f"fetched; warm cache {warm[0]} ms")
    finally:
        browser.close()
        server.kill()


if __name__ == "__main__":
    main()
