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
}
