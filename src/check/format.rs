//! The three report formats of `check`: text (with the source line and a caret, coloured on a
//! terminal), JSON (one object per problem) and GitHub Actions annotations.

use std::fmt::Write;
use std::path::Path;

use serde::Serialize;

use crate::diagnostics::{Diagnostic, Severity};
use crate::i18n::Lang;

/// How `check` prints problems.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// `path:line:col: error[ZQ102]: message`, the source line and a caret.
    Text,
    /// One JSON object per line.
    Json,
    /// `::error file=…,line=…,col=…,title=ZQ102::message` for GitHub Actions.
    Github,
}

/// How one report is printed: the format, where relative paths start, ANSI colours for a
/// terminal, and the language of the messages.
#[derive(Debug, Clone, Copy)]
pub struct Style<'a> {
    /// Text, JSON or annotations.
    pub format: Format,
    /// Paths are relative to this folder (source lines are read from it).
    pub root: &'a Path,
    /// ANSI colours (text on a terminal).
    pub colour: bool,
    /// The language of messages and help.
    pub lang: Lang,
}

/// One problem in the chosen style.
pub fn render(d: &Diagnostic, style: Style) -> String {
    let (root, colour, lang) = (style.root, style.colour, style.lang);
    let message = d.message.render(lang);
    let help = d.help.as_ref().map(|h| h.render(lang));
    let path = crate::diagnostics::shown_path(&d.path);
    let severity = match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    match style.format {
        Format::Text => {
            let label = match d.severity {
                Severity::Error => crate::t!("label-error"),
                Severity::Warning => crate::t!("label-warning"),
            };
            let said = Said {
                severity: &label.render(lang),
                message: &message,
                help: help.as_deref(),
                help_label: &crate::t!("label-help").render(lang),
            };
            text(d, &path, said, root, colour)
        }
        Format::Json => serde_json::to_string(&Json {
            path: &path,
            line: d.line.max(1),
            col: d.col.max(1),
            severity,
            code: d.code,
            message: &message,
            help: help.as_deref(),
        })
        .expect("diagnostics serialize"),
        Format::Github => {
            let mut message = message.clone();
            if let Some(h) = &help {
                message.push_str("\nhelp: ");
                message.push_str(h);
            }
            format!(
                "::{severity} file={},line={},col={},title={}::{}",
                gh_property(&path),
                d.line.max(1),
                d.col.max(1),
                d.code,
                gh_data(&message)
            )
        }
    }
}

#[derive(Serialize)]
struct Json<'a> {
    path: &'a str,
    line: usize,
    col: usize,
    severity: &'a str,
    code: &'a str,
    message: &'a str,
    help: Option<&'a str>,
}

/// A problem's words, already in the report's language.
struct Said<'a> {
    severity: &'a str,
    message: &'a str,
    help: Option<&'a str>,
    help_label: &'a str,
}

fn text(d: &Diagnostic, path: &str, said: Said, root: &Path, colour: bool) -> String {
    let severity = said.severity;
    let paint = |code: &str, s: &str| {
        if colour {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    };
    let sev = paint(
        if d.severity == Severity::Error {
            "1;31"
        } else {
            "1;33"
        },
        &format!("{severity}[{}]", d.code),
    );
    let mut out = format!(
        "{path}:{}:{}: {sev}: {}",
        d.line.max(1),
        d.col.max(1),
        said.message
    );
    // The line is quoted from the file itself, read by the rules of every content read: never
    // through a symbolic link (which may lead to a device), never more than the size limit.
    let file = root.join(&d.path);
    let source = std::fs::symlink_metadata(&file)
        .ok()
        .filter(std::fs::Metadata::is_file)
        .and_then(|_| crate::content::files::read_text(&file).ok());
    if let Some(line) = source
        .as_deref()
        .and_then(|s| s.lines().nth(d.line.max(1) - 1))
        .filter(|_| d.line > 0)
    {
        let number = d.line.to_string();
        let pad = " ".repeat(number.len());
        let caret_at: String = line
            .chars()
            .take(d.col.max(1) - 1)
            .map(|c| {
                if c == '\t' {
                    '\t'
                } else if c.len_utf8() > 1 {
                    '　'
                } else {
                    ' '
                }
            })
            .collect();
        // A quoted `content: {git: https://bot:TOKEN@…}` must not put the token in a CI log.
        let line = crate::sources::redact(line);
        let _ = write!(
            out,
            "\n{pad} |\n{number} | {line}\n{pad} | {caret_at}{}",
            paint("1;31", "^")
        );
    }
    if let Some(h) = said.help {
        let _ = write!(out, "\n  = {}: {h}", said.help_label);
    }
    out
}

/// Escapes GitHub workflow command data.
fn gh_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes GitHub workflow command properties.
fn gh_property(s: &str) -> String {
    gh_data(s).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codes;

    fn d() -> Diagnostic {
        Diagnostic::error(
            codes::NO_TITLE,
            "content/a/news/x.md",
            2,
            3,
            "missing `title` (标题)",
        )
        .with_help("add it")
    }

    fn style(format: Format, root: &Path) -> Style<'_> {
        Style {
            format,
            root,
            colour: false,
            lang: Lang::En,
        }
    }

    #[test]
    fn json_has_every_field() {
        let j: serde_json::Value =
            serde_json::from_str(&render(&d(), style(Format::Json, Path::new(".")))).unwrap();
        assert_eq!(j["code"], "ZQ102");
        assert_eq!(j["line"], 2);
        assert_eq!(j["severity"], "error");
        assert_eq!(j["help"], "add it");
    }

    #[test]
    fn github_annotations_escape_newlines() {
        assert_eq!(
            render(&d(), style(Format::Github, Path::new("."))),
            "::error file=content/a/news/x.md,line=2,col=3,title=ZQ102::missing `title` (标题)%0Ahelp: add it"
        );
    }

    #[test]
    fn text_shows_the_line_and_a_caret() {
        let tmp = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(tmp.path().join("content/a/news")).unwrap();
        std::fs::write(tmp.path().join("content/a/news/x.md"), "---\n中a: 1\n---\n").unwrap();
        let out = render(&d(), style(Format::Text, tmp.path()));
        assert_eq!(
            out,
            "content/a/news/x.md:2:3: error[ZQ102]: missing `title` (标题)\n  |\n2 | 中a: 1\n  | 　 ^\n  = help: add it"
        );
    }
}
