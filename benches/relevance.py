#!/usr/bin/env python3
"""zhanqun's search against Pagefind on the same pages, with the same queries.

usage: python3 benches/relevance.py [QUERIES_TSV] [--sampled N]
       (default tests/fixtures/relevance/example.tsv)

With `--sampled N`, N further queries nobody chose: phrases of two to six Han characters cut
at random (fixed seed) from the pages' own text, each kept only when exactly one page of the
cluster holds it, which is then the expected first result — a check on queries the set was
not tuned for.

Builds the example cluster, indexes the same output with Pagefind (npm `pagefind`, its
`pagefind_extended` binary with Chinese segmentation, over every site's pages), serves it,
and runs every query of the set in headless Chromium on both: zhanqun on the city's
`/search/` page (its index covers the whole cluster), Pagefind through its JavaScript API
(`pagefind.search`), each query in a page of its own. Prints, by kind of query and in all,
precision at 1 (the expected page first) and recall in the top five, the median bytes a
query fetched (zhanqun: `data-bytes`; Pagefind: the resource timings of its page), how many
of Pagefind's top-five hits are listing, search or 404 pages, and what each index cost.
Needs python3, node/npm, chromium; installs pagefind into target/pf.
"""
import collections
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ARGS = [a for a in sys.argv[1:] if not a.startswith("--") and not a.isdigit()]
TSV = ARGS[0] if ARGS else os.path.join(ROOT, "tests", "fixtures", "relevance", "example.tsv")
SAMPLED = int(sys.argv[sys.argv.index("--sampled") + 1]) if "--sampled" in sys.argv else 0
WORK = os.path.join(ROOT, "target", "bench-relevance")
ZQ = os.path.join(ROOT, "target", "release", "zhanqun")
PAGEFIND = os.path.join(ROOT, "target", "pf", "node_modules", "@pagefind", "linux-x64", "bin", "pagefind_extended")
CHROMIUM = ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]

ZQ_ONE = """<!DOCTYPE html><meta charset="utf-8"><title>q</title><ol id="out"></ol><script>
var urls = %s;
var frames = urls.map(function (u) { var f = document.createElement('iframe'); f.src = u; document.body.appendChild(f); return f; });
function ready(f) { try { var l = f.contentDocument.getElementById('search-results'); return l && l.hasAttribute('data-results'); } catch (e) { return false; } }
(function poll() {
  if (!frames.every(ready)) return setTimeout(poll, 20);
  frames.forEach(function (f) {
    var d = f.contentDocument, li = document.createElement('li');
    li.setAttribute('data-bytes', d.getElementById('search-results').getAttribute('data-bytes'));
    li.textContent = JSON.stringify(Array.from(d.querySelectorAll('#search-results a.search-title')).map(function (a) { return new URL(a.href).pathname; }));
    document.getElementById('out').appendChild(li);
  });
  document.body.setAttribute('data-done', '1');
})();
</script>"""

PF_ONE = """<!DOCTYPE html><meta charset="utf-8"><title>pf</title><script type="module">
const q = new URLSearchParams(location.search).get('q');
const pf = await import('/_pagefind/pagefind.js');
const r = await pf.search(q);
const top = await Promise.all(r.results.slice(0, 5).map((x) => x.data()));
const bytes = performance.getEntriesByType('resource').reduce((n, e) => n + (e.encodedBodySize || e.transferSize || 0), 0);
document.body.setAttribute('data-urls', JSON.stringify(top.map((d) => new URL(d.url, location.href).pathname)));
document.body.setAttribute('data-bytes', String(bytes));
document.body.setAttribute('data-done', '1');
</script>"""

def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cases():
    out = []
    for line in open(TSV, encoding="utf-8"):
        if line.startswith("#") or not line.strip():
            continue
        kind, query, expected = line.rstrip("\n").split("\t")
        out.append((kind, query, expected))
    return out


def sampled(site, n):
    """`n` phrases cut at random from the pages' text, each held by exactly one page."""
    import random
    import re
    pages = []
    for d, _, fs in os.walk(site):
        for f in fs:
            if f == "search.jsonl":
                for line in open(os.path.join(d, f), encoding="utf-8"):
                    doc = json.loads(line)
                    pages.append((urllib.parse.unquote(urllib.parse.urlparse(doc["url"]).path), doc["title"] + " " + doc["text"]))
    pages.sort()
    rng = random.Random(7)
    out, seen = [], set()
    while len(out) < n and len(seen) < 50 * n:
        path, text = rng.choice(pages)
        runs = [r for r in re.findall(r"[\u4e00-\u9fff]+", text) if len(r) >= 2]
        if not runs:
            continue
        run = rng.choice(runs)
        size = rng.randint(2, min(6, len(run)))
        at = rng.randint(0, len(run) - size)
        phrase = run[at:at + size]
        if phrase in seen:
            continue
        seen.add(phrase)
        if sum(phrase in t for _, t in pages) == 1:
            out.append((f"sampled{size}", phrase, path))
    return out


def dump(url):
    with tempfile.TemporaryDirectory() as profile:
        out = subprocess.run(CHROMIUM + [f"--user-data-dir={profile}", "--virtual-time-budget=60000", "--dump-dom", url],
                             capture_output=True, text=True, timeout=300).stdout
    assert 'data-done="1"' in out, out[-2000:]
    items = out.split('<ol id="out">')[1].split("</ol>")[0].split("<li ")[1:]
    rows = []
    for item in items:
        b = item.split('data-bytes="')[1].split('"')[0]
        text = item.split(">", 1)[1].split("</li>")[0].replace("&quot;", '"').replace("&amp;", "&")
        rows.append(([urllib.parse.unquote(u) for u in json.loads(text or "[]")], int(b or 0)))
    return rows


def pagefind(url):
    # Under virtual time Pagefind's worker sometimes never starts: a query is asked again
    # (up to five times) before it counts as unanswered.
    for _ in range(5):
        with tempfile.TemporaryDirectory() as profile:
            out = subprocess.run(CHROMIUM + [f"--user-data-dir={profile}", "--virtual-time-budget=60000", "--dump-dom", url],
                                 capture_output=True, text=True, timeout=120).stdout
        body = out.split("<body", 1)[1].split(">", 1)[0] if "<body" in out else ""
        if 'data-done="1"' in body:
            break
    else:
        print(f"  pagefind did not answer {url}")
        return [], 0
    urls = json.loads(body.split('data-urls="')[1].split('"')[0].replace("&quot;", '"'))
    return [urllib.parse.unquote(u) for u in urls], int(body.split('data-bytes="')[1].split('"')[0])


def listing(path):
    """A page that is not an article: a section listing, its pages, search, 404 or a home."""
    parts = [p for p in path.strip("/").split("/") if p]
    return len(parts) <= 2 or "page" in parts or parts[-1] in ("search", "404.html") or path.endswith("404.html")


def timed(cmd):
    started = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def main():
    subprocess.run(["rm", "-rf", WORK], check=True)
    os.makedirs(WORK)
    site = os.path.join(WORK, "site")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    zq_build = timed([ZQ, "build", "--root", ROOT, "--out", site, "--base-url", base])
    if not os.path.exists(PAGEFIND):
        subprocess.run(["npm", "install", "--prefix", os.path.join(ROOT, "target", "pf"), "--no-audit", "--no-fund",
                        "--loglevel=error", "pagefind@1.6.0"], check=True)
    pf_index = timed([PAGEFIND, "--site", site, "--output-subdir", "_pagefind"])
    zq_bytes = sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(site) for f in fs if "/search/" in d + "/")
    pf_bytes = sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(os.path.join(site, "_pagefind")) for f in fs)
    server = subprocess.Popen([sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1"], cwd=site,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(1)
    try:
        qs = cases() + sampled(site, SAMPLED)
        open(os.path.join(site, "pf-one.html"), "w").write(PF_ONE)
        zq_urls = [f"/hanjiang/search/?q={urllib.parse.quote(q)}" for _, q, _ in qs]
        open(os.path.join(site, "zq-all.html"), "w").write(ZQ_ONE % json.dumps(zq_urls))
        zq = dump(f"{base}/zq-all.html")
        # Pagefind one browser per query: its worker and WASM do not start well in dozens of
        # frames of one page under Chromium's virtual time.
        pf = [pagefind(f"{base}/pf-one.html?q={urllib.parse.quote(q)}") for _, q, _ in qs]
    finally:
        server.terminate()
    report(qs, zq, pf, zq_build, pf_index, zq_bytes, pf_bytes)


def report(qs, zq, pf, zq_build, pf_index, zq_bytes, pf_bytes):
    by_kind = collections.defaultdict(lambda: [0, 0, 0, 0, 0])
    noise = 0
    for (kind, query, expected), (zu, _), (pu, _) in zip(qs, zq, pf):
        for k in (kind, "all"):
            row = by_kind[k]
            row[0] += 1
            row[1] += zu[:1] == [expected]
            row[2] += expected in zu[:5]
            row[3] += pu[:1] == [expected]
            row[4] += expected in pu[:5]
        noise += sum(listing(u) for u in pu[:5])
        if zu[:1] != [expected] or pu[:1] != [expected]:
            print(f"  {kind:11} {query}: zhanqun {zu[:2]} · pagefind {pu[:2]}")
    print(f"\n{'kind':12} {'n':>3}  zhanqun P@1  R@5   pagefind P@1  R@5")
    for kind, (n, z1, z5, p1, p5) in sorted(by_kind.items(), key=lambda kv: kv[0] == "all"):
        print(f"{kind:12} {n:>3}  {z1:>11}  {z5:>3}   {p1:>12}  {p5:>3}")
    print(f"\nmedian bytes a query fetched: zhanqun {statistics.median(b for _, b in zq) / 1000:.0f} kB,"
          f" pagefind {statistics.median(b for _, b in pf) / 1000:.0f} kB")
    print(f"pagefind's top-five hits that are listings, search or 404 pages: {noise}")
    print(f"index: zhanqun build (everything, index included) {zq_build:.2f} s, search files {zq_bytes / 1e6:.2f} MB;"
          f" pagefind_extended {pf_index:.2f} s, {pf_bytes / 1e6:.2f} MB")


if __name__ == "__main__":
    main()
