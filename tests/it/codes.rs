//! One case per diagnostic code: the input that causes it and the exact line `check` reports
//! (`path:line:col: severity[code]: message`), so messages only change on purpose.

use crate::helpers::Fixture;

/// (code, files to write as (path, text), the reported line).
type Case = (
    &'static str,
    &'static [(&'static str, &'static str)],
    &'static str,
);

const CASES: &[Case] = &[
    (
        "ZQ123",
        &[(
            "content/school/classes/课.md",
            "---\ntitle: 课\nkind: 直播课\nsubject: 数学\ngrade: 三年级\nteacher: 李\nstarts: 2024-05-30 14:30\nduration: 40\nreceivers: all\n---\n",
        )],
        "content/school/classes/课.md:3:7: error[ZQ123]: `kind: 直播课` is not one of the three classrooms",
    ),
    (
        "ZQ124",
        &[(
            "content/school/classes/课.md",
            "---\ntitle: 课\nkind: 专递课堂\nsubject: 数学\ngrade: 三年级\nteacher: 李\nstarts: 2024-05-30 14:30\nduration: 40\nreceivers: [nowhere]\n---\n",
        )],
        "content/school/classes/课.md:9:1: error[ZQ124]: receiver `nowhere` is not a site of the cluster",
    ),
    (
        "ZQ508",
        &[
            (
                "content/county/classes/甲.md",
                "---\ntitle: 甲\nkind: 名师课堂\nsubject: 数学\ngrade: 三年级\nteacher: 李\nstarts: 2024-05-30 14:30\nduration: 40\nreceivers: [school]\n---\n",
            ),
            (
                "content/county/classes/乙.md",
                "---\ntitle: 乙\nkind: 名师课堂\nsubject: 语文\ngrade: 三年级\nteacher: 王\nstarts: 2024-05-30 14:50\nduration: 40\nreceivers: [school]\n---\n",
            ),
        ],
        "content/county/classes/甲.md:9:1: warning[ZQ508]: `school` receives 「乙」 and 「甲」 at the same time (2024-05-30 14:30)",
    ),
    (
        "ZQ122",
        &[("content/city/topics/读书.md", "---\ntitle: 读书月\n---\n")],
        "content/city/topics/读书.md:2:8: error[ZQ122]: the 专题 names no `tags`: it would gather nothing",
    ),
    (
        "ZQ121",
        &[(
            "content/county/adopted.yaml",
            "- {item: \"@/school/news/无.md\"}\n",
        )],
        "content/county/adopted.yaml:1:1: warning[ZQ121]: `@/school/news/无.md` is not an item offered (报送) to `county`",
    ),
    (
        "ZQ509",
        &[(
            "content/county/adopted.yaml",
            "- {item: \"@/school/news/无.md\"}\n",
        )],
        "content/school/news/无.md:1:1: warning[ZQ509]: this page was removed or renamed, but 东区教育局 still uses it: its `content/county/adopted.yaml` adopted it at line 1",
    ),
    (
        "ZQ125",
        &[(
            "content/school/static/search/own/0.json",
            "[[\"javascript:alert(1)\"]]",
        )],
        "content/school/static/search/own/0.json:1:1: error[ZQ125]: `search/own/0.json` would replace `search/`, which the build makes itself; content cannot replace a generated file or folder",
    ),
    (
        "ZQ507",
        &[
            (
                "sites/county.yaml",
                "name: 东区教育局\nkind: county\nparent: city\nsyndication: {review: true}\n",
            ),
            (
                "content/school/news/2024-05-07-稿.md",
                "---\ntitle: 稿\ndate: 2024-05-07\nsyndicate: up\n---\n稿。\n",
            ),
        ],
        "content/county/adopted.yaml:1:1: warning[ZQ507]: 「稿」 from 东区实验小学 awaits adoption (采用) by 东区教育局",
    ),
    (
        "ZQ001",
        &[(
            "content/city/news/n1.md",
            "---\ntitle: [a\ndate: 2024-04-01\n---\n",
        )],
        "content/city/news/n1.md:2:8: error[ZQ001]: the value of `title` starts with `[`, which YAML reads as a list or a group of keys, not as text",
    ),
    (
        "ZQ002",
        &[(
            "sites/county.yaml",
            "name: 东区教育局\nkind: county\nparent: city\nfooter:\n  sponser: 东区\n",
        )],
        "sites/county.yaml:5:3: error[ZQ002]: unknown key `sponser` in `footer`",
    ),
    (
        "ZQ003",
        &[("sites/county.yaml", "kind: county\nparent: city\n")],
        "sites/county.yaml:1:1: error[ZQ003]: missing `name` (网站名称)",
    ),
    (
        "ZQ004",
        &[(
            "cluster.yaml",
            "base_url: https://edu.test.example\ntimezone: 北京时间\n",
        )],
        "cluster.yaml:2:11: error[ZQ004]: invalid `timezone` `北京时间`",
    ),
    (
        "ZQ005",
        &[("sites/new.yml", "name: x\nkind: school\nparent: city\n")],
        "sites/new.yml:1:1: error[ZQ005]: site files must end in `.yaml`",
    ),
    (
        "ZQ006",
        &[(
            "sites/county.yaml",
            "name: 东区教育局\nkind: county\nparent: cty\n",
        )],
        "sites/county.yaml:3:9: error[ZQ006]: unknown parent site `cty`",
    ),
    (
        "ZQ007",
        &[(
            "sites/county.yaml",
            "name: 东区教育局\nkind: county\nparent: county\n",
        )],
        "sites/county.yaml:3:9: error[ZQ007]: parent cycle: county -> county",
    ),
    (
        "ZQ008",
        &[
            ("sites/other.yaml", "name: 另一个市\nkind: county\n"),
            ("content/other/news/.keep", ""),
        ],
        "sites/other.yaml:1:1: error[ZQ008]: a second root site: `other` has no `parent`, but `city` is the root",
    ),
    (
        "ZQ009",
        &[
            (
                "sites/studio.yaml",
                "name: 工作室\nkind: studio\nparent: school\n",
            ),
            (
                "sites/sub.yaml",
                "name: 子站\nkind: county\nparent: studio\n",
            ),
            ("content/studio/.keep", ""),
            ("content/sub/.keep", ""),
        ],
        "sites/sub.yaml:3:9: error[ZQ009]: a county site cannot sit under the studio site `studio`",
    ),
    (
        "ZQ010",
        &[(
            "sites/new.yaml",
            "name: 新学校\nkind: school\nparent: city\n",
        )],
        "sites/new.yaml:1:1: warning[ZQ010]: content folder `content/new` does not exist yet: the site is built without content",
    ),
    (
        "ZQ011",
        &[("cluster.yaml/x", "")],
        "cluster.yaml:1:1: error[ZQ011]: cannot read: it is a folder, not a file",
    ),
    (
        "ZQ012",
        &[
            ("sites/city.yaml", ""),
            ("sites/county.yaml", ""),
            ("sites/school.yaml", ""),
            ("sites/direct.yaml", ""),
        ],
        "sites:1:1: error[ZQ012]: the cluster has no sites",
    ),
    (
        "ZQ014",
        &[(
            "cluster.yaml",
            "base_url: https://edu.test.example\noutput: content/city\n",
        )],
        "cluster.yaml:2:9: error[ZQ014]: the output folder `content/city` overlaps the content folder of site `city`",
    ),
    (
        "ZQ015",
        &[(
            "sites/county.yaml",
            "name: 东区教育局\nkind: county\nparent: city\ncontent: {git: ../no-such-repo.git}\n",
        )],
        "sites/county.yaml:4:10: error[ZQ015]: site `county`: cannot fetch `../no-such-repo.git`: ",
    ),
    (
        "ZQ101",
        &[("content/city/news/n1.md", "title: 没有分隔线\n")],
        "content/city/news/n1.md:1:1: error[ZQ101]: missing front matter: the file must start with a `---` line",
    ),
    (
        "ZQ102",
        &[("content/city/news/n1.md", "---\ndate: 2024-04-01\n---\n")],
        "content/city/news/n1.md:1:1: error[ZQ102]: missing `title` (标题)",
    ),
    (
        "ZQ103",
        &[("content/city/news/n1.md", "---\ntitle: 无日期\n---\n")],
        "content/city/news/n1.md:1:1: error[ZQ103]: missing `date` (发布日期)",
    ),
    (
        "ZQ104",
        &[(
            "content/city/news/n1.md",
            "---\ntitle: 日期\ndate: 2024-04-31\n---\n",
        )],
        "content/city/news/n1.md:3:7: error[ZQ104]: invalid `date` `2024-04-31`",
    ),
    (
        "ZQ105",
        &[(
            "content/school/news/2024-05-09-x.md",
            "---\ntitle: 下发\nsyndicate: down\n---\n",
        )],
        "content/school/news/2024-05-09-x.md:3:12: error[ZQ105]: `syndicate: down` (下发) only works for notices",
    ),
    (
        "ZQ106",
        &[(
            "content/city/news/n1.md",
            "---\ntitle: 坏的\ndate: 2024-04-01\nslug: ../x\n---\n",
        )],
        "content/city/news/n1.md:4:7: error[ZQ106]: invalid `slug` `../x`",
    ),
    (
        "ZQ107",
        &[(
            "content/city/news/2024-04-01-n1.md",
            "---\ntitle: 重复\n---\n",
        )],
        "content/city/news/n1.md:1:1: error[ZQ107]: the URL `/news/n1/` is also the URL of `news/2024-04-01-n1.md`",
    ),
    (
        "ZQ108",
        &[],
        "content/city/news/gbk.md:2:8: error[ZQ108]: the file is not valid UTF-8",
    ),
    (
        "ZQ109",
        &[(
            "content/city/news/sub/_index.md",
            "---\ntitle: 子栏目\n---\n",
        )],
        "content/city/news/sub/_index.md:1:1: error[ZQ109]: `_index.md` only works at the root of a content repository or of a section",
    ),
    (
        "ZQ111",
        &[],
        "content/city/news/loop:1:1: error[ZQ111]: symbolic link loop",
    ),
    (
        "ZQ112",
        &[(
            "content/city/resources/r.md",
            "---\ntitle: 资源\ndate: 2024-04-01\nstage: 小学\nresource_type: 课件\n---\n",
        )],
        "content/city/resources/r.md:1:1: error[ZQ112]: missing `subject` (学科) on a resource page",
    ),
    (
        "ZQ113",
        &[(
            "content/city/resources/r.md",
            "---\ntitle: 资源\ndate: 2024-04-01\nstage: 小学\nsubject: 编程\nresource_type: 课件\n---\n",
        )],
        "content/city/resources/r.md:5:10: error[ZQ113]: `subject` (学科) `编程` is not in the vocabulary",
    ),
    (
        "ZQ114",
        &[(
            "content/city/resources/r.md",
            "---\ntitle: 资源\ndate: 2024-04-01\nstage: 小学\nsubject: 数学\nresource_type: 课件\nfiles: [../../../sites/city.yaml]\n---\n",
        )],
        "content/city/resources/r.md:7:8: error[ZQ114]: attachment `../../../sites/city.yaml` lies outside the content repository",
    ),
    (
        "ZQ115",
        &[(
            "content/city/resources/r.md",
            "---\ntitle: 资源\ndate: 2024-04-01\nstage: 小学\nsubject: 数学\nresource_type: 课件\nfiles: [课件.pptx]\n---\n",
        )],
        "content/city/resources/r.md:7:8: error[ZQ115]: attachment `课件.pptx` does not exist (looked for `resources/课件.pptx`)",
    ),
    (
        "ZQ116",
        &[
            (
                "content/city/disclosure/a.md",
                "---\ntitle: 甲\ndate: 2024-04-01\nindex_no: X-1\n---\n",
            ),
            (
                "content/city/disclosure/b.md",
                "---\ntitle: 乙\ndate: 2024-04-02\nindex_no: X-1\n---\n",
            ),
        ],
        "content/city/disclosure/b.md:1:1: error[ZQ116]: 索引号 `X-1` is also the index number of `disclosure/a.md`",
    ),
    (
        "ZQ117",
        &[(
            "content/city/disclosure/a.md",
            "---\ntitle: 甲\ndate: 2024-04-01\n---\n",
        )],
        "content/city/disclosure/a.md:1:1: error[ZQ117]: cannot number this disclosure item: site `city` has no `org_code` (索引号前段码)",
    ),
    (
        "ZQ201",
        &[(
            "content/city/news/n1.md",
            "---\ntitle: 链接\ndate: 2024-04-01\n---\n[x](@/nosuch/)\n",
        )],
        "content/city/news/n1.md:5:1: error[ZQ201]: link to unknown site `nosuch`",
    ),
    (
        "ZQ202",
        &[(
            "content/city/news/n1.md",
            "---\ntitle: 链接\ndate: 2024-04-01\n---\n[x](@/school/news/none.md)\n",
        )],
        "content/city/news/n1.md:5:1: error[ZQ202]: link to `@/school/news/none.md`: site `school` has no `news/none.md`",
    ),
    (
        "ZQ203",
        &[(
            "content/city/news/n1.md",
            "---\ntitle: 链接\ndate: 2024-04-01\n---\n见<a href=\"https://edu.test.example/county/missing/\">缺失</a>\n",
        )],
        "content/city/news/n1.md:5:2: error[ZQ203]: link to `https://edu.test.example/county/missing/`: no such page in the cluster",
    ),
    (
        "ZQ204",
        &[(
            "content/city/news/n1.md",
            "---\ntitle: 链接\ndate: 2024-04-01\n---\n[x](#nowhere)\n",
        )],
        "content/city/news/n1.md:5:1: error[ZQ204]: link to `#nowhere`: the page has no heading or element with id `nowhere`",
    ),
    (
        "ZQ301",
        &[("content/city/templates/404.html", "{% if %}")],
        "content/city/templates/404.html:1:7: error[ZQ301]: template error: Found `%}` but expected one of: integer, float, string, bool, ident, `-`, `not`, `<`, `{`, `[` or `(`",
    ),
    (
        "ZQ302",
        &[(
            "sites/city.yaml",
            "name: 测试市教育局\nkind: city\ntheme: nosuch\n",
        )],
        "sites/city.yaml:3:8: error[ZQ302]: theme `nosuch` does not exist",
    ),
    (
        "ZQ501",
        &[],
        "content/city/news/_index.md:1:1: warning[ZQ501]: section `news` (新闻动态) of 测试市教育局 was last updated 2024-04-05 (16 days ago, more than 14)",
    ),
    (
        "ZQ502",
        &[(
            "content/city/notices/2024-04-20-放假.md",
            "---\ntitle: 旧通知\ndate: 2023-01-01\n---\n",
        )],
        "content/city/notices:1:1: warning[ZQ502]: section `notices` (通知公告) of 测试市教育局 was last updated 2023-01-01 (476 days ago, more than 180)",
    ),
    (
        "ZQ503",
        &[
            (
                "content/city/notices/_index.md",
                "---\ntitle: 通知公告\n---\n",
            ),
            ("content/city/notices/2024-04-20-放假.md", ""),
        ],
        "content/city/notices/_index.md:1:1: warning[ZQ503]: section `notices` (通知公告) of 测试市教育局 has no pages",
    ),
    (
        "ZQ504",
        &[("content/city/pages/about.md", "---\ntitle: 机构概况\n---\n")],
        "content/city/pages/about.md:1:1: warning[ZQ504]: the page has no date (`date` or `updated`)",
    ),
    (
        "ZQ505",
        &[
            (
                "content/city/news/n1.md",
                "---\ntitle: 图\ndate: 2024-04-01\n---\n\n![](p.svg)\n",
            ),
            (
                "content/city/news/p.svg",
                "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
            ),
        ],
        "content/city/news/n1.md:6:1: warning[ZQ505]: image `https://edu.test.example/city/news/p.svg` has no alt text",
    ),
    (
        "ZQ506",
        &[("sites/city.yaml", "name: 测试市教育局\nkind: city\n")],
        "sites/city.yaml:1:1: warning[ZQ506]: the footer of 测试市教育局 has no ICP number (ICP备案号)",
    ),
    (
        "ZQ118",
        &[],
        "content/city/pages/passwd.txt:1:1: error[ZQ118]: symbolic link to `../../../sites/city.yaml` leads outside the content repository",
    ),
    (
        "ZQ119",
        &[(
            "content/city/news/a\\b.md",
            "---\ntitle: a\ndate: 2024-04-01\n---\n",
        )],
        "content/city/news/a\\b.md:1:1: error[ZQ119]: the file name contains `\\`, which browsers read as `/`",
    ),
    (
        "ZQ120",
        &[(
            "content/city/news/n1.md",
            "---\ndate: 2024-04-01\nsummary: 短\ntitle: 长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长\n---\n",
        )],
        "content/city/news/n1.md:4:8: error[ZQ120]: `title` (标题) has 201 characters; at most 200 are allowed",
    ),
    (
        "ZQ126",
        &[(
            "content/city/news/通知.md.txt",
            "---\ntitle: 通知\ndate: 2024-04-01\n---\n",
        )],
        "content/city/news/通知.md.txt:1:1: warning[ZQ126]: `news/通知.md.txt` looks like a page but is not read as one: only files ending in `.md` are pages",
    ),
    (
        "ZQ205",
        &[(
            "content/city/news/n1.md",
            "---\ntitle: 链接\ndate: 2024-04-01\n---\n[附件](附件2 日程.docx)\n",
        )],
        "content/city/news/n1.md:5:1: error[ZQ205]: the link target `附件2 日程.docx` has a space in it: Markdown shows such a link as plain text",
    ),
    (
        "ZQ206",
        &[(
            "content/city/news/n1.md",
            "---\ntitle: 链接\ndate: 2024-04-01\n---\n[预览](http://127.0.0.1:1313/city/)\n",
        )],
        "content/city/news/n1.md:5:1: error[ZQ206]: link to `http://127.0.0.1:1313/city/`, an address of the preview on this computer: visitors cannot open it",
    ),
    (
        "ZQ207",
        &[(
            "content/city/news/n1.md",
            "---\ntitle: 链接\ndate: 2024-04-01\n---\n[报名][z]\n\n[z]: javascript:alert(document.domain)\n",
        )],
        "content/city/news/n1.md:5:1: error[ZQ207]: the link `javascript:alert(document.domain)` uses a javascript: address, which would run a program in the visitor's browser or open a file of their computer; it is written as `#`",
    ),
    (
        "ZQ510",
        &[(
            "content/city/news/n1.md",
            "---\ntitle: 再接再励\ndate: 2024-04-01\n---\n",
        )],
        "content/city/news/n1.md:2:8: warning[ZQ510]: `再接再励` is a wrong form: write `再接再厉`",
    ),
];

fn reported(f: &Fixture, today: &str) -> String {
    let run = f.run(&["check", "--today", today]);
    run.stdout
}

#[test]
fn each_code_has_its_exact_message() {
    let mut wrong = Vec::new();
    for (code, files, expected) in CASES {
        let f = Fixture::new("basic");
        for (path, text) in *files {
            if text.is_empty() && !path.ends_with(".keep") && !path.ends_with("/x") {
                std::fs::remove_file(f.root.join(path)).unwrap();
            } else if path.ends_with("/x") {
                let dir = f.root.join(path.trim_end_matches("/x"));
                std::fs::remove_file(&dir).ok();
                std::fs::create_dir_all(dir).unwrap();
            } else {
                f.write(path, text);
            }
        }
        #[cfg(unix)]
        if *code == "ZQ111" {
            std::os::unix::fs::symlink(
                f.root.join("content/city"),
                f.root.join("content/city/news/loop"),
            )
            .unwrap();
        }
        #[cfg(unix)]
        if *code == "ZQ118" {
            std::os::unix::fs::symlink(
                "../../../sites/city.yaml",
                f.root.join("content/city/pages/passwd.txt"),
            )
            .unwrap();
        }
        if *code == "ZQ108" {
            std::fs::write(
                f.root.join("content/city/news/gbk.md"),
                b"---\ntitle: \xd0\xc2\n---\n",
            )
            .unwrap();
        }
        let today = "2024-04-21";
        let out = reported(&f, today);
        let lines: Vec<&str> = out
            .lines()
            .filter(|l| l.contains(&format!("[{code}]")))
            .collect();
        // A message ending in `: ` is followed by the words of another program (git).
        let matches = match lines.first() {
            Some(line) if expected.ends_with(": ") => line.starts_with(expected),
            Some(line) => line == expected,
            None => false,
        };
        if !matches {
            wrong.push(format!(
                "{code}: expected\n  {expected}\ngot\n  {}",
                lines.first().copied().unwrap_or(out.as_str())
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn every_code_has_a_case() {
    let covered: Vec<&str> = CASES.iter().map(|c| c.0).collect();
    // Manifests are read by `build --site` only: see syndication::missing_or_corrupt_manifests_ask_for_a_full_build.
    let untestable = ["ZQ401"];
    for code in zhanqun::codes::ALL {
        assert!(
            covered.contains(code) || untestable.contains(code),
            "no case for {code}"
        );
    }
}
