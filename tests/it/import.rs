//! `zhanqun import` end to end: mammoth's test documents as a conformance suite (imported,
//! built, and the rendered HTML compared with mammoth's expected HTML by structure and
//! text), Chinese documents made with python-docx, and hostile files refused with nothing
//! written.

use std::path::{Path, PathBuf};

use crate::helpers::Fixture;
use zhanqun::import::page::{Request, import};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// The tags that carry a document's structure, as `name[children]`, with text between;
/// `th` reads as `td`, `del` as `s`; a `p` directly inside a cell or list item is dropped
/// (mammoth writes one, a GFM table and a tight list do not).
fn structure(html: &str) -> String {
    const KEPT: [&str; 17] = [
        "p", "ul", "ol", "li", "table", "tr", "td", "strong", "em", "s", "sup", "sub", "a", "img",
        "h2", "h3", "h4",
    ];
    let mut out = String::new();
    let mut open: Vec<(String, bool)> = Vec::new();
    let mut rest = html;
    while !rest.is_empty() {
        let Some(lt) = rest.find('<') else {
            out.push_str(&text(rest));
            break;
        };
        out.push_str(&text(&rest[..lt]));
        let gt = rest[lt..].find('>').map_or(rest.len(), |g| lt + g + 1);
        let tag = &rest[lt + 1..gt - 1];
        rest = &rest[gt..];
        let closing = tag.starts_with('/');
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(char::is_ascii_alphanumeric)
            .collect();
        let name = match name.as_str() {
            "th" => "td".to_string(),
            "del" => "s".to_string(),
            n => n.to_string(),
        };
        if !KEPT.contains(&name.as_str()) {
            continue;
        }
        if closing {
            if let Some((_, shown)) = open.pop()
                && shown
            {
                out.push(']');
            }
            continue;
        }
        let in_cell = open.last().is_some_and(|(n, _)| n == "td" || n == "li");
        let shown = !(name == "p" && in_cell);
        if name == "img" {
            out.push_str("img");
            continue;
        }
        if shown {
            out.push_str(&name);
            out.push('[');
        }
        open.push((name, shown));
    }
    out
}

fn text(s: &str) -> String {
    let decoded = s
        .replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'");
    let decoded = decoded.replace(['’', '‘'], "'").replace(['“', '”'], "\"");
    decoded.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The rendered body of an imported page.
fn body(f: &Fixture, slug: &str) -> String {
    let page = f.output(&format!("school/news/{slug}/index.html"));
    let start = page
        .find("<div class=\"article-body\">")
        .expect("an article body");
    let end = page[start..]
        .find("\n  </div>\n")
        .map_or(page.len(), |e| start + e);
    page[start + "<div class=\"article-body\">".len()..end].to_string()
}

fn import_as(f: &Fixture, file: &Path, slug: &str) -> zhanqun::import::page::Imported {
    let to = format!("school/news/{slug}");
    let request = Request {
        root: &f.root,
        file,
        to: &to,
        date: Some("2024-05-01"),
        keep_size: false,
    };
    import(&request).unwrap_or_else(|e| panic!("{}: {e}", file.display()))
}

/// (document, mammoth's expected HTML — or ours where we differ on purpose, with why).
const MAMMOTH: &[(&str, &str)] = &[
    ("single-paragraph", "<p>Walking on imported air</p>"),
    ("utf8-bom", "<p>This XML has a byte order mark.</p>"),
    ("empty", ""),
    // mammoth applies a style map embedded by mammoth itself (`<h1>`); a Word document has
    // none, and we read what Word shows: a paragraph.
    ("embedded-style-map", "<p>Walking on imported air</p>"),
    (
        "tiny-picture",
        "<p><img src=\"data:image/png;base64,iVBORw0KGgo=\" /></p>",
    ),
    (
        "tiny-picture-target-base-relative",
        "<p><img src=\"data:image/png;base64,iVBORw0KGgo=\" /></p>",
    ),
    // mammoth refuses external pictures by default too (with an error message); we list it.
    ("external-picture", ""),
    ("simple-list", "<ul><li>Apple</li><li>Banana</li></ul>"),
    // The first row is the header row of a GFM table (`th`, read as `td` here).
    (
        "tables",
        "<p>Above</p><table><tr><td><p>Top left</p></td><td><p>Top right</p></td></tr><tr><td><p>Bottom left</p></td><td><p>Bottom right</p></td></tr></table><p>Below</p>",
    ),
    // mammoth leaves comments out unless asked; we leave them out and list them.
    ("comments", "<p>Ouch.</p>"),
    ("text-box", "<p>Datum plane</p>"),
    (
        "strikethrough",
        "<p><s>Today's Special: Salmon</s> Sold out</p>",
    ),
    ("strict-format", "<p>Test</p>"),
];

#[test]
fn mammoths_test_documents_render_as_mammoth_expects() {
    let f = Fixture::new("basic");
    let dir = fixture("mammoth");
    for (name, _) in MAMMOTH {
        import_as(&f, &dir.join(format!("{name}.docx")), name);
    }
    for (name, _, _) in NOTES {
        import_as(&f, &dir.join(format!("{name}.docx")), name);
    }
    // `underline.docx` is one short bold line: SPEC §14 makes it the title (mammoth:
    // `<p><strong>The Sunset Tree</strong></p>`).
    let underline = import_as(&f, &dir.join("underline.docx"), "underline");
    assert_eq!(underline.title, "The Sunset Tree");
    f.build_ok(&["--drafts"]);
    let mut wrong = Vec::new();
    for (name, expected) in MAMMOTH {
        let (got, want) = (structure(&body(&f, name)), structure(expected));
        if got != want {
            wrong.push(format!("{name}:\n  got  {got}\n  want {want}"));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    // The picture is the document's own pixels (written again, without its metadata),
    // beside the page.
    let png = image::open(dir.join("tiny-picture.png"))
        .unwrap()
        .to_rgba8();
    for name in ["tiny-picture", "tiny-picture-target-base-relative"] {
        let stored = image::open(f.root.join(format!("public/school/news/{name}/图1.png")));
        assert_eq!(stored.unwrap().to_rgba8(), png, "{name}");
    }
    notes_render_as_mammoth_expects(&f);
}

/// Documents with notes: mammoth writes `<sup><a>[1]</a></sup>` and an `<ol>` of notes with
/// back links; Markdown footnotes render as `<sup class="footnote-reference">` and
/// `<div class="footnote-definition">`. Compared: the text with its references, and each
/// note's text in order.
const NOTES: &[(&str, &str, &[&str])] = &[
    (
        "footnotes",
        "Ouch[1].[2]",
        &["A tachyon walks into a bar.", "Fin."],
    ),
    (
        "endnotes",
        "Ouch[1].[2]",
        &["A tachyon walks into a bar.", "Fin."],
    ),
    ("footnote-hyperlink", "[1]", &["Example"]),
];

fn notes_render_as_mammoth_expects(f: &Fixture) {
    for (name, text, notes) in NOTES {
        let html = body(f, name);
        let (main, defs) = html
            .split_once("<div class=\"footnote-definition\"")
            .unwrap_or((&html, ""));
        let refs = main
            .replace(
                "<sup class=\"footnote-reference\"><a href=\"#1\">1</a></sup>",
                "[1]",
            )
            .replace(
                "<sup class=\"footnote-reference\"><a href=\"#2\">2</a></sup>",
                "[2]",
            );
        assert_eq!(structure(&refs), format!("p[{text}]"), "{name}: {html}");
        let found: Vec<String> = defs
            .split("<div class=\"footnote-definition\"")
            .map(|d| structure(d.split_once("</sup>").map_or(d, |(_, t)| t)))
            .collect();
        let expected: Vec<String> = notes
            .iter()
            .map(|n| {
                format!(
                    "p[{}]",
                    if *name == "footnote-hyperlink" {
                        format!("a[{n}]")
                    } else {
                        n.to_string()
                    }
                )
            })
            .collect();
        assert_eq!(found, expected, "{name}: {html}");
    }
    assert!(
        body(f, "footnote-hyperlink").contains("<a href=\"http://www.example.com\">Example</a>")
    );
}

#[test]
fn a_chinese_notice_becomes_a_page_with_its_picture() {
    let f = Fixture::new("basic");
    let run = f.run_as_webmaster(&[
        "import",
        fixture("word/运动会通知.docx").to_str().unwrap(),
        "--to",
        "school/news",
        "--date",
        "2026-11-05",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let dir = "content/school/news/2026-11-05-关于举办2026年秋季田径运动会的通知";
    assert!(
        run.stdout
            .contains(&format!("已导入“{dir}/index.md”（草稿）")),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("图片 1 张：图1.png"), "{}", run.stdout);
    let page = std::fs::read_to_string(f.root.join(dir).join("index.md")).unwrap();
    assert!(
        page.starts_with(
            "---\ntitle: 关于举办2026年秋季田径运动会的通知\ndate: 2026-11-05\ndraft: true"
        ),
        "{page}"
    );
    f.build_ok(&["--drafts"]);
    let html = body(&f, "关于举办2026年秋季田径运动会的通知");
    let s = structure(&html);
    for part in [
        "p[各班级、各部门：]p[为增强学生体质",
        "h2[一、时间和地点]p[时间：11月20日至21日地点：学校田径场]",
        "h3[（一）个人项目]ul[li[径赛ul[li[60米、100米]]]li[田赛]]",
        "ol[li[班主任填写报名表]li[体育组审核]]",
        "p[请各班strong[务必]于11月10日前em[报送]报名表，s[逾期不候]。]",
        "table[tr[td[年级]td[项目]td[人数]]tr[td[一年级]td[60米]td[24]]tr[td[二年级]td[跳远]td[18]]]",
        "table[tr[td[组别]td[名次]]tr[td[第一名]td[第二名]]tr[td[男子组]td[三(2)班]td[四(1)班]]]",
        "p[img]p[详见a[区教育局网站]。]p[东区实验小学]p[2026年11月5日]",
    ] {
        assert!(s.contains(part), "{part}\nin\n{s}");
    }
    assert!(
        html.contains("时间：11月20日至21日<br />\n地点：学校田径场"),
        "{html}"
    );
    assert!(
        html.contains("<td rowspan=\"2\">组别</td>")
            && html.contains("<td colspan=\"2\">名次</td>"),
        "{html}"
    );
    assert!(
        html.contains("alt=\"去年运动会开幕式上，学生方阵走过主席台\""),
        "{html}"
    );
    assert!(
        !html.contains('\u{3000}'),
        "Word's first-line indent is dropped"
    );
}

#[test]
fn headings_of_chinese_word_and_wps_read_by_their_names() {
    let f = Fixture::new("basic");
    let imported = import_as(&f, &fixture("word/标题样式编号.docx"), "wps");
    assert!(
        imported.text.contains("\n## 一、时间和地点\n")
            && imported.text.contains("\n### （一）个人项目\n"),
        "{}",
        imported.text
    );
}

#[test]
fn a_picture_without_a_description_is_marked_and_named() {
    let f = Fixture::new("basic");
    let run = f.run_as_webmaster(&[
        "import",
        fixture("word/没有图片说明.docx").to_str().unwrap(),
        "--to",
        "school/news/升旗",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout
            .contains("图1.png 没有图片说明（替代文字），暂时写成了“待补充图片说明”"),
        "{}",
        run.stdout
    );
    // No title in the document: the file name is the title.
    assert!(run.stdout.contains("标题：没有图片说明"), "{}", run.stdout);
}

/// Every file under `content/`, to show nothing was written.
fn content_files(f: &Fixture) -> Vec<String> {
    let mut files: Vec<String> = walkdir::WalkDir::new(f.root.join("content"))
        .into_iter()
        .filter_map(Result::ok)
        .map(|e| e.path().display().to_string())
        .collect();
    files.sort();
    files
}

#[test]
fn old_encrypted_foreign_huge_and_hostile_files_are_refused_with_nothing_written() {
    let f = Fixture::new("basic");
    let before = content_files(&f);
    let mut ole = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1".to_vec();
    ole.resize(4096, 0);
    f.write("上学期总结.doc", "");
    std::fs::write(f.root.join("上学期总结.doc"), &ole).unwrap();
    let stream: Vec<u8> = "EncryptedPackage"
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    ole.extend(stream);
    std::fs::write(f.root.join("加密.docx"), &ole).unwrap();
    f.write("改了扩展名.docx", "%PDF-1.7 not a document");
    std::fs::File::create(f.root.join("很大.docx"))
        .unwrap()
        .set_len(500 * 1024 * 1024)
        .unwrap();
    std::fs::copy(fixture("mammoth/empty.zip"), f.root.join("空压缩包.docx")).unwrap();
    for (file, words) in [
        ("上学期总结.doc", "旧版 Word（.doc）"),
        ("加密.docx", "设置了打开密码"),
        ("改了扩展名.docx", "这不是 Word 文档（.docx）"),
        ("很大.docx", "文件有 500 MB，太大了（最多 200 MB）"),
        ("空压缩包.docx", "这不是 Word 文档（.docx）"),
        ("没有这个文件.docx", "无法读取"),
    ] {
        let run = f.run_as_webmaster(&["import", file, "--to", "school/news"]);
        assert_eq!(run.code, 2, "{file}: {}", run.stdout);
        assert!(run.stderr.contains(words), "{file}: {}", run.stderr);
    }
    assert_eq!(content_files(&f), before);
}

#[test]
fn an_existing_page_is_never_overwritten_and_a_wrong_place_is_explained() {
    let f = Fixture::new("basic");
    let doc = fixture("mammoth/single-paragraph.docx");
    let doc = doc.to_str().unwrap();
    let first = f.run_as_webmaster(&[
        "import",
        doc,
        "--to",
        "school/news/一篇",
        "--date",
        "2024-05-01",
    ]);
    assert_eq!(first.code, 0, "{}", first.stderr);
    let path = f.root.join("content/school/news/2024-05-01-一篇/index.md");
    std::fs::write(&path, "老师改过的内容").unwrap();
    let again = f.run_as_webmaster(&[
        "import",
        doc,
        "--to",
        "school/news/一篇",
        "--date",
        "2024-05-01",
    ]);
    assert_eq!(again.code, 2);
    assert!(
        again.stderr.contains("已经存在，没有写入任何文件"),
        "{}",
        again.stderr
    );
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "老师改过的内容");
    for (to, words) in [
        ("nosuch/news", "站点“nosuch”不存在"),
        ("school", "格式不对"),
        ("school/nwes", "没有“nwes”这个栏目"),
        ("school/classes", "不能从 Word 导入"),
    ] {
        let run = f.run_as_webmaster(&["import", doc, "--to", to]);
        assert!(
            run.code == 2 && run.stderr.contains(words),
            "{to}: {}",
            run.stderr
        );
    }
    let bad_date = f.run_as_webmaster(&[
        "import",
        doc,
        "--to",
        "school/news",
        "--date",
        "2024年5月1日",
    ]);
    assert!(
        bad_date.stderr.contains("不是有效的日期"),
        "{}",
        bad_date.stderr
    );
    // A resource gets the facets the library needs, with their choices.
    let resource =
        f.run_as_webmaster(&["import", doc, "--to", "school/resources/教案", "--stdout"]);
    assert!(
        resource.stdout.contains("stage: ") && resource.stdout.contains("# 学段，可选："),
        "{}",
        resource.stdout
    );
}
