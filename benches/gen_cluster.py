#!/usr/bin/env python3
"""Generates a zhanqun cluster (and the same pages as one Hugo site) for benchmarks.

usage: gen_cluster.py OUT_DIR PAGES [--hugo HUGO_DIR]

The cluster has one city, 10 counties and schools under them (about 50 pages per school);
a third of the school news is offered up, so the bureaus' listings and feeds grow with it.
Content is deterministic (fixed seed) so runs compare like with like.
"""
import os
import random
import sys

PARA = ("为深入贯彻落实立德树人根本任务，学校组织开展了丰富多彩的主题教育活动。"
        "活动中，师生积极参与，充分展现了良好的精神风貌。")


def body(rng, i):
    paras = [PARA * rng.randint(1, 3) for _ in range(rng.randint(3, 8))]
    extra = "\n\n| 项目 | 数量 |\n|---|---|\n| 参与学生 | %d |\n| 参与教师 | %d |\n" % (rng.randint(50, 900), rng.randint(5, 80))
    return f"## 活动概况 {i}\n\n" + "\n\n".join(paras) + extra


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def main():
    out, pages = sys.argv[1], int(sys.argv[2])
    hugo = sys.argv[sys.argv.index("--hugo") + 1] if "--hugo" in sys.argv else None
    rng = random.Random(42)
    per_school = 50
    schools = max(1, pages // per_school)
    counties = 10
    write(f"{out}/cluster.yaml", "name: 基准站群\nbase_url: https://bench.example\n")
    write(f"{out}/sites/city.yaml", "name: 基准市教育局\nkind: city\nfooter:\n  icp: 测ICP备0号\n")
    for c in range(counties):
        write(f"{out}/sites/county-{c}.yaml", f"name: 第{c}区教育局\nkind: county\nparent: city\n")
        os.makedirs(f"{out}/content/county-{c}/news", exist_ok=True)
    os.makedirs(f"{out}/content/city/news", exist_ok=True)
    if hugo:
        write(f"{hugo}/hugo.toml", 'baseURL = "https://bench.example/"\ntitle = "基准"\n')
        write(f"{hugo}/layouts/_default/single.html", "<!DOCTYPE html><html><head><title>{{ .Title }}</title></head><body><h1>{{ .Title }}</h1>{{ .Content }}</body></html>\n")
        write(f"{hugo}/layouts/_default/list.html", "<!DOCTYPE html><html><head><title>{{ .Title }}</title></head><body>{{ range .Paginator.Pages }}<a href=\"{{ .Permalink }}\">{{ .Title }}</a>{{ end }}</body></html>\n")
        write(f"{hugo}/layouts/index.html", "<!DOCTYPE html><html><head><title>{{ .Site.Title }}</title></head><body>{{ range first 8 .Site.RegularPages }}<a href=\"{{ .Permalink }}\">{{ .Title }}</a>{{ end }}</body></html>\n")
    n = 0
    for s in range(schools):
        sid = f"school-{s}"
        write(f"{out}/sites/{sid}.yaml", f"name: 第{s}学校\nkind: school\nparent: county-{s % counties}\n")
        for p in range(per_school):
            if n >= pages:
                break
            day = 1 + (n % 28)
            month = 1 + (n // 28) % 12
            up = "syndicate: up\n" if p % 3 == 0 else ""
            text = f"---\ntitle: 第{s}学校新闻{p}\ndate: 2024-{month:02d}-{day:02d}\n{up}---\n{body(rng, n)}\n"
            write(f"{out}/content/{sid}/news/n{p}.md", text)
            if hugo:
                write(f"{hugo}/content/{sid}/n{p}.md", f"---\ntitle: 第{s}学校新闻{p}\ndate: 2024-{month:02d}-{day:02d}\n---\n{body(random.Random(n), n)}\n")
            n += 1
    print(f"{n} pages in {schools} schools, {counties} counties")


if __name__ == "__main__":
    main()
