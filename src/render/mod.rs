//! The render stage: Markdown bodies first (`bodies`), then every HTML page of the selected
//! sites through the templates, in parallel, plus each site's static files and copied
//! assets. The files made from the rendered model (feeds, sitemaps, manifests) are added
//! afterwards by `crate::outputs`, which this stage never imports.

mod aggregates;
pub mod bodies;
mod builtin;
pub mod charts;
mod classes;
mod jobs;
pub mod output;
pub mod pagination;
mod plan;
pub mod records;
mod site_files;
pub mod templates;
pub mod view;

use std::collections::HashMap;
use std::sync::Arc;

use rayon::prelude::*;
use tera::Value;

use crate::config::{Cluster, SiteKey};
use crate::content::{Library, PageKey};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::federation::Federation;
use crate::store::Store;
pub use bodies::Bodies;
use output::{OutputData, Outputs};
use templates::{TemplateSet, TemplateSource, ThemeDir};

/// Told how far rendering has come (the command line draws a progress bar from it).
pub trait Progress: Sync {
    /// `n` more pages were rendered.
    fn advance(&self, n: u64);
    /// `total` more pages are to be rendered (a build renders its sites in groups).
    fn add_total(&self, total: u64);
}

/// A progress sink that ignores everything.
pub struct NoProgress;

impl Progress for NoProgress {
    fn advance(&self, _: u64) {}
    fn add_total(&self, _: u64) {}
}

/// What the render stage reads: the model after the link stage.
#[derive(Clone, Copy)]
pub struct Model<'a> {
    /// The site tree.
    pub cluster: &'a Cluster,
    /// Every page.
    pub library: &'a Library,
    /// Rendered Markdown.
    pub bodies: &'a Bodies,
    /// Listings and syndication.
    pub federation: &'a Federation,
}

/// One HTML file to render.
#[derive(Clone, Copy)]
enum Job {
    Home(SiteKey),
    /// One page of a listing.
    Listing {
        /// The site.
        site: SiteKey,
        /// Index into the site's listings.
        listing: usize,
        /// 1-based page of the listing.
        page: usize,
    },
    Page(PageKey),
    /// The redirect from old address `n` of a page (`aliases:`) to the page.
    Alias(PageKey, usize),
    NotFound(SiteKey),
    /// `/resources/<facet>/<value>/` of a site's library.
    Facet {
        /// The site.
        site: SiteKey,
        /// Index into the library's facets.
        facet: usize,
        /// Index into that facet's values.
        value: usize,
        /// Page of the value's items, from 1 (paginated like the library itself).
        page: usize,
    },
    /// `/stats/` (the current year) or `/stats/<year>/` of a bureau.
    Stats(SiteKey, Option<i32>),
    /// `/search/` of a site.
    Search(SiteKey),
    /// `/sitemap/`: the site's sections, pages and the sites below it (网站地图).
    Sitemap(SiteKey),
    /// `/stats/<year>/report/`: the bureau's yearly report (年度工作报表).
    Report(SiteKey, i32),
    /// `/classes/`: the site's 三个课堂 timetable.
    Timetable(SiteKey),
    /// `/classes/<slug>/`: a lesson on its teaching site.
    Lesson(SiteKey, usize),
    /// `/topics/`: the site's 专题.
    Topics(SiteKey),
    /// `/topics/<slug>/`: one 专题 and the items it gathers.
    Topic(SiteKey, usize),
}

/// Everything shared by the render jobs: values serialized once, used by many pages.
struct Shared<'a> {
    m: Model<'a>,
    sets: Store<SiteKey, Option<Arc<TemplateSet>>>,
    cluster_value: Value,
    sites: Store<SiteKey, Value>,
    refs: Store<PageKey, Value>,
    /// Each page's position in its own section's listing order, for previous/next links.
    positions: Store<PageKey, Option<u32>>,
    pagers: HashMap<(SiteKey, usize), Vec<pagination::Paginator>>,
    facets: HashMap<SiteKey, aggregates::FacetGroups>,
    /// Each library facet's values as template values, by site (see
    /// [`aggregates::facet_values`]).
    facet_values: HashMap<SiteKey, Vec<Vec<Value>>>,
    /// The items of each 专题 of the selected sites, by (site, topic index).
    topics: HashMap<(SiteKey, usize), Vec<PageKey>>,
}

/// Each page's index in its section's pages, found once instead of searched per page.
fn section_positions(library: &Library) -> Store<PageKey, Option<u32>> {
    let mut out: Store<PageKey, Option<u32>> = library.pages.iter().map(|_| None).collect();
    for section in library.sections.iter() {
        for (i, &k) in section.pages.iter().enumerate() {
            out[k] = u32::try_from(i).ok();
        }
    }
    out
}

/// The items of every 专题 of the selected sites.
fn topic_items(m: Model, selected: &[SiteKey]) -> HashMap<(SiteKey, usize), Vec<PageKey>> {
    let mut out = HashMap::new();
    for &s in selected {
        for (i, t) in m.library.sites[s].topics.iter().enumerate() {
            out.insert(
                (s, i),
                crate::federation::topic_items(m.cluster, m.library, &m.federation.sites[s], s, t),
            );
        }
    }
    out
}

/// Pages that the selected sites show: their own, every page their listings include and
/// the items of their 专题.
fn needed_pages(
    m: Model,
    selected: &[SiteKey],
    topics: &HashMap<(SiteKey, usize), Vec<PageKey>>,
) -> Store<PageKey, bool> {
    let mut needed: Store<PageKey, bool> = m.library.pages.iter().map(|_| false).collect();
    for &k in topics.values().flatten() {
        needed[k] = true;
    }
    for &s in selected {
        for &k in &m.library.sites[s].pages {
            needed[k] = true;
        }
        for l in &m.federation.sites[s].listings {
            for &k in &l.items {
                needed[k] = true;
            }
        }
    }
    needed
}

/// Renders the HTML, feeds, sitemaps and copies of the `selected` sites.
pub fn render(
    m: Model,
    selected: &[SiteKey],
    progress: &dyn Progress,
) -> Result<Outputs, Diagnostics> {
    render_inner(m, selected, progress)
}

/// The HTML of one page as a render of its site makes it: the editor's preview.
pub fn render_page(m: Model, page: PageKey) -> Result<String, Diagnostics> {
    let site = m.library.pages[page].site;
    let mut diags = Diagnostics::new();
    let sets = load_template_sets(m.cluster, m.library, &[site], &mut diags);
    if diags.has_errors() {
        return Err(diags);
    }
    let shared = shared(m, &[site], sets);
    jobs::render_job(&shared, Job::Page(page))
        .map(|(_, html)| String::from_utf8_lossy(&html).into_owned())
        .map_err(|d| d.into_iter().collect())
}

fn render_inner(
    m: Model,
    selected: &[SiteKey],
    progress: &dyn Progress,
) -> Result<Outputs, Diagnostics> {
    let mut diags = Diagnostics::new();
    let sets = load_template_sets(m.cluster, m.library, selected, &mut diags);
    if diags.has_errors() {
        return Err(diags);
    }
    let mut shared = shared(m, selected, sets);
    let mut plan = plan::Plan {
        shared: &mut shared,
        jobs: Vec::new(),
    };
    for &site in selected {
        plan.site(site);
    }
    let todo = plan.jobs;
    progress.add_total(todo.len() as u64);
    let rendered: Vec<Result<jobs::Rendered, Vec<Diagnostic>>> = todo
        .par_iter()
        .map(|&job| {
            let r = jobs::render_job(&shared, job);
            progress.advance(1);
            r
        })
        .collect();
    let mut outputs = Outputs::default();
    for r in rendered {
        match r {
            // Cleaned in the parallel render, not again here on one thread.
            Ok((path, html)) => outputs.insert(path, OutputData::Bytes(html)),
            Err(d) => diags.extend(d),
        }
    }
    for &site in selected {
        site_files::add(m, site, &mut outputs);
    }
    if diags.has_errors() {
        Err(diags)
    } else {
        Ok(outputs)
    }
}

/// The values every job of this render reads, serialized once.
fn shared<'a>(
    m: Model<'a>,
    selected: &[SiteKey],
    sets: Store<SiteKey, Option<Arc<TemplateSet>>>,
) -> Shared<'a> {
    let topics = topic_items(m, selected);
    let sites = m
        .cluster
        .sites
        .keys()
        .map(|i| match selected.contains(&i) {
            true => view::site_value(m.cluster, m.library, m.federation, i),
            false => Value::none(),
        })
        .collect();
    let needed = needed_pages(m, selected, &topics);
    Shared {
        m,
        sets,
        cluster_value: view::cluster_value(m.cluster),
        sites,
        refs: view::page_refs(
            m.cluster,
            m.library,
            m.federation,
            &m.bodies.summaries,
            &needed,
        ),
        positions: section_positions(m.library),
        pagers: HashMap::new(),
        facets: HashMap::new(),
        facet_values: HashMap::new(),
        topics,
    }
}

/// A missing theme reported at the site that uses it, so that the build holds that site
/// back rather than the cluster: at the `theme:` line when the site's own file names it, at
/// the top of its file when it inherits the name from a bureau's file. A theme named in
/// `cluster.yaml` stays the cluster's error.
fn at_theme_user(cluster: &Cluster, site: &crate::config::Site, mut d: Diagnostic) -> Diagnostic {
    if !d
        .path
        .ends_with(std::path::Path::new("themes").join(&site.theme))
    {
        // A theme that `extends` a missing one is the theme's mistake, shared by its users.
        return d;
    }
    let line_of = |s: &crate::config::Site| {
        let text = std::fs::read_to_string(&s.config_path).unwrap_or_default();
        let index = text.lines().position(|l| l.starts_with("theme:"))?;
        let line = text.lines().nth(index)?;
        let value = line["theme:".len()..].trim_start();
        Some((index + 1, line.chars().count() - value.chars().count() + 1))
    };
    let mut named_by = Some(site);
    while let Some(s) = named_by {
        if let Some(at) = line_of(s) {
            let own = std::ptr::eq(s, site);
            (d.line, d.col) = if own { at } else { (1, 1) };
            d.path.clone_from(&site.config_path);
            break;
        }
        named_by = s.parent.map(|p| &cluster.sites[p]);
    }
    d
}

fn load_template_sets(
    cluster: &Cluster,
    library: &Library,
    selected: &[SiteKey],
    diags: &mut Diagnostics,
) -> Store<SiteKey, Option<Arc<TemplateSet>>> {
    let mut cache: HashMap<Vec<TemplateSource>, Arc<TemplateSet>> = HashMap::new();
    let mut chains: HashMap<&str, Result<Vec<ThemeDir>, Diagnostic>> = HashMap::new();
    let mut sets: Store<SiteKey, Option<Arc<TemplateSet>>> =
        cluster.sites.iter().map(|_| None).collect();
    for &i in selected {
        let site = &cluster.sites[i];
        let chain = chains
            .entry(site.theme.as_str())
            .or_insert_with(|| templates::theme_chain(&cluster.root, &site.theme));
        let chain = match chain {
            Ok(chain) => chain,
            Err(d) => {
                let file = site.config_path.strip_prefix(&cluster.root);
                let file = file.unwrap_or(&site.config_path).display().to_string();
                let d = at_theme_user(cluster, site, d.clone());
                diags.push(d.with_help(crate::t!("theme-missing-help", file = file)));
                continue;
            }
        };
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
