//! Front matter read so that one run finds every mistake of a file. serde stops at the
//! first problem; instead the slips a Chinese keyboard makes are found line by line and
//! repaired for the rest of the reading (a full-width `：` after a key, `－` as a list
//! marker, `，` between list items), then the YAML is read as a plain mapping, every
//! unknown key and every value of the wrong kind is reported and left out, and only then is
//! the rest turned into [`FrontMatter`].

use serde::de::DeserializeOwned;

use crate::diagnostics::did_you_mean;
use crate::i18n::Message;
use crate::t;
use crate::yaml::{self, YamlError};

/// A problem found in the front matter, placed in the YAML text (1-based).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Slip {
    /// Line.
    pub line: usize,
    /// Column (in characters).
    pub col: usize,
    /// What is wrong.
    pub message: crate::i18n::Message,
    /// How to fix it.
    pub help: crate::i18n::Message,
    /// The diagnostic code.
    pub code: &'static str,
}

/// The YAML with the keyboard slips repaired (line numbers kept), and the slips.
pub fn repair(front: &str) -> (String, Vec<Slip>) {
    let mut slips = Vec::new();
    let mut out = String::with_capacity(front.len());
    // Whether the previous line opened a block (`key:` with nothing after it), so that an
    // indented line belongs to it.
    let mut opened = false;
    for (i, line) in front.split_inclusive('\n').enumerate() {
        let (fixed, slip) = repair_line(line, opened);
        let content = fixed.trim_end();
        if !content.trim().is_empty() && !content.trim_start().starts_with('#') {
            opened = content.ends_with(':');
        }
        if let Some(mut s) = slip {
            s.line = i + 1;
            slips.push(s);
        }
        out.push_str(&fixed);
    }
    (out, slips)
}

fn slip(col: usize, message: crate::i18n::Message, help: crate::i18n::Message) -> Option<Slip> {
    Some(Slip {
        line: 0,
        col,
        message,
        help,
        code: crate::codes::YAML,
    })
}

fn repair_line(line: &str, opened: bool) -> (String, Option<Slip>) {
    if let Some(repaired) = repair_indent(line, opened) {
        return repaired;
    }
    if let Some(repaired) = repair_colon_in_value(line) {
        return repaired;
    }
    let indent = line.len() - line.trim_start().len();
    let body = line.trim_start();
    // `－ 项目` or `— 项目`: a list item marker typed in full width.
    for marker in ['－', '—'] {
        if let Some(rest) = body.strip_prefix(marker) {
            let fixed = format!("{}- {}", &line[..indent], rest.trim_start());
            let help = t!(
                "hint-fullwidth-colon-help",
                fixed = fixed.trim_end().to_string()
            );
            let message = t!("hint-fullwidth-punct", char = marker.to_string());
            return (fixed, slip(indent + 1, message, help));
        }
    }
    if let Some(at) = body.find('：')
        && !body[..at].contains(':')
        && is_key(body[..at].trim_start_matches("- "))
    {
        let key = body[..at].trim_end();
        let value = body[at + '：'.len_utf8()..].trim_start();
        let fixed = format!("{}{key}: {value}", &line[..indent]);
        let col = indent + body[..at].chars().count() + 1;
        let help = t!(
            "hint-fullwidth-colon-help",
            fixed = fixed.trim_end().to_string()
        );
        let message = t!("hint-fullwidth-colon", key = key.to_string());
        return (fixed, slip(col, message, help));
    }
    if let Some(open) = body.find('[')
        && let Some(comma) = body[open..].find('，')
    {
        let fixed = format!("{}{}", &line[..indent], body.replace('，', ", "));
        let col = indent + body[..open + comma].chars().count() + 1;
        let help = t!(
            "hint-fullwidth-colon-help",
            fixed = fixed.trim_end().to_string()
        );
        let message = t!("hint-fullwidth-punct", char = "，".to_string());
        return (fixed, slip(col, message, help));
    }
    (line.to_string(), None)
}

/// Indentation with a tab or a full-width space (U+3000, what a Chinese input method types):
/// YAML indents with spaces only, and its own message names neither.
fn repair_indent(line: &str, opened: bool) -> Option<(String, Option<Slip>)> {
    let body = line.trim_start_matches([' ', '\t', '\u{3000}']);
    let lead = &line[..line.len() - body.len()];
    let tab = lead.contains('\t');
    if !tab && !lead.contains('\u{3000}') {
        return None;
    }
    // Under `key:` the line is part of its block; after a plain value it was meant as a key
    // of its own (the indentation is the slip).
    let spaces: String = match opened || body.starts_with('-') {
        true => lead
            .chars()
            .map(|c| if c == ' ' { " " } else { "  " })
            .collect(),
        false => String::new(),
    };
    let fixed = format!("{spaces}{body}");
    let message = if tab {
        t!("hint-tab-indent")
    } else {
        t!("hint-fullwidth-space-indent")
    };
    let help = match spaces.is_empty() {
        true => t!(
            "hint-fullwidth-colon-help",
            fixed = fixed.trim_end().to_string()
        ),
        false => t!("hint-indent-help"),
    };
    Some((fixed, slip(1, message, help)))
}

/// First characters that make a YAML value something other than plain text (a quoted
/// string, a list or mapping, a block, an anchor, an alias or a comment).
const YAML_VALUE_STARTS: &str = "'\"[{|>&*#";

/// `title: 校长寄语: "做最好的自己"`: a `: ` inside an unquoted value makes YAML read a second
/// mapping. The whole value in single quotes reads as written (a `'` inside doubled).
fn repair_colon_in_value(line: &str) -> Option<(String, Option<Slip>)> {
    let indent = line.len() - line.trim_start().len();
    let body = line.trim_start().trim_end_matches(['\r', '\n']);
    let (key, value) = body.split_once(": ")?;
    let value = value.trim();
    let quoted = value.starts_with(|c: char| YAML_VALUE_STARTS.contains(c));
    if !is_key(key.trim_start_matches("- ")) || quoted || !value.contains(": ") {
        return None;
    }
    let fixed = format!("{}{key}: '{}'", &line[..indent], value.replace('\'', "''"));
    let col = line[..indent].chars().count() + key.chars().count() + 3;
    let message = t!("hint-colon-in-value", key = key.to_string());
    let help = t!("hint-fullwidth-colon-help", fixed = fixed.clone());
    let newline = if line.ends_with('\n') { "\n" } else { "" };
    Some((format!("{fixed}{newline}"), slip(col, message, help)))
}

/// A word that can be a front matter key.
fn is_key(text: &str) -> bool {
    let text = text.trim();
    !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

/// How a key's value must look, beyond "any scalar".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Any value serde accepts for the field.
    Any,
    /// `true` or `false`.
    Bool,
    /// A whole number.
    Integer,
}

/// Reads `yaml` as a mapping whose keys are `known` (with the kind of their values), reports
/// every unknown key and wrong value, and deserializes the rest. `Err` only when the YAML
/// cannot be read at all.
/// `spans` are the key positions of `yaml_text` (the caller keeps them for later errors).
pub fn read<T: DeserializeOwned>(
    yaml_text: &str,
    spans: &yaml::Spans,
    known: &[(&str, Kind)],
) -> Result<(T, Vec<Slip>), YamlError> {
    // When the YAML cannot be read, serde's typed reading names the field it was reading,
    // which says more to a webmaster than the parser's position.
    let value: yaml::Value = match yaml::parse(yaml_text) {
        Ok(v) => v,
        Err(e) => {
            let mut e = yaml::parse::<T>(yaml_text).err().unwrap_or(e);
            if let Some((message, help)) = bracketed(yaml_text, e.line) {
                (e.message, e.help) = (message, Some(help));
            }
            return Err(e);
        }
    };
    let yaml::Value::Mapping(mut map) = value else {
        return yaml::parse::<T>(yaml_text).map(|t| (t, Vec::new()));
    };
    let mut slips = Vec::new();
    let keys: Vec<yaml::Value> = map.keys().cloned().collect();
    for key in keys {
        let name = key.as_str().unwrap_or_default().to_string();
        let (line, col) = spans.key(&name).unwrap_or((1, 1));
        let line = line.max(1);
        let found = known
            .iter()
            .find(|(k, _)| *k == name)
            .map(|(_, kind)| *kind);
        // `summary:` with nothing after it means no summary, as if the line were not there.
        if found.is_some() && map[&key].is_null() {
            map.remove(&key);
            continue;
        }
        let problem = match found {
            None => Some(unknown(&name, known, line)),
            Some(kind) => wrong_kind(&name, &map[&key], kind, spans.value(&name)),
        };
        if let Some(s) = problem {
            map.remove(&key);
            let col = if s.code == crate::codes::UNKNOWN_KEY {
                col
            } else {
                s.col
            };
            slips.push(Slip {
                line: s.line.max(line),
                col,
                ..s
            });
        }
    }
    if let Ok(t) = yaml::from_value(yaml::Value::Mapping(map.clone())) {
        return Ok((t, slips));
    }
    typed_one_by_one::<T>(&mut map, yaml_text, spans, &mut slips);
    let t: T = yaml::from_value(yaml::Value::Mapping(map))?;
    Ok((t, slips))
}

/// Some values are of the wrong type: finds each on its own, reports it at its key and
/// removes it, so one run names every one of them and the others are read.
fn typed_one_by_one<T: DeserializeOwned>(
    map: &mut yaml::Mapping,
    yaml_text: &str,
    spans: &yaml::Spans,
    slips: &mut Vec<Slip>,
) {
    let keys: Vec<yaml::Value> = map.keys().cloned().collect();
    for key in keys {
        let mut alone = yaml::Mapping::new();
        alone.insert(key.clone(), map[&key].clone());
        let name = key.as_str().unwrap_or_default();
        if let Err(e) = yaml::from_value_of::<T>(yaml::Value::Mapping(alone), name) {
            let key_at = spans.key(name);
            let (line, col, code) = match (&e.unknown_key, key_at) {
                (Some(inner), Some((line, _))) => {
                    let (l, c) = nested_key(yaml_text, line, inner).unwrap_or((line, 1));
                    (l, c, crate::codes::UNKNOWN_KEY)
                }
                _ => {
                    let (l, c) = spans.value(name).or(key_at).unwrap_or((1, 1));
                    (l, c, crate::codes::INVALID_VALUE)
                }
            };
            map.remove(&key);
            let bracket = (code == crate::codes::INVALID_VALUE).then(|| bracketed(yaml_text, line));
            let (message, help) = bracket
                .flatten()
                .unwrap_or((e.message, e.help.unwrap_or_default()));
            slips.push(Slip {
                line,
                col,
                message,
                help,
                code,
            });
        }
    }
}

/// `title: [通知] 关于…` is a list to YAML (or unreadable): the message and help for a top-level
/// key on 1-based `line` whose value starts with a bracket, with the line quoted as the fix.
fn bracketed(text: &str, line: usize) -> Option<(Message, Message)> {
    let written = text.lines().nth(line.checked_sub(1)?)?;
    let (key, value) = written.split_once(':')?;
    let value = value.trim();
    let open = value.chars().next().filter(|c| matches!(c, '[' | '{'))?;
    if written.starts_with([' ', '-'])
        || value.ends_with(if open == '[' { ']' } else { '}' }) && value.contains(',')
    {
        return None;
    }
    let fixed = format!("{key}: \"{}\"", value.replace('"', "\\\""));
    let message = t!(
        "yaml-bracket",
        key = key.trim().to_string(),
        open = open.to_string()
    );
    Some((message, t!("yaml-bracket-help", fixed = fixed)))
}

/// 1-based line and column of `key:` in the indented block under the top-level key at
/// `parent_line` (a key of a nested map or of a list item).
fn nested_key(text: &str, parent_line: usize, key: &str) -> Option<(usize, usize)> {
    let block = text.lines().enumerate().skip(parent_line);
    for (i, line) in
        block.take_while(|(_, l)| l.trim().is_empty() || l.starts_with([' ', '\t', '-']))
    {
        let body = line.trim_start_matches([' ', '\t', '-']);
        if body
            .strip_prefix(key)
            .is_some_and(|rest| rest.trim_start().starts_with(':'))
        {
            return Some((i + 1, line[..line.len() - body.len()].chars().count() + 1));
        }
    }
    None
}

fn unknown(name: &str, known: &[(&str, Kind)], line: usize) -> Slip {
    let names = known.iter().map(|(k, _)| *k);
    let help = match did_you_mean(name, names.clone()) {
        Some(best) => t!("fm-did-you-mean", best = best.to_string()),
        None => t!(
            "fm-allowed-keys",
            keys = names.collect::<Vec<_>>().join(", ")
        ),
    };
    Slip {
        line,
        col: 1,
        message: t!("fm-unknown-key", key = name.to_string()),
        help,
        code: crate::codes::UNKNOWN_KEY,
    }
}

fn wrong_kind(
    name: &str,
    value: &yaml::Value,
    kind: Kind,
    at: Option<(usize, usize)>,
) -> Option<Slip> {
    let (line, col) = at.unwrap_or((1, 1));
    let written = yaml::text(value);
    let ok = match kind {
        Kind::Any => true,
        Kind::Bool => matches!(value, yaml::Value::Bool(_) | yaml::Value::Null),
        Kind::Integer => value.as_i64().is_some() || value.is_null(),
    };
    if ok {
        return None;
    }
    let (message, help) = match kind {
        Kind::Bool => (
            t!("hint-bool", value = written.clone()),
            t!(
                "hint-bool-help",
                fixed = format!("{name}: {}", likely_bool(&written))
            ),
        ),
        _ => (
            t!("fm-not-integer", key = name.to_string(), value = written),
            t!("fm-not-integer-help", key = name.to_string()),
        ),
    };
    Some(Slip {
        line,
        col,
        message,
        help,
        code: crate::codes::INVALID_VALUE,
    })
}

/// The boolean a mistyped value most likely means (`ture` → true, `否` → false).
fn likely_bool(written: &str) -> &'static str {
    let w = written.trim().to_lowercase();
    let falsy = [
        "false", "flase", "fasle", "fales", "no", "n", "off", "0", "否", "假", "不",
    ];
    if falsy.contains(&w.as_str()) || did_you_mean(&w, ["false"]).is_some() && !w.starts_with('t') {
        "false"
    } else {
        "true"
    }
}

impl Slip {
    /// The diagnostic in `path`, whose YAML starts at 1-based line `first_line`.
    pub fn at(self, path: &std::path::Path, first_line: usize) -> crate::diagnostics::Diagnostic {
        crate::diagnostics::Diagnostic::error(
            self.code,
            path,
            self.line + first_line - 1,
            self.col,
            self.message,
        )
        .with_help(self.help)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_width_colon_after_a_key_is_repaired_and_reported() {
        let (fixed, slips) = repair("title: 标题\nauthor：德育处\n");
        assert_eq!(fixed, "title: 标题\nauthor: 德育处\n");
        assert_eq!((slips[0].line, slips[0].col), (2, 7));
        assert!(
            slips[0].help.en().contains("`author: 德育处`"),
            "{:?}",
            slips[0]
        );
    }

    #[test]
    fn full_width_list_marks_and_commas_are_repaired() {
        let (fixed, slips) = repair("tags:\n  － 德育\ntags2: [a，b]\n");
        assert_eq!(fixed, "tags:\n  - 德育\ntags2: [a, b]\n");
        assert_eq!(slips.len(), 2);
        assert_eq!((slips[1].line, slips[1].col), (3, 10));
    }

    #[test]
    fn colons_inside_values_are_left_alone() {
        let (fixed, slips) = repair("title: \"通知：放假\"\nsummary: 时间：上午\n");
        assert!(slips.is_empty());
        assert_eq!(fixed, "title: \"通知：放假\"\nsummary: 时间：上午\n");
    }

    #[test]
    fn mistyped_booleans_get_the_likely_value() {
        assert_eq!(likely_bool("ture"), "true");
        assert_eq!(likely_bool("flase"), "false");
        assert_eq!(likely_bool("否"), "false");
        assert_eq!(likely_bool("是"), "true");
    }
}
