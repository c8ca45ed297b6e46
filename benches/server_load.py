#!/usr/bin/env python3
"""Load benchmark for `zhanqun server` (loopback, bounded).

usage: server_load.py [PAGES] [USERS] [SAVES]

Generates a cluster with the city's shape (benches/gen_city.py, PAGES pages, default 100,000),
gives USERS (default 200) teachers a 通讯员 role on a school each (schools taken in turn) and
local accounts, starts `target/release/zhanqun server`, logs every user in, then has every
user save SAVES (default 20) times, alternating a page of her own and one page shared by
all, at once (one thread per user). Reported: save latency (p50, p95, max) for own and
shared pages, how many shared saves were refused with 409 (the losers of a race, shown
their conflict), whether every own page holds exactly its SAVES lines and the shared page
only whole lines (no lost or interleaved write), and the server's peak RSS (VmHWM).
"""
import http.client
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ARGS = sys.argv[1:]
PAGES = int(ARGS[0]) if len(ARGS) > 0 else 100_000
USERS = int(ARGS[1]) if len(ARGS) > 1 else 200
SAVES = int(ARGS[2]) if len(ARGS) > 2 else 20
BIN = os.path.join(ROOT, "target/release/zhanqun")
PORT = 18480


def setup(tmp):
    subprocess.run([sys.executable, os.path.join(ROOT, "benches/gen_city.py"), tmp, str(PAGES)], check=True)
    schools = sorted(f[:-5] for f in os.listdir(f"{tmp}/sites") if f.startswith("school-"))
    roles = {}
    for u in range(USERS):
        school = schools[u % len(schools)]
        roles.setdefault(school, []).append(f"t{u}")
        with open(f"{tmp}/content/{school}/news/load-t{u}.md", "w", encoding="utf-8") as f:
            f.write(f"---\ntitle: 压力测试 t{u}\ndate: 2026-12-01\n---\n")
    shared = schools[0]
    roles[shared] = sorted(set(roles.get(shared, []) + [f"t{u}" for u in range(USERS)]))
    with open(f"{tmp}/content/{shared}/news/load-shared.md", "w", encoding="utf-8") as f:
        f.write("---\ntitle: 共享页面\ndate: 2026-12-01\n---\n")
    with open(f"{tmp}/roles.yaml", "w", encoding="utf-8") as f:
        for site, users in sorted(roles.items()):
            f.write(f"{site}:\n  writers: [{', '.join(users)}]\n")
    with open(f"{tmp}/cluster.yaml", "a", encoding="utf-8") as f:
        f.write("server:\n  lockout_failures: 1000\n")
    for u in range(USERS):
        subprocess.run([BIN, "server", "user", "add", f"t{u}", "--name", f"教师{u}", "--password-stdin",
                        "--no-change", "--root", tmp], input=b"Load-Test-2026\n", check=True,
                       stdout=subprocess.DEVNULL)
    return {u: schools[u % len(schools)] for u in range(USERS)}, shared


def request(method, path, body=None, headers=None):
    c = http.client.HTTPConnection("127.0.0.1", PORT, timeout=60)
    h = {"Host": f"127.0.0.1:{PORT}", "Origin": f"http://127.0.0.1:{PORT}"}
    h.update(headers or {})
    c.request(method, path, body=body, headers=h)
    r = c.getresponse()
    data = r.read()
    cookie = r.getheader("Set-Cookie")
    c.close()
    return r.status, data, cookie


def login(u):
    status, _, cookie = request("POST", "/_zhanqun/login", f"user=t{u}&password=Load-Test-2026",
                                {"Content-Type": "application/x-www-form-urlencoded"})
    assert status == 303, status
    session = cookie.split(";")[0]
    _, page, _ = request("GET", "/_zhanqun/edit/", headers={"Cookie": session})
    text = page.decode()
    at = text.index('name="zhanqun-token" content="') + 30
    return {"Cookie": session, "X-Zhanqun-Token": text[at:at + 64], "Content-Type": "application/json"}


def save(auth, path, line):
    """Loads `path`, appends `line`, saves on the loaded version; (status, seconds)."""
    _, data, _ = request("GET", f"/_zhanqun/edit/api/load?path={path}", headers=auth)
    page = json.loads(data)
    body = json.dumps({"path": path, "text": page["text"] + line + "\n", "base": page["version"]})
    start = time.perf_counter()
    status, _, _ = request("POST", "/_zhanqun/edit/api/save", body.encode(), auth)
    return status, time.perf_counter() - start


def main():
    tmp = tempfile.mkdtemp(prefix="zq-load-")
    try:
        schools, shared = setup(tmp)
        server = subprocess.Popen([BIN, "server", "--listen", f"127.0.0.1:{PORT}", "--root", tmp],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(600):
            try:
                if request("GET", "/_zhanqun/login")[0] == 200:
                    break
            except OSError:
                time.sleep(0.1)
        auths = {u: login(u) for u in range(USERS)}
        own, common, refused = [], [], [0]
        lock = threading.Lock()

        def work(u):
            for n in range(SAVES):
                mine = n % 2 == 0
                path = f"{schools[u]}/news/load-t{u}.md" if mine else f"{shared}/news/load-shared.md"
                status, took = save(auths[u], path, f"t{u} 第{n}次保存。")
                with lock:
                    (own if mine else common).append(took)
                    if status == 409:
                        refused[0] += 1
                    elif status != 200:
                        print("unexpected", status, path)

        threads = [threading.Thread(target=work, args=(u,)) for u in range(USERS)]
        started = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        wall = time.perf_counter() - started
        with open(f"/proc/{server.pid}/status") as f:
            peak = next(l for l in f if l.startswith("VmHWM")).split()[1]
        server.terminate()
        server.wait()
        ok = all(open(f"{tmp}/content/{schools[u]}/news/load-t{u}.md", encoding="utf-8").read().count("次保存") == (SAVES + 1) // 2 for u in range(USERS))
        lines = open(f"{tmp}/content/{shared}/news/load-shared.md", encoding="utf-8").read().splitlines()[4:]
        whole = all(l.startswith("t") and l.endswith("次保存。") for l in lines if l)
        q = lambda xs, p: sorted(xs)[int(len(xs) * p) - 1] * 1000
        print(f"{PAGES} pages, {USERS} users x {SAVES} saves in {wall:.1f} s")
        print(f"own page saves: p50 {q(own, .5):.0f} ms, p95 {q(own, .95):.0f} ms, max {max(own) * 1000:.0f} ms")
        print(f"shared page saves: p50 {q(common, .5):.0f} ms, p95 {q(common, .95):.0f} ms; "
              f"{refused[0]} refused with 409, {len(common) - refused[0]} saved")
        print(f"every own page holds its saves: {ok}; shared page holds only whole lines: {whole} "
              f"({len([l for l in lines if l])} lines = saved)")
        print(f"server peak RSS: {int(peak) / 1024:.0f} MB")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
