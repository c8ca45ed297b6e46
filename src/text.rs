//! Text made valid for XML 1.0 and HTML at the output boundary. A school's text may carry
//! control characters (a vertical tab pasted from Word, NUL, ESC, C1 controls) through the
//! Markdown source, a YAML escape such as `"\e"` or an HTML entity such as `&#27;`; none of
//! them is allowed in XML and all are parse errors in HTML. Rather than chase every entry
//! point, every generated output file passes through [`clean`] once, so HTML pages, feeds,
//! sitemaps and JSON agree: vertical tab and form feed become a space, the other forbidden
//! code points are removed. Tab, line feed and carriage return are kept.

use std::borrow::Cow;

/// True for a code point that XML 1.0 or HTML forbids in text.
pub fn is_forbidden(c: char) -> bool {
    let u = c as u32;
    matches!(u, 0x00..=0x08 | 0x0B | 0x0C | 0x0E..=0x1F | 0x7F..=0x9F | 0xFDD0..=0xFDEF)
        || (u & 0xFFFE) == 0xFFFE
}

/// `text` without forbidden code points; borrowed when there were none.
pub fn clean_str(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_forbidden) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(
        text.chars()
            .filter_map(|c| match c {
                '\u{0B}' | '\u{0C}' => Some(' '),
                c if is_forbidden(c) => None,
                c => Some(c),
            })
            .collect(),
    )
}

/// Cleans generated output bytes. Bytes that are not UTF-8 are returned unchanged: they are
/// not text, and generated text is always UTF-8.
pub fn clean(bytes: Vec<u8>) -> Vec<u8> {
    if !may_have_forbidden(&bytes) {
        return bytes;
    }
    match std::str::from_utf8(&bytes) {
        Ok(s) => match clean_str(s) {
            Cow::Borrowed(_) => bytes,
            Cow::Owned(o) => o.into_bytes(),
        },
        Err(_) => bytes,
    }
}

/// A quick byte scan that rules out most outputs without decoding: every forbidden code point
/// is an ASCII control or starts with one of the lead bytes 0xC2, 0xEF or 0xF0-0xF4.
fn may_have_forbidden(bytes: &[u8]) -> bool {
    // Most chunks of a page hold no byte pair that can start a forbidden code point; testing
    // a chunk with a branch-free fold lets the compiler use vector instructions, and only
    // the rare chunks that might are looked at byte by byte. Pairs, not bytes: Chinese
    // full-width punctuation (，：（）) starts with 0xEF too, but never 0xEF 0xB7 or 0xEF 0xBF.
    const CHUNK: usize = 32;
    let mut start = 0;
    while start < bytes.len() {
        let end = (start + CHUNK).min(bytes.len());
        let (this, next) = (
            &bytes[start..end],
            &bytes[start + 1..(end + 1).min(bytes.len())],
        );
        let suspect = this
            .iter()
            .zip(next)
            .fold(false, |any, (&b, &n)| any | may_start_forbidden(b, n))
            || (next.len() < this.len() && may_start_forbidden(this[this.len() - 1], 0));
        if suspect && (start..end).any(|i| forbidden_at(bytes, i)) {
            return true;
        }
        start = end;
    }
    false
}

/// True for a byte that, followed by `next`, may begin a forbidden code point (see
/// [`forbidden_at`]).
fn may_start_forbidden(b: u8, next: u8) -> bool {
    (b < 0x20 && b != b'\t' && b != b'\n' && b != b'\r')
        || b == 0x7F
        || (b == 0xC2 && next < 0xA0)
        || (b == 0xEF && (next == 0xB7 || next == 0xBF))
        || b >= 0xF0
}

/// True when a forbidden code point starts at byte `i`.
fn forbidden_at(bytes: &[u8], i: usize) -> bool {
    match bytes[i] {
        0x09 | 0x0A | 0x0D => false,
        0x00..=0x1F | 0x7F => true,
        0xC2 => bytes.get(i + 1).is_some_and(|b| (0x80..=0x9F).contains(b)),
        0xEF => bytes.get(i + 1..i + 3).is_some_and(|t| {
            (t[0] == 0xB7 && (0x90..=0xAF).contains(&t[1])) || t[0] == 0xBF && t[1] >= 0xBE
        }),
        0xF0..=0xF4 => bytes
            .get(i + 2..i + 4)
            .is_some_and(|t| t[0] == 0xBF && t[1] >= 0xBE),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_are_removed_and_layout_kept() {
        assert_eq!(clean_str("a\u{0B}b"), "a b");
        assert_eq!(clean_str("a\0b\u{1b}[31mc"), "ab[31mc");
        assert_eq!(clean_str("a\u{85}b\u{9f}c\u{7f}"), "abc");
        assert_eq!(clean_str("x\u{FFFE}\u{FDD0}\u{1FFFF}y"), "xy");
        assert_eq!(clean_str("行一\t行二\r\n行三"), "行一\t行二\r\n行三");
        assert!(matches!(clean_str("普通文字，标点。"), Cow::Borrowed(_)));
    }

    proptest::proptest! {
        #[test]
        fn the_chunked_scan_agrees_with_the_char_rule(
            text in "[a-z，。：\n\t\u{0}\u{0B}\u{85}\u{FDD0}\u{FFFE}\u{1FFFF}中文é😀]{0,80}"
        ) {
            let any = text.chars().any(is_forbidden);
            proptest::prop_assert_eq!(may_have_forbidden(text.as_bytes()), any);
        }
    }

    #[test]
    fn bytes_scan_agrees_with_the_char_rule() {
        for c in [
            '\u{0}',
            '\u{0B}',
            '\u{1b}',
            '\u{7f}',
            '\u{80}',
            '\u{9f}',
            '\u{FDD0}',
            '\u{FFFF}',
            '\u{10FFFE}',
        ] {
            let s = format!("前{c}后");
            assert!(may_have_forbidden(s.as_bytes()), "{:?}", c);
            assert_eq!(clean(s.clone().into_bytes()), clean_str(&s).as_bytes());
        }
        for c in [
            '\t', '\n', 'é', '\u{a0}', '，', '\u{FDF0}', '\u{FFFD}', '😀',
        ] {
            let s = format!("前{c}后");
            assert!(!may_have_forbidden(s.as_bytes()), "{:?}", c);
            assert!(!s.chars().any(is_forbidden));
        }
    }
}
