use super::*;

fn md(html: &str) -> String {
    convert(html, false).markdown
}

#[test]
fn the_trials_paste_from_a_web_page() {
    let html = "<h1>活动安排</h1><p class=MsoNormal><b>上午</b>种树，<i>下午</i>浇水。</p><ul><li>一年级</li><li>二年级</li></ul><script>alert(1)</script><p><br></p><p>完</p>";
    assert_eq!(
        md(html),
        "## 活动安排\n\n**上午**种树，*下午*浇水。\n\n- 一年级\n- 二年级\n\n完\n"
    );
}

#[test]
fn words_numbered_lists_keep_their_numbers() {
    let item = |level: u8, marker: &str, text: &str| {
        format!(
            "<p class=MsoListParagraph style='mso-list:l0 level{level} lfo1'><span style='mso-list:Ignore'>{marker}<span style='font:7.0pt'>&nbsp;&nbsp;</span></span>{text}</p>"
        )
    };
    let html = [
        item(1, "1.", "报名"),
        item(1, "2.", "缴费"),
        item(1, "（1）", "带上身份证"),
        item(1, "·", "注意安全"),
    ]
    .concat();
    assert_eq!(
        md(&html),
        "1. 报名\n2. 缴费\n\n（1）带上身份证\n\n- 注意安全\n"
    );
}

#[test]
fn merged_cells_keep_their_columns() {
    let html = "<table><tr><th>星期</th><th>活动</th></tr><tr><td rowspan=2>一</td><td>合唱（校队）</td></tr><tr><td>书法</td></tr></table>";
    let out = md(html);
    assert!(out.starts_with("<table>"), "{out}");
    assert!(out.contains("rowspan=\"2\""), "{out}");
    let plain =
        md("<table><tr><td>班级</td><td>棵数</td></tr><tr><td>一(1)班</td><td>5</td></tr></table>");
    assert!(plain.starts_with("| 班级 | 棵数 |"), "{plain}");
}

#[test]
fn pictures_that_cannot_come_are_listed() {
    let html = r#"<p>正文</p><img data-src="https://mmbiz.qpic.cn/x/640?wx_fmt=jpeg" src="data:image/gif;base64,R0lGODlhAQABAAAAACw="><img src="file:///C:/Users/t/AppData/Local/Temp/msohtmlclip1/01/clip_image002.jpg" alt="学校东门"><p align=right>江北区实验小学</p>"#;
    let pasted = convert(html, false);
    assert_eq!(
        pasted.missing,
        [
            Missing::Web("640".into()),
            Missing::Local("学校东门".into())
        ]
    );
    assert_eq!(
        pasted.markdown,
        "正文\n\n<p class=\"align-right\">江北区实验小学</p>\n"
    );
}

#[test]
fn pictures_inside_the_text_are_stored_without_their_metadata() {
    use base64::Engine;
    let photo = crate::photos::tests::photo_with_gps(64, 32);
    let b64 = base64::engine::general_purpose::STANDARD.encode(&photo);
    let pasted = convert(
        &format!("<p>看<img alt=\"升旗\" src=\"data:image/jpeg;base64,{b64}\"></p>"),
        false,
    );
    assert_eq!(pasted.pictures.len(), 1);
    assert!(!pasted.pictures[0].bytes.windows(4).any(|w| w == b"Exif"));
    assert_eq!(pasted.markdown, format!("看![升旗]({})\n", placeholder(0)));
}
