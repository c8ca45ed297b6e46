//! The link stage: what each site lists besides its own pages. Runs after every site is
//! discovered and before anything is rendered, because a school's news can change what the
//! county and the city render.

pub mod classes;
pub mod disclosure;
pub mod report;
pub mod resources;
pub mod stats;
pub mod syndication;

use std::collections::HashMap;

use rayon::prelude::*;

use crate::config::{Cluster, SiteKey};
use crate::content::{
    Library, PageKey, SectionKey, SectionKind,
    page::{linked_site_ids, section_title},
    section::listing_order,
};
use crate::diagnostics::Diagnostic;
use crate::store::Store;

/// One section listing of a site: its own pages and those it received, newest first.
#[derive(Debug, Clone)]
pub struct Listing {
    /// Section name (`news`).
    pub name: String,
    /// What the section is.
    pub kind: SectionKind,
    /// 栏目名称.
    pub title: String,
    /// The site's own section, when it has one (a site may only receive a section).
    pub section: Option<SectionKey>,
    /// Pages to list, own and received.
    pub items: Vec<PageKey>,
    /// Items per listing page.
    pub paginate: usize,
}

/// What one site shows beyond its own content.
#[derive(Debug, Clone, Default)]
pub struct SiteLinks {
    /// Listings in menu order.
    pub listings: Vec<Listing>,
    /// News offered up by descendants and accepted here (报送), newest first.
    pub received_up: Vec<PageKey>,
    /// Notices pushed down by ancestors (上级通知), newest first.
    pub received_down: Vec<PageKey>,
    /// Offers a reviewing site has not adopted (待采用), newest first.
    pub pending: Vec<PageKey>,
}

/// The cross-site view of the whole cluster.
#[derive(Debug, Clone, Default)]
pub struct Federation {
    /// Per site, indexed like `Cluster::sites`.
    pub sites: Store<SiteKey, SiteLinks>,
    /// 索引号 of every disclosure page, given or generated.
    pub index_no: HashMap<PageKey, String>,
    /// For each site, the other sites with pages that link to it with `@/`.
    pub linked_from: Store<SiteKey, Vec<SiteKey>>,
    /// Where each 三个课堂 lesson is shown.
    pub classes: classes::Classes,
    /// Problems that do not stop a build (overlapping lessons).
    pub warnings: Vec<Diagnostic>,
}

impl Federation {
    /// Sites whose output can change when the content of `changed` sites changes: those
    /// sites, the bureaus above them (syndication, resource library, 信息公开 directory,
    /// statistics), the sites below a changed bureau (notices pushed down) and the sites
    /// whose pages link into them. Sorted.
    pub fn affected(&self, cluster: &Cluster, changed: &[SiteKey]) -> Vec<SiteKey> {
        let mut out: Vec<SiteKey> = Vec::new();
        for &s in changed {
            out.push(s);
            out.extend(cluster.ancestors(s));
            if cluster.sites[s].kind.is_bureau() {
                out.extend(syndication::descendants(cluster, s));
            }
            out.extend(self.linked_from.get(s).into_iter().flatten().copied());
        }
        out.sort_unstable();
        out.dedup();
        out
    }

    /// Every item a site received, newest first.
    pub fn received(&self, site: SiteKey) -> impl Iterator<Item = PageKey> + '_ {
        let s = &self.sites[site];
        s.received_up.iter().chain(&s.received_down).copied()
    }
}

/// Works out every site's listings, received items and index numbers.
pub fn link(cluster: &Cluster, library: &Library) -> (Federation, Vec<Diagnostic>) {
    let received = syndication::distribute(cluster, library);
    let mut diagnostics = adoption_problems(cluster, library, &received);
    let sites: Vec<SiteLinks> = cluster
        .sites
        .keys()
        .zip(received)
        .collect::<Vec<_>>()
        .into_par_iter()
        .map(|(idx, got)| site_links(cluster, library, idx, got))
        .collect();
    let sites = sites.into_iter().collect();
    let (index_no, numbering) = disclosure::number(cluster, library);
    diagnostics.extend(numbering);
    let (classes, placing, warnings) = classes::place(cluster, library);
    diagnostics.extend(placing);
    let linked_from = linked_from(cluster, library);
    (
        Federation {
            sites,
            index_no,
            linked_from,
            classes,
            warnings,
        },
        diagnostics,
    )
}

/// What one site lists: its own sections, what it received into them (or into sections of
/// their own), its resource library and, for a bureau, its 信息公开 directory; sorted, the
/// site's pinned pages first.
fn site_links(
    cluster: &Cluster,
    library: &Library,
    idx: SiteKey,
    got: syndication::Received,
) -> SiteLinks {
    let syndication::Received {
        mut up,
        mut down,
        mut pending,
    } = got;
    sort_items(library, SectionKind::News, &mut pending);
    let mut listings: Vec<Listing> = library.sites[idx]
        .sections
        .iter()
        .copied()
        .filter(|&k| !library.sections[k].is_plain_pages())
        .map(|k| own_listing(library, k))
        .collect();
    for &k in up.iter().chain(&down) {
        listing_for(&mut listings, library, k).items.push(k);
    }
    aggregate(cluster, library, idx, SectionKind::Resources, &mut listings);
    if cluster.sites[idx].kind.is_bureau() {
        aggregate(
            cluster,
            library,
            idx,
            SectionKind::Disclosure,
            &mut listings,
        );
    }
    let today = cluster.settings.now.date_naive();
    for l in &mut listings {
        sort_items(library, l.kind, &mut l.items);
        pin_own(library, idx, today, &mut l.items);
    }
    sort_items(library, SectionKind::News, &mut up);
    sort_items(library, SectionKind::Notices, &mut down);
    SiteLinks {
        listings,
        received_up: up,
        received_down: down,
        pending,
    }
}

/// The listing of a site's own section.
fn own_listing(library: &Library, k: SectionKey) -> Listing {
    let s = &library.sections[k];
    Listing {
        name: s.name.clone(),
        kind: s.kind,
        title: s.title.clone(),
        section: Some(k),
        items: s.pages.clone(),
        paginate: s.paginate,
    }
}

/// The listing a received page goes into: its section's, made when the site has none.
fn listing_for<'a>(
    listings: &'a mut Vec<Listing>,
    library: &Library,
    k: PageKey,
) -> &'a mut Listing {
    let name = &library.pages[k].section;
    let i = match listings.iter().position(|l| &l.name == name) {
        Some(i) => i,
        None => {
            listings.push(Listing {
                name: name.clone(),
                kind: library.pages[k].kind,
                title: section_title(name).to_string(),
                section: None,
                items: Vec::new(),
                paginate: crate::content::section::DEFAULT_PAGINATE,
            });
            listings.len() - 1
        }
    };
    &mut listings[i]
}

/// Entries of `adopted.yaml` that name no item offered to their site (a typo would
/// otherwise leave the item unlisted without a word).
fn adoption_problems(
    cluster: &Cluster,
    library: &Library,
    received: &Store<SiteKey, syndication::Received>,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (idx, content) in library
        .sites
        .iter_keyed()
        .filter(|(_, c)| !c.adopted.is_empty())
    {
        let offered: std::collections::HashSet<(&str, &str)> = received[idx]
            .up
            .iter()
            .chain(&received[idx].pending)
            .map(|&k| {
                let p = &library.pages[k];
                (cluster.sites[p.site].id.as_str(), p.rel_path.as_str())
            })
            .collect();
        let file = cluster.sites[idx]
            .content_dir
            .join(crate::content::adopted::FILE);
        for a in &content.adopted {
            if offered.contains(&(a.site.as_str(), a.rel_path.as_str())) {
                continue;
            }
            let item = format!("@/{}/{}", a.site, a.rel_path);
            let id = cluster.sites[idx].id.clone();
            let best = cluster
                .get(&a.site)
                .and_then(|s| library.likely_target(s, &a.rel_path))
                .map(|(path, _)| format!("@/{}/{path}", a.site));
            let help = match best {
                Some(best) => crate::t!("adopted-unknown-help", best = best),
                None => crate::t!("adopted-unknown-help-plain", id = id.clone()),
            };
            // A school that deletes or hides an adopted page must never stop the bureau's
            // build: a warning for the bureau, and one for the school.
            out.push(
                Diagnostic::warning(
                    crate::codes::ADOPTION,
                    &file,
                    a.line,
                    1,
                    crate::t!("adopted-unknown", item = item, id = id),
                )
                .with_help(help),
            );
            if let Some(school) = cluster.get(&a.site).filter(|&s| s != idx)
                && library.target(school, &a.rel_path).is_none()
            {
                out.push(adopted_page_gone(cluster, school, a, idx, &file));
            }
        }
    }
    out
}

/// A warning for the school whose adopted page `a` is gone or hidden.
fn adopted_page_gone(
    cluster: &Cluster,
    school: SiteKey,
    a: &crate::content::adopted::Adoption,
    bureau: SiteKey,
    adopted_file: &std::path::Path,
) -> Diagnostic {
    let page = cluster.sites[school].content_dir.join(&a.rel_path);
    let shown = adopted_file
        .strip_prefix(&cluster.root)
        .unwrap_or(adopted_file);
    let how = crate::t!(
        "used-by-adoption",
        file = crate::diagnostics::shown_path(shown),
        line = a.line
    );
    let message = crate::t!(
        "page-still-used",
        hidden = if page.is_file() { "hidden" } else { "gone" },
        site = cluster.sites[bureau].name.clone(),
        how = how
    );
    Diagnostic::warning(crate::codes::PAGE_STILL_USED, page, 0, 0, message)
        .with_help(crate::t!("page-still-used-help"))
}

/// The cross-site link table: which sites' pages name each site in an `@/<id>/` link. Read
/// from the Markdown source, so a link inside a code block counts too (that only makes
/// `serve` render one site more than needed).
fn linked_from(cluster: &Cluster, library: &Library) -> Store<SiteKey, Vec<SiteKey>> {
    let mut out: Store<SiteKey, Vec<SiteKey>> = cluster.sites.iter().map(|_| Vec::new()).collect();
    let mut add = |site: SiteKey, ids: &[String]| {
        for id in ids {
            if let Some(target) = cluster.get(id).filter(|&t| t != site) {
                out[target].push(site);
            }
        }
    };
    for page in library.pages.iter() {
        add(page.site, &page.linked_sites);
    }
    let intros = library
        .sections
        .iter()
        .chain(library.sites.iter().filter_map(|c| c.home.as_ref()));
    for section in intros {
        add(section.site, &linked_site_ids(&section.intro));
    }
    for linkers in out.iter_mut() {
        linkers.sort_unstable();
        linkers.dedup();
    }
    out
}

fn aggregate(
    cluster: &Cluster,
    library: &Library,
    site: SiteKey,
    kind: SectionKind,
    listings: &mut Vec<Listing>,
) {
    let items = resources::subtree_items(cluster, library, site, kind);
    match listings.iter_mut().find(|l| l.kind == kind) {
        Some(l) => l.items = items,
        None if !items.is_empty() => listings.push(Listing {
            name: kind.name().to_string(),
            kind,
            title: kind.title().unwrap_or_default().to_string(),
            section: None,
            items,
            paginate: crate::content::section::DEFAULT_PAGINATE,
        }),
        None => {}
    }
}

/// Moves the site's own pinned pages (置顶, still pinned on `today`) to the head of a
/// sorted listing, keeping the order within both groups; other sites' pins do not count.
fn pin_own(library: &Library, site: SiteKey, today: chrono::NaiveDate, items: &mut [PageKey]) {
    let pinned = |k: &PageKey| {
        let p = &library.pages[*k];
        p.site == site && p.top.is_some_and(|t| t.on(today))
    };
    items.sort_by_key(|k| !pinned(k));
}

/// The news and resources of `site` and every site below it that a 专题 gathers, newest
/// first. A bureau that reviews offers (采用) shows other sites' news only once adopted, as
/// its news listing does: a 专题 never shows what the review keeps back.
pub fn topic_items(
    cluster: &Cluster,
    library: &Library,
    links: &SiteLinks,
    site: SiteKey,
    topic: &crate::content::topic::Topic,
) -> Vec<PageKey> {
    let reviews = cluster.sites[site].review;
    let listed: std::collections::HashSet<PageKey> = links.received_up.iter().copied().collect();
    let mut sites = syndication::descendants(cluster, site);
    sites.push(site);
    let mut items: Vec<PageKey> = sites
        .iter()
        .flat_map(|&s| library.sites[s].pages.iter().copied())
        .filter(|&k| {
            let p = &library.pages[k];
            let shown = match p.kind {
                SectionKind::News => !reviews || p.site == site || listed.contains(&k),
                SectionKind::Resources => true,
                _ => false,
            };
            shown && topic.gathers(&p.meta.tags, p.date.map(|d| d.date_naive()))
        })
        .collect();
    sort_items(library, SectionKind::News, &mut items);
    items
}

/// Newest first (pages by weight); pages of different sites with equal dates and titles by
/// site, so the order never depends on discovery order.
pub fn sort_items(library: &Library, kind: SectionKind, items: &mut [PageKey]) {
    let pages = &library.pages;
    if kind == SectionKind::Pages {
        items.sort_by(|&a, &b| {
            listing_order(kind, &pages[a], &pages[b]).then(pages[a].site.cmp(&pages[b].site))
        });
    } else {
        // Ranks are distinct: an unstable sort gives the one order.
        items.sort_unstable_by_key(|&k| library.rank(k));
    }
}

#[cfg(test)]
mod tests {
    use crate::pipeline::testing::{cluster, news};

    #[test]
    fn offered_news_reaches_every_ancestor_and_no_sibling() {
        let (_tmp, d) = cluster(&[
            (
                "content/a/news/2026-05-01-运动会.md",
                &news("运动会", "2026-05-01", true),
            ),
            (
                "content/a/news/2026-05-02-内部.md",
                &news("内部", "2026-05-02", false),
            ),
        ]);
        let (c, fed, lib) = (&d.cluster, &d.linked.federation, &d.linked.library);
        let titles = |site: &str| -> Vec<String> {
            let k = c.get(site).unwrap();
            fed.sites[k]
                .received_up
                .iter()
                .map(|&p| lib.pages[p].title.clone())
                .collect()
        };
        assert_eq!(titles("county"), ["运动会"]);
        assert_eq!(titles("city"), ["运动会"]);
        assert!(titles("b").is_empty());
        assert!(titles("a").is_empty(), "a site never receives its own news");
    }

    #[test]
    fn an_edit_affects_the_site_its_ancestors_and_the_sites_that_link_to_it() {
        let (_tmp, d) = cluster(&[(
            "content/b/news/2026-05-01-x.md",
            "---\ntitle: x\ndate: 2026-05-01\n---\n见[甲](@/a/)。\n",
        )]);
        let c = &d.cluster;
        let ids = |keys: Vec<crate::config::SiteKey>| -> Vec<&str> {
            keys.iter().map(|&k| c.sites[k].id.as_str()).collect()
        };
        let fed = &d.linked.federation;
        assert_eq!(
            ids(fed.affected(c, &[c.get("a").unwrap()])),
            ["city", "county", "a", "b"]
        );
        assert_eq!(
            ids(fed.affected(c, &[c.get("b").unwrap()])),
            ["city", "county", "b"]
        );
        // A bureau's notices go down: every site below it is affected.
        assert_eq!(
            ids(fed.affected(c, &[c.get("county").unwrap()])),
            ["city", "county", "a", "b"]
        );
    }

    #[test]
    fn notices_pushed_down_reach_every_site_below_only() {
        let notice = "---\ntitle: 放假\ndate: 2026-05-01\nsyndicate: down\n---\n通知。\n";
        let (_tmp, d) = cluster(&[("content/county/notices/2026-05-01-放假.md", notice)]);
        let (c, fed) = (&d.cluster, &d.linked.federation);
        let count = |site: &str| fed.sites[c.get(site).unwrap()].received_down.len();
        assert_eq!(
            (count("a"), count("b"), count("city"), count("county")),
            (1, 1, 0, 0)
        );
    }
}
