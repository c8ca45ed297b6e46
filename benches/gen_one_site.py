#!/usr/bin/env python3
"""The same PAGES news pages as one site for zhanqun, Hugo and Zola, for the paired rows of
the performance table (benches/pair.sh).

usage: gen_one_site.py OUT_DIR PAGES

Writes OUT_DIR/zhanqun (a cluster of one school), OUT_DIR/hugo and OUT_DIR/zola. The bodies
are those of gen_cluster.py (fixed seed). Hugo and Zola get the smallest templates that
give each page its title and body and each listing ten links, so they do less per page than
zhanqun's default theme (menus, crumbs, feeds, sitemap, search index): the comparison
favours them.
"""
import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gen_cluster import body, write  # noqa: E402

PAGE = "<!DOCTYPE html><html><head><title>{t}</title></head><body><h1>{t}</h1>{c}</body></html>\n"


def zhanqun(out, pages):
    write(f"{out}/cluster.yaml", "name: 基准站群\nbase_url: https://bench.example\n")
    write(f"{out}/sites/school.yaml", "name: 基准学校\nkind: school\nfooter:\n  icp: 测ICP备0号\n")
    for n, (title, date, text) in enumerate(pages):
        write(f"{out}/content/school/news/n{n}.md", f"---\ntitle: {title}\ndate: {date}\n---\n{text}\n")


def hugo(out, pages):
    write(f"{out}/hugo.toml", 'baseURL = "https://bench.example/"\ntitle = "基准"\n'
          'disableKinds = ["taxonomy", "term", "RSS", "sitemap"]\n')
    write(f"{out}/layouts/_default/single.html",
          PAGE.format(t="{{ .Title }}", c="{{ .Content }}"))
    write(f"{out}/layouts/_default/list.html", PAGE.format(
        t="{{ .Title }}",
        c='{{ range .Paginator.Pages }}<a href="{{ .Permalink }}">{{ .Title }}</a>{{ end }}'))
    write(f"{out}/layouts/index.html", PAGE.format(
        t="{{ .Site.Title }}",
        c='{{ range first 8 .Site.RegularPages }}<a href="{{ .Permalink }}">{{ .Title }}</a>{{ end }}'))
    for n, (title, date, text) in enumerate(pages):
        write(f"{out}/content/news/n{n}.md", f"---\ntitle: {title}\ndate: {date}\n---\n{text}\n")


def zola(out, pages):
    write(f"{out}/config.toml", 'base_url = "https://bench.example"\ntitle = "基准"\n'
          "compile_sass = false\nbuild_search_index = false\n")
    write(f"{out}/templates/page.html",
          PAGE.format(t="{{ page.title }}", c="{{ page.content | safe }}"))
    write(f"{out}/templates/section.html", PAGE.format(
        t="{{ section.title }}",
        c='{% for p in paginator.pages %}<a href="{{ p.permalink }}">{{ p.title }}</a>{% endfor %}'))
    write(f"{out}/templates/index.html", PAGE.format(
        t="{{ config.title }}",
        c='{% set s = get_section(path="news/_index.md") %}'
          '{% for p in s.pages | slice(end=8) %}<a href="{{ p.permalink }}">{{ p.title }}</a>{% endfor %}'))
    write(f"{out}/content/news/_index.md",
          '+++\ntitle = "新闻"\nsort_by = "date"\npaginate_by = 10\n+++\n')
    for n, (title, date, text) in enumerate(pages):
        write(f"{out}/content/news/n{n}.md",
              f'+++\ntitle = "{title}"\ndate = {date}\n+++\n{text}\n')


def main():
    out, count = sys.argv[1], int(sys.argv[2])
    rng = random.Random(42)
    pages = []
    for n in range(count):
        month, day = 1 + n % 12, 1 + n % 28
        pages.append((f"学校新闻{n}", f"2024-{month:02d}-{day:02d}", body(rng, n)))
    zhanqun(f"{out}/zhanqun", pages)
    hugo(f"{out}/hugo", pages)
    zola(f"{out}/zola", pages)


if __name__ == "__main__":
    main()
