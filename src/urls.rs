//! URLs of the output: site-relative paths are kept readable (Chinese slugs stay Chinese on
//! disk) and percent-encoded only where they become links.

use percent_encoding::{AsciiSet, CONTROLS, percent_decode_str, utf8_percent_encode};

/// Characters encoded in a URL path besides non-ASCII ones.
const PATH: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'`')
    .add(b'{')
    .add(b'}')
    .add(b'%');

/// Percent-encodes a path, keeping `/`.
pub fn encode_path(path: &str) -> String {
    utf8_percent_encode(path, PATH).to_string()
}

/// Decodes `%xx` escapes that a webmaster may have written in a Markdown link.
pub fn decode_path(path: &str) -> String {
    percent_decode_str(path).decode_utf8_lossy().into_owned()
}

/// Absolute URL of a site-relative path: `base_url` must end in `/`.
pub fn absolute(base_url: &str, path: &str) -> String {
    format!("{base_url}{}", encode_path(path.trim_start_matches('/')))
}

/// The query and fragment of a URL written by a webmaster, with only what would break the
/// attribute or the URL encoded (controls, space, quotes, `<`, `>`, `` ` ``); Chinese stays
/// readable, as in Markdown links.
fn encode_suffix(suffix: &str) -> String {
    let mut out = String::with_capacity(suffix.len());
    for c in suffix.chars() {
        if c.is_ascii_control() || matches!(c, ' ' | '"' | '<' | '>' | '`') {
            out.push_str(&format!("%{:02X}", c as u32));
        } else {
            out.push(c);
        }
    }
    out
}

/// Absolute URL of a site-relative URL as a webmaster wrote it (`/about/#联系我们`,
/// `/search/?q=1`): the path is encoded, the query and fragment are kept as written.
pub fn absolute_written(base_url: &str, written: &str) -> String {
    let (path, suffix) = written.split_at(written.find(['?', '#']).unwrap_or(written.len()));
    format!(
        "{}{}",
        absolute(base_url, &decode_path(path)),
        encode_suffix(suffix)
    )
}

/// Schemes a configured link may use; anything else (`javascript:`, `data:`, `file:` …) could
/// run script or reach local files.
const SAFE_SCHEMES: &[&str] = &["http", "https", "mailto", "tel"];

/// The scheme of `url` when it is not one of the safe ones. Browsers ignore tabs, line breaks
/// and leading spaces in URLs (`java\tscript:`), so they are ignored here too.
pub fn unsafe_scheme(url: &str) -> Option<String> {
    let squeezed: String = url
        .chars()
        .filter(|c| !c.is_ascii_whitespace() && !c.is_control())
        .collect();
    let end = squeezed.find(':')?;
    let scheme = &squeezed[..end];
    let is_scheme = scheme
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    let scheme = scheme.to_ascii_lowercase();
    (is_scheme && !SAFE_SCHEMES.contains(&scheme.as_str())).then_some(scheme)
}

/// Schemes that run a script or reach this computer's files when a link or picture uses
/// them: a page never carries them, whoever wrote it.
const SCRIPT_SCHEMES: &[&str] = &["javascript", "vbscript", "livescript", "data", "file"];

/// The scheme of `url` when it is one of [`SCRIPT_SCHEMES`].
pub fn script_scheme(url: &str) -> Option<String> {
    unsafe_scheme(url).filter(|s| SCRIPT_SCHEMES.contains(&s.as_str()))
}

/// Joins a relative `/`-separated path onto a folder of a content repository; `None` when it
/// climbs above the repository's root.
pub fn join_inside(dir: &str, rel: &str) -> Option<String> {
    let mut parts: Vec<&str> = dir.split('/').filter(|p| !p.is_empty()).collect();
    for part in rel.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    Some(parts.join("/"))
}

/// `https://host/a/b/` → (`https://host`, `/a/b/`).
pub fn split_origin(url: &str) -> (&str, &str) {
    let after_scheme = url.find("://").map_or(0, |i| i + 3);
    let path_at = url[after_scheme..]
        .find('/')
        .map_or(url.len(), |i| after_scheme + i);
    url.split_at(path_at)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_slugs_are_encoded_in_links() {
        assert_eq!(
            absolute("https://a.cn/x/", "news/运动会/"),
            "https://a.cn/x/news/%E8%BF%90%E5%8A%A8%E4%BC%9A/"
        );
        assert_eq!(decode_path("%E8%BF%90%E5%8A%A8%E4%BC%9A.md"), "运动会.md");
        assert_eq!(encode_path("a b/c"), "a%20b/c");
    }

    #[test]
    fn written_urls_keep_query_and_fragment() {
        let base = "https://a.cn/x/";
        assert_eq!(
            absolute_written(base, "/about/#联系我们"),
            "https://a.cn/x/about/#联系我们"
        );
        assert_eq!(
            absolute_written(base, "/search/?q=1"),
            "https://a.cn/x/search/?q=1"
        );
        assert_eq!(
            absolute_written(base, "/学校概况/"),
            "https://a.cn/x/%E5%AD%A6%E6%A0%A1%E6%A6%82%E5%86%B5/"
        );
        assert_eq!(
            absolute_written(base, "/%E5%AD%A6/"),
            "https://a.cn/x/%E5%AD%A6/"
        );
        assert_eq!(
            absolute_written(base, "/a/?q=a b\""),
            "https://a.cn/x/a/?q=a%20b%22"
        );
    }

    #[test]
    fn unsafe_schemes_are_named() {
        for (url, scheme) in [
            ("javascript:alert(1)", "javascript"),
            (" JavaScript:alert(1)", "javascript"),
            ("java\tscript:alert(1)", "javascript"),
            ("\njavascript:alert(document.domain)", "javascript"),
            ("data:text/html,<b>", "data"),
            ("file:///etc/passwd", "file"),
        ] {
            assert_eq!(unsafe_scheme(url).as_deref(), Some(scheme), "{url}");
        }
        for ok in [
            "/about/",
            "https://x.cn/",
            "mailto:a@b.cn",
            "tel:010-1",
            "/a:b/",
            "../x",
        ] {
            assert_eq!(unsafe_scheme(ok), None, "{ok}");
        }
    }
}
