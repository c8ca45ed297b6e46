//! 应用数据: for a city or county bureau, year by year, each unit below it — published
//! news, offered (报送), adopted (采用) by this bureau, the adoption rate, resources
//! contributed — ranked, and the months of the year. The figures only: the render stage
//! draws them (`render::charts`) and `outputs` writes them as CSV and JSON.

use std::collections::{BTreeMap, BTreeSet, HashSet};

use chrono::Datelike;
use serde::Serialize;

use super::Federation;
use crate::config::{Cluster, SiteKey};
use crate::content::{Library, PageKey, SectionKind, Syndicate};

/// One row of a chart: a unit or a month.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    /// Unit name or month (`2024-05`).
    pub label: String,
    /// 新闻发布数.
    pub news: usize,
    /// 报送数.
    pub syndicated: usize,
    /// 资源贡献数.
    pub resources: usize,
}

/// The figures of one unit (a site and, for a direct unit, everything below it).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Unit {
    /// Site id.
    pub id: String,
    /// 单位名称.
    pub name: String,
    /// 单位类型 (学校, 区县教育局 …).
    pub kind: &'static str,
    /// The parent's id.
    pub parent: String,
    /// Its own `/stats/<year>/` when it is a bureau (a county row links to its figures).
    pub stats_url: Option<String>,
    /// 发布: news published.
    pub published: usize,
    /// 报送: news offered up.
    pub offered: usize,
    /// 采用: offered news this bureau lists (adopted, where it reviews offers).
    pub adopted: usize,
    /// 采用率 in percent with one decimal, `—` when nothing was offered.
    pub rate: String,
    /// 资源: resources contributed.
    pub resources: usize,
    /// 三个课堂 lessons given (each occurrence counts).
    pub given: usize,
    /// 三个课堂 lessons received.
    pub received: usize,
    /// 排名 among the rows shown (by adopted, then offered, then published).
    pub rank: usize,
}

/// A bureau's figures for one year.
#[derive(Debug, Clone, Default, Serialize)]
pub struct YearStats {
    /// The year.
    pub year: i32,
    /// The bureau itself, then its direct units (each summing its subtree), ranked.
    pub units: Vec<Unit>,
    /// Every site below the bureau on its own, in tree order (the CSV and JSON rows).
    pub all: Vec<Unit>,
    /// The months of the year with any figure.
    pub by_month: Vec<Counts>,
    /// Column totals.
    pub total: Unit,
}

/// The years a bureau has figures for, newest first, always including `current`.
pub fn years(cluster: &Cluster, library: &Library, site: SiteKey, current: i32) -> Vec<i32> {
    let mut years: BTreeSet<i32> = BTreeSet::from([current]);
    for s in subtree(cluster, site) {
        years.extend(
            library.sites[s]
                .pages
                .iter()
                .filter_map(|&k| library.pages[k].date.map(|d| d.year())),
        );
    }
    years.into_iter().rev().collect()
}

/// `site` and every site below it, in tree order.
fn subtree(cluster: &Cluster, site: SiteKey) -> Vec<SiteKey> {
    let mut out = super::syndication::descendants(cluster, site);
    out.push(site);
    out.sort_unstable();
    out
}

/// What a bureau counts as adopted: the offers it lists.
struct Counter<'a> {
    cluster: &'a Cluster,
    library: &'a Library,
    classes: &'a super::classes::Classes,
    listed: HashSet<PageKey>,
    year: i32,
}

impl Counter<'_> {
    /// The figures of the sites `sites`, as one unit named after `site`.
    fn unit(&self, site: SiteKey, sites: &[SiteKey]) -> Unit {
        let s = &self.cluster.sites[site];
        let mut u = Unit {
            id: s.id.clone(),
            name: s.name.clone(),
            kind: s.kind.label(),
            parent: s
                .parent
                .map(|p| self.cluster.sites[p].id.clone())
                .unwrap_or_default(),
            stats_url: s.kind.is_bureau().then(|| {
                crate::urls::absolute(&s.base_url, &crate::routes::stats(Some(self.year)))
            }),
            ..Unit::default()
        };
        for &k in sites.iter().flat_map(|&x| &self.library.sites[x].pages) {
            let p = &self.library.pages[k];
            if p.date.map(|d| d.year()) != Some(self.year) {
                continue;
            }
            match p.kind {
                SectionKind::News => {
                    u.published += 1;
                    if p.syndicate == Some(Syndicate::Up) {
                        u.offered += 1;
                        u.adopted += usize::from(self.listed.contains(&k));
                    }
                }
                SectionKind::Resources => u.resources += 1,
                _ => {}
            }
        }
        u.rate = rate(u.adopted, u.offered);
        self.count_lessons(sites, &mut u);
        u
    }

    /// Lessons given by and received at `sites` this year.
    fn count_lessons(&self, sites: &[SiteKey], u: &mut Unit) {
        for (&(teacher, i), receivers) in &self.classes.receivers {
            let times = self.library.sites[teacher].lessons[i]
                .occurrences()
                .iter()
                .filter(|d| d.year() == self.year)
                .count();
            if sites.contains(&teacher) {
                u.given += times;
            }
            u.received += times * receivers.iter().filter(|r| sites.contains(r)).count();
        }
    }
}

fn rate(adopted: usize, offered: usize) -> String {
    if offered == 0 {
        return "—".to_string();
    }
    format!("{:.1}%", adopted as f64 * 100.0 / offered as f64)
}

/// The figures of `site` (a bureau) for `year`.
pub fn compute(
    cluster: &Cluster,
    library: &Library,
    federation: &Federation,
    site: SiteKey,
    year: i32,
) -> YearStats {
    let counter = Counter {
        cluster,
        library,
        listed: federation.sites[site].received_up.iter().copied().collect(),
        classes: &federation.classes,
        year,
    };
    let mut units = vec![counter.unit(site, &[site])];
    let mut direct: Vec<Unit> = cluster.sites[site]
        .children
        .iter()
        .map(|&c| counter.unit(c, &subtree(cluster, c)))
        .collect();
    direct.sort_by(|a, b| {
        (b.adopted, b.offered, b.published, &a.id).cmp(&(a.adopted, a.offered, a.published, &b.id))
    });
    for (i, u) in direct.iter_mut().enumerate() {
        u.rank = i + 1;
    }
    units.extend(direct);
    let all = super::syndication::descendants(cluster, site)
        .into_iter()
        .map(|s| counter.unit(s, &[s]))
        .collect();
    let mut total = Unit {
        name: "合计".to_string(),
        ..Unit::default()
    };
    for u in &units {
        total.published += u.published;
        total.offered += u.offered;
        total.adopted += u.adopted;
        total.resources += u.resources;
        total.given += u.given;
        total.received += u.received;
    }
    total.rate = rate(total.adopted, total.offered);
    YearStats {
        year,
        units,
        all,
        by_month: months(cluster, library, site, year),
        total,
    }
}

/// The months of `year` with any figure, oldest first.
fn months(cluster: &Cluster, library: &Library, site: SiteKey, year: i32) -> Vec<Counts> {
    let mut months: BTreeMap<u32, Counts> = BTreeMap::new();
    for s in subtree(cluster, site) {
        for &k in &library.sites[s].pages {
            let p = &library.pages[k];
            let Some(d) = p.date.filter(|d| d.year() == year) else {
                continue;
            };
            let m = months.entry(d.month()).or_insert_with(|| Counts {
                label: format!("{year}-{:02}", d.month()),
                ..Counts::default()
            });
            match p.kind {
                SectionKind::News => {
                    m.news += 1;
                    m.syndicated += usize::from(p.syndicate == Some(Syndicate::Up));
                }
                SectionKind::Resources => m.resources += 1,
                _ => {}
            }
        }
    }
    months.into_values().collect()
}

/// The rows of a chart of units.
pub fn chart_rows(units: &[Unit]) -> Vec<Counts> {
    units
        .iter()
        .map(|u| Counts {
            label: u.name.clone(),
            news: u.published,
            syndicated: u.offered,
            resources: u.resources,
        })
        .collect()
}

/// The figures of every unit below as CSV (UTF-8 with a byte-order mark, so Excel reads the
/// Chinese headers), one row per site.
pub fn csv(stats: &YearStats) -> String {
    let mut out = String::from(
        "\u{feff}年份,单位标识,单位名称,单位类型,上级单位,发布,报送,采用,采用率,资源,授课,接收\n",
    );
    for u in &stats.all {
        let fields = [
            stats.year.to_string(),
            csv_text(&u.id),
            csv_text(&u.name),
            csv_text(u.kind),
            csv_text(&u.parent),
            u.published.to_string(),
            u.offered.to_string(),
            u.adopted.to_string(),
            u.rate.clone(),
            u.resources.to_string(),
            u.given.to_string(),
            u.received.to_string(),
        ];
        let quoted: Vec<String> = fields.iter().map(|f| csv_field(f)).collect();
        out.push_str(&quoted.join(","));
        out.push('\n');
    }
    out
}

/// Text written by people (a site's name), kept from being read as a formula by Excel or
/// WPS: a cell starting with `=`, `+`, `-`, `@`, a tab or a CR gets a leading `'` (OWASP,
/// "CSV Injection").
fn csv_text(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_string()
    }
}

fn csv_field(f: &str) -> String {
    if f.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", f.replace('"', "\"\""))
    } else {
        f.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_neutralised_in_text_cells() {
        assert_eq!(csv_text("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(csv_text("+1"), "'+1");
        assert_eq!(csv_text("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(csv_text("-2+3"), "'-2+3");
        assert_eq!(csv_text("江北区实验小学"), "江北区实验小学");
    }

    #[test]
    fn rates_and_csv_fields() {
        assert_eq!(rate(2, 3), "66.7%");
        assert_eq!(rate(0, 0), "—");
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_field("江北区"), "江北区");
    }
}
