//! Boilerplate: sentences that many pages of one site tree carry word for word (the line
//! every school's 学校概况 ends with, a template's intro, a footer pasted into articles).
//! Their words still match a query, so a page is found by what it says, but they weigh
//! nothing: a page that only carries such a line for `招生` ranks after every page that
//! talks about 招生 itself.
//!
//! A sentence's count is the number of pages of the tree holding it, kept in [`Repeated`]
//! as pages are read, so that `build`, `build --site` (which reads the other sites' pages
//! from their exports) and `serve` (which reads an edited site again) weigh alike.

use super::TermMap;
use super::docs::Document;
use crate::config::{Cluster, SiteKey};

/// Pages of one tree that must hold a sentence before it counts as boilerplate: the example's
/// eight schools share one; a phrase three articles quote is still content.
pub const COMMON_PAGES: u32 = 5;

/// Sentences shorter than this (in characters, spaces not counted) are not counted: short
/// lines (一、工作目标) are headings, not boilerplate, and counting them costs memory.
const MIN_CHARS: usize = 8;

/// Pages per sentence hash, over every page read.
#[derive(Default)]
pub struct Repeated {
    pages: TermMap<u32>,
}

impl Repeated {
    /// True when the sentence hash `h` is boilerplate.
    pub fn is_common(&self, h: u64) -> bool {
        self.pages.get(&h).is_some_and(|&n| n >= COMMON_PAGES)
    }

    /// Counts sentences found without documents ([`super::docs::sentences`]).
    pub fn count(&mut self, sentences: impl IntoIterator<Item = u64>) {
        for h in sentences {
            *self.pages.entry(h).or_default() += 1;
        }
    }

    /// Counts the sentences of `docs`.
    pub fn add(&mut self, docs: &[Document]) {
        for h in docs.iter().flat_map(|d| &d.sentences) {
            *self.pages.entry(*h).or_default() += 1;
        }
    }

    /// Forgets the sentences of `docs` (pages read again after an edit).
    pub fn remove(&mut self, docs: &[Document]) {
        for h in docs.iter().flat_map(|d| &d.sentences) {
            if let Some(n) = self.pages.get_mut(h) {
                *n = n.saturating_sub(1);
            }
        }
    }

    /// What a document's weights depend on: the boilerplate sentences it holds, as one hash.
    pub fn mark(&self, sentences: &[u64]) -> u64 {
        sentences
            .iter()
            .filter(|&&h| self.is_common(h))
            .fold(0, |m, &h| m ^ h)
    }
}

/// The salt of `site`'s tree: sentences are counted per tree, so that a bureau's index and
/// a partial build of one of its schools see the same counts.
pub fn tree_of(cluster: &Cluster, site: SiteKey) -> u64 {
    let root = cluster.ancestors(site).last().unwrap_or(site);
    xxhash_rust::xxh3::xxh3_64(cluster.sites[root].id.as_bytes())
}

/// Calls `emit` with every sentence of `text` (cut at 。！？；, their ASCII forms and line
/// breaks) and its hash in the tree `tree`; `counted` is false for sentences too short to
/// be counted.
pub fn for_each_sentence(text: &str, tree: u64, mut emit: impl FnMut(&str, Option<u64>)) {
    for s in text.split(is_sentence_end) {
        let (mut chars, mut spaced) = (0usize, false);
        for c in s.chars() {
            if c.is_whitespace() {
                spaced = true;
            } else {
                chars += 1;
            }
        }
        if chars == 0 {
            continue;
        }
        let hash = (chars >= MIN_CHARS).then(|| sentence_hash(s, spaced, tree));
        emit(s, hash);
    }
}

fn is_sentence_end(c: char) -> bool {
    matches!(c, '。' | '！' | '？' | '；' | '!' | '?' | ';' | '\n')
}

/// The hash of a sentence, blind to spaces (the plain text of a page spaces its inline
/// elements as the markup did).
fn sentence_hash(s: &str, spaced: bool, tree: u64) -> u64 {
    if !spaced {
        return xxhash_rust::xxh3::xxh3_64_with_seed(s.as_bytes(), tree);
    }
    let joined: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    xxhash_rust::xxh3::xxh3_64_with_seed(joined.as_bytes(), tree)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hashes(text: &str) -> Vec<Option<u64>> {
        let mut out = Vec::new();
        for_each_sentence(text, 7, |_, h| out.push(h));
        out
    }

    #[test]
    fn sentences_are_cut_at_their_ends_and_short_ones_not_counted() {
        let got = hashes("如需了解学校招生等信息，请拨打电话。一、工作目标\n欢迎！");
        assert_eq!(got.len(), 3);
        assert!(got[0].is_some());
        assert_eq!(got[1..], [None, None]);
    }

    #[test]
    fn spaces_do_not_change_a_sentence() {
        assert_eq!(
            hashes("如需了解学校 招生等信息。"),
            hashes("如需了解学校招生等信息。")
        );
        assert_ne!(
            hashes("如需了解学校招生等信息。"),
            hashes("如需了解学校招生的信息。")
        );
    }

    #[test]
    fn a_sentence_is_common_from_five_pages_on() {
        let doc = |h| Document {
            sentences: vec![h],
            ..Document::empty()
        };
        let mut r = Repeated::default();
        let docs: Vec<Document> = (0..COMMON_PAGES).map(|_| doc(42)).collect();
        r.add(&docs[1..]);
        assert!(!r.is_common(42));
        r.add(&docs[..1]);
        assert!(r.is_common(42));
        assert_eq!(r.mark(&[42, 5]), 42);
        r.remove(&docs[..1]);
        assert_eq!(r.mark(&[42, 5]), 0);
    }
}
