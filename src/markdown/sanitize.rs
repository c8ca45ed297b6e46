//! Sanitizing what one site shows of another site's content. Templates escape every value;
//! feeds carry other sites' titles and summaries as HTML, so those are cleaned here with
//! ammonia, keeping the text and dropping every tag, attribute and script.

use std::sync::LazyLock;

static TEXT_ONLY: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut b = ammonia::Builder::empty();
    b.clean_content_tags(["script", "style"].into_iter().collect());
    b
});

/// `input` with `&`, `<`, `>` and quotes escaped, for HTML and XML text and attributes.
pub fn escape(input: &str) -> String {
    let mut out = String::with_capacity(input.len());
    let _ = pulldown_cmark_escape::escape_html(&mut out, input);
    out
}

/// HTML-safe text of `input`: markup removed, `<`, `&` … escaped.
pub fn text_only(input: &str) -> String {
    TEXT_ONLY.clean(input).to_string()
}

/// The one HTML-to-text of the project (search documents, meta descriptions, a feed's
/// author): tags dropped with the content of `script` and `style`, entities decoded, white
/// space collapsed, a block boundary kept as a space. Nothing is escaped: callers that write
/// HTML or XML escape the result themselves.
pub fn plain_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len() / 2);
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        push_decoded(&mut out, &rest[..lt]);
        let mut tag_end = rest[lt..].find('>').map_or(rest.len(), |e| lt + e + 1);
        if let Some(close) = hidden_content_end(&rest[lt..tag_end]) {
            tag_end = rest[tag_end..]
                .to_ascii_lowercase()
                .find(close)
                .map_or(rest.len(), |e| tag_end + e + close.len());
        }
        // A block boundary separates words; inline tags do not.
        if is_block_tag(&rest[lt..tag_end]) {
            out.push(' ');
        }
        rest = &rest[tag_end..];
    }
    push_decoded(&mut out, rest);
    collapse_spaces(&out)
}

/// `text` with runs of white space made one space and none at the ends.
fn collapse_spaces(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// The closing tag to skip to when `tag` opens an element whose content is never text.
fn hidden_content_end(tag: &str) -> Option<&'static str> {
    let name: String = tag
        .trim_start_matches('<')
        .chars()
        .take_while(char::is_ascii_alphanumeric)
        .collect::<String>()
        .to_ascii_lowercase();
    match name.as_str() {
        "script" => Some("</script>"),
        "style" => Some("</style>"),
        _ => None,
    }
}

fn is_block_tag(tag: &str) -> bool {
    let name: String = tag
        .trim_start_matches(['<', '/'])
        .chars()
        .take_while(char::is_ascii_alphanumeric)
        .collect();
    matches!(
        name.as_str(),
        "p" | "br"
            | "li"
            | "td"
            | "th"
            | "tr"
            | "div"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "pre"
            | "blockquote"
            | "hr"
            | "img"
            | "figure"
            | "figcaption"
            | "dt"
            | "dd"
    )
}

fn push_decoded(out: &mut String, text: &str) {
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let entity = rest[amp..].find(';').map(|e| &rest[amp..amp + e + 1]);
        let decoded = entity.and_then(decode_entity);
        match (entity, decoded) {
            (Some(e), Some(c)) => {
                out.push(c);
                rest = &rest[amp + e.len()..];
            }
            _ => {
                out.push('&');
                rest = &rest[amp + 1..];
            }
        }
    }
    out.push_str(rest);
}

fn decode_entity(e: &str) -> Option<char> {
    match e {
        "&amp;" => Some('&'),
        "&lt;" => Some('<'),
        "&gt;" => Some('>'),
        "&quot;" => Some('"'),
        "&#39;" | "&#x27;" | "&apos;" => Some('\''),
        "&nbsp;" => Some(' '),
        _ => {
            let num = e.strip_prefix("&#")?.strip_suffix(';')?;
            let code = match num.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => num.parse().ok()?,
            };
            char::from_u32(code)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_and_handlers_never_survive() {
        assert_eq!(text_only("<script>alert(1)</script>二小新闻"), "二小新闻");
        assert_eq!(text_only("<img src=x onerror=alert(2)>摘要"), "摘要");
        assert_eq!(text_only("A & B"), "A &amp; B");
        assert_eq!(text_only("<b>加粗</b>文字"), "加粗文字");
        assert_eq!(
            plain_text("<script>x</script><b>德育处</b> & 团委"),
            "德育处 & 团委"
        );
        assert_eq!(plain_text("&lt;b&gt;"), "<b>");
        assert_eq!(plain_text("<STYLE>p{}</STYLE>正文"), "正文");
    }

    #[test]
    fn plain_text_drops_tags_and_decodes_entities() {
        let html = "<h2 id=\"a\">活动<em>概况</em></h2><p>A &amp; B &lt;C&gt; &#x4E2D;</p><ul><li>一</li><li>二</li></ul>";
        assert_eq!(plain_text(html), "活动概况 A & B <C> 中 一 二");
    }

    #[test]
    fn broken_markup_does_not_panic() {
        for s in ["<", "&", "&#;", "&#xFFFFFFFF;", "<p", "a<b>c&"] {
            let _ = plain_text(s);
        }
    }
}
