//! 错别字 and 表述错误: wrong forms of fixed expressions in titles, summaries and bodies,
//! reported at their line and column with the right form — never changed by themselves.
//! A built-in list of common mistakes (`builtin.txt`, warnings) plus the cluster's own
//! `words.yaml` (names of institutions, leaders' titles, banned words, with a level), found
//! in one pass over each text with an Aho–Corasick automaton.

use std::path::Path;

use aho_corasick::{AhoCorasick, MatchKind};
use serde::Deserialize;

use crate::diagnostics::{Diagnostic, Severity, line_col};
use crate::i18n::Message;

/// The cluster's own list, beside `cluster.yaml`.
pub const FILE: &str = "words.yaml";

const BUILTIN: &str = include_str!("builtin.txt");

/// One wrong form and what to write instead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    /// What must not be written.
    pub wrong: String,
    /// What to write; empty for a banned word.
    pub right: String,
    /// A warning, or an error that stops the build.
    pub level: Severity,
    /// Why, shown in the help line.
    pub note: Option<String>,
    /// The cluster turned this built-in rule off.
    pub ignored: bool,
}

/// An entry of `words.yaml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Entry {
    wrong: String,
    #[serde(default)]
    right: String,
    #[serde(default)]
    level: Option<String>,
    #[serde(default)]
    note: Option<String>,
    /// Turns a built-in rule off for this cluster (a name or a term it uses on purpose).
    #[serde(default)]
    ignore: bool,
}

/// Every wrong form, ready to scan with.
pub struct Words {
    matcher: AhoCorasick,
    words: Vec<Word>,
}

impl Words {
    /// The built-in list and, when the cluster has one, its `words.yaml` (whose entries win
    /// over a built-in one with the same wrong form), with the problems of that file.
    pub fn load(root: &Path) -> (Words, Vec<Diagnostic>) {
        let mut words = builtin();
        let path = root.join(FILE);
        let mut problems = Vec::new();
        if path.is_file() {
            match crate::read::read_text(&path).map(|t| cluster_words(&path, &t)) {
                Ok((own, found)) => {
                    words.retain(|w| !own.iter().any(|o| o.wrong == w.wrong));
                    words.extend(own.into_iter().filter(|o| !o.ignored));
                    problems.extend(found);
                }
                Err(d) => problems.push(d),
            }
        }
        (Words::new(words), problems)
    }

    /// An automaton over `words`.
    pub fn new(words: Vec<Word>) -> Words {
        let matcher = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .build(words.iter().map(|w| w.wrong.as_str()))
            .expect("the word lists are small");
        Words { matcher, words }
    }

    /// Every wrong form in `text`, as (byte offset, word).
    pub fn find<'a>(&'a self, text: &'a str) -> impl Iterator<Item = (usize, &'a Word)> + 'a {
        self.matcher
            .find_iter(text)
            .map(|m| (m.start(), &self.words[m.pattern().as_usize()]))
    }

    /// Every wrong form of `text`, which starts at line `first_line`, column `first_col`
    /// of `path`, as diagnostics.
    pub fn check(
        &self,
        path: &Path,
        text: &str,
        (first_line, first_col): (usize, usize),
    ) -> Vec<Diagnostic> {
        self.find(text)
            .map(|(offset, word)| {
                let (line, col) = line_col(text, offset);
                let col = if line == 1 { first_col + col - 1 } else { col };
                diagnostic(path, (first_line + line - 1, col), word)
            })
            .collect()
    }
}

fn diagnostic(path: &Path, (line, col): (usize, usize), word: &Word) -> Diagnostic {
    let message = match word.right.is_empty() {
        true => crate::t!("word-banned", wrong = word.wrong.clone()),
        false => crate::t!(
            "word-wrong",
            wrong = word.wrong.clone(),
            right = word.right.clone()
        ),
    };
    let help = match (&word.note, word.right.is_empty()) {
        (Some(note), _) => Message::Plain(note.clone()),
        (None, true) => crate::t!("word-banned-help"),
        (None, false) => crate::t!("word-wrong-help", right = word.right.clone()),
    };
    let mut d = Diagnostic::warning(crate::codes::WRONG_WORD, path, line, col, message);
    d.severity = word.level;
    d.with_help(help)
}

/// The built-in list: `错误写法 正确写法` per line, warnings.
pub fn builtin() -> Vec<Word> {
    BUILTIN
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .filter_map(|l| l.split_once(' '))
        .map(|(wrong, right)| Word {
            wrong: wrong.trim().to_string(),
            right: right.trim().to_string(),
            level: Severity::Warning,
            note: None,
            ignored: false,
        })
        .collect()
}

/// The entries of `words.yaml` (at `path`), and a problem for each one that cannot be used.
fn cluster_words(path: &Path, text: &str) -> (Vec<Word>, Vec<Diagnostic>) {
    let entries: Vec<Entry> = match crate::yaml::parse::<Option<Vec<Entry>>>(text) {
        Ok(e) => e.unwrap_or_default(),
        Err(e) => return (Vec::new(), vec![e.at(path, 1)]),
    };
    let mut problems = Vec::new();
    let mut words = Vec::new();
    for (i, e) in entries.into_iter().enumerate() {
        let level = match e.level.as_deref() {
            None | Some("warning") | Some("警告") => Severity::Warning,
            Some("error") | Some("错误") => Severity::Error,
            Some(other) => {
                let line = entry_line(text, i);
                let message = crate::t!("word-level", level = other);
                let d = Diagnostic::error(crate::codes::INVALID_VALUE, path, line, 1, message);
                problems.push(d.with_help(crate::t!("word-level-help")));
                continue;
            }
        };
        if e.wrong.trim().is_empty() {
            continue;
        }
        words.push(Word {
            wrong: e.wrong.trim().to_string(),
            right: e.right.trim().to_string(),
            level,
            note: e.note.filter(|n| !n.trim().is_empty()),
            ignored: e.ignore,
        });
    }
    (words, problems)
}

/// The line of entry `i` of a top-level YAML list (`- ` at the start of a line).
fn entry_line(text: &str, i: usize) -> usize {
    text.lines()
        .enumerate()
        .filter(|(_, l)| l.starts_with('-'))
        .nth(i)
        .map_or(1, |(n, _)| n + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_builtin_list_is_sound() {
        let words = builtin();
        assert!(words.len() >= 250, "{}", words.len());
        for w in &words {
            assert_ne!(w.wrong, w.right);
            assert!(
                !w.right.contains(&w.wrong),
                "{} is inside its own right form",
                w.wrong
            );
            // A right form never contains another entry's wrong form.
            for other in &words {
                assert!(
                    !w.right.contains(&other.wrong),
                    "{} flags the right form {}",
                    other.wrong,
                    w.right
                );
            }
        }
    }

    #[test]
    fn wrong_forms_are_found_at_their_line_and_column() {
        let words = Words::new(builtin());
        let text = "第一行\n我们要再接再励，按步就班地工作。";
        let found = words.check(Path::new("a.md"), text, (5, 1));
        let places: Vec<(usize, usize)> = found.iter().map(|d| (d.line, d.col)).collect();
        assert_eq!(places, [(6, 4), (6, 9)]);
        assert_eq!(
            found[0].message.en(),
            "`再接再励` is a wrong form: write `再接再厉`"
        );
        assert!(words.find("我们要再接再厉，按部就班。").next().is_none());
    }

    #[test]
    fn the_clusters_words_have_levels_and_notes() {
        let text = "- {wrong: 教育局长, right: 教育局局长, level: error, note: 职务名称要写全}\n- {wrong: 某某, level: 提示}\n";
        let (words, problems) = cluster_words(Path::new("words.yaml"), text);
        assert_eq!(words.len(), 1);
        assert_eq!(words[0].level, Severity::Error);
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].line, 2);
    }

    #[test]
    fn a_cluster_can_turn_a_builtin_rule_off() {
        let dir = std::env::temp_dir().join(format!("zq-words-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join(FILE), "- {wrong: 再接再励, ignore: true}\n").unwrap();
        let (words, problems) = Words::load(&dir);
        std::fs::remove_dir_all(&dir).ok();
        assert!(problems.is_empty());
        assert!(words.find("再接再励").next().is_none());
        assert!(words.find("按步就班").next().is_some());
    }
}
