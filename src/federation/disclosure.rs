//! 信息公开: index numbers (索引号). A page's own `index_no` is kept; the others get
//! `<org_code>-<year>-<serial:05>`, the serial counting the site's disclosure items of that
//! year in date order, so adding a newer item never renumbers older ones. Numbers are
//! unique per site.

use std::collections::{BTreeMap, HashMap};

use chrono::Datelike;

use crate::config::{Cluster, SiteKey};
use crate::content::{Library, PageKey, SectionKind};
use crate::diagnostics::Diagnostic;

/// Every disclosure page's index number, and the problems found.
pub fn number(cluster: &Cluster, library: &Library) -> (HashMap<PageKey, String>, Vec<Diagnostic>) {
    let mut numbers = HashMap::new();
    let mut errors = Vec::new();
    for (site, content) in library.sites.iter_keyed() {
        let mut pages: Vec<PageKey> = content
            .pages
            .iter()
            .copied()
            .filter(|&k| library.pages[k].kind == SectionKind::Disclosure)
            .collect();
        pages.sort_by(|&a, &b| {
            let (pa, pb) = (&library.pages[a], &library.pages[b]);
            pa.date
                .cmp(&pb.date)
                .then_with(|| pa.rel_path.cmp(&pb.rel_path))
        });
        let mut serials: BTreeMap<i32, u32> = BTreeMap::new();
        let mut seen: HashMap<String, PageKey> = HashMap::new();
        let mut missing_code_reported = false;
        for k in pages {
            let p = &library.pages[k];
            let year = p.date.map_or(0, |d| d.year());
            let serial = serials.entry(year).or_insert(0);
            *serial += 1;
            let given = p.meta.disclosure().and_then(|d| d.index_no.as_ref());
            let number = match (given, &cluster.sites[site].org_code) {
                (Some(given), _) => given.clone(),
                (None, Some(code)) => format!("{code}-{year}-{serial:05}"),
                (None, None) => {
                    if !missing_code_reported {
                        errors.push(missing_org_code(cluster, site, p.source.as_path()));
                        missing_code_reported = true;
                    }
                    continue;
                }
            };
            if let Some(&other) = seen.get(&number) {
                errors.push(
                    Diagnostic::file_error(
                        crate::codes::DUPLICATE_INDEX_NO,
                        &p.source,
                        format!(
                            "索引号 `{number}` is also the index number of `{}`",
                            library.pages[other].rel_path
                        ),
                    )
                    .with_help(
                        "index numbers must be unique per site: change or remove one `index_no`",
                    ),
                );
                continue;
            }
            seen.insert(number.clone(), k);
            numbers.insert(k, number);
        }
    }
    (numbers, errors)
}

fn missing_org_code(cluster: &Cluster, site: SiteKey, page: &std::path::Path) -> Diagnostic {
    let s = &cluster.sites[site];
    Diagnostic::file_error(
        crate::codes::NO_ORG_CODE,
        page,
        crate::t!("no-org-code", id = s.id.as_str()),
    )
    .with_help(crate::t!("no-org-code-help", id = s.id.as_str()))
}
