//! `report-<year>.yaml` at the root of a bureau's content repository: the items of the
//! yearly 政府网站年度工作报表 that only the bureau knows (visits, interaction, security …).
//! Never published; read here, shown by `federation::report`. A key that is not one of the
//! items (a typo of `网站总访问量`) is an error at its line, with the closest item.

use std::collections::BTreeMap;
use std::path::Path;

use crate::diagnostics::{Diagnostic, did_you_mean};
use crate::yaml;

/// The items a bureau writes, in the order of the norms' table.
pub const ITEMS: &[&str] = &[
    "独立用户访问总量",
    "网站总访问量",
    "解读回应",
    "办事服务",
    "互动交流",
    "安全防护",
    "移动新媒体",
    "创新发展",
];

/// The report's data file for `year`, at the root of the content repository.
pub fn file_name(year: i32) -> String {
    format!("report-{year}.yaml")
}

/// The year of a data file's name (`report-2026.yaml`), for files at the repository root.
pub fn year_of(rel: &str) -> Option<i32> {
    let year = rel.strip_prefix("report-")?.strip_suffix(".yaml")?;
    (year.len() == 4 && year.chars().all(|c| c.is_ascii_digit()))
        .then(|| year.parse().ok())
        .flatten()
}

/// The items written in `text` (the file at `path`), and a problem for each unknown key.
pub fn read(path: &Path, text: &str) -> (BTreeMap<String, String>, Vec<Diagnostic>) {
    let map = match yaml::parse::<Option<BTreeMap<String, yaml::Value>>>(text) {
        Ok(map) => map.unwrap_or_default(),
        Err(e) => return (BTreeMap::new(), vec![e.at(path, 1)]),
    };
    let spans = yaml::Spans::parse(text);
    let mut problems = Vec::new();
    let mut values = BTreeMap::new();
    for (key, value) in map {
        if ITEMS.contains(&key.as_str()) {
            values.insert(key, yaml::text(&value));
            continue;
        }
        let (line, col) = spans.key(&key).unwrap_or((1, 1));
        let help = match did_you_mean(&key, ITEMS.iter().copied()) {
            Some(best) => crate::t!("fm-did-you-mean", best = best),
            None => crate::t!("fm-allowed-keys", keys = ITEMS.join("、")),
        };
        problems.push(
            Diagnostic::error(
                crate::codes::UNKNOWN_KEY,
                path,
                line,
                col,
                crate::t!("fm-unknown-key", key = key),
            )
            .with_help(help),
        );
    }
    (values, problems)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_files_are_recognised() {
        assert_eq!(year_of("report-2026.yaml"), Some(2026));
        assert_eq!(year_of("report-26.yaml"), None);
        assert_eq!(year_of("news/report-2026.yaml"), None);
        assert_eq!(file_name(2026), "report-2026.yaml");
    }

    #[test]
    fn a_mistyped_item_is_reported_at_its_line_with_the_closest_item() {
        let text = "网站总访问量: 120万\n网站总访问数: 3\n安全防护: 无事故\n";
        let (values, problems) = read(Path::new("report-2026.yaml"), text);
        assert_eq!(values.len(), 2);
        assert_eq!(problems.len(), 1);
        assert_eq!((problems[0].line, problems[0].col), (2, 1));
        assert_eq!(problems[0].code, crate::codes::UNKNOWN_KEY);
        let help = problems[0].help.as_ref().unwrap().en();
        assert!(help.contains("网站总访问量"), "{help}");
    }
}
