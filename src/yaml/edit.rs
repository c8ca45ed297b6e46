//! Changing one key of a front matter the way a person would: the key's lines (with a block
//! list or map under it) are replaced, or a line is added before the end, and every other
//! line — other keys, comments, their order — stays as it was. Values come from the editor
//! as JSON and are written in YAML's flow form, each scalar quoted where YAML needs it, so
//! a title such as `关于: 通知` or `yes` stays text.

/// `front` (the text between the `---` lines) with top-level `key` set to `value`, or
/// removed when `value` is `None`. A dotted key (`repeat.weekly_until`) sets a map of one
/// key.
pub fn set_key(front: &str, key: &str, value: Option<&serde_json::Value>) -> String {
    let (top, value) = match key.split_once('.') {
        Some((top, inner)) => (top, value.map(|v| serde_json::json!({ inner: v.clone() }))),
        None => (key, value.cloned()),
    };
    let mut lines: Vec<String> = front.lines().map(str::to_string).collect();
    let at = lines.iter().position(|l| is_key_line(l, top));
    let written = value
        .filter(|v| !v.is_null())
        .map(|v| format!("{top}: {}", flow(&v)));
    match at {
        Some(i) => {
            let end = i
                + 1
                + lines[i + 1..]
                    .iter()
                    .take_while(|l| l.starts_with([' ', '\t', '-']) && !l.trim().is_empty())
                    .count();
            lines.splice(i..end, written);
        }
        None => lines.extend(written),
    }
    lines.join("\n")
}

fn is_key_line(line: &str, key: &str) -> bool {
    line.strip_prefix(key)
        .is_some_and(|rest| rest.starts_with(':'))
}

/// A JSON value in YAML's flow form on one line.
pub fn flow(value: &serde_json::Value) -> String {
    use serde_json::Value as J;
    match value {
        J::Null => "null".to_string(),
        J::Bool(b) => b.to_string(),
        J::Number(n) => n.to_string(),
        J::String(s) => one_line(s),
        J::Array(items) => {
            let inner: Vec<String> = items.iter().map(flow).collect();
            format!("[{}]", inner.join(", "))
        }
        J::Object(map) => {
            let inner: Vec<String> = map
                .iter()
                .map(|(k, v)| format!("{}: {}", one_line(k), flow(v)))
                .collect();
            format!("{{{}}}", inner.join(", "))
        }
    }
}

/// A string as a YAML scalar on one line: plain where YAML reads it back as the same text
/// (and it could not be read as a number, a boolean, a date or a flow marker), else in
/// double quotes with JSON's escapes (which YAML's double-quoted style shares).
fn one_line(s: &str) -> String {
    if is_date(s) {
        return s.to_string();
    }
    let plain = !s.is_empty()
        && s.trim() == s
        && !s.starts_with(|c: char| "-?:,[]{}#&*!|>'\"%@`".contains(c) || c.is_ascii_digit())
        && !s.contains(": ")
        && !s.contains(" #")
        && !s.contains([',', '[', ']', '{', '}', '\n', '\r', '\t'])
        && !s.chars().any(char::is_control)
        && !matches!(
            s.to_ascii_lowercase().as_str(),
            "true" | "false" | "yes" | "no" | "on" | "off" | "null" | "~" | "y" | "n"
        );
    if plain {
        s.to_string()
    } else {
        serde_json::to_string(s).unwrap_or_default()
    }
}

/// `2026-11-20`, `2026-11-20 09:30` or `2026-11-20 09:30:00`, written plain as people do.
fn is_date(s: &str) -> bool {
    let shape: String = s
        .chars()
        .map(|c| if c.is_ascii_digit() { '9' } else { c })
        .collect();
    matches!(
        shape.as_str(),
        "9999-99-99" | "9999-99-99 99:99" | "9999-99-99 99:99:99"
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn one_key_changes_and_the_rest_stays() {
        let front = "title: 旧\n# 注释\ntags:\n  - a\n  - b\ndate: 2026-11-20";
        assert_eq!(
            set_key(front, "title", Some(&json!("关于: 通知"))),
            "title: \"关于: 通知\"\n# 注释\ntags:\n  - a\n  - b\ndate: 2026-11-20"
        );
        assert_eq!(
            set_key(front, "tags", Some(&json!(["读书节", "yes", "1"]))),
            "title: 旧\n# 注释\ntags: [读书节, \"yes\", \"1\"]\ndate: 2026-11-20"
        );
        assert_eq!(
            set_key(front, "tags", None),
            "title: 旧\n# 注释\ndate: 2026-11-20"
        );
        assert_eq!(
            set_key(front, "repeat.weekly_until", Some(&json!("2026-12-31"))),
            format!("{front}\nrepeat: {{weekly_until: 2026-12-31}}")
        );
        assert_eq!(
            set_key("title: a", "aliases", Some(&json!(["/news/旧/"]))),
            "title: a\naliases: [/news/旧/]"
        );
    }

    #[test]
    fn every_value_reads_back_as_written() {
        for text in [
            "关于: 通知",
            "yes",
            "#1",
            "a, b",
            "- x",
            "2026",
            "'q'",
            "a\nb",
            "通知",
            "2026-11-20 09:30",
        ] {
            let front = set_key("", "title", Some(&json!(text)));
            let back: std::collections::BTreeMap<String, String> =
                crate::yaml::parse(&front).unwrap();
            assert_eq!(back["title"], text, "{front}");
        }
    }
}
