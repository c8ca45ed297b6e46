//! `cluster.yaml`: cluster-wide settings. The file is optional and every key has a default.

use std::path::Path;

use chrono::{FixedOffset, NaiveDate};
use serde::Deserialize;

use super::vocab::Vocabularies;
use crate::diagnostics::Diagnostic;
use crate::yaml;

/// The cluster's settings as written in `cluster.yaml`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ClusterFile {
    name: Option<String>,
    base_url: Option<String>,
    output: Option<String>,
    theme: Option<String>,
    language: Option<String>,
    timezone: Option<String>,
    vocabularies: Option<Vocabularies>,
    mourning: Option<Vec<Mourning>>,
    server: Option<ServerSettings>,
}

/// `server:` of `cluster.yaml`: how `zhanqun server` faces its users (SPEC §16).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServerSettings {
    /// The address users type (`https://bianji.edu.example/`): the same-origin check and
    /// the cookies use it.
    pub public_url: Option<String>,
    /// Where the sites' previews are served: an origin of their own (default: the public
    /// address's host on the next port).
    pub preview_url: Option<String>,
    /// Addresses whose `X-Forwarded-For` and user header are believed.
    #[serde(default)]
    pub trusted_proxies: Vec<String>,
    /// A header naming the logged-in user, set by a trusted proxy (off unless set).
    pub remote_user_header: Option<String>,
    /// Minutes without a request after which a session ends (default 30).
    pub idle_minutes: Option<u64>,
    /// Hours after login after which a session ends whatever happens (default 12).
    pub session_hours: Option<u64>,
    /// Failed logins in a row that lock an account (default 5).
    pub lockout_failures: Option<u32>,
    /// Minutes an account stays locked (default 30).
    pub lockout_minutes: Option<u64>,
    /// The shortest password (default 8).
    pub password_min_length: Option<usize>,
}

/// A 哀悼日 period: every site is grey from `from` to `to`, both included.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Mourning {
    /// First grey day.
    pub from: NaiveDate,
    /// Last grey day.
    pub to: NaiveDate,
}

impl Mourning {
    /// True when `day` is one of the period's days.
    pub fn covers(&self, day: NaiveDate) -> bool {
        self.from <= day && day <= self.to
    }
}

/// Cluster-wide settings with every default filled in.
#[derive(Debug, Clone)]
pub struct ClusterSettings {
    /// Display name of the cluster; defaults to the root site's name.
    pub name: Option<String>,
    /// Base URL for sites without their own, always ending in `/`.
    pub base_url: String,
    /// Output folder, relative to the cluster root unless absolute.
    pub output: String,
    /// Default theme.
    pub theme: String,
    /// `lang` of every page.
    pub language: String,
    /// Offset applied to dates written without one.
    pub timezone: FixedOffset,
    /// Allowed values of resource facets.
    pub vocabularies: Vocabularies,
    /// 哀悼日 periods.
    pub mourning: Vec<Mourning>,
    /// `zhanqun server`'s settings.
    pub server: ServerSettings,
    /// Set by `--base-url`: every site is then served from `<base_url><id>/`, even those
    /// with a `base_url` of their own, so a local preview never links to the live sites.
    pub base_url_forced: bool,
    /// Where each key of `cluster.yaml` is written, for errors found later.
    pub spans: yaml::Spans,
    /// The moment of the run in the cluster's timezone, read once (see [`clock`]), so that
    /// one build never sees two "todays".
    pub now: chrono::DateTime<FixedOffset>,
}

/// The moment of a run: `SOURCE_DATE_EPOCH` when set (for reproducible builds and tests),
/// else the clock.
pub fn clock(tz: &FixedOffset) -> chrono::DateTime<FixedOffset> {
    let now = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.parse::<i64>().ok())
        .and_then(|s| chrono::DateTime::from_timestamp(s, 0))
        .unwrap_or_else(chrono::Utc::now);
    now.with_timezone(tz)
}

impl Default for ClusterSettings {
    fn default() -> Self {
        ClusterSettings {
            name: None,
            base_url: "http://localhost:1313/".to_string(),
            output: "public".to_string(),
            theme: "default".to_string(),
            language: "zh-CN".to_string(),
            timezone: FixedOffset::east_opt(8 * 3600).expect("valid offset"),
            vocabularies: Vocabularies::default(),
            mourning: Vec::new(),
            server: ServerSettings::default(),
            base_url_forced: false,
            spans: yaml::Spans::default(),
            now: chrono::DateTime::UNIX_EPOCH.fixed_offset(),
        }
    }
}

/// Parses the text of `cluster.yaml`; `path` is only used to name the file in errors.
pub fn parse(text: &str, path: &Path) -> Result<ClusterSettings, Vec<Diagnostic>> {
    let file: ClusterFile = yaml::parse(text).map_err(|e| vec![e.at(path, 1)])?;
    let mut errors = Vec::new();
    let spans = yaml::Spans::parse(text);
    let at = |key: &str| spans.value(key).unwrap_or((1, 1));
    let mut settings = ClusterSettings::default();
    if let Some(url) = file.base_url {
        match normalize_base_url(&url) {
            Ok(url) => settings.base_url = url,
            Err(msg) => {
                let (l, c) = at("base_url");
                errors.push(
                    Diagnostic::error(crate::codes::INVALID_VALUE, path, l, c, msg)
                        .with_help(crate::t!("base-url-help")),
                );
            }
        }
    }
    if let Some(tz) = file.timezone {
        match parse_offset(&tz) {
            Some(offset) => settings.timezone = offset,
            None => {
                let (l, c) = at("timezone");
                errors.push(
                    Diagnostic::error(
                        crate::codes::INVALID_VALUE,
                        path,
                        l,
                        c,
                        crate::t!("timezone-invalid", tz = tz.as_str()),
                    )
                    .with_help(crate::t!("timezone-help")),
                );
            }
        }
    }
    settings.name = file.name;
    settings.server = file.server.unwrap_or_default();
    if let Some(v) = file.output {
        settings.output = v;
    }
    if let Some(v) = file.theme {
        settings.theme = v;
    }
    if let Some(v) = file.language {
        settings.language = v;
    }
    if let Some(v) = file.vocabularies {
        settings.vocabularies = v;
    }
    for (i, m) in file.mourning.unwrap_or_default().into_iter().enumerate() {
        if m.to < m.from {
            let (l, c) = spans.item("mourning", i).unwrap_or((1, 1));
            let (from, to) = (m.from.to_string(), m.to.to_string());
            errors.push(
                Diagnostic::error(
                    crate::codes::INVALID_VALUE,
                    path,
                    l,
                    c,
                    crate::t!("mourning-order", from = from, to = to),
                )
                .with_help(crate::t!("mourning-order-help")),
            );
        }
        settings.mourning.push(m);
    }
    settings.spans = spans;
    settings.now = clock(&settings.timezone);
    if errors.is_empty() {
        Ok(settings)
    } else {
        Err(errors)
    }
}

/// Checks that `url` is an absolute http(s) URL and makes it end in `/`.
pub fn normalize_base_url(url: &str) -> Result<String, crate::i18n::Message> {
    let url = url.trim();
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .ok_or_else(|| crate::t!("base-url-not-absolute", url = url))?;
    if rest.is_empty() || rest.starts_with('/') || rest.contains(char::is_whitespace) {
        return Err(crate::t!("base-url-no-host", url = url));
    }
    Ok(if url.ends_with('/') {
        url.to_string()
    } else {
        format!("{url}/")
    })
}

/// Parses `+08:00`, `-05:30`, `+0800` or `Z`.
pub fn parse_offset(text: &str) -> Option<FixedOffset> {
    let text = text.trim();
    if text == "Z" || text == "UTC" {
        return FixedOffset::east_opt(0);
    }
    let (sign, rest) = match text.as_bytes().first()? {
        b'+' => (1, &text[1..]),
        b'-' => (-1, &text[1..]),
        _ => return None,
    };
    let digits: String = rest.chars().filter(|c| *c != ':').collect();
    if digits.len() != 4 || !digits.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let hours: i32 = digits[..2].parse().ok()?;
    let minutes: i32 = digits[2..].parse().ok()?;
    if hours > 14 || minutes > 59 {
        return None;
    }
    FixedOffset::east_opt(sign * (hours * 3600 + minutes * 60))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_when_empty() {
        let s = parse("", Path::new("cluster.yaml")).unwrap();
        assert_eq!(s.output, "public");
        assert_eq!(s.theme, "default");
        assert_eq!(s.timezone.local_minus_utc(), 8 * 3600);
    }

    #[test]
    fn base_url_gets_a_slash() {
        let s = parse(
            "base_url: https://edu.example.cn",
            Path::new("cluster.yaml"),
        )
        .unwrap();
        assert_eq!(s.base_url, "https://edu.example.cn/");
    }

    #[test]
    fn bad_values_are_all_reported() {
        let errs = parse(
            "base_url: edu.cn\ntimezone: Beijing\n",
            Path::new("cluster.yaml"),
        )
        .unwrap_err();
        assert_eq!(errs.len(), 2);
        assert_eq!((errs[0].line, errs[0].col), (1, 11));
        assert_eq!(errs[1].line, 2);
    }

    #[test]
    fn offsets() {
        assert_eq!(
            parse_offset("-05:30").unwrap().local_minus_utc(),
            -(5 * 3600 + 30 * 60)
        );
        assert_eq!(parse_offset("+0800").unwrap().local_minus_utc(), 8 * 3600);
        assert!(parse_offset("8").is_none());
    }
}
