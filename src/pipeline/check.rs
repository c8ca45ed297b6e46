//! `check`: the driver's model rendered in memory in groups of sites like `build`, writing
//! nothing, with the internal-link check over the rendered HTML, the government website inspection rules and the offers
//! waiting for adoption. Content errors do not stop it: every page that could be read is
//! rendered and its links checked, so one run reports every problem.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use super::build::PAGES_PER_GROUP;
use super::{BuildError, Driver, Options, Timings};
use crate::check::{inspect, links};
use crate::config::Cluster;
use crate::diagnostics::{Diagnostic, Diagnostics, Severity, did_you_mean};
use crate::render::NoProgress;

/// What `zhanqun check` was asked to do.
#[derive(Debug, Clone)]
pub struct CheckOptions {
    /// The cluster root.
    pub root: PathBuf,
    /// Include drafts.
    pub drafts: bool,
    /// The date the inspection rules are judged on.
    pub today: NaiveDate,
    /// Warnings count as errors.
    pub strict: bool,
    /// Report only the problems of these sites (and those of the whole cluster); all when
    /// empty.
    pub sites: Vec<String>,
    /// Which git sources are fetched (`--cluster`: those the repository depends on).
    pub sources: crate::sources::SourceOptions,
    /// Sites whose content is read from another folder (`--cluster`: the repository).
    pub overrides: std::collections::BTreeMap<String, PathBuf>,
    /// Pages rendered at a time (0: as many as `build` does).
    pub pages_per_group: usize,
}

/// What a check found.
#[derive(Debug)]
pub struct CheckReport {
    /// Sites checked (0 when the cluster could not be loaded).
    pub sites: usize,
    /// HTML pages checked.
    pub pages: usize,
    /// Every problem, sorted by path and line, paths relative to the cluster root.
    pub problems: Vec<Diagnostic>,
}

impl CheckReport {
    /// Number of errors.
    pub fn errors(&self) -> usize {
        self.problems.iter().filter(|d| d.is_error()).count()
    }

    /// Number of warnings.
    pub fn warnings(&self) -> usize {
        self.problems.len() - self.errors()
    }
}

/// Runs every check; only usage errors (an unknown `--site`) are `Err`.
pub fn check(opts: &CheckOptions) -> Result<CheckReport, BuildError> {
    let options = Options {
        root: opts.root.clone(),
        drafts: opts.drafts,
        // A repository checked alone holds the cluster's checkout, and so its output folder.
        dry_run: !opts.overrides.is_empty(),
        keep_going: true,
        sources: opts.sources.clone(),
        overrides: opts.overrides.clone(),
        ..Default::default()
    };
    let (mut problems, sites, pages) = match Driver::load(options, &mut Timings::new()) {
        Ok(driver) => {
            let own = match opts.sites.is_empty() {
                true => None,
                false => Some(SiteFiles::new(&driver.cluster, &opts.sites)?),
            };
            let (found, pages) = findings(&driver, opts);
            let found = found
                .into_iter()
                .filter(|d| own.as_ref().is_none_or(|o| o.reports(&d.path)));
            (found.collect(), driver.cluster.sites.len(), pages)
        }
        Err(BuildError::Content(d)) => (relative(d, &opts.root), 0, 0),
        Err(e) => return Err(e),
    };
    if opts.strict {
        for d in &mut problems {
            d.severity = Severity::Error;
        }
    }
    Ok(CheckReport {
        sites,
        pages,
        problems,
    })
}

/// Everything the check finds in a loaded cluster, sorted, and the pages it rendered.
fn findings(driver: &Driver, opts: &CheckOptions) -> (Vec<Diagnostic>, usize) {
    let today = opts.today;
    let root = &driver.opts.root;
    let mut diags: Diagnostics = driver.errors.clone();
    diags.extend(driver.warnings());
    let linked = &driver.linked;
    let pages = match rendered_links(driver, opts.pages_per_group) {
        Ok((broken, pages)) => {
            diags.extend(broken);
            pages
        }
        Err(d) => {
            diags.extend(d);
            linked.library.pages.len()
        }
    };
    diags.extend(inspect::inspect(
        &driver.cluster,
        &linked.library,
        &linked.bodies,
        today,
    ));
    diags.extend(pending_offers(driver, today));
    let mut found = relative(diags, root);
    for d in &mut found {
        if crate::codes::LINK_PROBLEMS.contains(&d.code) {
            d.severity = Severity::Error;
        }
    }
    (found, pages)
}

/// Renders the selected sites in groups, as `build` does (memory holds one group's pages),
/// and checks every link between them; returns the broken links and the pages rendered,
/// or every render error.
fn rendered_links(
    driver: &Driver,
    per_group: usize,
) -> Result<(Vec<Diagnostic>, usize), Diagnostics> {
    let (cluster, linked) = (&driver.cluster, &driver.linked);
    let sites = links::Sites::new(cluster);
    let mut targets = links::Written::default();
    let (mut unresolved, mut pages, mut errors) = (Vec::new(), 0, Diagnostics::new());
    let per_group = if per_group == 0 {
        PAGES_PER_GROUP
    } else {
        per_group
    };
    let groups = super::build::groups(&linked.library, &driver.selected, per_group);
    for group in groups {
        match driver.render(&group, &NoProgress, &mut Timings::new()) {
            Ok(outputs) => {
                unresolved.extend(targets.scan_group(&sites, &outputs.files));
                pages += outputs.html_count();
            }
            // Later groups still render: every render error is reported at once.
            Err(d) => errors.extend(d),
        }
    }
    if errors.has_errors() {
        return Err(errors);
    }
    let (library, bodies) = (&linked.library, &linked.bodies);
    Ok((
        links::report(cluster, library, bodies, &targets, unresolved),
        pages,
    ))
}

/// Sorted, paths relative to `root`.
fn relative(diags: Diagnostics, root: &Path) -> Vec<Diagnostic> {
    let mut out: Vec<Diagnostic> = diags
        .into_sorted()
        .into_iter()
        .map(|d| d.relative_to(root))
        .collect();
    out.sort_by_cached_key(|d| (d.path.clone(), d.line, d.col, d.message.en()));
    out
}

/// A warning for every item offered to a reviewing bureau and not adopted yet, with the
/// line that adopts it.
fn pending_offers(driver: &Driver, today: NaiveDate) -> Vec<Diagnostic> {
    let (cluster, library) = (&driver.cluster, &driver.linked.library);
    let mut out = Vec::new();
    for (idx, links) in driver.linked.federation.sites.iter_keyed() {
        let site = &cluster.sites[idx];
        let file = site.content_dir.join(crate::content::adopted::FILE);
        let shown = file
            .strip_prefix(&cluster.root)
            .unwrap_or(&file)
            .display()
            .to_string();
        // Where the line is added: the end of the file.
        let end = std::fs::read_to_string(&file).map_or(1, |t| t.lines().count().max(1));
        for &k in &links.pending {
            let page = &library.pages[k];
            let from = &cluster.sites[page.site];
            let message = crate::t!(
                "pending-offer",
                title = page.title.clone(),
                from = from.name.clone(),
                bureau = site.name.clone()
            );
            let help = crate::t!(
                "pending-offer-help",
                file = shown.clone(),
                from_id = from.id.clone(),
                path = page.rel_path.clone(),
                today = today.to_string()
            );
            out.push(
                Diagnostic::warning(crate::codes::PENDING_OFFER, &file, end, 1, message)
                    .with_help(help),
            );
        }
    }
    out
}

/// Where each site's problems are found: its content folder and its site file (`check
/// --site` and `serve --site` report only the chosen sites').
pub struct SiteFiles {
    /// (content folder, site file, chosen) of every site, relative to the cluster root.
    all: Vec<(PathBuf, PathBuf, bool)>,
}

impl SiteFiles {
    /// The files of every site of `cluster`, marking those of `ids`; an unknown id is a
    /// usage error with the closest id.
    pub fn new(cluster: &Cluster, ids: &[String]) -> Result<SiteFiles, BuildError> {
        if let Some(id) = ids.iter().find(|id| cluster.get(id).is_none()) {
            let hint = did_you_mean(id, cluster.ids())
                .map(|best| crate::t!("usage-site-hint", best = best.to_string()))
                .unwrap_or_default();
            return Err(BuildError::Usage(crate::t!(
                "usage-site-unknown",
                id = id.as_str(),
                hint = hint
            )));
        }
        let rel = |p: &Path| p.strip_prefix(&cluster.root).unwrap_or(p).to_path_buf();
        let all = cluster
            .sites
            .iter()
            .map(|s| {
                (
                    rel(&s.content_dir),
                    rel(&s.config_path),
                    ids.contains(&s.id),
                )
            })
            .collect();
        Ok(SiteFiles { all })
    }

    /// True for a problem in a chosen site's files, or in no site's (the cluster's own).
    pub fn reports(&self, path: &Path) -> bool {
        let owner = self
            .all
            .iter()
            .find(|(content, config, _)| path.starts_with(content) || path == config);
        owner.is_none_or(|(_, _, chosen)| *chosen)
    }
}
