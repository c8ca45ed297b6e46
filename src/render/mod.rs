//! The render stage: Markdown bodies first (`bodies`), then every HTML page of the selected
//! sites through the templates, in parallel, plus each site's sitemap, static files and
//! copied assets.

pub mod bodies;
mod builtin;
pub mod pagination;
mod site_files;
pub mod templates;
pub mod view;

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

use rayon::prelude::*;
use tera::{Context, Value};

use crate::config::{Cluster, SiteIdx};
use crate::content::{Library, PageKey, SectionKey};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::outputs::Outputs;
use crate::urls;
pub use bodies::Bodies;
use templates::{TemplateSet, TemplateSource, ThemeDir};
use view::Crumb;

/// Number of entries per section on a home page.
const HOME_ITEMS: usize = 8;

/// Told how far rendering has come (the command line draws a progress bar from it).
pub trait Progress: Sync {
    /// `n` more pages were rendered.
    fn advance(&self, n: u64);
    /// The number of pages to render is known.
    fn set_total(&self, total: u64);
}

/// A progress sink that ignores everything.
pub struct NoProgress;

impl Progress for NoProgress {
    fn advance(&self, _: u64) {}
    fn set_total(&self, _: u64) {}
}

/// One HTML file to render.
#[derive(Clone, Copy)]
enum Job {
    Home(SiteIdx),
    Listing(SectionKey, usize),
    Page(PageKey),
    NotFound(SiteIdx),
}

/// Everything shared by the render jobs.
struct Shared<'a> {
    cluster: &'a Cluster,
    library: &'a Library,
    bodies: &'a Bodies,
    sets: Vec<Option<Arc<TemplateSet>>>,
    cluster_value: Value,
    sites: Vec<Value>,
    refs: Vec<Value>,
    listings: HashMap<SectionKey, Vec<pagination::Paginator>>,
}

/// Renders the HTML, sitemaps and copies of the `selected` sites.
pub fn render(
    cluster: &Cluster,
    library: &Library,
    bodies: &Bodies,
    selected: &[SiteIdx],
    progress: &dyn Progress,
) -> Result<Outputs, Diagnostics> {
    let mut diags = Diagnostics::new();
    let sets = load_template_sets(cluster, library, selected, &mut diags);
    if diags.has_errors() {
        return Err(diags);
    }
    let refs = view::page_refs(cluster, library, &bodies.summaries);
    let mut shared = Shared {
        cluster,
        library,
        bodies,
        sets,
        cluster_value: view::cluster_value(cluster),
        sites: (0..cluster.sites.len())
            .map(|i| view::site_value(cluster, library, i))
            .collect(),
        refs,
        listings: HashMap::new(),
    };
    let mut jobs = Vec::new();
    for &site in selected {
        jobs.push(Job::Home(site));
        jobs.push(Job::NotFound(site));
        for &sk in &library.sites[site].sections {
            let section = &library.sections[sk];
            if !section.is_plain_pages() {
                let base = urls::absolute(&cluster.sites[site].base_url, &section.path());
                let items: Vec<Value> = section
                    .pages
                    .iter()
                    .map(|&k| shared.refs[k].clone())
                    .collect();
                let pages = pagination::paginate(&items, section.paginate, |n| {
                    pagination::page_path(&base, n)
                });
                jobs.extend((1..=pages.len()).map(|n| Job::Listing(sk, n)));
                shared.listings.insert(sk, pages);
            }
        }
        jobs.extend(library.sites[site].pages.iter().map(|&k| Job::Page(k)));
    }
    progress.set_total(jobs.len() as u64);
    let rendered: Vec<Result<(String, String), Vec<Diagnostic>>> = jobs
        .par_iter()
        .map(|&job| {
            let r = render_job(&shared, job);
            progress.advance(1);
            r
        })
        .collect();
    let mut outputs = Outputs::default();
    for r in rendered {
        match r {
            Ok((path, html)) => outputs.bytes(path, html),
            Err(d) => diags.extend(d),
        }
    }
    for &site in selected {
        site_files::add(cluster, library, site, &mut outputs);
    }
    if diags.has_errors() {
        Err(diags)
    } else {
        Ok(outputs)
    }
}

fn load_template_sets(
    cluster: &Cluster,
    library: &Library,
    selected: &[SiteIdx],
    diags: &mut Diagnostics,
) -> Vec<Option<Arc<TemplateSet>>> {
    let mut cache: HashMap<Vec<TemplateSource>, Arc<TemplateSet>> = HashMap::new();
    let mut chains: HashMap<&str, Option<Vec<ThemeDir>>> = HashMap::new();
    let mut sets = vec![None; cluster.sites.len()];
    for &i in selected {
        let site = &cluster.sites[i];
        let chain =
            chains.entry(site.theme.as_str()).or_insert_with(|| {
                match templates::theme_chain(&cluster.root, &site.theme) {
                    Ok(c) => Some(c),
                    Err(d) => {
                        diags.push(d.with_help(format!(
                            "set `theme:` in `{}` or `cluster.yaml` to an existing theme",
                            site.config_path.display()
                        )));
                        None
                    }
                }
            });
        let Some(chain) = chain else { continue };
        let mut dirs: Vec<TemplateSource> = library.sites[i]
            .templates_dir
            .iter()
            .cloned()
            .map(TemplateSource::Dir)
            .collect();
        dirs.extend(chain.iter().map(ThemeDir::templates));
        if let Some(set) = cache.get(&dirs) {
            sets[i] = Some(set.clone());
            continue;
        }
        match TemplateSet::load(&dirs) {
            Ok(set) => {
                let set = Arc::new(set);
                cache.insert(dirs, set.clone());
                sets[i] = Some(set);
            }
            Err(d) => diags.extend(d),
        }
    }
    sets
}

fn render_job(sh: &Shared, job: Job) -> Result<(String, String), Vec<Diagnostic>> {
    let (site, template, out_path, source, ctx) = match job {
        Job::Home(site) => home(sh, site),
        Job::NotFound(site) => {
            let ctx = base_context(sh, site, vec![home_crumb(sh, site)]);
            (
                site,
                "404.html".to_string(),
                "404.html".to_string(),
                sh.cluster.sites[site].config_path.clone(),
                ctx,
            )
        }
        Job::Listing(sk, n) => listing(sh, sk, n),
        Job::Page(k) => page(sh, k),
    };
    let set = sh.sets[site]
        .as_ref()
        .expect("template sets exist for selected sites");
    let shown = source
        .strip_prefix(&sh.cluster.root)
        .unwrap_or(&source)
        .to_path_buf();
    let html = set.render(&template, &ctx, &shown)?;
    Ok((format!("{}/{out_path}", sh.cluster.sites[site].id), html))
}

type JobParts = (SiteIdx, String, String, PathBuf, Context);

fn base_context(sh: &Shared, site: SiteIdx, crumbs: Vec<Crumb>) -> Context {
    let mut ctx = Context::new();
    ctx.insert_value("cluster", sh.cluster_value.clone());
    ctx.insert_value("site", sh.sites[site].clone());
    ctx.insert("breadcrumbs", &crumbs);
    ctx.insert_value("section", Value::none());
    ctx.insert_value("page", Value::none());
    ctx.insert_value("paginator", Value::none());
    ctx
}

fn home_crumb(sh: &Shared, site: SiteIdx) -> Crumb {
    Crumb {
        title: "首页".to_string(),
        url: sh.cluster.sites[site].base_url.clone(),
    }
}

#[derive(serde::Serialize)]
struct HomeSection<'a> {
    name: &'a str,
    title: &'a str,
    url: String,
    pages: Vec<Value>,
}

fn home(sh: &Shared, site: SiteIdx) -> JobParts {
    let lib = sh.library;
    let s = &sh.cluster.sites[site];
    let sections: Vec<HomeSection> = lib.sites[site]
        .sections
        .iter()
        .map(|&k| &lib.sections[k])
        .filter(|sec| !sec.is_plain_pages())
        .map(|sec| HomeSection {
            name: &sec.name,
            title: &sec.title,
            url: urls::absolute(&s.base_url, &sec.path()),
            pages: sec
                .pages
                .iter()
                .take(HOME_ITEMS)
                .map(|&k| sh.refs[k].clone())
                .collect(),
        })
        .collect();
    let mut ctx = base_context(sh, site, vec![home_crumb(sh, site)]);
    let home = lib.sites[site].home.as_ref();
    ctx.insert("home_sections", &sections);
    ctx.insert(
        "home_title",
        &home
            .map(|h| h.title.as_str())
            .filter(|t| !t.is_empty())
            .unwrap_or(&s.name),
    );
    ctx.insert("home_intro", &sh.bodies.homes[site]);
    let source = home
        .and_then(|h| h.source.clone())
        .unwrap_or_else(|| s.config_path.clone());
    (
        site,
        "home.html".to_string(),
        "index.html".to_string(),
        source,
        ctx,
    )
}

#[derive(serde::Serialize)]
struct SectionView<'a> {
    name: &'a str,
    title: &'a str,
    url: String,
    intro: &'a str,
}

fn section_view<'a>(sh: &'a Shared, sk: SectionKey) -> SectionView<'a> {
    let sec = &sh.library.sections[sk];
    SectionView {
        name: &sec.name,
        title: &sec.title,
        url: urls::absolute(&sh.cluster.sites[sec.site].base_url, &sec.path()),
        intro: &sh.bodies.sections[sk],
    }
}

fn listing(sh: &Shared, sk: SectionKey, n: usize) -> JobParts {
    let sec = &sh.library.sections[sk];
    let view = section_view(sh, sk);
    let crumbs = vec![
        home_crumb(sh, sec.site),
        Crumb {
            title: sec.title.clone(),
            url: view.url.clone(),
        },
    ];
    let mut ctx = base_context(sh, sec.site, crumbs);
    ctx.insert("section", &view);
    ctx.insert("paginator", &sh.listings[&sk][n - 1]);
    let template = sec
        .template
        .clone()
        .unwrap_or_else(|| "section.html".to_string());
    let source = sec
        .source
        .clone()
        .unwrap_or_else(|| sh.cluster.sites[sec.site].content_dir.join(&sec.name));
    (
        sec.site,
        template,
        format!("{}index.html", pagination::page_path(&sec.path(), n)),
        source,
        ctx,
    )
}

fn page(sh: &Shared, k: PageKey) -> JobParts {
    let lib = sh.library;
    let p = &lib.pages[k];
    let section = lib.section_by_name(p.site, &p.section);
    let (prev, next) = match section.filter(|s| !s.is_plain_pages()) {
        Some(s) => {
            let pos = s.pages.iter().position(|&x| x == k);
            let at = |i: Option<usize>| i.and_then(|i| s.pages.get(i)).map(|&x| sh.refs[x].clone());
            (
                at(pos.and_then(|i| i.checked_sub(1))),
                at(pos.map(|i| i + 1)),
            )
        }
        None => (None, None),
    };
    let section_title = section.map_or("", |s| s.title.as_str());
    let value = view::page_value(
        sh.cluster,
        lib,
        k,
        view::PageParts {
            content: &sh.bodies.pages[k].html,
            summary: &sh.bodies.summaries[k],
            section_title,
            prev,
            next,
        },
    );
    let base = &sh.cluster.sites[p.site].base_url;
    let mut crumbs = vec![home_crumb(sh, p.site)];
    if let Some(s) = section.filter(|s| !s.is_plain_pages()) {
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
    if let Some(s) = section {
        let sk = lib.sites[p.site]
            .sections
            .iter()
            .copied()
            .find(|&x| std::ptr::eq(&lib.sections[x], s));
        if let Some(sk) = sk {
            ctx.insert("section", &section_view(sh, sk));
        }
    }
    ctx.insert_value("page", value);
    let template = p
        .meta
        .template
        .clone()
        .unwrap_or_else(|| "page.html".to_string());
    (
        p.site,
        template,
        format!("{}index.html", p.path),
        p.source.clone(),
        ctx,
    )
}
