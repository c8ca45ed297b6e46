//! `adopted.yaml` (采用): in a reviewing bureau's content repository, the offered items
//! (报送) its editor adopted. Only adopted items are listed by a bureau with
//! `syndication.review: true`; the schools' repositories are never touched.

use std::path::Path;

use serde::Deserialize;

use crate::diagnostics::Diagnostic;
use crate::yaml;

/// The file's name, at the root of the content repository (never published).
pub const FILE: &str = "adopted.yaml";

/// One entry as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Entry {
    item: String,
    #[serde(default)]
    date: Option<yaml::Value>,
    #[serde(default)]
    editor: Option<String>,
}

/// One adopted item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Adoption {
    /// The origin site's id.
    pub site: String,
    /// The page's path in the origin's content repository.
    pub rel_path: String,
    /// Where the entry is written.
    pub line: usize,
    /// 采用日期 as written.
    pub date: Option<String>,
    /// 编辑.
    pub editor: Option<String>,
}

/// The adoptions of `text` (the file at `path`), and a problem for each entry that is not
/// an `@/<site>/<path>.md` link.
pub fn read(path: &Path, text: &str) -> (Vec<Adoption>, Vec<Diagnostic>) {
    let entries: Vec<Entry> = match yaml::parse::<Option<Vec<Entry>>>(text) {
        Ok(e) => e.unwrap_or_default(),
        Err(e) => return (Vec::new(), vec![e.at(path, 1)]),
    };
    // The n-th `item:` of the file is the n-th entry's line.
    let lines: Vec<usize> = text
        .lines()
        .enumerate()
        .filter(|(_, l)| l.contains("item:"))
        .map(|(i, _)| i + 1)
        .collect();
    let mut out = Vec::new();
    let mut problems = Vec::new();
    for (i, e) in entries.into_iter().enumerate() {
        let line = lines.get(i).copied().unwrap_or(1);
        let parsed = e
            .item
            .strip_prefix("@/")
            .and_then(|rest| rest.split_once('/'));
        match parsed {
            Some((site, rel)) if rel.ends_with(".md") && !site.is_empty() => out.push(Adoption {
                site: site.to_string(),
                rel_path: rel.to_string(),
                line,
                date: e.date.as_ref().map(yaml::text),
                editor: e.editor,
            }),
            _ => problems.push(
                Diagnostic::error(
                    crate::codes::ADOPTION,
                    path,
                    line,
                    1,
                    crate::t!("adopted-not-a-link", item = e.item.clone()),
                )
                .with_help(crate::t!("adopted-help")),
            ),
        }
    }
    (out, problems)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_are_read_with_their_lines() {
        let text = "# 采用记录\n- item: \"@/jb-a/news/x.md\"\n  date: 2026-11-20\n  editor: 王编辑\n- {item: \"@/jb-b/news/2026-11-01-y.md\"}\n- {item: news/z.md}\n";
        let (found, problems) = read(Path::new("adopted.yaml"), text);
        assert_eq!(found.len(), 2);
        assert_eq!(
            (
                found[0].site.as_str(),
                found[0].rel_path.as_str(),
                found[0].line
            ),
            ("jb-a", "news/x.md", 2)
        );
        assert_eq!(found[0].date.as_deref(), Some("2026-11-20"));
        assert_eq!(found[1].line, 5);
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].line, 6);
    }
}
