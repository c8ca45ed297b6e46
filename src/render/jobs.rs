//! The render jobs: the template, context and output path of the home page, each listing
//! page, each page and the 404 page of a site.

use std::path::PathBuf;

use serde::Serialize;
use tera::{Context, Value};

use super::view::{self, Crumb};
use super::{Job, Shared, aggregates, pagination};
use crate::config::SiteKey;
use crate::content::{PageKey, SectionKind};
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

/// Renders one job to its output path (relative to the output folder) and HTML.
pub(super) fn render_job(sh: &Shared, job: Job) -> Result<(String, String), Vec<Diagnostic>> {
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
            out_path: "404.html".to_string(),
            source: sh.m.cluster.sites[site].config_path.clone(),
            ctx: base_context(sh, site, vec![home_crumb(sh, site)]),
        },
        Job::Listing {
            site,
            listing: li,
            page: n,
        } => listing(sh, site, li, n),
        Job::Facet { site, facet, value } => aggregates::facet_page(sh, site, facet, value),
        Job::Stats(site) => aggregates::stats_page(sh, site),
        Job::Search(site) => search_page(sh, site),
        Job::Page(k) => page(sh, k),
    };
    let set = sh.sets[site]
        .as_ref()
        .expect("template sets exist for selected sites");
    let shown = source
        .strip_prefix(&sh.m.cluster.root)
        .unwrap_or(&source)
        .to_path_buf();
    let html = set.render(&template, &ctx, &shown)?;
    Ok((format!("{}/{out_path}", sh.m.cluster.sites[site].id), html))
}

/// `/search/`: the form and the result list the search script fills in.
fn search_page(sh: &Shared, site: SiteKey) -> JobParts {
    let s = &sh.m.cluster.sites[site];
    let crumbs = vec![
        home_crumb(sh, site),
        Crumb {
            title: "站内搜索".to_string(),
            url: urls::absolute(&s.base_url, "search/"),
        },
    ];
    JobParts {
        site,
        template: "search.html".to_string(),
        out_path: "search/index.html".to_string(),
        source: s.config_path.clone(),
        ctx: base_context(sh, site, crumbs),
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
    ctx
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
    ctx.insert(
        "home_title",
        &home
            .map(|h| h.title.as_str())
            .filter(|t| !t.is_empty())
            .unwrap_or(&s.name),
    );
    ctx.insert("home_intro", &sh.m.bodies.homes[site].html);
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
        out_path: "index.html".to_string(),
        source,
        ctx,
    }
}

#[derive(Serialize)]
pub(super) struct SectionView<'a> {
    name: &'a str,
    title: &'a str,
    url: String,
    intro: &'a str,
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
    ctx.insert("paginator", &sh.pagers[&(site, li)][n - 1]);
    let default_template = match l.kind {
        SectionKind::Resources => {
            ctx.insert_value("facets", aggregates::facets_value(sh, site, None));
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

fn page(sh: &Shared, k: PageKey) -> JobParts {
    let lib = sh.m.library;
    let p = &lib.pages[k];
    let own = lib.sites[p.site]
        .sections
        .iter()
        .copied()
        .find(|&s| lib.sections[s].name == p.section);
    let listed = own.filter(|&s| !lib.sections[s].is_plain_pages());
    // Neighbours are the site's own pages: a syndicated item is not part of this site's flow.
    let (prev, next) = match listed {
        Some(s) => {
            let pages = &lib.sections[s].pages;
            let pos = sh.positions[k].map(|i| i as usize);
            let at = |i: Option<usize>| i.and_then(|i| pages.get(i)).map(|&x| sh.refs[x].clone());
            (
                at(pos.and_then(|i| i.checked_sub(1))),
                at(pos.map(|i| i + 1)),
            )
        }
        None => (None, None),
    };
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
        out_path: format!("{}index.html", p.path),
        source: p.source.clone(),
        ctx,
    }
}
