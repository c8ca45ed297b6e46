//! What templates see: borrowed, serializable views of the model, turned into Tera values
//! once (a site, a listing entry) and shared by every page that shows them.

use chrono::{DateTime, FixedOffset};
use serde::Serialize;
use tera::Value;

use super::records;
use crate::config::{Cluster, Footer, Site, SiteKey};
use crate::content::{Library, PageKey, Syndicate};
use crate::federation::Federation;
use crate::store::Store;
use crate::urls;

/// A site as a link: used for parents, children and the cluster list.
#[derive(Serialize)]
pub struct SiteRef<'a> {
    id: &'a str,
    name: &'a str,
    kind: &'a str,
    kind_label: &'a str,
    url: &'a str,
}

impl<'a> SiteRef<'a> {
    /// The link view of a site.
    pub fn new(site: &'a Site) -> Self {
        SiteRef {
            id: &site.id,
            name: &site.name,
            kind: site.kind.as_str(),
            kind_label: site.kind.label(),
            url: &site.base_url,
        }
    }
}

#[derive(Serialize)]
struct MenuLink<'a> {
    name: &'a str,
    url: String,
    /// Section the item points at, so templates can mark the current one.
    section: Option<&'a str>,
}

#[derive(Serialize)]
struct SectionLink<'a> {
    name: &'a str,
    title: &'a str,
    url: String,
}

#[derive(Serialize)]
struct SiteView<'a> {
    #[serde(flatten)]
    link: SiteRef<'a>,
    domain: &'a str,
    language: &'a str,
    is_bureau: bool,
    menu: Vec<MenuLink<'a>>,
    footer: &'a Footer,
    org_code: Option<&'a str>,
    /// The digits of the 公网安备 number, for the link to its record.
    psb_code: Option<String>,
    /// The commit the site's content was built from (git sources).
    commit: Option<&'a str>,
    params: &'a std::collections::BTreeMap<String, crate::yaml::Value>,
    parent: Option<SiteRef<'a>>,
    ancestors: Vec<SiteRef<'a>>,
    children: Vec<SiteRef<'a>>,
    sections: Vec<SectionLink<'a>>,
    feed_url: String,
}

/// The `site` value of one site.
pub fn site_value(
    cluster: &Cluster,
    library: &crate::content::Library,
    federation: &Federation,
    idx: SiteKey,
) -> Value {
    let site = &cluster.sites[idx];
    let sections: Vec<SectionLink> = federation.sites[idx]
        .listings
        .iter()
        .map(|l| SectionLink {
            name: &l.name,
            title: &l.title,
            url: urls::absolute(&site.base_url, &format!("{}/", l.name)),
        })
        .collect();
    let menu = match &site.menu {
        Some(items) => items
            .iter()
            .map(|item| MenuLink {
                name: &item.name,
                url: crate::markdown::links::menu_href(cluster, library, idx, item),
                section: item.section.as_deref(),
            })
            .collect(),
        None => sections
            .iter()
            .map(|s| MenuLink {
                name: s.title,
                url: s.url.clone(),
                section: Some(s.name),
            })
            .collect(),
    };
    let mut ancestors: Vec<SiteRef> = cluster
        .ancestors(idx)
        .map(|a| SiteRef::new(&cluster.sites[a]))
        .collect();
    ancestors.reverse();
    let view = SiteView {
        link: SiteRef::new(site),
        domain: domain(&site.base_url),
        language: &cluster.settings.language,
        is_bureau: site.kind.is_bureau(),
        menu,
        footer: &site.footer,
        org_code: site.org_code.as_deref(),
        psb_code: site
            .footer
            .psb
            .as_deref()
            .map(|p| p.chars().filter(char::is_ascii_digit).collect::<String>())
            .filter(|d| !d.is_empty()),
        commit: site.commit.as_deref(),
        params: &site.params,
        parent: site.parent.map(|p| SiteRef::new(&cluster.sites[p])),
        ancestors,
        children: site
            .children
            .iter()
            .map(|&c| SiteRef::new(&cluster.sites[c]))
            .collect(),
        sections,
        feed_url: format!("{}atom.xml", site.base_url),
    };
    Value::from_serializable(&view)
}

fn domain(url: &str) -> &str {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    rest.split('/').next().unwrap_or(rest)
}

#[derive(Serialize)]
struct ClusterSite<'a> {
    #[serde(flatten)]
    link: SiteRef<'a>,
    parent: Option<&'a str>,
    depth: usize,
    children: Vec<&'a str>,
}

#[derive(Serialize)]
struct ClusterView<'a> {
    name: &'a str,
    sites: Vec<ClusterSite<'a>>,
    /// 哀悼日 periods, for the date check in the browser.
    mourning: &'a [crate::config::cluster::Mourning],
    /// The build's day is a 哀悼日.
    mourning_now: bool,
}

/// The day a build happens on, in the cluster's timezone: `SOURCE_DATE_EPOCH` when set (for
/// reproducible builds), else today.
pub fn build_day(cluster: &Cluster) -> chrono::NaiveDate {
    cluster.settings.now.date_naive()
}

/// The `cluster` value: every site's name, kind, URL, parent and children.
pub fn cluster_value(cluster: &Cluster) -> Value {
    let sites = cluster
        .sites
        .iter()
        .map(|s| ClusterSite {
            link: SiteRef::new(s),
            parent: s.parent.map(|p| cluster.sites[p].id.as_str()),
            depth: s.depth,
            children: s
                .children
                .iter()
                .map(|&c| cluster.sites[c].id.as_str())
                .collect(),
        })
        .collect();
    let mourning = &cluster.settings.mourning;
    let today = build_day(cluster);
    Value::from_serializable(&ClusterView {
        name: cluster.name(),
        sites,
        mourning,
        mourning_now: mourning.iter().any(|m| m.covers(today)),
    })
}

/// A page as a listing entry.
#[derive(Serialize)]
pub struct PageRef<'a> {
    title: &'a str,
    url: String,
    date: String,
    date_iso: String,
    summary: &'a str,
    author: Option<&'a str>,
    source: Option<&'a str>,
    section: &'a str,
    /// `up` or `down` when the page is offered to other sites.
    syndicate: Option<&'a str>,
    site: SiteRef<'a>,
    /// Facets and files of a resource page.
    resource: Option<records::ResourceView<'a>>,
    /// 信息公开 metadata of a disclosure page.
    disclosure: Option<records::DisclosureView<'a>>,
    /// Cover image of a news page (图片新闻).
    image: Option<records::ImageView<'a>>,
    /// Pinned (置顶) at the head of its own site's listings on the build's day.
    top: bool,
}

/// The listing-entry value of every page in `needed`, built once (others stay none).
pub fn page_refs(
    cluster: &Cluster,
    library: &Library,
    federation: &Federation,
    summaries: &Store<PageKey, std::sync::Arc<str>>,
    needed: &Store<PageKey, bool>,
) -> Store<PageKey, Value> {
    use rayon::prelude::*;
    let keys: Vec<PageKey> = library.pages.keys().collect();
    keys.into_par_iter()
        .map(|k| {
            if needed[k] {
                Value::from_serializable(&page_ref(cluster, library, federation, k, &summaries[k]))
            } else {
                Value::none()
            }
        })
        .collect::<Vec<_>>()
        .into()
}

fn page_ref<'a>(
    cluster: &'a Cluster,
    library: &'a Library,
    federation: &'a Federation,
    key: PageKey,
    summary: &'a str,
) -> PageRef<'a> {
    let page = &library.pages[key];
    let site = &cluster.sites[page.site];
    PageRef {
        title: &page.title,
        url: urls::absolute(&site.base_url, &page.path),
        date: fmt_date(page.date.as_ref(), "%Y-%m-%d"),
        date_iso: page.date.map(|d| d.to_rfc3339()).unwrap_or_default(),
        summary,
        author: page.meta.author.as_deref(),
        source: page.meta.source.as_deref(),
        section: &page.section,
        syndicate: page.syndicate.map(Syndicate::as_str),
        site: SiteRef::new(site),
        resource: records::resource(cluster, library, page),
        disclosure: records::disclosure(cluster, federation, key, page),
        image: records::image(cluster, library, page),
        top: page
            .top
            .is_some_and(|t| t.on(cluster.settings.now.date_naive())),
    }
}

/// Formats an optional date; empty when absent.
pub fn fmt_date(date: Option<&DateTime<FixedOffset>>, fmt: &str) -> String {
    date.map(|d| d.format(fmt).to_string()).unwrap_or_default()
}

#[derive(Serialize)]
struct PageView<'a> {
    #[serde(flatten)]
    entry: PageRef<'a>,
    slug: &'a str,
    content: &'a str,
    date_time: String,
    /// False when only a day was written, so templates can leave out `00:00`.
    has_time: bool,
    updated: String,
    tags: &'a [String],
    section_title: &'a str,
    section_url: String,
    prev: Option<Value>,
    next: Option<Value>,
    /// The page's source file in the repository's web editor (编辑此页), when the site has
    /// an `edit_url`.
    edit_url: Option<String>,
    /// The commit of the site's content repository the page was built from (git sources).
    commit: Option<&'a str>,
    /// 附件 of the page (a resource's are also under `resource.files`).
    files: Vec<records::FileView<'a>>,
}

/// Everything the page template needs about one page beyond its listing entry.
pub struct PageParts<'a> {
    /// The rendered Markdown.
    pub content: &'a str,
    /// Plain-text summary.
    pub summary: &'a str,
    /// Title of the page's section.
    pub section_title: &'a str,
    /// Neighbours in the section listing (newer, older).
    pub prev: Option<Value>,
    /// The older neighbour.
    pub next: Option<Value>,
}

/// The `page` value of the page being rendered.
pub fn page_value(
    cluster: &Cluster,
    library: &Library,
    federation: &Federation,
    key: PageKey,
    parts: PageParts,
) -> Value {
    let page = &library.pages[key];
    let site = &cluster.sites[page.site];
    let view = PageView {
        entry: page_ref(cluster, library, federation, key, parts.summary),
        slug: &page.slug,
        content: parts.content,
        date_time: fmt_date(page.date.as_ref(), "%Y-%m-%d %H:%M"),
        has_time: page
            .date
            .is_some_and(|d| d.time() != chrono::NaiveTime::MIN),
        updated: fmt_date(page.updated.as_ref(), "%Y-%m-%d"),
        tags: &page.meta.tags,
        section_title: parts.section_title,
        section_url: urls::absolute(&site.base_url, &format!("{}/", page.section)),
        prev: parts.prev,
        next: parts.next,
        edit_url: edit_url(site, &page.rel_path),
        commit: site.commit.as_deref(),
        files: records::files(cluster, library, page),
    };
    Value::from_serializable(&view)
}

/// The site's `edit_url` pattern filled in for the file `rel_path` of its content: `{ref}`
/// is the commit the site was built at (`HEAD` for a plain folder), `{path}` the file's path
/// in the repository (below `path:` of a git source).
pub fn edit_url(site: &Site, rel_path: &str) -> Option<String> {
    let pattern = site.edit_url.as_deref()?;
    let folder = site
        .git
        .as_ref()
        .and_then(|g| g.path.as_deref())
        .unwrap_or("");
    let folder = folder.trim_matches('/');
    let path = if folder.is_empty() {
        rel_path.to_string()
    } else {
        format!("{folder}/{rel_path}")
    };
    let reference = site.commit.as_deref().unwrap_or("HEAD");
    Some(
        pattern
            .replace("{ref}", reference)
            .replace("{path}", &urls::encode_path(&path)),
    )
}

/// One breadcrumb.
#[derive(Serialize)]
pub struct Crumb {
    /// Text.
    pub title: String,
    /// Absolute URL.
    pub url: String,
}
