//! 应用数据: for a city or county bureau, per site below it and per month, how many news
//! items were published, how many were offered up (报送), and how many resources were
//! contributed. The figures only: the render stage draws them (`render::charts`).

use std::collections::BTreeMap;

use serde::Serialize;

use crate::config::{Cluster, SiteKey};
use crate::content::{Library, SectionKind, Syndicate};

/// One row of a statistics table.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    /// Site name or month (`2024-05`).
    pub label: String,
    /// 新闻发布数.
    pub news: usize,
    /// 报送数.
    pub syndicated: usize,
    /// 资源贡献数.
    pub resources: usize,
}

/// The statistics of one bureau's subtree.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Stats {
    /// Per site (the bureau first, then every site below it in tree order).
    pub by_site: Vec<Counts>,
    /// Per month, oldest first.
    pub by_month: Vec<Counts>,
    /// Column totals.
    pub total: Counts,
}

/// Counts for `site` and every site below it.
pub fn compute(cluster: &Cluster, library: &Library, site: SiteKey) -> Stats {
    let mut sites = super::syndication::descendants(cluster, site);
    sites.push(site);
    sites.sort_unstable();
    let mut stats = Stats::default();
    let mut months: BTreeMap<String, Counts> = BTreeMap::new();
    for s in sites {
        let mut row = Counts {
            label: cluster.sites[s].name.clone(),
            ..Default::default()
        };
        for &k in &library.sites[s].pages {
            let p = &library.pages[k];
            let month = p
                .date
                .map(|d| d.format("%Y-%m").to_string())
                .unwrap_or_else(|| "—".to_string());
            let m = months.entry(month.clone()).or_insert_with(|| Counts {
                label: month,
                ..Default::default()
            });
            match p.kind {
                SectionKind::News => {
                    row.news += 1;
                    m.news += 1;
                    if p.syndicate == Some(Syndicate::Up) {
                        row.syndicated += 1;
                        m.syndicated += 1;
                    }
                }
                SectionKind::Resources => {
                    row.resources += 1;
                    m.resources += 1;
                }
                _ => {}
            }
        }
        stats.by_site.push(row);
    }
    stats.by_month = months
        .into_values()
        .filter(|c| c.news + c.resources > 0)
        .collect();
    for r in &stats.by_site {
        stats.total.news += r.news;
        stats.total.syndicated += r.syndicated;
        stats.total.resources += r.resources;
    }
    stats.total.label = "合计".to_string();
    stats
}
