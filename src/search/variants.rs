//! Traditional characters folded to simplified ones, so that `運動會` finds `运动会`. The
//! character table comes from the `hanconv` crate (OpenCC's dictionaries), taken one
//! character at a time: the index and the query both fold character by character, which
//! keeps every bigram of the index a slice of one folded text. The browser gets the same
//! table as `search/t2s.txt` and loads it only when a query found nothing as typed.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::OnceLock;

/// The code points looked at: the CJK unified ideographs (with extension A) and the
/// compatibility ideographs, where every traditional form of common use is.
const RANGES: [(u32, u32); 2] = [(0x3400, 0x9FFF), (0xF900, 0xFAFF)];

/// Each traditional character and its simplified form, in code point order.
fn pairs() -> &'static [(char, char)] {
    static PAIRS: OnceLock<Vec<(char, char)>> = OnceLock::new();
    PAIRS.get_or_init(|| {
        let mut out = Vec::new();
        for (from, to) in RANGES {
            for c in (from..=to).filter_map(char::from_u32) {
                let mut chars = hanconv::t2s(c.encode_utf8(&mut [0; 4]))
                    .chars()
                    .collect::<Vec<_>>();
                if chars.len() == 1 && chars[0] != c {
                    out.push((c, chars.remove(0)));
                }
            }
        }
        out
    })
}

fn map() -> &'static HashMap<char, char> {
    static MAP: OnceLock<HashMap<char, char>> = OnceLock::new();
    MAP.get_or_init(|| pairs().iter().copied().collect())
}

/// One bit per code point of the basic plane, set for the traditional characters: the scan
/// of every page's text is a bit test per character, not a hash lookup.
fn bits() -> &'static [u64] {
    static BITS: OnceLock<Vec<u64>> = OnceLock::new();
    BITS.get_or_init(|| {
        let mut bits = vec![0u64; 0x10000 / 64];
        for &(c, _) in pairs() {
            bits[c as usize / 64] |= 1 << (c as usize % 64);
        }
        bits
    })
}

fn is_traditional(bits: &[u64], c: char) -> bool {
    let u = c as usize;
    (0x3400..0x10000).contains(&u) && bits[u / 64] & (1 << (u % 64)) != 0
}

/// `text` with every traditional character simplified; borrowed when it has none (nearly
/// every page of a mainland site).
pub fn simplified(text: &str) -> Cow<'_, str> {
    let bits = bits();
    match text.char_indices().find(|&(_, c)| is_traditional(bits, c)) {
        None => Cow::Borrowed(text),
        Some((at, _)) => {
            let mut out = String::with_capacity(text.len());
            out.push_str(&text[..at]);
            let map = map();
            out.extend(
                text[at..]
                    .chars()
                    .map(|c| map.get(&c).copied().unwrap_or(c)),
            );
            Cow::Owned(out)
        }
    }
}

/// The table for the browser: the traditional characters on the first line, their
/// simplified forms, in the same order, on the second. Made once: every site carries the
/// same file, which the writer links rather than writes again (2,000 schools, 46 MB).
pub fn table_file() -> &'static [u8] {
    static TABLE: std::sync::OnceLock<Vec<u8>> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        let (from, to): (String, String) = pairs().iter().copied().unzip();
        format!("{from}\n{to}\n").into_bytes()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn traditional_text_is_simplified_and_simplified_text_borrowed() {
        assert_eq!(simplified("運動會在學校舉行"), "运动会在学校举行");
        assert!(matches!(simplified("运动会 PPT"), Cow::Borrowed(_)));
        assert_eq!(simplified("2026年秋季運動會"), "2026年秋季运动会");
    }

    #[test]
    fn the_browser_table_pairs_characters_one_to_one() {
        let file = std::str::from_utf8(table_file()).unwrap();
        let lines: Vec<&str> = file.lines().collect();
        assert_eq!(lines[0].chars().count(), lines[1].chars().count());
        assert!(
            lines[0].chars().count() > 2000,
            "the common traditional characters are there"
        );
        let at = lines[0].chars().position(|c| c == '會').unwrap();
        assert_eq!(lines[1].chars().nth(at), Some('会'));
    }
}
