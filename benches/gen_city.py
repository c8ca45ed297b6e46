#!/usr/bin/env python3
"""Generates a cluster with a real city's shape, beside gen_cluster.py's even tree.

usage: gen_city.py OUT_DIR PAGES

At 100,000 pages: 1 city, 12 counties, 2,000 schools and 50 名师工作室; every school writes
news (a third offered up), notices and five resources with facets (10,000 in all); the
city pushes 40 notices down to every school below it and each county 10 to its schools
(`syndicate: down`); studios publish news and resources. Smaller PAGES keep the
proportions (at least 2 counties). Content is deterministic (fixed seed).
"""
import os
import random
import sys

PARA = ("为深入贯彻落实立德树人根本任务，学校组织开展了丰富多彩的主题教育活动。"
        "活动中，师生积极参与，充分展现了良好的精神风貌。")
STAGES = ["小学", "初中", "高中"]
SUBJECTS = ["语文", "数学", "英语", "物理", "化学"]
TYPES = ["课件", "教案", "试卷", "微课", "素材"]


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def page(title, date, extra, body):
    return f"---\ntitle: {title}\ndate: {date}\n{extra}---\n{body}\n"


def date(rng):
    return f"2026-{rng.randint(1, 11):02d}-{rng.randint(1, 28):02d}"


def body(rng):
    return "\n\n".join(PARA * rng.randint(1, 2) for _ in range(rng.randint(2, 5)))


def bureau(out, sid, name, kind, parent, rng, news, notices_down):
    # The city's footer (ICP number) is inherited by every site below it.
    parent_line = f"parent: {parent}\n" if parent else "footer:\n  icp: 城ICP备00000000号\n"
    write(f"{out}/sites/{sid}.yaml", f"name: {name}\nkind: {kind}\n{parent_line}")
    for i in range(news):
        write(f"{out}/content/{sid}/news/n{i}.md", page(f"{name}工作动态{i}", date(rng), "", body(rng)))
    for i in range(notices_down):
        write(f"{out}/content/{sid}/notices/d{i}.md",
              page(f"{name}关于做好第{i}项工作的通知", date(rng), "syndicate: down\n", body(rng)))
    return news + notices_down


def school(out, sid, name, parent, rng, kind="school", news=30, notices=5, resources=5):
    write(f"{out}/sites/{sid}.yaml", f"name: {name}\nkind: {kind}\nparent: {parent}\n")
    for i in range(news):
        up = "syndicate: up\n" if i % 3 == 0 else ""
        write(f"{out}/content/{sid}/news/n{i}.md", page(f"{name}新闻{i}", date(rng), up, body(rng)))
    for i in range(notices):
        write(f"{out}/content/{sid}/notices/t{i}.md", page(f"{name}通知{i}", date(rng), "", body(rng)))
    for i in range(resources):
        facets = (f"stage: {rng.choice(STAGES)}\nsubject: {rng.choice(SUBJECTS)}\n"
                  f"resource_type: {rng.choice(TYPES)}\n")
        write(f"{out}/content/{sid}/resources/r{i}.md", page(f"{name}资源{i}", date(rng), facets, body(rng)))
    return news + notices + resources


def main():
    out, pages = sys.argv[1], int(sys.argv[2])
    rng = random.Random(7)
    schools = max(2, pages // 50)
    counties = min(12, max(2, schools // 160))
    studios = max(1, schools // 40)
    write(f"{out}/cluster.yaml", "name: 城市形状基准站群\nbase_url: https://city.example\n")
    n = bureau(out, "city", "基准市教育局", "city", None, rng, 100, 40)
    for c in range(counties):
        n += bureau(out, f"county-{c}", f"第{c}区教育局", "county", "city", rng, 100, 10)
    for s in range(schools):
        n += school(out, f"school-{s}", f"第{s}学校", f"county-{s % counties}", rng)
    for t in range(studios):
        n += school(out, f"studio-{t}", f"第{t}名师工作室", f"school-{t * 37 % schools}", rng,
                    kind="studio", news=10, notices=0, resources=10)
    print(f"{n} pages: 1 city, {counties} counties, {schools} schools, {studios} studios")


if __name__ == "__main__":
    main()
