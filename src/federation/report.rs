//! A bureau's yearly report in the form of the 政府网站年度工作报表: what the cluster knows
//! (the site's identity, information published per column, 专题) filled in, and what it
//! cannot know (visits, interaction, security …) read from `report-<year>.yaml` in the
//! bureau's content repository, or left for the bureau to fill in.

use std::collections::BTreeMap;

use chrono::Datelike;
use serde::Serialize;

use crate::config::{Cluster, SiteKey};
use crate::content::Library;

/// One row of the report.
#[derive(Debug, Clone, Serialize)]
pub struct Row {
    /// The item (指标).
    pub label: String,
    /// Its value; `None` when the bureau still has to fill it in.
    pub value: Option<String>,
    /// Nested under the previous top-level row.
    pub sub: bool,
}

/// The report of `site` for `year`; `data` holds what the bureau wrote in its data file.
pub fn rows(
    cluster: &Cluster,
    library: &Library,
    site: SiteKey,
    year: i32,
    data: &BTreeMap<String, String>,
) -> Vec<Row> {
    let s = &cluster.sites[site];
    let known = |label: &str, value: Option<String>| Row {
        label: label.to_string(),
        value,
        sub: false,
    };
    let mut rows = vec![
        known("网站名称", Some(s.name.clone())),
        known("首页网址", Some(s.base_url.clone())),
        known("主办单位", s.footer.sponsor.clone()),
        known("网站类型", Some(s.kind.label().to_string())),
        known("政府网站标识码", s.footer.site_code.clone()),
        known("ICP备案号", s.footer.icp.clone()),
        known("公安机关备案号", s.footer.psb.clone()),
    ];
    let content = &library.sites[site];
    let mut columns: Vec<Row> = Vec::new();
    let mut total = 0;
    for &k in &content.sections {
        let section = &library.sections[k];
        if section.is_plain_pages() {
            continue;
        }
        let count = section
            .pages
            .iter()
            .filter(|&&p| library.pages[p].date.is_some_and(|d| d.year() == year))
            .count();
        total += count;
        columns.push(Row {
            label: format!("{}更新量", section.title),
            value: Some(count.to_string()),
            sub: true,
        });
    }
    rows.push(known("信息发布总数", Some(total.to_string())));
    rows.extend(columns);
    let topics = content
        .topics
        .iter()
        .filter(|t| {
            t.from.is_none_or(|f| f.year() <= year) && t.to.is_none_or(|t| t.year() >= year)
        })
        .count();
    rows.push(known("专栏专题维护数量", Some(topics.to_string())));
    for label in crate::content::report_data::ITEMS {
        rows.push(known(label, data.get(*label).cloned()));
    }
    rows
}
