//! The converter on documents made in memory: one test per element SPEC §14 names, and the
//! hostile inputs.

use std::io::Write;

use super::model::Lost;
use super::{Refusal, convert};

const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
const R: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const REL_TYPE: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

/// A document: the body XML and the other parts it needs.
#[derive(Default)]
struct Doc {
    body: String,
    styles: Option<String>,
    numbering: Option<String>,
    footnotes: Option<String>,
    comments: Option<String>,
    /// (id, type, target, external)
    rels: Vec<(String, String, String, bool)>,
    media: Vec<(String, Vec<u8>)>,
}

impl Doc {
    fn new(body: &str) -> Doc {
        Doc {
            body: body.to_string(),
            ..Doc::default()
        }
    }

    fn rel(mut self, id: &str, kind: &str, target: &str, external: bool) -> Doc {
        self.rels
            .push((id.into(), kind.into(), target.into(), external));
        self
    }

    fn bytes(&self) -> Vec<u8> {
        let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let mut add = |name: &str, data: &[u8]| {
            let options = zip::write::SimpleFileOptions::default();
            zip.start_file(name, options).unwrap();
            zip.write_all(data).unwrap();
        };
        add("_rels/.rels", format!(r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="{REL_TYPE}/officeDocument" Target="word/document.xml"/></Relationships>"#).as_bytes());
        let document = format!(
            r#"<w:document xmlns:w="{W}" xmlns:r="{R}" xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture" xmlns:m="http://schemas.openxmlformats.org/officeDocument/2006/math" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" xmlns:v="urn:schemas-microsoft-com:vml"><w:body>{}</w:body></w:document>"#,
            self.body
        );
        add("word/document.xml", document.as_bytes());
        let mut rels: Vec<(String, String, String, bool)> = self.rels.clone();
        for (name, part, text) in [
            ("styles", "styles.xml", &self.styles),
            ("numbering", "numbering.xml", &self.numbering),
            ("footnotes", "footnotes.xml", &self.footnotes),
            ("comments", "comments.xml", &self.comments),
        ] {
            if let Some(text) = text {
                let root = match name {
                    "styles" => "styles",
                    "numbering" => "numbering",
                    "footnotes" => "footnotes",
                    _ => "comments",
                };
                add(
                    &format!("word/{part}"),
                    format!(r#"<w:{root} xmlns:w="{W}" xmlns:r="{R}">{text}</w:{root}>"#)
                        .as_bytes(),
                );
                rels.push((format!("rId{name}"), name.into(), part.into(), false));
            }
        }
        for (name, data) in &self.media {
            add(&format!("word/media/{name}"), data);
        }
        let rels: String = rels
            .iter()
            .map(|(id, kind, target, external)| {
                let mode = if *external {
                    r#" TargetMode="External""#
                } else {
                    ""
                };
                format!(
                    r#"<Relationship Id="{id}" Type="{REL_TYPE}/{kind}" Target="{target}"{mode}/>"#
                )
            })
            .collect();
        add("word/_rels/document.xml.rels", format!(r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{rels}</Relationships>"#).as_bytes());
        zip.finish().unwrap().into_inner()
    }

    fn markdown(&self) -> String {
        convert(&self.bytes()).unwrap().markdown
    }
}

fn p(text: &str) -> String {
    format!(r#"<w:p><w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:p>"#)
}

fn styled(style: &str, text: &str) -> String {
    format!(r#"<w:p><w:pPr><w:pStyle w:val="{style}"/></w:pPr><w:r><w:t>{text}</w:t></w:r></w:p>"#)
}

fn style(id: &str, name: &str) -> String {
    format!(r#"<w:style w:type="paragraph" w:styleId="{id}"><w:name w:val="{name}"/></w:style>"#)
}

#[test]
fn headings_are_found_by_style_name_whatever_their_ids() {
    // Word's ids, Chinese Word's (`1`, `2`) and WPS's (`3`) for the same built-in names.
    let mut doc = Doc::new(
        &[
            p("导语"),
            styled("1", "一、总体要求"),
            styled("Heading2", "（一）目标"),
            styled("3", "细则"),
        ]
        .concat(),
    );
    doc.styles = Some(
        [
            style("1", "heading 1"),
            style("Heading2", "heading 2"),
            style("3", "标题 3"),
        ]
        .concat(),
    );
    assert_eq!(
        doc.markdown(),
        "导语\n\n## 一、总体要求\n\n### （一）目标\n\n#### 细则\n"
    );
}

#[test]
fn the_title_comes_from_the_title_style_an_opening_heading_or_a_short_bold_or_centred_line() {
    let mut doc = Doc::new(&[styled("a", "运动会通知"), p("正文")].concat());
    doc.styles = Some(style("a", "Title"));
    let done = convert(&doc.bytes()).unwrap();
    assert_eq!(
        (done.title.as_deref(), done.markdown.as_str()),
        (Some("运动会通知"), "正文\n")
    );
    let mut doc = Doc::new(&[styled("h", "第一章"), p("正文"), styled("h", "第二章")].concat());
    doc.styles = Some(style("h", "heading 1"));
    let done = convert(&doc.bytes()).unwrap();
    assert_eq!(
        (done.title.as_deref(), done.markdown.as_str()),
        (Some("第一章"), "正文\n\n## 第二章\n")
    );
    let centred = r#"<w:p><w:pPr><w:jc w:val="center"/></w:pPr><w:r><w:t>关于　开展读书节的通知</w:t></w:r></w:p>"#;
    let done = convert(&Doc::new(&[centred, &p("各班：")].concat()).bytes()).unwrap();
    assert_eq!(done.title.as_deref(), Some("关于 开展读书节的通知"));
    let bold = r#"<w:p><w:r><w:rPr><w:b/></w:rPr><w:t>表彰决定</w:t></w:r></w:p>"#;
    assert_eq!(
        convert(&Doc::new(&[bold, &p("正文")].concat()).bytes())
            .unwrap()
            .title
            .as_deref(),
        Some("表彰决定")
    );
    // A long opening paragraph is body text; a heading after body text is not the title.
    let done = convert(&Doc::new(&[p("导语"), styled("h", "一、背景")].concat()).bytes()).unwrap();
    assert_eq!(done.title, None);
}

#[test]
fn bold_italic_strikethrough_and_scripts() {
    let run = |props: &str, text: &str| {
        format!(r#"<w:r><w:rPr>{props}</w:rPr><w:t xml:space="preserve">{text}</w:t></w:r>"#)
    };
    let body = format!(
        "<w:p>{}{}{}{}{}{}{}</w:p>",
        run("", "我校"),
        run("<w:b/>", "荣获"),
        run("<w:i/>", "一等奖"),
        run("<w:strike/>", "旧名"),
        run("<w:vertAlign w:val=\"superscript\"/>", "2"),
        run("<w:b w:val=\"0\"/>", "，"),
        run("<w:b/>", "“优秀”"),
    );
    let text = Doc::new(&format!("{}{body}", p("导语"))).markdown();
    // After a closing `**` an opening `*` would make `***`: the italic is a tag there.
    assert_eq!(
        text,
        "导语\n\n我校**荣获**<em>一等奖</em>~~旧名~~<sup>2</sup>，<strong>“优秀”</strong>\n"
    );
}

#[test]
fn hyperlinks_from_elements_and_fields_and_no_script_links() {
    let body = [
        p("导语"),
        r#"<w:p><w:hyperlink r:id="rIdL"><w:r><w:t>教育局网站</w:t></w:r></w:hyperlink></w:p>"#.to_string(),
        r#"<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> HYPERLINK "https://edu.example.cn/a b" </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>通知原文</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>"#.to_string(),
        r#"<w:p><w:hyperlink r:id="rIdJ"><w:r><w:t>点我</w:t></w:r></w:hyperlink></w:p>"#.to_string(),
        r#"<w:p><w:hyperlink w:anchor="_Toc1"><w:r><w:t>见第二节</w:t></w:r></w:hyperlink></w:p>"#.to_string(),
    ]
    .concat();
    let doc = Doc::new(&body)
        .rel("rIdL", "hyperlink", "https://jyj.example.cn/", true)
        .rel("rIdJ", "hyperlink", "javascript:alert(1)", true);
    let done = convert(&doc.bytes()).unwrap();
    assert_eq!(
        done.markdown,
        "导语\n\n[教育局网站](https://jyj.example.cn/)\n\n[通知原文](https://edu.example.cn/a%20b)\n\n点我\n\n见第二节\n"
    );
    assert_eq!(done.lost, [(Lost::InternalLink, 1)]);
}

#[test]
fn a_red_head_document_gets_its_real_title_and_keeps_its_signature_right() {
    let centred = |t: &str| {
        format!("<w:p><w:pPr><w:jc w:val=\"center\"/></w:pPr><w:r><w:t>{t}</w:t></w:r></w:p>")
    };
    let right = |t: &str| {
        format!("<w:p><w:pPr><w:jc w:val=\"right\"/></w:pPr><w:r><w:t>{t}</w:t></w:r></w:p>")
    };
    let body = [
        centred("江北区实验小学文件"),
        centred("江实小〔2026〕12号"),
        centred("关于召开2026年秋季家长会的通知"),
        p("各位家长："),
        p("定于11月20日召开家长会。"),
        right("江北区实验小学"),
        right("2026年11月13日"),
    ]
    .concat();
    let done = convert(&Doc::new(&body).bytes()).unwrap();
    assert_eq!(
        done.title.as_deref(),
        Some("关于召开2026年秋季家长会的通知")
    );
    assert!(
        done.markdown
            .starts_with("江北区实验小学文件\n\n江实小〔2026〕12号\n\n各位家长："),
        "{}",
        done.markdown
    );
    assert!(
        done.markdown.ends_with("<p class=\"align-right\">江北区实验小学</p>\n\n<p class=\"align-right\">2026年11月13日</p>\n"),
        "{}",
        done.markdown
    );
}

#[test]
fn a_hyperlink_with_line_breaks_stays_one_harmless_link() {
    // The audit's input: a target that, written as it is, ends the link and starts a
    // reference definition of its own.
    let target = "http://a.example/\n\n[z]: javascript:alert(document.domain)\n\n[点这里][z]";
    let body = [
        p("导语"),
        r#"<w:p><w:hyperlink r:id="rIdX"><w:r><w:t>报名</w:t></w:r></w:hyperlink></w:p>"#
            .to_string(),
    ]
    .concat();
    let doc = Doc::new(&body).rel("rIdX", "hyperlink", target, true);
    let done = convert(&doc.bytes()).unwrap();
    assert_eq!(done.markdown.lines().count(), 3, "{}", done.markdown);
    let html = crate::markdown::render(
        &done.markdown,
        &crate::markdown::links::LinkContext::detached(),
    )
    .html;
    assert_eq!(html.matches("<a ").count(), 1, "{html}");
    assert!(
        html.contains("<a href=\"http://a.example/%20%20%5Bz%5D:"),
        "{html}"
    );
    assert!(!html.contains("href=\"javascript"), "{html}");
}

fn numbering() -> String {
    let lvl = |i: u8, fmt: &str, text: &str| {
        format!(
            r#"<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/><w:lvlText w:val="{text}"/></w:lvl>"#
        )
    };
    format!(
        r#"<w:abstractNum w:abstractNumId="0">{}{}</w:abstractNum><w:abstractNum w:abstractNumId="1">{}{}</w:abstractNum><w:abstractNum w:abstractNumId="2">{}{}</w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num><w:num w:numId="2"><w:abstractNumId w:val="1"/></w:num><w:num w:numId="3"><w:abstractNumId w:val="2"/></w:num>"#,
        lvl(0, "bullet", "•"),
        lvl(1, "bullet", "o"),
        lvl(0, "decimal", "%1."),
        lvl(1, "decimal", "%2."),
        lvl(0, "chineseCounting", "%1、"),
        lvl(1, "chineseCounting", "（%2）"),
    )
}

fn item(num: u8, level: u8, text: &str) -> String {
    format!(
        r#"<w:p><w:pPr><w:numPr><w:ilvl w:val="{level}"/><w:numId w:val="{num}"/></w:numPr></w:pPr><w:r><w:t>{text}</w:t></w:r></w:p>"#
    )
}

#[test]
fn lists_nest_and_chinese_numbering_stays_as_written() {
    let body = [
        p("导语"),
        item(1, 0, "语文"),
        item(1, 1, "阅读"),
        item(1, 0, "数学"),
        p("步骤："),
        item(2, 0, "报名"),
        item(2, 0, "比赛"),
        item(2, 1, "初赛"),
        item(3, 0, "工作目标"),
        item(3, 1, "提高质量"),
        item(3, 1, "减轻负担"),
        item(3, 0, "保障措施"),
    ]
    .concat();
    let mut doc = Doc::new(&body);
    doc.numbering = Some(numbering());
    let expected = "导语\n\n- 语文\n    - 阅读\n- 数学\n\n步骤：\n\n1. 报名\n2. 比赛\n    1. 初赛\n\n一、工作目标\n\n（一）提高质量\n\n（二）减轻负担\n\n二、保障措施\n";
    assert_eq!(doc.markdown(), expected);
}

fn cell(text: &str, props: &str) -> String {
    format!("<w:tc><w:tcPr>{props}</w:tcPr>{}</w:tc>", p(text))
}

#[test]
fn simple_tables_are_pipe_tables_and_merged_ones_html() {
    let row = |cells: &[String]| format!("<w:tr>{}</w:tr>", cells.concat());
    let simple = format!(
        "<w:tbl>{}{}</w:tbl>",
        row(&[cell("班级", ""), cell("人数|男", "")]),
        row(&[cell("一(1)班", ""), cell("45", "")])
    );
    assert_eq!(
        Doc::new(&format!("{}{simple}", p("导语"))).markdown(),
        "导语\n\n| 班级 | 人数\\|男 |\n| --- | --- |\n| 一(1)班 | 45 |\n"
    );
    let merged = format!(
        "<w:tbl>{}{}{}</w:tbl>",
        row(&[
            cell("年级", r#"<w:vMerge w:val="restart"/>"#),
            cell("成绩", r#"<w:gridSpan w:val="2"/>"#)
        ]),
        row(&[cell("", "<w:vMerge/>"), cell("语文", ""), cell("数学", "")]),
        row(&[cell("一年级", ""), cell("90", ""), cell("95", "")]),
    );
    let html = "<table>\n<tr>\n<td rowspan=\"2\">年级</td>\n<td colspan=\"2\">成绩</td>\n</tr>\n<tr>\n<td>语文</td>\n<td>数学</td>\n</tr>\n<tr>\n<td>一年级</td>\n<td>90</td>\n<td>95</td>\n</tr>\n</table>";
    assert_eq!(
        Doc::new(&format!("{}{merged}", p("导语"))).markdown(),
        format!("导语\n\n{html}\n")
    );
}

fn drawing(rid: &str, descr: &str) -> String {
    format!(
        r#"<w:p><w:r><w:drawing><wp:inline><wp:docPr id="1" name="图片 1" descr="{descr}"/><a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:pic><pic:blipFill><a:blip r:embed="{rid}"/></pic:blipFill></pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>"#
    )
}

#[test]
fn pictures_are_taken_out_with_their_descriptions() {
    let png = small_picture(image::ImageFormat::Png, true);
    let mut doc = Doc::new(
        &[
            p("导语"),
            drawing("rId5", "学生在操场上跑步"),
            drawing("rId6", ""),
            drawing("rId5", "同一张图"),
        ]
        .concat(),
    )
    .rel("rId5", "image", "media/image1.png", false)
    .rel("rId6", "image", "/word/media/image2.jpeg", false);
    doc.media = vec![
        ("image1.png".into(), png.clone()),
        (
            "image2.jpeg".into(),
            crate::photos::tests::photo_with_gps(2400, 1200),
        ),
    ];
    let done = convert(&doc.bytes()).unwrap();
    assert_eq!(
        done.markdown,
        "导语\n\n![学生在操场上跑步](图1.png)\n\n![待补充图片说明](图2.jpg)\n\n![同一张图](图1.png)\n"
    );
    let names: Vec<&str> = done.pictures.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["图1.png", "图2.jpg"]);
    let photo = &done.pictures[1].bytes;
    assert!(
        !photo.windows(4).any(|w| w == b"Exif"),
        "the GPS block is gone"
    );
    let shown = image::load_from_memory(photo).unwrap();
    assert_eq!(shown.width(), 1920, "scaled down like a pasted photo");
    assert_eq!(done.missing_alt, ["图2.jpg"]);
}

/// A 4 × 4 picture in `format`, with transparency when `alpha`.
fn small_picture(format: image::ImageFormat, alpha: bool) -> Vec<u8> {
    let image = if alpha {
        image::DynamicImage::new_rgba8(4, 4)
    } else {
        image::DynamicImage::new_rgb8(4, 4)
    };
    let mut out = std::io::Cursor::new(Vec::new());
    image.write_to(&mut out, format).unwrap();
    out.into_inner()
}

#[test]
fn word_pictures_that_are_programs_svgs_or_bombs_are_not_stored() {
    let mut doc = Doc::new(
        &[
            drawing("rId5", "程序"),
            drawing("rId6", "图标"),
            drawing("rId7", "炸弹"),
        ]
        .concat(),
    )
    .rel("rId5", "image", "media/image1.png", false)
    .rel("rId6", "image", "media/image2.svg", false)
    .rel("rId7", "image", "media/image3.gif", false);
    let mut gif = b"GIF89a".to_vec();
    gif.extend(60000u16.to_le_bytes());
    gif.extend(60000u16.to_le_bytes());
    gif.extend([0, 0, 0, 0x3B]);
    doc.media = vec![
        (
            "image1.png".into(),
            b"MZ\x90\x00 a program named like a picture".to_vec(),
        ),
        (
            "image2.svg".into(),
            b"<svg><script>alert(1)</script></svg>".to_vec(),
        ),
        ("image3.gif".into(), gif),
    ];
    let done = convert(&doc.bytes()).unwrap();
    assert!(done.pictures.is_empty(), "{:?}", done.pictures);
    assert!(
        !done.lost.is_empty(),
        "each is listed, not dropped silently"
    );
}

#[test]
fn pictures_browsers_cannot_show_or_outside_the_document_are_listed() {
    let mut doc = Doc::new(
        &[
            p("导语"),
            drawing("rIdE", "x"),
            drawing("rIdX", "y"),
            drawing("rIdM", "z"),
        ]
        .concat(),
    )
    .rel("rIdE", "image", "media/image1.emf", false)
    .rel("rIdX", "image", "file:///C:/照片/a.png", true)
    .rel("rIdM", "image", "media/missing.png", false);
    doc.media = vec![("image1.emf".into(), b"emf".to_vec())];
    let done = convert(&doc.bytes()).unwrap();
    assert_eq!(done.markdown, "导语\n");
    assert_eq!(
        done.lost,
        [
            (Lost::ExternalPicture, 1),
            (Lost::PictureFormat, 1),
            (Lost::MissingPicture, 1)
        ]
    );
}

#[test]
fn footnotes_follow_the_text() {
    let mut doc = Doc::new(
        r#"<w:p><w:r><w:t>依据文件</w:t></w:r><w:r><w:footnoteReference w:id="2"/></w:r><w:r><w:t>执行。</w:t></w:r></w:p>"#,
    );
    doc.footnotes = Some(r#"<w:footnote w:type="separator" w:id="0"><w:p/></w:footnote><w:footnote w:id="2"><w:p><w:r><w:footnoteRef/></w:r><w:r><w:t xml:space="preserve"> 教基〔2026〕1号</w:t></w:r></w:p></w:footnote>"#.into());
    assert_eq!(
        doc.markdown(),
        "依据文件[^1]执行。\n\n[^1]: 教基〔2026〕1号\n"
    );
}

#[test]
fn indents_empty_paragraphs_breaks_and_typed_numbering() {
    let body = [
        p("导语"),
        p("\u{3000}\u{3000}为丰富校园生活，"),
        "<w:p/>".to_string(),
        p("   "),
        r#"<w:p><w:r><w:t>第一行</w:t><w:br/><w:t>第二行</w:t><w:br w:type="page"/></w:r></w:p>"#
            .to_string(),
        p("1. 手写的编号"),
        p("（一）手写的编号"),
        p("# 不是标题"),
    ]
    .concat();
    assert_eq!(
        Doc::new(&body).markdown(),
        "导语\n\n为丰富校园生活，\n\n第一行\\\n第二行\n\n1\\. 手写的编号\n\n（一）手写的编号\n\n\\# 不是标题\n"
    );
}

#[test]
fn text_boxes_follow_their_paragraph() {
    let body = format!(
        r#"{}<w:p><w:r><w:t>正文</w:t></w:r><w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wp:anchor><wp:docPr id="2" name="文本框 2"/><a:graphic><a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"><wps:wsp><wps:txbx><w:txbxContent>{}</w:txbxContent></wps:txbx></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice><mc:Fallback><w:pict><v:shape><v:textbox><w:txbxContent>{}</w:txbxContent></v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r></w:p>"#,
        p("导语"),
        p("框里的字"),
        p("框里的字"),
    );
    assert_eq!(Doc::new(&body).markdown(), "导语\n\n正文\n\n框里的字\n");
}

#[test]
fn what_a_page_cannot_show_is_counted() {
    let body = [
        p("导语"),
        r#"<w:p><w:ins><w:r><w:t>新增的</w:t></w:r></w:ins><w:del><w:r><w:delText>删掉的</w:delText></w:r></w:del><w:r><w:t>文字</w:t></w:r><m:oMath><m:r><m:t>x</m:t></m:r></m:oMath></w:p>"#.to_string(),
        r#"<w:p><w:r><w:drawing><wp:inline><wp:docPr id="3" name="图表 3"/><a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/chart"/></a:graphic></wp:inline></w:drawing></w:r><w:r><w:object/></w:r></w:p>"#.to_string(),
        styled("toc", "第一章……1"),
    ]
    .concat();
    let mut doc = Doc::new(&body);
    doc.styles = Some(style("toc", "toc 1"));
    doc.comments = Some(r#"<w:comment w:id="0"><w:p/></w:comment>"#.into());
    let done = convert(&doc.bytes()).unwrap();
    assert_eq!(done.markdown, "导语\n\n新增的文字\n");
    let expected = [
        (Lost::Comment, 1),
        (Lost::Equation, 1),
        (Lost::Chart, 1),
        (Lost::Object, 1),
        (Lost::Revision, 2),
        (Lost::Contents, 1),
    ];
    assert_eq!(done.lost, expected);
}

#[test]
fn hostile_and_foreign_files_are_refused() {
    assert_eq!(convert(b"not a document").unwrap_err(), Refusal::NotDocx);
    let mut broken = Doc::new("<w:p>").bytes();
    assert!(matches!(convert(&broken), Err(Refusal::Damaged(part)) if part == "word/document.xml"));
    broken.truncate(broken.len() / 2);
    assert!(matches!(convert(&broken), Err(Refusal::Damaged(_))));
    // A zip bomb: a part unpacking to more than any document.
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    zip.start_file("word/document.xml", options).unwrap();
    let zeros = vec![b' '; 1 << 20];
    for _ in 0..120 {
        zip.write_all(&zeros).unwrap();
    }
    let bomb = zip.finish().unwrap().into_inner();
    assert!(bomb.len() < 1 << 20, "{}", bomb.len());
    assert_eq!(convert(&bomb).unwrap_err(), Refusal::Bomb);
}

#[test]
fn no_input_makes_it_panic() {
    // Every prefix and a few corruptions of a real document: refused or read, never a panic.
    let good = Doc::new(&[p("导语"), item(3, 0, "一"), drawing("rId5", "图")].concat())
        .rel("rId5", "image", "media/a.png", false)
        .bytes();
    for cut in (0..good.len()).step_by(97) {
        let _ = convert(&good[..cut]);
    }
    for at in (0..good.len()).step_by(131) {
        let mut bad = good.clone();
        bad[at] ^= 0x5A;
        let _ = convert(&bad);
    }
}
