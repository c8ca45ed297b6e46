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

/// True for the characters of a Latin word or number.
fn is_word(c: char) -> bool {
    c.is_alphanumeric() && !is_han(c)
}

/// Longest word indexed; longer runs (hashes, base64) are cut.
const MAX_WORD: usize = 40;

/// Calls `emit` with every term of `text`, in order, repeats included.
pub fn for_each_term(text: &str, mut emit: impl FnMut(&str)) {
    let mut word = String::new();
    let mut prev_han: Option<char> = None;
    let mut han_run = 0usize;
    let mut pair = String::with_capacity(8);
    let flush_han = |run: usize, prev: Option<char>, emit: &mut dyn FnMut(&str)| {
        if run == 1
            && let Some(p) = prev
        {
            emit(p.encode_utf8(&mut [0; 4]));
        }
    };
    for c in text.chars().map(fold) {
        if is_han(c) {
            flush_word(&mut word, &mut emit);
            if let Some(p) = prev_han {
                pair.clear();
                pair.push(p);
                pair.push(c);
                emit(&pair);
            }
            prev_han = Some(c);
            han_run += 1;
            continue;
        }
        flush_han(han_run, prev_han, &mut emit);
        prev_han = None;
        han_run = 0;
        if is_word(c) {
            if word.chars().count() < MAX_WORD {
                word.push(c);
            }
        } else {
            flush_word(&mut word, &mut emit);
        }
    }
    flush_han(han_run, prev_han, &mut emit);
    flush_word(&mut word, &mut emit);
}

fn flush_word(word: &mut String, emit: &mut impl FnMut(&str)) {
    if !word.is_empty() {
        emit(word);
        word.clear();
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
    fn a_lone_han_character_is_its_own_term() {
        assert_eq!(terms("第3名"), ["第", "3", "名"]);
    }

    #[test]
    fn mixed_chinese_and_ascii_split_at_the_script_change() {
        assert_eq!(terms("2026年秋季PPT课件"), ["2026", "年秋", "秋季", "ppt", "课件"]);
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

    #[test]
    fn odd_input_does_not_panic() {
        for s in ["", " ", "\u{0}", "𠀀𠀁", "é", "\u{FFFF}"] {
            let _ = terms(s);
        }
    }
}
