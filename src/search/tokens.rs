//! The search tokenizer. Chinese has no spaces between words and a dictionary segmenter
//! would need megabytes of data in the browser, so Han text is indexed as overlapping
//! character bigrams (招生简章 → 招生 生简 简章): a two-character query is one term and a copied
//! phrase is the set of its bigrams. Runs of Latin letters and digits are whole words.
//! Full-width forms are folded to half-width and ASCII is lower-cased first, so `ＰＰＴ`,
//! `PPT` and `ppt` are one term. `themes/default/static/js/search.js` implements the same
//! rules; the tests below are the contract both follow.

/// Folds full-width ASCII and the ideographic space to their half-width forms and lower-cases
/// ASCII letters.
pub fn fold(c: char) -> char {
    let c = match c as u32 {
        0xFF01..=0xFF5E => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        0x3000 => ' ',
        _ => c,
    };
    c.to_ascii_lowercase()
}

/// True for the Han characters that are indexed as bigrams.
pub fn is_han(c: char) -> bool {
    matches!(
        c as u32,
        0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x3007 | 0x20000..=0x3134F
    )
}

/// True for the characters of a Latin word or number. Chinese punctuation, the most common
/// non-Han text, is answered without the Unicode tables.
fn is_word(c: char) -> bool {
    match c as u32 {
        0..=0x7F => c.is_ascii_alphanumeric(),
        PUNCTUATION_START..=PUNCTUATION_END if is_cjk_punctuation(c) => false,
        _ => c.is_alphanumeric() && !is_han(c),
    }
}

const PUNCTUATION_START: u32 = 0x2010;
const PUNCTUATION_END: u32 = 0xFF65;

/// General and CJK punctuation: never letters or digits.
fn is_cjk_punctuation(c: char) -> bool {
    matches!(c as u32, 0x2010..=0x2027 | 0x2030..=0x205E | 0x3000..=0x3004 | 0x3008..=0x3020 | 0xFF5F..=0xFF65)
}

/// Longest word indexed; longer runs (hashes, base64) are cut.
const MAX_WORD: usize = 40;

/// Calls `emit` with every term of `text`, in order, repeats included. Han characters are
/// never changed by folding, so bigrams are slices of `text`; so are words that need no
/// folding, the usual case: nothing is allocated for them.
pub fn for_each_term(text: &str, mut emit: impl FnMut(&str)) {
    let mut word = Word::default();
    let mut han: Option<(usize, usize)> = None; // start of the previous Han char, run length
    for (i, raw) in text.char_indices() {
        let c = fold(raw);
        if is_han(c) {
            word.flush(text, &mut emit);
            if let Some((prev, _)) = han {
                emit(&text[prev..i + raw.len_utf8()]);
            }
            han = Some((i, han.map_or(1, |(_, run)| run + 1)));
            continue;
        }
        if let Some((prev, 1)) = han.take() {
            emit(&text[prev..i]);
        }
        if is_word(c) {
            word.push(text, i, raw, c);
        } else {
            word.flush(text, &mut emit);
        }
    }
    if let Some((prev, 1)) = han {
        emit(&text[prev..]);
    }
    word.flush(text, &mut emit);
}

/// The word being read: where it starts and ends in the text, and its folded form once a
/// character of it needed folding.
#[derive(Default)]
struct Word {
    span: Option<(usize, usize)>,
    chars: usize,
    folded: Option<String>,
}

impl Word {
    fn push(&mut self, text: &str, at: usize, raw: char, c: char) {
        if self.chars >= MAX_WORD {
            return;
        }
        let (start, end) = self.span.unwrap_or((at, at));
        if c != raw && self.folded.is_none() {
            self.folded = Some(text[start..end].chars().map(fold).collect());
        }
        if let Some(f) = &mut self.folded {
            f.push(c);
        }
        self.span = Some((start, at + raw.len_utf8()));
        self.chars += 1;
    }

    fn flush(&mut self, text: &str, emit: &mut impl FnMut(&str)) {
        if let Some((start, end)) = self.span.take() {
            match self.folded.take() {
                Some(f) => emit(&f),
                None => emit(&text[start..end]),
            }
        }
        self.chars = 0;
    }
}

/// Calls `emit` with every run of three Han characters of `text` (trigrams), in order. A
/// query of three or more Han characters must find its trigrams, which holds the characters
/// together: `中学生` is not matched by a page that has `中学` and `学生` apart.
pub fn for_each_trigram(text: &str, mut emit: impl FnMut(&str)) {
    let mut starts = [0usize; 2]; // byte offsets of the two Han characters before this one
    let mut run = 0usize;
    for (i, raw) in text.char_indices() {
        if !is_han(raw) {
            run = 0;
            continue;
        }
        if run >= 2 {
            emit(&text[starts[0]..i + raw.len_utf8()]);
        }
        starts = [starts[1], i];
        run += 1;
        if run == 1 {
            starts = [i, i];
        }
    }
}

/// Calls `emit` with every Han character of `text` on its own: what a one-character query
/// finds in titles.
pub fn for_each_han_char(text: &str, mut emit: impl FnMut(&str)) {
    for (i, c) in text.char_indices().filter(|(_, c)| is_han(*c)) {
        emit(&text[i..i + c.len_utf8()]);
    }
}

/// The terms of `text`, in order.
pub fn terms(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for_each_term(text, |t| out.push(t.to_string()));
    out
}

/// The text folded as the tokenizer sees it, for phrase matching.
pub fn folded(text: &str) -> String {
    text.chars().map(fold).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn han_text_becomes_bigrams() {
        assert_eq!(terms("招生简章"), ["招生", "生简", "简章"]);
        assert_eq!(terms("招生"), ["招生"]);
    }

    #[test]
    fn trigrams_hold_three_characters_together() {
        let mut got = Vec::new();
        for_each_trigram("中学生，学生活动a运动会", |t| {
            got.push(t.to_string())
        });
        assert_eq!(got, ["中学生", "学生活", "生活动", "运动会"]);
        let mut none = Vec::new();
        for_each_trigram("中学 学生 ab", |t| none.push(t.to_string()));
        assert!(none.is_empty(), "{none:?}");
        let mut chars = Vec::new();
        for_each_han_char("寒假a通知", |t| chars.push(t.to_string()));
        assert_eq!(chars, ["寒", "假", "通", "知"]);
    }

    #[test]
    fn a_lone_han_character_is_its_own_term() {
        assert_eq!(terms("第3名"), ["第", "3", "名"]);
    }

    #[test]
    fn mixed_chinese_and_ascii_split_at_the_script_change() {
        assert_eq!(
            terms("2026年秋季PPT课件"),
            ["2026", "年秋", "秋季", "ppt", "课件"]
        );
    }

    #[test]
    fn full_width_and_half_width_forms_are_one_term() {
        assert_eq!(terms("ＰＰＴ２０２６"), terms("ppt2026"));
        assert_eq!(terms("Ｐ　Ｑ"), ["p", "q"]);
    }

    #[test]
    fn punctuation_separates_runs() {
        assert_eq!(terms("通知：放假。"), ["通知", "放假"]);
        assert_eq!(terms("a-b_c"), ["a", "b", "c"]);
    }

    #[test]
    fn long_words_are_cut() {
        let long = "x".repeat(100);
        assert_eq!(terms(&long)[0].len(), MAX_WORD);
    }

    /// The rules written plainly, one char at a time, to check the slicing version against.
    fn reference(text: &str) -> Vec<String> {
        let (mut out, mut word, mut run) = (Vec::new(), String::new(), Vec::<char>::new());
        let flush_run = |run: &mut Vec<char>, out: &mut Vec<String>| {
            if run.len() == 1 {
                out.push(run[0].to_string());
            }
            out.extend(run.windows(2).map(|w| w.iter().collect()));
            run.clear();
        };
        for c in text.chars().map(fold) {
            if is_han(c) {
                if !word.is_empty() {
                    out.push(std::mem::take(&mut word));
                }
                run.push(c);
                continue;
            }
            flush_run(&mut run, &mut out);
            if is_word(c) {
                if word.chars().count() < MAX_WORD {
                    word.push(c);
                }
            } else if !word.is_empty() {
                out.push(std::mem::take(&mut word));
            }
        }
        flush_run(&mut run, &mut out);
        if !word.is_empty() {
            out.push(word);
        }
        out
    }

    proptest::proptest! {
        #[test]
        fn slicing_tokenizer_follows_the_plain_rules(
            text in "[a-zA-Zａ-ｚＡ-Ｚ０-９0-9 　，。：招生简章课件年秋季é𠀀-]{0,60}"
        ) {
            let got: Vec<String> = terms(&text);
            proptest::prop_assert_eq!(got, reference(&text));
        }
    }

    #[test]
    fn the_punctuation_shortcut_agrees_with_the_unicode_tables() {
        for u in PUNCTUATION_START..=PUNCTUATION_END {
            if let Some(c) = char::from_u32(u).filter(|&c| is_cjk_punctuation(c)) {
                assert!(!c.is_alphanumeric(), "{c:?}");
            }
        }
    }

    #[test]
    fn odd_input_does_not_panic() {
        for s in ["", " ", "\u{0}", "𠀀𠀁", "é", "\u{FFFF}"] {
            let _ = terms(s);
        }
    }
}
