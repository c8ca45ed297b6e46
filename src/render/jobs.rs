//! The render jobs: the template, context and output path of the home page, each listing
//! page, each page and the 404 page of a site.

use std::path::PathBuf;

use serde::Serialize;
use tera::{Context, Value};

use super::view::{self, Crumb};
use super::{Job, Shared, aggregates, pagination};
use crate::config::SiteKey;
use crate::content::{PageKey, SectionKey, SectionKind};
use crate::diagnostics::Diagnostic;
use crate::urls;

/// Number of entries per section on a home page.
const HOME_ITEMS: usize = 8;

/// What one page needs to be rendered.
pub(super) struct JobParts {
    /// The site it belongs to.
    pub site: SiteKey,
    /// Template name.
    pub template: String,
    /// Output path inside the site's folder.
    pub out_path: String,
    /// The file named in template errors.
    pub source: PathBuf,
    /// The template context.
    pub ctx: Context,
}

/// A rendered job: its output path (relative to the output folder) and its bytes.
pub(super) type Rendered = (String, Vec<u8>);

/// Renders one job to its output path (relative to the output folder) and HTML, cleaned
/// like every output file ([`crate::text::clean`]).
pub(super) fn render_job(sh: &Shared, job: Job) -> Result<Rendered, Vec<Diagnostic>> {
    let JobParts {
        site,
        template,
        out_path,
        source,
        ctx,
    } = match job {
        Job::Home(site) => home(sh, site),
        Job::NotFound(site) => JobParts {
            site,
            template: "404.html".to_string(),
            out_path: crate::routes::NOT_FOUND.to_string(),
            source: sh.m.cluster.sites[site].config_path.clone(),
            ctx: base_context(sh, site, vec![home_crumb(sh, site)]),
        },
        Job::Listing {
            site,
            listing: li,
            page: n,
        } => listing(sh, site, li, n),
        Job::Facet {
            site,
            facet,
            value,
            page,
        } => aggregates::facet_page(sh, site, (facet, value), page),
        Job::Stats(site, year) => aggregates::stats_page(sh, site, year),
        Job::Search(site) => search_page(sh, site),
        Job::Sitemap(site) => sitemap_page(sh, site),
        Job::Topics(site) => topics_page(sh, site),
        Job::Timetable(site) => super::classes::timetable_page(sh, site),
        Job::Lesson(site, i) => super::classes::lesson_page(sh, site, i),
        Job::Report(site, year) => aggregates::report_page(sh, site, year),
        Job::Topic(site, i) => topic_page(sh, site, i),
        Job::Page(k) => page(sh, k),
        Job::Alias(k, n) => alias(sh, k, n),
    };
    let set = sh.sets[site]
        .as_ref()
        .expect("template sets exist for selected sites");
    let shown = source
        .strip_prefix(&sh.m.cluster.root)
        .unwrap_or(&source)
        .to_path_buf();
    let html = crate::text::clean(set.render(&template, &ctx, &shown)?);
    Ok((
        crate::routes::in_site(&sh.m.cluster.sites[site].id, &out_path),
        html,
    ))
}

/// The redirect from an old address of a page to it (`aliases:`): a canonical link and a
/// refresh, so visitors, search engines and old links all arrive at the page.
fn alias(sh: &Shared, k: PageKey, n: usize) -> JobParts {
    let p = &sh.m.library.pages[k];
    let mut ctx = Context::new();
    ctx.insert_value("site", sh.sites[p.site].clone());
    let target = serde_json::json!({
        "title": p.title,
        "url": urls::absolute(&sh.m.cluster.sites[p.site].base_url, &p.path),
    });
    ctx.insert("page", &target);
    JobParts {
        site: p.site,
        template: "alias.html".to_string(),
        out_path: crate::routes::index(&p.aliases[n]),
        source: p.source.clone(),
        ctx,
    }
}

/// `/search/`: the form and the result list the search script fills in.
fn search_page(sh: &Shared, site: SiteKey) -> JobParts {
    let s = &sh.m.cluster.sites[site];
    let crumbs = vec![
        home_crumb(sh, site),
        Crumb {
            title: "站内搜索".to_string(),
            url: urls::absolute(&s.base_url, crate::routes::SEARCH_PAGE),
        },
    ];
    let mut ctx = base_context(sh, site, crumbs);
    ctx.insert("column", &Column::new(sh, site, "站内搜索", "搜索服务"));
    JobParts {
        site,
        template: "search.html".to_string(),
        out_path: crate::routes::index(crate::routes::SEARCH_PAGE),
        source: s.config_path.clone(),
        ctx,
    }
}

/// A 专题 as a link.
#[derive(Serialize)]
struct TopicLink<'a> {
    title: &'a str,
    url: String,
    intro: &'a str,
    from: Option<String>,
    to: Option<String>,
    count: usize,
}

fn topic_link<'a>(sh: &'a Shared, site: SiteKey, i: usize) -> TopicLink<'a> {
    let t = &sh.m.library.sites[site].topics[i];
    let base = &sh.m.cluster.sites[site].base_url;
    TopicLink {
        title: &t.title,
        url: urls::absolute(base, &crate::routes::topic(&t.slug)),
        intro: &t.intro,
        from: t.from.map(|d| d.to_string()),
        to: t.to.map(|d| d.to_string()),
        count: sh.topics.get(&(site, i)).map_or(0, Vec::len),
    }
}

fn topics_crumb(sh: &Shared, site: SiteKey) -> Crumb {
    let base = &sh.m.cluster.sites[site].base_url;
    Crumb {
        title: "专题专栏".to_string(),
        url: urls::absolute(base, &crate::routes::topics()),
    }
}

/// `/topics/`: every 专题 of the site.
fn topics_page(sh: &Shared, site: SiteKey) -> JobParts {
    let n = sh.m.library.sites[site].topics.len();
    let topics: Vec<TopicLink> = (0..n).map(|i| topic_link(sh, site, i)).collect();
    let mut ctx = base_context(sh, site, vec![home_crumb(sh, site), topics_crumb(sh, site)]);
    ctx.insert("topics", &topics);
    ctx.insert("column", &Column::new(sh, site, "专题专栏", "专题专栏"));
    JobParts {
        site,
        template: "topics.html".to_string(),
        out_path: crate::routes::index(&crate::routes::topics()),
        source: sh.m.cluster.sites[site].config_path.clone(),
        ctx,
    }
}

/// `/topics/<slug>/`: one 专题 and its items, newest first.
fn topic_page(sh: &Shared, site: SiteKey, i: usize) -> JobParts {
    let t = &sh.m.library.sites[site].topics[i];
    let link = topic_link(sh, site, i);
    let crumbs = vec![
        home_crumb(sh, site),
        topics_crumb(sh, site),
        Crumb {
            title: t.title.clone(),
            url: link.url.clone(),
        },
    ];
    let items = sh.topics.get(&(site, i)).map(Vec::as_slice).unwrap_or(&[]);
    let mut ctx = base_context(sh, site, crumbs);
    ctx.insert("topic", &link);
    ctx.insert("items", &entries(sh, items, usize::MAX));
    let column = Column::new(sh, site, &t.title, "专题专栏");
    ctx.insert("column", &column);
    JobParts {
        site,
        template: "topic.html".to_string(),
        out_path: crate::routes::index(&crate::routes::topic(&t.slug)),
        source: t.source.clone(),
        ctx,
    }
}

/// A site below the one whose 网站地图 is shown, indented by its depth below it.
#[derive(Serialize)]
struct Unit<'a> {
    #[serde(flatten)]
    site: view::SiteRef<'a>,
    /// 1 for a direct child.
    level: usize,
    /// The unit's own 网站地图, when its units are not listed here.
    sitemap: Option<String>,
}

/// Units below a site that its 网站地图 lists all of; with more (a city of 2,000 schools
/// made a 267 KB page), it lists its direct units, each leading to its own 网站地图.
const SITEMAP_UNITS: usize = 200;

/// The units a site's 网站地图 lists, in tree order, and whether only the direct ones are.
fn sitemap_units(cluster: &crate::config::Cluster, site: SiteKey) -> (Vec<Unit<'_>>, bool) {
    let below = crate::federation::syndication::descendants(cluster, site).len();
    let direct_only = below > SITEMAP_UNITS;
    let mut units = Vec::new();
    let mut stack: Vec<(SiteKey, usize)> = cluster.sites[site]
        .children
        .iter()
        .rev()
        .map(|&c| (c, 1))
        .collect();
    while let Some((k, level)) = stack.pop() {
        let unit = &cluster.sites[k];
        let sitemap = (direct_only && !unit.children.is_empty())
            .then(|| urls::absolute(&unit.base_url, crate::routes::SITEMAP_PAGE));
        units.push(Unit {
            site: view::SiteRef::new(unit),
            level,
            sitemap,
        });
        if !direct_only {
            stack.extend(unit.children.iter().rev().map(|&c| (c, level + 1)));
        }
    }
    (units, direct_only)
}

/// A plain page (学校概况 …) of the site.
#[derive(Serialize)]
struct PlainPage<'a> {
    title: &'a str,
    url: String,
}

/// `/sitemap/`: the HTML 网站地图 — the site's sections and plain pages, and every site below
/// it in tree order (the site's own sections come from `site.sections`).
fn sitemap_page(sh: &Shared, site: SiteKey) -> JobParts {
    let cluster = sh.m.cluster;
    let s = &cluster.sites[site];
    let (units, direct_only) = sitemap_units(cluster, site);
    let lib = sh.m.library;
    let plain: Vec<PlainPage> = lib.sites[site]
        .pages
        .iter()
        .map(|&k| &lib.pages[k])
        .filter(|p| p.kind == SectionKind::Pages)
        .map(|p| PlainPage {
            title: &p.title,
            url: urls::absolute(&s.base_url, &p.path),
        })
        .collect();
    let crumbs = vec![
        home_crumb(sh, site),
        Crumb {
            title: "网站地图".to_string(),
            url: urls::absolute(&s.base_url, crate::routes::SITEMAP_PAGE),
        },
    ];
    let mut ctx = base_context(sh, site, crumbs);
    ctx.insert("units", &units);
    ctx.insert("units_direct_only", &direct_only);
    ctx.insert("column", &Column::new(sh, site, "网站地图", "网站地图"));
    ctx.insert("plain_pages", &plain);
    let topics = (0..lib.sites[site].topics.len())
        .map(|i| topic_link(sh, site, i))
        .collect::<Vec<_>>();
    ctx.insert("topics", &topics);
    JobParts {
        site,
        template: "sitemap.html".to_string(),
        out_path: crate::routes::index(crate::routes::SITEMAP_PAGE),
        source: s.config_path.clone(),
        ctx,
    }
}

pub(super) fn base_context(sh: &Shared, site: SiteKey, crumbs: Vec<Crumb>) -> Context {
    let mut ctx = Context::new();
    ctx.insert_value("cluster", sh.cluster_value.clone());
    ctx.insert_value("site", sh.sites[site].clone());
    ctx.insert("breadcrumbs", &crumbs);
    ctx.insert_value("section", Value::none());
    ctx.insert_value("page", Value::none());
    ctx.insert_value("paginator", Value::none());
    ctx.insert_value("column", Value::none());
    ctx
}

/// The column (栏目) a page is, for the `Column*` meta tags of the government norms.
#[derive(Serialize)]
pub(super) struct Column<'a> {
    name: &'a str,
    description: String,
    #[serde(rename = "type")]
    kind: &'a str,
}

impl<'a> Column<'a> {
    /// The column `name` of `site`, of the given 栏目类型.
    pub(super) fn new(sh: &Shared, site: SiteKey, name: &'a str, kind: &'a str) -> Column<'a> {
        let site_name = &sh.m.cluster.sites[site].name;
        Column {
            name,
            description: format!("{site_name}{name}栏目"),
            kind,
        }
    }

    /// Described by the start of its intro text (`_index.md`), when it has one.
    pub(super) fn with_intro(mut self, html: &str) -> Self {
        if let Some(text) = describe(html) {
            self.description = text;
        }
        self
    }
}

/// The first 100 characters of the text of `html`, for a meta description; `None` when
/// it has no text.
pub(super) fn describe(html: &str) -> Option<String> {
    let text = crate::markdown::sanitize::plain_text(html);
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    let mut cut: String = text.chars().take(100).collect();
    if cut.len() < text.len() {
        cut.push('…');
    }
    Some(cut)
}

pub(super) fn home_crumb(sh: &Shared, site: SiteKey) -> Crumb {
    Crumb {
        title: "首页".to_string(),
        url: sh.m.cluster.sites[site].base_url.clone(),
    }
}

fn entries(sh: &Shared, keys: &[PageKey], limit: usize) -> Vec<Value> {
    keys.iter()
        .take(limit)
        .map(|&k| sh.refs[k].clone())
        .collect()
}

#[derive(Serialize)]
struct HomeSection<'a> {
    name: &'a str,
    title: &'a str,
    url: String,
    pages: Vec<Value>,
}

#[derive(Serialize)]
struct Syndicated {
    /// News received from the sites below (报送), newest first.
    up: Vec<Value>,
    /// Notices received from the bureaus above (上级通知), newest first.
    down: Vec<Value>,
}

fn home(sh: &Shared, site: SiteKey) -> JobParts {
    let s = &sh.m.cluster.sites[site];
    let links = &sh.m.federation.sites[site];
    let sections: Vec<HomeSection> = links
        .listings
        .iter()
        .map(|l| HomeSection {
            name: &l.name,
            title: &l.title,
            url: urls::absolute(&s.base_url, &format!("{}/", l.name)),
            pages: entries(sh, &l.items, HOME_ITEMS),
        })
        .collect();
    let mut ctx = base_context(sh, site, vec![home_crumb(sh, site)]);
    let home = sh.m.library.sites[site].home.as_ref();
    ctx.insert("home_sections", &sections);
    ctx.insert("photo_news", &photo_news(sh, site));
    let topics = sh.m.library.sites[site].topics.len();
    let topics: Vec<TopicLink> = (0..topics).map(|i| topic_link(sh, site, i)).collect();
    ctx.insert("home_topics", &topics);
    ctx.insert(
        "topics_url",
        &urls::absolute(&s.base_url, &crate::routes::topics()),
    );
    ctx.insert(
        "home_title",
        &home
            .map(|h| h.title.as_str())
            .filter(|t| !t.is_empty())
            .unwrap_or(&s.name),
    );
    let intro = &sh.m.bodies.homes[site].html;
    ctx.insert("home_intro", intro);
    let motto = s
        .params
        .get("motto")
        .and_then(|m| m.as_str())
        .map(|m| format!("：{m}"));
    let fallback = format!("{}{}", s.name, motto.unwrap_or_default());
    ctx.insert("home_description", &describe(intro).unwrap_or(fallback));
    ctx.insert(
        "syndicated",
        &Syndicated {
            up: entries(sh, &links.received_up, HOME_ITEMS),
            down: entries(sh, &links.received_down, HOME_ITEMS),
        },
    );
    let source = home
        .and_then(|h| h.source.clone())
        .unwrap_or_else(|| s.config_path.clone());
    JobParts {
        site,
        template: "home.html".to_string(),
        out_path: crate::routes::HOME.to_string(),
        source,
        ctx,
    }
}

/// Most entries of a home page's 图片新闻 block.
const PHOTO_NEWS: usize = 4;

/// The newest news items of the site's news listing (own and received) that have a cover
/// image, for the 图片新闻 block.
fn photo_news(sh: &Shared, site: SiteKey) -> Vec<Value> {
    let lib = sh.m.library;
    let news = sh.m.federation.sites[site]
        .listings
        .iter()
        .find(|l| l.kind == SectionKind::News);
    news.map(|l| {
        l.items
            .iter()
            .filter(|&&k| lib.pages[k].image.is_some())
            .take(PHOTO_NEWS)
            .map(|&k| sh.refs[k].clone())
            .collect()
    })
    .unwrap_or_default()
}

#[derive(Serialize)]
pub(super) struct SectionView<'a> {
    name: &'a str,
    title: &'a str,
    url: String,
    intro: &'a str,
    /// 栏目类型 for the `ColumnType` meta tag.
    column_type: &'static str,
}

pub(super) fn section_view<'a>(sh: &'a Shared, site: SiteKey, li: usize) -> SectionView<'a> {
    let l = &sh.m.federation.sites[site].listings[li];
    SectionView {
        name: &l.name,
        title: &l.title,
        url: urls::absolute(&sh.m.cluster.sites[site].base_url, &format!("{}/", l.name)),
        intro: l
            .section
            .map_or("", |k| sh.m.bodies.sections[k].html.as_str()),
        column_type: l.kind.column_type(),
    }
}

fn listing(sh: &Shared, site: SiteKey, li: usize, n: usize) -> JobParts {
    let l = &sh.m.federation.sites[site].listings[li];
    let sec = l.section.map(|k| &sh.m.library.sections[k]);
    let view = section_view(sh, site, li);
    let crumbs = vec![
        home_crumb(sh, site),
        Crumb {
            title: l.title.clone(),
            url: view.url.clone(),
        },
    ];
    let mut ctx = base_context(sh, site, crumbs);
    ctx.insert("section", &view);
    let column = Column::new(sh, site, &l.title, l.kind.column_type()).with_intro(view.intro);
    ctx.insert("column", &column);
    ctx.insert("paginator", &sh.pagers[&(site, li)][n - 1]);
    let default_template = match l.kind {
        SectionKind::Resources => {
            ctx.insert_value("facets", aggregates::facets_value(sh, site, None, n == 1));
            ctx.insert_value("facet", Value::none());
            "resources.html"
        }
        SectionKind::Disclosure => {
            ctx.insert_value("directory", aggregates::directory_value(sh, &l.items));
            "disclosure.html"
        }
        _ => "section.html",
    };
    let template = sec
        .and_then(|s| s.template.clone())
        .unwrap_or_else(|| default_template.to_string());
    let source = sec
        .and_then(|s| s.source.clone())
        .unwrap_or_else(|| sh.m.cluster.sites[site].content_dir.join(&l.name));
    let out = format!(
        "{}index.html",
        pagination::page_path(&format!("{}/", l.name), n)
    );
    JobParts {
        site,
        template,
        out_path: out,
        source,
        ctx,
    }
}

/// The pages before and after page `k` in its section's listing. Neighbours are the site's
/// own pages (a syndicated item is not part of this site's flow), and never a draft (shown
/// only in a preview), which no reader could follow.
fn neighbours(
    sh: &Shared,
    listed: Option<SectionKey>,
    k: PageKey,
) -> (Option<Value>, Option<Value>) {
    let lib = sh.m.library;
    let (Some(s), Some(i)) = (listed, sh.positions[k].map(|i| i as usize)) else {
        return (None, None);
    };
    let pages = &lib.sections[s].pages;
    let published = |&&x: &&PageKey| !lib.pages[x].meta.draft;
    let at = |x: Option<&PageKey>| x.map(|&x| sh.refs[x].clone());
    (
        at(pages
            .get(..i)
            .unwrap_or_default()
            .iter()
            .rev()
            .find(published)),
        at(pages
            .get(i + 1..)
            .unwrap_or_default()
            .iter()
            .find(published)),
    )
}

fn page(sh: &Shared, k: PageKey) -> JobParts {
    let lib = sh.m.library;
    let p = &lib.pages[k];
    let own = lib.sites[p.site]
        .sections
        .iter()
        .copied()
        .find(|&s| lib.sections[s].name == p.section);
    let listed = own.filter(|&s| !lib.sections[s].is_plain_pages());
    let (prev, next) = neighbours(sh, listed, k);
    let section_title = own.map_or("", |s| lib.sections[s].title.as_str());
    let value = view::page_value(
        sh.m.cluster,
        lib,
        sh.m.federation,
        k,
        view::PageParts {
            content: &sh.m.bodies.pages[k].html,
            summary: &sh.m.bodies.summaries[k],
            section_title,
            prev,
            next,
        },
    );
    let base = &sh.m.cluster.sites[p.site].base_url;
    let mut crumbs = vec![home_crumb(sh, p.site)];
    if let Some(s) = listed {
        let s = &lib.sections[s];
        crumbs.push(Crumb {
            title: s.title.clone(),
            url: urls::absolute(base, &s.path()),
        });
    }
    crumbs.push(Crumb {
        title: p.title.clone(),
        url: urls::absolute(base, &p.path),
    });
    let mut ctx = base_context(sh, p.site, crumbs);
    let li = sh.m.federation.sites[p.site]
        .listings
        .iter()
        .position(|l| l.name == p.section);
    if let Some(li) = li {
        ctx.insert("section", &section_view(sh, p.site, li));
    }
    ctx.insert_value("page", value);
    let template = p
        .meta
        .template
        .clone()
        .unwrap_or_else(|| "page.html".to_string());
    JobParts {
        site: p.site,
        template,
        out_path: crate::routes::index(&p.path),
        source: p.source.clone(),
        ctx,
    }
}
