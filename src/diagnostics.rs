//! Diagnostics: every problem found in a cluster, with the file, line and column that caused
//! it, collected across the whole build so that a webmaster sees all of them at once.

use std::fmt;
use std::path::{Path, PathBuf};

use crate::i18n::Lang;
pub use crate::i18n::Message;

/// How bad a problem is: errors fail the build, warnings do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// Fails the build (exit code 1).
    Error,
    /// Reported, but the build still succeeds.
    Warning,
}

/// One problem at one place in one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Stable code (`ZQ102`), see [`crate::codes`].
    pub code: &'static str,
    /// The file the problem is in, as the user knows it (relative to the cluster root).
    pub path: PathBuf,
    /// 1-based line; 0 when the problem is about the file as a whole.
    pub line: usize,
    /// 1-based column; 0 when unknown.
    pub col: usize,
    /// Error or warning.
    pub severity: Severity,
    /// What is wrong (lowercase, names in backticks once shown).
    pub message: Message,
    /// What to do about it (boxed: most diagnostics travel in `Result`s, and few are made).
    pub help: Option<Box<Message>>,
}

impl Diagnostic {
    /// An error at `path:line:col`.
    pub fn error(
        code: &'static str,
        path: impl Into<PathBuf>,
        line: usize,
        col: usize,
        message: impl Into<Message>,
    ) -> Self {
        Diagnostic {
            code,
            path: path.into(),
            line,
            col,
            severity: Severity::Error,
            message: message.into(),
            help: None,
        }
    }

    /// An error about a whole file (reported at line 1, column 1).
    pub fn file_error(
        code: &'static str,
        path: impl Into<PathBuf>,
        message: impl Into<Message>,
    ) -> Self {
        Self::error(code, path, 1, 1, message)
    }

    /// A warning at `path:line:col`.
    pub fn warning(
        code: &'static str,
        path: impl Into<PathBuf>,
        line: usize,
        col: usize,
        message: impl Into<Message>,
    ) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Self::error(code, path, line, col, message)
        }
    }

    /// Adds the line telling the user what to do.
    pub fn with_help(mut self, help: impl Into<Message>) -> Self {
        self.help = Some(Box::new(help.into()));
        self
    }

    /// Shows the path relative to `root` when it lies inside it.
    pub fn relative_to(mut self, root: &Path) -> Self {
        if let Ok(rel) = self.path.strip_prefix(root) {
            self.path = rel.to_path_buf();
        }
        // Messages quoting the OS (`cannot read: … /home/…/content/x.md`) name paths too;
        // they are shown to browser tabs by `serve`, which should not learn the machine's
        // folders.
        let prefix = format!("{}{}", root.display(), std::path::MAIN_SEPARATOR);
        if root.is_absolute() {
            let strip = |t: String| {
                if t.contains(&prefix) {
                    t.replace(&prefix, "")
                } else {
                    t
                }
            };
            self.message = self.message.map_text(&strip);
        }
        self
    }

    /// `path:line:col: error: message` and the help line, in `lang`.
    pub fn render(&self, lang: Lang) -> String {
        let label = |id: &'static str| Message::new(id, Vec::new()).render(lang);
        let kind = match self.severity {
            Severity::Error => label("label-error"),
            Severity::Warning => label("label-warning"),
        };
        let mut out = format!(
            "{}:{}:{}: {kind}: {}",
            shown_path(&self.path),
            self.line.max(1),
            self.col.max(1),
            self.message.render(lang)
        );
        if let Some(help) = &self.help {
            out.push_str(&format!(
                "\n  = {}: {}",
                label("label-help"),
                help.render(lang)
            ));
        }
        out
    }

    /// True for errors.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// Shown in the language chosen for the process's own output.
impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(crate::i18n::lang()))
    }
}

/// A collection of diagnostics from every stage of a build.
#[derive(Debug, Default, Clone)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    /// An empty collection.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds one diagnostic.
    pub fn push(&mut self, d: Diagnostic) {
        self.items.push(d);
    }

    /// Adds all diagnostics of another collection.
    pub fn extend(&mut self, other: impl IntoIterator<Item = Diagnostic>) {
        self.items.extend(other);
    }

    /// True when at least one error (not a warning) was collected.
    pub fn has_errors(&self) -> bool {
        self.items.iter().any(Diagnostic::is_error)
    }

    /// Number of warnings.
    pub fn warning_count(&self) -> usize {
        self.items.iter().filter(|d| !d.is_error()).count()
    }

    /// Number of errors.
    pub fn error_count(&self) -> usize {
        self.items.iter().filter(|d| d.is_error()).count()
    }

    /// True when nothing was collected.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Every path shown relative to `root` where it lies inside it.
    pub fn relative_to(self, root: &Path) -> Self {
        self.into_iter().map(|d| d.relative_to(root)).collect()
    }

    /// Sorted by path, line and column, duplicates removed, so reports are stable (and the
    /// same in every language: ties are broken by the English text).
    pub fn into_sorted(self) -> Vec<Diagnostic> {
        let mut keyed: Vec<(String, Diagnostic)> = self
            .items
            .into_iter()
            .map(|d| (d.message.en(), d))
            .collect();
        keyed.sort_by(|(ta, a), (tb, b)| {
            (&a.path, a.line, a.col, a.severity, ta).cmp(&(&b.path, b.line, b.col, b.severity, tb))
        });
        keyed.dedup_by(|(_, a), (_, b)| a == b);
        keyed.into_iter().map(|(_, d)| d).collect()
    }

    /// Read access to what was collected, in insertion order.
    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter()
    }
}

impl IntoIterator for Diagnostics {
    type Item = Diagnostic;
    type IntoIter = std::vec::IntoIter<Diagnostic>;
    fn into_iter(self) -> Self::IntoIter {
        self.items.into_iter()
    }
}

impl FromIterator<Diagnostic> for Diagnostics {
    fn from_iter<T: IntoIterator<Item = Diagnostic>>(iter: T) -> Self {
        Diagnostics {
            items: iter.into_iter().collect(),
        }
    }
}

/// A path as shown in messages: `/`-separated on every system. Only Windows separators are
/// turned into `/`; on Unix a `\\` is part of a file name and is shown as it is.
pub fn shown_path(path: &Path) -> String {
    let text = path.display().to_string();
    if cfg!(windows) {
        text.replace('\\', "/")
    } else {
        text
    }
}

/// An operating-system error in the language of the messages: the common kinds from the
/// catalogue (so a Chinese webmaster never reads `No such file or directory (os error 2)`),
/// anything else as the system words it.
pub fn io_error_text(e: &std::io::Error) -> String {
    use std::io::ErrorKind as K;
    if crate::confined::is_outside(e) {
        return crate::i18n::text("io-outside", &[]);
    }
    let id = match e.kind() {
        K::NotFound => "io-not-found",
        K::PermissionDenied => "io-permission",
        K::AlreadyExists => "io-exists",
        K::IsADirectory => "io-is-directory",
        K::NotADirectory => "io-not-directory",
        K::StorageFull => "io-disk-full",
        K::ReadOnlyFilesystem => "io-read-only",
        K::InvalidData => "io-invalid-data",
        K::DirectoryNotEmpty => "io-not-empty",
        K::OutOfMemory => "io-out-of-memory",
        _ => return e.to_string(),
    };
    crate::i18n::text(id, &[])
}

/// Line and column (both 1-based, column in characters) of a byte offset in `text`.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..floor_char_boundary(text, offset)];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let col = before[line_start..].chars().count() + 1;
    (line, col)
}

fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// The closest of `candidates` to `word`, when it is close enough to be a likely typo.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(word, c), c))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_like_a_compiler_in_the_language_asked() {
        let d = Diagnostic::error(
            crate::codes::UNKNOWN_KEY,
            "sites/a.yaml",
            3,
            5,
            crate::t!("fm-unknown-key", key = "nmae"),
        )
        .with_help(crate::t!("fm-did-you-mean", best = "name"));
        assert_eq!(
            d.render(Lang::En),
            "sites/a.yaml:3:5: error: unknown key `nmae`\n  = help: did you mean `name`?"
        );
        assert_eq!(
            d.render(Lang::ZhCn),
            "sites/a.yaml:3:5: 错误: 不认识的键“nmae”\n  = 提示: 是不是想写“name”？"
        );
    }

    #[test]
    fn line_col_counts_characters() {
        let text = "ab\n中文x";
        assert_eq!(line_col(text, 0), (1, 1));
        assert_eq!(line_col(text, 3), (2, 1));
        assert_eq!(line_col(text, 9), (2, 3));
    }

    #[test]
    fn suggests_close_words_only() {
        assert_eq!(did_you_mean("nmae", ["name", "kind"]), Some("name"));
        assert_eq!(did_you_mean("zzz", ["name", "kind"]), None);
    }

    #[test]
    fn sorted_by_place() {
        let mut ds = Diagnostics::new();
        ds.push(Diagnostic::error(crate::codes::YAML, "b.md", 1, 1, "x"));
        ds.push(Diagnostic::error(crate::codes::YAML, "a.md", 9, 1, "y"));
        ds.push(Diagnostic::error(crate::codes::YAML, "a.md", 2, 1, "z"));
        let sorted: Vec<_> = ds
            .into_sorted()
            .into_iter()
            .map(|d| d.message.render(Lang::En))
            .collect();
        assert_eq!(sorted, ["z", "y", "x"]);
    }
}
