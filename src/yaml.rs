//! The one place that parses YAML (cluster and site configs, front matter). serde_yaml is no
//! longer maintained upstream; keeping it behind this module lets a drop-in replace it.

use serde::de::DeserializeOwned;

use crate::diagnostics::did_you_mean;

/// A YAML problem with its place in the parsed text (1-based line and column).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YamlError {
    /// 1-based line in the parsed text.
    pub line: usize,
    /// 1-based column in the parsed text.
    pub col: usize,
    /// What serde said, without the location suffix, reworded for webmasters.
    pub message: String,
    /// A did-you-mean hint for unknown keys.
    pub help: Option<String>,
}

impl YamlError {
    /// The diagnostic for this error in `path`, whose YAML starts at 1-based line `first_line`.
    pub fn at(self, path: &std::path::Path, first_line: usize) -> crate::diagnostics::Diagnostic {
        let mut d = crate::diagnostics::Diagnostic::error(
            if self.message.starts_with("unknown key") {
                crate::codes::UNKNOWN_KEY
            } else {
                crate::codes::YAML
            },
            path,
            self.line + first_line - 1,
            self.col,
            self.message,
        );
        d.help = self.help;
        d
    }
}

/// The value type of free-form maps such as `params`.
pub type Value = serde_yaml::Value;

/// Parses `text` into `T`; an empty document parses as an empty mapping.
pub fn parse<T: DeserializeOwned>(text: &str) -> Result<T, YamlError> {
    let text = if text.trim().is_empty() { "{}" } else { text };
    serde_yaml::from_str(text).map_err(|e| convert(&e))
}

fn convert(e: &serde_yaml::Error) -> YamlError {
    let (line, col) = e.location().map_or((1, 1), |l| (l.line(), l.column()));
    let full = e.to_string();
    let message = match full.rfind(" at line ") {
        Some(i) => full[..i].to_string(),
        None => full,
    };
    let (message, help) = reword(&message);
    let help = help.or_else(|| {
        Some(
            "check the YAML syntax here; put a value that contains `:`, `#`, `[` or `{` in quotes"
                .to_string(),
        )
    });
    YamlError {
        line,
        col,
        message,
        help,
    }
}

/// serde's "unknown field `x`, expected one of `a`, `b`" becomes "unknown key `x`" with a
/// did-you-mean hint naming the closest allowed key, or the list of allowed keys.
fn reword(message: &str) -> (String, Option<String>) {
    // Nested keys come as `footer: unknown field ...`.
    let (parent, message) = match message.split_once(": unknown field `") {
        Some((p, rest)) if !p.contains(' ') => (Some(p), format!("unknown field `{rest}")),
        _ => (None, message.to_string()),
    };
    let message = message.as_str();
    let Some(rest) = message.strip_prefix("unknown field `") else {
        return (message.replace("field", "key"), None);
    };
    let Some((field, expected)) = rest.split_once('`') else {
        return (message.to_string(), None);
    };
    let allowed: Vec<&str> = expected.split('`').skip(1).step_by(2).collect();
    let help = match did_you_mean(field, allowed.iter().copied()) {
        Some(best) => format!("did you mean `{best}`?"),
        None if allowed.is_empty() => "remove this key".to_string(),
        None => format!("allowed keys: {}", allowed.join(", ")),
    };
    let place = parent.map(|p| format!(" in `{p}`")).unwrap_or_default();
    (format!("unknown key `{field}`{place}"), Some(help))
}

/// 1-based line and column of a top-level `key:` in a YAML mapping, for errors found after
/// parsing (a bad date, a missing parent), which serde cannot place.
pub fn key_position(text: &str, key: &str) -> Option<(usize, usize)> {
    text.lines().enumerate().find_map(|(i, line)| {
        let rest = line.strip_prefix(key)?;
        rest.trim_start().starts_with(':').then_some((i + 1, 1))
    })
}

/// 1-based line and column of the value of a top-level `key:`, falling back to the key.
pub fn value_position(text: &str, key: &str) -> Option<(usize, usize)> {
    let (line, _) = key_position(text, key)?;
    let source = text.lines().nth(line - 1)?;
    let after_colon = source.find(':')? + 1;
    let value_start = source[after_colon..].find(|c: char| !c.is_whitespace());
    Some(match value_start {
        Some(off) => (line, source[..after_colon + off].chars().count() + 1),
        None => (line, 1),
    })
}

/// 1-based line and column of the `index`th (0-based) item of the block list under a
/// top-level `key:`, falling back to the key itself (flow lists, unusual layouts).
pub fn item_position(text: &str, key: &str, index: usize) -> Option<(usize, usize)> {
    let (key_line, _) = key_position(text, key)?;
    let mut indent = None;
    let mut seen = 0;
    for (i, line) in text.lines().enumerate().skip(key_line) {
        let trimmed = line.trim_start();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let col = line.len() - trimmed.len();
        if !trimmed.starts_with('-') || indent.is_some_and(|d| col < d) {
            if col == 0 || indent.is_some_and(|d| col < d) {
                break;
            }
            continue;
        }
        if indent.is_none_or(|d| d == col) {
            indent = Some(col);
            if seen == index {
                return Some((i + 1, line[..col].chars().count() + 1));
            }
            seen += 1;
        }
    }
    Some((key_line, 1))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Conf {
        name: String,
        kind: Option<String>,
    }

    #[test]
    fn unknown_key_gets_a_hint_and_place() {
        let err = parse::<Conf>("name: a\nknid: school\n").unwrap_err();
        assert_eq!(err.message, "unknown key `knid`");
        assert_eq!(err.help.as_deref(), Some("did you mean `kind`?"));
        assert_eq!((err.line, err.col), (2, 1));
    }

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Outer {
        inner: Conf,
    }

    #[test]
    fn nested_unknown_keys_name_their_parent() {
        let err = parse::<Outer>("inner:\n  name: a\n  knd: b\n").unwrap_err();
        assert_eq!(err.message, "unknown key `knd` in `inner`");
        assert_eq!(err.help.as_deref(), Some("did you mean `kind`?"));
    }

    #[test]
    fn syntax_errors_are_placed() {
        let err = parse::<Conf>("name: [a\nkind: b\n").unwrap_err();
        assert!(err.line >= 1, "{err:?}");
    }

    #[test]
    fn finds_list_items() {
        let text = "name: x\nmenu:\n  - {name: a, url: /a/}\n  # note\n  - name: b\n    url: /b/\nfooter: {}\n";
        assert_eq!(item_position(text, "menu", 0), Some((3, 3)));
        assert_eq!(item_position(text, "menu", 1), Some((5, 3)));
        assert_eq!(item_position(text, "menu", 2), Some((2, 1)));
        let flush = "menu:\n- {name: a, url: /a/}\n- {name: b, url: /b/}\n";
        assert_eq!(item_position(flush, "menu", 1), Some((3, 1)));
    }

    #[test]
    fn finds_keys_and_values() {
        let text = "title: x\ndate:   2024-13-01\n";
        assert_eq!(key_position(text, "date"), Some((2, 1)));
        assert_eq!(value_position(text, "date"), Some((2, 9)));
        assert_eq!(key_position(text, "dat"), None);
    }
}
