//! The few facts the link check reads from rendered HTML: attribute values and element ids.

use std::borrow::Cow;
use std::collections::HashSet;

/// What an attribute the link check reads holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Attr<'a> {
    /// An `href` or `src`: a URL, as written (still escaped; see [`unescape`]).
    Url(&'a str),
    /// An element `id`, as written.
    Id(&'a str),
}

/// The `href`, `src` and `id` values of a page, in document order. One pass over the bytes
/// for every `="` (the page is ours and valid UTF-8; a value that is not is skipped):
/// this runs on every page a build writes.
pub fn attributes(html: &[u8]) -> impl Iterator<Item = Attr<'_>> {
    let mut hits = memchr::memmem::find_iter(html, b"=\"");
    std::iter::from_fn(move || {
        loop {
            let at = hits.next()?;
            let before = &html[..at];
            let is_url = before.ends_with(b" href") || before.ends_with(b" src");
            if !is_url && !before.ends_with(b" id") {
                continue;
            }
            let value = &html[at + 2..];
            let end = memchr::memchr(b'"', value)?;
            if let Ok(text) = std::str::from_utf8(&value[..end]) {
                return Some(if is_url {
                    Attr::Url(text)
                } else {
                    Attr::Id(text)
                });
            }
        }
    })
}

/// Every `id="…"` of a page, unescaped.
pub fn element_ids(html: &[u8]) -> HashSet<String> {
    attributes(html)
        .filter_map(|a| match a {
            Attr::Id(id) => Some(unescape(id).into_owned()),
            Attr::Url(_) => None,
        })
        .collect()
}

/// The text of an attribute value; borrowed when it has no character reference, as almost
/// every URL and id has not.
pub fn unescape(s: &str) -> Cow<'_, str> {
    if !s.contains('&') {
        return Cow::Borrowed(s);
    }
    Cow::Owned(
        s.replace("&quot;", "\"")
            .replace("&#39;", "'")
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&amp;", "&"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attributes_and_ids() {
        let html = r#"<a href="https://a.cn/x/?a=1&amp;b=2#t">x</a><img src="/p.png" alt=""><h2 id="一-标题">"#;
        let values: Vec<_> = attributes(html.as_bytes())
            .filter_map(|a| match a {
                Attr::Url(u) => Some(unescape(u)),
                Attr::Id(_) => None,
            })
            .collect();
        assert_eq!(values, ["https://a.cn/x/?a=1&b=2#t", "/p.png"]);
        assert!(element_ids(html.as_bytes()).contains("一-标题"));
        let odd = r#"<p data-href="/x/" class="a"><a  href="/y/" id=x><b id="z">"#;
        let all: Vec<_> = attributes(odd.as_bytes()).collect();
        assert_eq!(all, [Attr::Url("/y/"), Attr::Id("z")]);
    }
}
