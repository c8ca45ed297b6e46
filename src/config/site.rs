//! `sites/<id>.yaml`: one site of the cluster as written, before the tree is validated and
//! settings are inherited from the parent.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::diagnostics::Diagnostic;
use crate::i18n::Message;
use crate::yaml;
use crate::yaml::lenient::Kind;

/// What kind of site this is; decides where it may sit in the tree.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SiteKind {
    /// 市教育局: the root of a city cluster. (A webmaster may write it in Chinese.)
    #[serde(alias = "市", alias = "市教育局", alias = "市局")]
    City,
    /// 区县教育局.
    #[serde(
        alias = "县",
        alias = "区",
        alias = "区县",
        alias = "县区",
        alias = "区县教育局"
    )]
    County,
    /// 学校.
    #[serde(alias = "学校", alias = "校")]
    School,
    /// 名师工作室, hosted by a school or a bureau.
    #[serde(alias = "工作室", alias = "名师工作室")]
    Studio,
}

impl SiteKind {
    /// Rank in the tree: a parent always ranks higher than its children.
    pub fn rank(self) -> u8 {
        match self {
            SiteKind::City => 3,
            SiteKind::County => 2,
            SiteKind::School => 1,
            SiteKind::Studio => 0,
        }
    }

    /// The kind whose [`SiteKind::as_str`] is `name`.
    pub fn named(name: &str) -> Option<SiteKind> {
        [
            SiteKind::City,
            SiteKind::County,
            SiteKind::School,
            SiteKind::Studio,
        ]
        .into_iter()
        .find(|k| k.as_str() == name)
    }

    /// The lowercase name used in configs and templates.
    pub fn as_str(self) -> &'static str {
        match self {
            SiteKind::City => "city",
            SiteKind::County => "county",
            SiteKind::School => "school",
            SiteKind::Studio => "studio",
        }
    }

    /// The Chinese name webmasters use.
    pub fn label(self) -> &'static str {
        match self {
            SiteKind::City => "市教育局",
            SiteKind::County => "区县教育局",
            SiteKind::School => "学校",
            SiteKind::Studio => "名师工作室",
        }
    }

    /// True for city and county education bureaus.
    pub fn is_bureau(self) -> bool {
        matches!(self, SiteKind::City | SiteKind::County)
    }
}

/// A menu entry: a link to a section of the site or to any URL.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MenuItem {
    /// Text shown in the menu.
    pub name: String,
    /// Any URL; a path starting with `/` is relative to the site.
    #[serde(default)]
    pub url: Option<String>,
    /// A section of the site the menu is shown on (resolved per site, so inherited menus work).
    #[serde(default)]
    pub section: Option<String>,
}

impl MenuItem {
    /// The link of this item on the site at `base_url`: a section's listing, a site-relative
    /// path made absolute, or an address kept as written.
    pub fn href(&self, base_url: &str) -> String {
        match (&self.section, &self.url) {
            (Some(s), _) => crate::urls::absolute(base_url, &format!("{s}/")),
            (None, Some(u)) if u.starts_with('/') => crate::urls::absolute_written(base_url, u),
            (None, Some(u)) => u.clone(),
            (None, None) => base_url.to_string(),
        }
    }
}

/// The footer of the government website norms; each key is inherited on its own.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Footer {
    /// 主办单位.
    pub sponsor: Option<String>,
    /// 承办单位.
    pub operator: Option<String>,
    /// 地址.
    pub address: Option<String>,
    /// 电话.
    pub phone: Option<String>,
    /// ICP备案号.
    pub icp: Option<String>,
    /// 公网安备号.
    pub psb: Option<String>,
    /// 网站标识码 (bureau sites only).
    pub site_code: Option<String>,
}

impl Footer {
    /// Fills every key this footer lacks from `parent`.
    pub fn inherit(&mut self, parent: &Footer) {
        let pick = |own: &mut Option<String>, theirs: &Option<String>| {
            if own.is_none() {
                own.clone_from(theirs);
            }
        };
        pick(&mut self.sponsor, &parent.sponsor);
        pick(&mut self.operator, &parent.operator);
        pick(&mut self.address, &parent.address);
        pick(&mut self.phone, &parent.phone);
        pick(&mut self.icp, &parent.icp);
        pick(&mut self.psb, &parent.psb);
    }
}

/// `syndication:` as written.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SyndicationFile {
    /// Sections taken from descendants.
    pub accept: Option<Vec<String>>,
    /// Levels down; unlimited when absent.
    pub depth: Option<u32>,
    /// Only items the bureau adopted (`adopted.yaml`) are listed.
    pub review: Option<bool>,
}

/// A site file as written.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SiteFile {
    /// 网站名称.
    pub name: Option<String>,
    /// city | county | school | studio.
    pub kind: Option<SiteKind>,
    /// Parent site id.
    pub parent: Option<String>,
    /// Where the site is deployed.
    pub base_url: Option<String>,
    /// The content repository: a folder relative to the cluster root, or a git source.
    pub content: Option<super::source::ContentSource>,
    /// Theme name.
    pub theme: Option<String>,
    /// Navigation menu.
    pub menu: Option<Vec<MenuItem>>,
    /// Footer keys.
    pub footer: Option<Footer>,
    /// 索引号前段码.
    pub org_code: Option<String>,
    /// What the site takes from its descendants.
    pub syndication: Option<SyndicationFile>,
    /// Free-form values for templates.
    pub params: Option<BTreeMap<String, yaml::Value>>,
    /// Web editor URL pattern with `{ref}` and `{path}` (编辑此页).
    pub edit_url: Option<String>,
}

/// Every key of [`SiteFile`] (a test keeps the two equal).
pub const KEYS: &[(&str, Kind)] = &[
    ("name", Kind::Any),
    ("kind", Kind::Any),
    ("parent", Kind::Any),
    ("base_url", Kind::Any),
    ("content", Kind::Any),
    ("theme", Kind::Any),
    ("menu", Kind::Any),
    ("footer", Kind::Any),
    ("org_code", Kind::Any),
    ("syndication", Kind::Any),
    ("params", Kind::Any),
    ("edit_url", Kind::Any),
];

/// Parses a site file and checks what can be checked without the rest of the cluster: every
/// unknown key and every wrong value in one run.
pub fn parse(text: &str, spans: &yaml::Spans, path: &Path) -> Result<SiteFile, Vec<Diagnostic>> {
    match read(text, spans, path) {
        (Some(file), errors) if errors.is_empty() => Ok(file),
        (_, errors) => Err(errors),
    }
}

/// Reads a site file as far as it can be read: the file (every key that could be read;
/// `None` only when the YAML cannot be read at all) and every mistake found in it, so that
/// one mistake never hides another nor stops the site's content from being read.
pub fn read(text: &str, spans: &yaml::Spans, path: &Path) -> (Option<SiteFile>, Vec<Diagnostic>) {
    let (file, slips): (SiteFile, _) = match yaml::lenient::read(text, spans, KEYS) {
        Ok(read) => read,
        Err(e) => return (None, vec![e.at(path, 1)]),
    };
    let mut errors: Vec<Diagnostic> = slips.into_iter().map(|s| s.at(path, 1)).collect();
    // A key that was written but rejected, or misspelt (`knid:`), is not also missing.
    let rejected = |key: &str| {
        let line = spans.key(key).map(|(l, _)| l);
        errors.iter().any(|e| {
            let suggests = e
                .help
                .as_ref()
                .is_some_and(|h| h.id() == Some("fm-did-you-mean") && h.arg("best") == Some(key));
            Some(e.line) == line || suggests
        })
    };
    let (bad_name, bad_kind) = (rejected("name"), rejected("kind"));
    errors.extend(required_keys(&file, path).into_iter().filter(|e| {
        let about_kind = e.message.id() == Some("site-kind-missing");
        !(if about_kind { bad_kind } else { bad_name })
    }));
    let invalid = |key_at: (usize, usize), message: Message, help: Message| {
        let (l, c) = key_at;
        Diagnostic::error(crate::codes::INVALID_VALUE, path, l, c, message).with_help(help)
    };
    if let Some(url) = &file.edit_url
        && !(url.starts_with("https://") || url.starts_with("http://"))
    {
        let at = spans.value("edit_url").unwrap_or((1, 1));
        let message = crate::t!("edit-url-scheme", url = url.as_str());
        errors.push(invalid(at, message, crate::t!("edit-url-help")));
    }
    for (i, item) in file.menu.iter().flatten().enumerate() {
        let at = spans.item("menu", i).unwrap_or((1, 1));
        let (n, name) = (i + 1, item.name.clone());
        if item.url.is_some() == item.section.is_some() {
            let message = crate::t!("menu-one-target", n = n, name = name.clone());
            errors.push(invalid(at, message, crate::t!("menu-one-target-help")));
        }
        if let Some(scheme) = item.url.as_deref().and_then(crate::urls::unsafe_scheme) {
            let message = crate::t!("menu-scheme", n = n, name = name, scheme = scheme);
            errors.push(invalid(at, message, crate::t!("menu-scheme-help")));
        }
    }
    let site_code = file.footer.as_ref().and_then(|f| f.site_code.clone());
    if let (Some(code), Some(kind)) = (site_code, file.kind)
        && !kind.is_bureau()
    {
        let at = spans.key("footer").unwrap_or((1, 1));
        let message = crate::t!("site-code-bureau", code = code);
        errors.push(invalid(at, message, crate::t!("site-code-bureau-help")));
    }
    (Some(file), errors)
}

/// A site file that could not be placed, with the name, kind and parent the previous build
/// gave it (whatever else could be read is kept).
pub fn placed_as(file: Option<SiteFile>, place: &super::PreviousPlace) -> SiteFile {
    let file = file.unwrap_or_default();
    SiteFile {
        name: file.name.or_else(|| Some(place.name.clone())),
        kind: file.kind.or_else(|| SiteKind::named(&place.kind)),
        parent: place.parent.clone(),
        ..file
    }
}

/// `name` and `kind`, which every site file needs.
fn required_keys(file: &SiteFile, path: &Path) -> Vec<Diagnostic> {
    let mut errors = Vec::new();
    let missing = |message: Message, help: Message| {
        Diagnostic::file_error(crate::codes::MISSING_KEY, path, message).with_help(help)
    };
    if file.name.as_deref().is_none_or(|n| n.trim().is_empty()) {
        let help = crate::t!("site-name-missing-help");
        errors.push(missing(crate::t!("site-name-missing"), help));
    }
    if file.kind.is_none() {
        let help = crate::t!("site-kind-missing-help");
        errors.push(missing(crate::t!("site-kind-missing"), help));
    }
    errors
}

/// True for valid site ids: `[a-z0-9-]+`.
pub fn is_valid_id(id: &str) -> bool {
    !id.is_empty()
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str, path: &Path) -> Result<SiteFile, Vec<Diagnostic>> {
        super::parse(text, &yaml::Spans::parse(text), path)
    }

    #[test]
    fn parses_a_school() {
        let f = parse(
            "name: 实验小学\nkind: school\nparent: jiangbei\nfooter:\n  icp: 鄂ICP备1号\n",
            Path::new("s.yaml"),
        )
        .unwrap();
        assert_eq!(f.kind, Some(SiteKind::School));
        assert_eq!(f.footer.unwrap().icp.as_deref(), Some("鄂ICP备1号"));
    }

    #[test]
    fn reports_missing_name_and_kind_together() {
        let errs = parse("parent: x\n", Path::new("s.yaml")).unwrap_err();
        assert_eq!(errs.len(), 2);
    }

    #[test]
    fn rejects_a_bad_kind_at_its_line() {
        let errs = parse("name: a\nkind: university\n", Path::new("s.yaml")).unwrap_err();
        assert_eq!(errs[0].line, 2);
        assert!(
            errs[0].message.en().contains("university"),
            "{}",
            errs[0].message
        );
    }

    #[test]
    fn footer_keys_inherit_one_by_one() {
        let mut child = Footer {
            icp: Some("child".into()),
            ..Default::default()
        };
        let parent = Footer {
            icp: Some("p".into()),
            sponsor: Some("局".into()),
            site_code: Some("1".into()),
            ..Default::default()
        };
        child.inherit(&parent);
        assert_eq!(child.icp.as_deref(), Some("child"));
        assert_eq!(child.sponsor.as_deref(), Some("局"));
        assert_eq!(child.site_code, None, "site codes belong to one bureau");
    }

    #[test]
    fn ids() {
        assert!(is_valid_id("jiangbei-1"));
        assert!(!is_valid_id("Jiangbei"));
        assert!(!is_valid_id("a_b"));
    }

    #[test]
    fn every_key_is_listed_and_read_with_all_its_mistakes() {
        let all: String = KEYS.iter().map(|(k, _)| format!("{k}: ~\n")).collect();
        let errs = parse(&all, Path::new("s.yaml")).unwrap_err();
        assert!(
            errs.iter().all(|e| e.code == crate::codes::MISSING_KEY),
            "{errs:?}"
        );
        let text = "name: 甲\nkind: school\nnmae: x\nparnet: y\nmenu: 3\n";
        let errs = parse(text, Path::new("s.yaml")).unwrap_err();
        let lines: Vec<usize> = errs.iter().map(|e| e.line).collect();
        assert_eq!(lines, [3, 4, 5], "{errs:?}");
    }
}
