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

/// Plain text of `input` with every tag removed and nothing escaped, for fields that a
/// serializer escapes itself (a feed's author name).
pub fn plain_text(input: &str) -> String {
    text_only(input)
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&nbsp;", "\u{a0}")
        .replace("&amp;", "&")
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
    }
}
