//! The one place that parses or writes YAML (cluster and site configs, front matter, the
//! bureau's own files). The parser is `serde_norway`, a maintained fork of the deprecated
//! serde_yaml with the same API and error positions: measured on a 10-key front matter it
//! parses as fast as serde_yaml and serde_yaml_ng (≈7 µs), while serde-saphyr, which would
//! give spans of every value, took twice as long — and the places of keys we need after
//! parsing come from [`Spans`], one cheap pass over the text.

pub mod edit;
pub mod lenient;

use serde::de::DeserializeOwned;

use crate::diagnostics::did_you_mean;
use crate::i18n::Message;

/// A YAML problem with its place in the parsed text (1-based line and column).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YamlError {
    /// 1-based line in the parsed text.
    pub line: usize,
    /// 1-based column in the parsed text.
    pub col: usize,
    /// What is wrong, reworded for webmasters (serde's own words framed when we have none).
    pub message: Message,
    /// A did-you-mean hint for unknown keys, or how to write YAML.
    pub help: Option<Message>,
    /// The key the type does not know (ZQ002), `None` for other problems (ZQ001).
    pub unknown_key: Option<String>,
}

impl YamlError {
    /// The diagnostic for this error in `path`, whose YAML starts at 1-based line `first_line`.
    pub fn at(self, path: &std::path::Path, first_line: usize) -> crate::diagnostics::Diagnostic {
        let mut d = crate::diagnostics::Diagnostic::error(
            if self.unknown_key.is_some() {
                crate::codes::UNKNOWN_KEY
            } else {
                crate::codes::YAML
            },
            path,
            self.line + first_line - 1,
            self.col,
            self.message,
        );
        d.help = self.help.map(Box::new);
        d
    }
}

/// The value type of free-form maps such as `params`.
pub type Value = serde_norway::Value;

/// A YAML mapping, as [`Value::Mapping`] holds it.
pub type Mapping = serde_norway::Mapping;

/// Parses `text` into `T`; an empty document parses as an empty mapping.
pub fn parse<T: DeserializeOwned>(text: &str) -> Result<T, YamlError> {
    let text = if text.trim().is_empty() { "{}" } else { text };
    serde_norway::from_str(text).map_err(|e| convert(&e))
}

/// Turns a parsed value into `T`.
pub fn from_value<T: DeserializeOwned>(value: Value) -> Result<T, YamlError> {
    serde_norway::from_value(value).map_err(|e| convert(&e))
}

/// Turns a mapping holding only `key` into `T`; a problem names the key.
pub fn from_value_of<T: DeserializeOwned>(value: Value, key: &str) -> Result<T, YamlError> {
    serde_norway::from_value(value).map_err(|e| {
        let mut err = convert(&e);
        // From a value serde cannot say where the unknown key sat: it sat under `key`.
        if let Some(inner) = &err.unknown_key
            && err.message.id() == Some("fm-unknown-key")
        {
            err.message = crate::t!(
                "fm-unknown-key-in",
                key = inner.clone(),
                parent = key.to_string()
            );
        }
        if err.unknown_key.is_none() {
            let detail = e.to_string();
            let detail = detail
                .rsplit_once(" at line ")
                .map_or(detail.as_str(), |(d, _)| d);
            (err.message, err.help) = translate(detail, Some(key));
        }
        err
    })
}

/// A scalar as a webmaster wrote it, as text: strings as they are, numbers, booleans and
/// dates (`2026-11-20`) as YAML writes them; a list or map in YAML's flow form.
pub fn text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => serde_norway::to_string(other)
            .unwrap_or_default()
            .trim()
            .to_string(),
    }
}

/// `s` written as a YAML scalar (quoted where YAML needs it, on several lines for text
/// with line breaks).
pub fn scalar(s: &str) -> String {
    serde_norway::to_string(s).unwrap_or_default()
}

fn convert(e: &serde_norway::Error) -> YamlError {
    let (line, col) = e.location().map_or((1, 1), |l| (l.line(), l.column()));
    let full = e.to_string();
    let message = match full.rfind(" at line ") {
        Some(i) => full[..i].to_string(),
        None => full,
    };
    match reword(&message) {
        Some((message, help, key)) => YamlError {
            line,
            col,
            message,
            help: Some(help),
            unknown_key: Some(key),
        },
        // serde's own words, framed so a Chinese reader knows what kind of problem it is.
        None => {
            let (message, help) = translate(&message, None);
            YamlError {
                line,
                col,
                message,
                help,
                unknown_key: None,
            }
        }
    }
}

/// The parser's and serde's commonest words in the catalogue's: a value of the wrong type,
/// a word not among the allowed ones, a `:` or a tab where YAML does not want one. Anything
/// else is framed as a YAML problem with the parser's own words.
fn translate(message: &str, key: Option<&str>) -> (Message, Option<Message>) {
    let (field, rest) = match message.split_once(": ") {
        Some((f, r)) if !f.contains(' ') => (Some(f), r),
        _ => (None, message),
    };
    let field = match field.or(key) {
        Some(f) => Message::Plain(f.to_string()),
        None => crate::t!("yaml-this-value"),
    };
    if let Some(types) = rest.strip_prefix("invalid type: ") {
        let (found, expected) = types.split_once(", expected ").unwrap_or((types, ""));
        let (found, expected) = (type_name(found), type_name(expected));
        let message = crate::t!(
            "yaml-invalid-type",
            key = field,
            found = found,
            expected = expected
        );
        return (message, Some(crate::t!("yaml-type-help")));
    }
    if let Some(variant) = rest.strip_prefix("unknown variant `") {
        let (value, allowed) = variant.split_once('`').unwrap_or((variant, ""));
        // Chinese synonyms are accepted, not advertised: the list shows the English names.
        let allowed: Vec<&str> = allowed
            .split('`')
            .skip(1)
            .step_by(2)
            .filter(|a| a.is_ascii())
            .collect();
        let message = crate::t!(
            "yaml-unknown-value",
            value = value,
            allowed = allowed.join("、")
        );
        return (
            message,
            Some(crate::t!("yaml-unknown-value-help", key = field)),
        );
    }
    if rest.starts_with("mapping values are not allowed") {
        return (crate::t!("yaml-colon"), Some(crate::t!("yaml-help")));
    }
    if rest.contains("tab character") || rest.contains("cannot start any token") {
        return (
            crate::t!("hint-tab-indent"),
            Some(crate::t!("hint-indent-help")),
        );
    }
    let detail = crate::t!("yaml-detail", detail = message.replace("field", "key"));
    (detail, Some(crate::t!("yaml-help")))
}

/// serde's name of a kind of value (`a sequence`, `u32`, `string "x"`) as the catalogue's.
fn type_name(serde: &str) -> Message {
    let s = serde.trim();
    let shown = |rest: &str| rest.trim().trim_matches(['"', '`']).to_string();
    if let Some(rest) = s.strip_prefix("string ") {
        return crate::t!("yaml-type-text-value", value = shown(rest));
    }
    if let Some(rest) = s
        .strip_prefix("integer ")
        .or_else(|| s.strip_prefix("floating point "))
    {
        return crate::t!("yaml-type-number-value", value = shown(rest));
    }
    let number = s.len() <= 5
        && s.starts_with(['u', 'i', 'f'])
        && s[1..]
            .chars()
            .all(|c| c.is_ascii_digit() || c == 's' || c == 'i' || c == 'z' || c == 'e');
    match () {
        _ if s.ends_with("string") || s == "a string" => crate::t!("yaml-type-text"),
        _ if s.contains("sequence") => crate::t!("yaml-type-list"),
        _ if s.contains("map") => crate::t!("yaml-type-map"),
        _ if s.contains("boolean") => crate::t!("yaml-type-bool"),
        _ if number || s.contains("integer") => crate::t!("yaml-type-number"),
        _ => Message::Plain(s.to_string()),
    }
}

/// serde's "unknown field `x`, expected one of `a`, `b`" becomes "unknown key `x`" with a
/// did-you-mean hint naming the closest allowed key, or the list of allowed keys; `None`
/// for every other problem.
fn reword(message: &str) -> Option<(Message, Message, String)> {
    // Nested keys come as `footer: unknown field ...`.
    let (parent, message) = match message.split_once(": unknown field `") {
        Some((p, rest)) if !p.contains(' ') => (Some(p), format!("unknown field `{rest}")),
        _ => (None, message.to_string()),
    };
    let rest = message.strip_prefix("unknown field `")?;
    let (field, expected) = rest.split_once('`')?;
    let allowed: Vec<&str> = expected.split('`').skip(1).step_by(2).collect();
    let help = match did_you_mean(field, allowed.iter().copied()) {
        Some(best) => crate::t!("fm-did-you-mean", best = best.to_string()),
        None if allowed.is_empty() => crate::t!("fm-remove-key"),
        None => crate::t!("fm-allowed-keys", keys = allowed.join(", ")),
    };
    let message = match parent {
        Some(p) => crate::t!(
            "fm-unknown-key-in",
            key = field.to_string(),
            parent = p.to_string()
        ),
        None => crate::t!("fm-unknown-key", key = field.to_string()),
    };
    Some((message, help, field.to_string()))
}

/// Where each top-level key of a YAML mapping is written, found in one pass over the text
/// and kept with the parsed value, so errors found after parsing (a bad date, an unknown
/// parent, a broken menu link) are placed without reading the file again. serde cannot
/// place them: it only knows positions while it parses.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Spans {
    keys: std::collections::HashMap<String, KeySpan>,
}

/// The place of one top-level key.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct KeySpan {
    /// 1-based line of the key.
    line: usize,
    /// 1-based column (in characters) of its value on that line, 1 when the value is below.
    value_col: usize,
    /// (line, column) of each item of a block list under the key.
    items: Vec<(usize, usize)>,
}

impl Spans {
    /// The places of the top-level keys of `text` (the first occurrence of each).
    pub fn parse(text: &str) -> Spans {
        let mut keys: std::collections::HashMap<String, KeySpan> = Default::default();
        let mut current: Option<String> = None;
        let mut item_indent: Option<usize> = None;
        for (i, line) in text.lines().enumerate() {
            let trimmed = line.trim_start();
            if trimmed.is_empty() || trimmed.starts_with('#') {
                continue;
            }
            let indent = line.len() - trimmed.len();
            if indent == 0 && !trimmed.starts_with('-') {
                current = top_level_key(line).map(str::to_string);
                item_indent = None;
                if let Some(key) = &current {
                    keys.entry(key.clone()).or_insert_with(|| KeySpan {
                        line: i + 1,
                        value_col: value_column(line),
                        items: Vec::new(),
                    });
                }
                continue;
            }
            let Some(span) = current.as_ref().and_then(|k| keys.get_mut(k)) else {
                continue;
            };
            if trimmed.starts_with('-') && item_indent.is_none_or(|d| d == indent) {
                item_indent = Some(indent);
                span.items.push((i + 1, line[..indent].chars().count() + 1));
            }
        }
        Spans { keys }
    }

    /// 1-based line and column of a top-level `key:`.
    pub fn key(&self, key: &str) -> Option<(usize, usize)> {
        self.keys.get(key).map(|s| (s.line, 1))
    }

    /// 1-based line and column of the value of a top-level `key:`.
    pub fn value(&self, key: &str) -> Option<(usize, usize)> {
        self.keys.get(key).map(|s| (s.line, s.value_col))
    }

    /// 1-based line and column of the `index`th (0-based) item of the block list under
    /// `key`, falling back to the key itself (flow lists `[a, b]`).
    pub fn item(&self, key: &str, index: usize) -> Option<(usize, usize)> {
        let span = self.keys.get(key)?;
        Some(span.items.get(index).copied().unwrap_or((span.line, 1)))
    }
}

/// The key of a top-level `key: value` line.
fn top_level_key(line: &str) -> Option<&str> {
    let colon = line.find(':')?;
    let key = line[..colon].trim_end();
    let plain = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == '-');
    plain.then_some(key)
}

/// The 1-based column of the value after `key:`, or 1 when the value starts below.
fn value_column(line: &str) -> usize {
    let Some(colon) = line.find(':') else {
        return 1;
    };
    let after = colon + 1;
    match line[after..].find(|c: char| !c.is_whitespace()) {
        Some(off) => line[..after + off].chars().count() + 1,
        None => 1,
    }
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

    use crate::i18n::Lang;

    #[test]
    fn unknown_key_gets_a_hint_and_place() {
        let err = parse::<Conf>("name: a\nknid: school\n").unwrap_err();
        assert_eq!(err.message.render(Lang::En), "unknown key `knid`");
        let help = err.help.as_ref().map(|h| h.render(Lang::En));
        assert_eq!(help.as_deref(), Some("did you mean `kind`?"));
        assert_eq!((err.line, err.col), (2, 1));
        // In every language the code is ZQ002, never decided by the message's words.
        let d = err.at(std::path::Path::new("sites/a.yaml"), 1);
        assert_eq!(d.code, crate::codes::UNKNOWN_KEY);
        assert!(d.render(Lang::ZhCn).contains("不认识的键“knid”"));
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
        assert_eq!(err.message.render(Lang::En), "unknown key `knd` in `inner`");
        let help = err.help.as_ref().map(|h| h.render(Lang::En));
        assert_eq!(help.as_deref(), Some("did you mean `kind`?"));
    }

    #[test]
    fn syntax_errors_are_placed() {
        let err = parse::<Conf>("name: [a\nkind: b\n").unwrap_err();
        assert!(err.line >= 1, "{err:?}");
        assert!(err.unknown_key.is_none());
    }

    #[test]
    fn spans_place_keys_values_and_list_items() {
        let text = "name: x\nmenu:\n  - {name: a, url: /a/}\n  # note\n  - name: b\n    url: /b/\ndate:   2024-13-01\nfooter: {}\n";
        let spans = Spans::parse(text);
        assert_eq!(spans.item("menu", 0), Some((3, 3)));
        assert_eq!(spans.item("menu", 1), Some((5, 3)));
        assert_eq!(spans.item("menu", 2), Some((2, 1)));
        assert_eq!(spans.key("date"), Some((7, 1)));
        assert_eq!(spans.value("date"), Some((7, 9)));
        assert_eq!(spans.value("name"), Some((1, 7)));
        assert_eq!(spans.key("dat"), None);
        let flush =
            Spans::parse("menu:\n- {name: a, url: /a/}\n- {name: b, url: /b/}\ntitle: 标题：x\n");
        assert_eq!(flush.item("menu", 1), Some((3, 1)));
        assert_eq!(flush.value("title"), Some((4, 8)));
    }
}
