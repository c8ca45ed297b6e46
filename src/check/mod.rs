//! `check`: everything `build` validates, without writing, plus the internal-link check over
//! the rendered HTML and the government website inspection rules.

pub mod format;
pub mod inspect;
pub mod links;
pub mod standalone;

use std::path::PathBuf;

use chrono::NaiveDate;

use crate::diagnostics::{Diagnostic, Diagnostics, Severity};
use crate::pipeline::{self, BuildError, BuildOptions};
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
    /// How content sources are fetched and which are replaced (`--cluster`).
    pub sources: crate::sources::SourceOptions,
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

/// Runs every check; only usage errors (an unknown option value) are `Err`.
pub fn check(opts: &CheckOptions) -> Result<CheckReport, BuildError> {
    let build = BuildOptions {
        root: opts.root.clone(),
        drafts: opts.drafts,
        no_search: true,
        // A repository checked alone holds the cluster's checkout, and so its output folder.
        dry_run: !opts.sources.overrides.is_empty(),
        sources: opts.sources.clone(),
        ..Default::default()
    };
    let mut diags = Diagnostics::new();
    let (sites, pages) = match pipeline::render_cluster(&build, &NoProgress) {
        Ok(built) => {
            diags.extend(built.cluster.warnings.iter().cloned());
            diags.extend(built.warnings.iter().cloned());
            diags.extend(links::check(
                &built.cluster,
                &built.library,
                &built.bodies,
                &built.outputs.files,
                Severity::Warning,
            ));
            diags.extend(inspect::inspect(
                &built.cluster,
                &built.library,
                &built.bodies,
                opts.today,
            ));
            diags.extend(pending_offers(&built, opts.today));
            (built.cluster.sites.len(), built.outputs.html_count())
        }
        Err(BuildError::Content(d)) => {
            diags.extend(d);
            read_counts(&build)
        }
        Err(e) => return Err(e),
    };
    let root = &opts.root;
    let mut problems: Vec<Diagnostic> = diags
        .into_sorted()
        .into_iter()
        .map(|d| d.relative_to(root))
        .collect();
    if !opts.sites.is_empty() {
        let load = crate::config::LoadOptions {
            sources: opts.sources.clone(),
            ..Default::default()
        };
        let own = SiteFiles::of(&opts.root, &load, &opts.sites)?;
        problems.retain(|d| own.reports(&d.path));
    }
    if opts.strict {
        for d in &mut problems {
            d.severity = Severity::Error;
        }
    }
    problems.sort_by_cached_key(|d| (d.path.clone(), d.line, d.col, d.message.en()));
    Ok(CheckReport {
        sites,
        pages,
        problems,
    })
}

/// A warning for every item offered to a reviewing bureau and not adopted yet, with the
/// line that adopts it.
fn pending_offers(built: &pipeline::Built, today: NaiveDate) -> Vec<Diagnostic> {
    let (cluster, library) = (&built.cluster, &built.library);
    let mut out = Vec::new();
    for (idx, links) in built.federation.sites.iter_keyed() {
        let site = &cluster.sites[idx];
        let file = site.content_dir.join(crate::content::adopted::FILE);
        let shown = file
            .strip_prefix(&cluster.root)
            .unwrap_or(&file)
            .display()
            .to_string();
        for &k in &links.pending {
            let page = &library.pages[k];
            let from = cluster.sites[page.site].id.clone();
            let message = crate::t!(
                "pending-offer",
                title = page.title.clone(),
                from = from.clone(),
                id = site.id.clone()
            );
            let help = crate::t!(
                "pending-offer-help",
                file = shown.clone(),
                from = from,
                path = page.rel_path.clone(),
                today = today.to_string()
            );
            out.push(
                Diagnostic::warning(crate::codes::PENDING_OFFER, &file, 1, 1, message)
                    .with_help(help),
            );
        }
    }
    out
}

/// Sites and pages of a cluster that could not be rendered, for the summary: the sites that
/// load and the pages their content folders hold (0 when the configuration itself fails).
fn read_counts(build: &BuildOptions) -> (usize, usize) {
    let load = crate::config::LoadOptions {
        sources: build.sources.clone(),
        ..Default::default()
    };
    let Ok(cluster) = crate::config::load(&build.root, &load) else {
        return (0, 0);
    };
    let all: Vec<_> = cluster.sites.keys().collect();
    let options = crate::content::DiscoverOptions {
        drafts: build.drafts,
        until: None,
    };
    let pages = crate::content::discover_sites(&cluster, options, &all)
        .iter()
        .map(|(_, d)| d.pages.len())
        .sum();
    (cluster.sites.len(), pages)
}

/// Where each site's problems are found: its content folder and its site file (`check
/// --site` and `serve --site` report only the chosen sites').
pub struct SiteFiles {
    /// (content folder, site file) of every site, relative to the cluster root.
    all: Vec<(PathBuf, PathBuf, bool)>,
}

impl SiteFiles {
    /// The files of every site, marking those of `ids`; an unknown id is a usage error.
    pub fn of(
        root: &std::path::Path,
        load: &crate::config::LoadOptions,
        ids: &[String],
    ) -> Result<SiteFiles, BuildError> {
        let cluster = crate::config::load(root, load).map_err(BuildError::Content)?;
        for id in ids {
            if cluster.get(id).is_none() {
                let hint = crate::diagnostics::did_you_mean(id, cluster.ids())
                    .map(|best| crate::t!("usage-site-hint", best = best.to_string()))
                    .unwrap_or_default();
                return Err(BuildError::Usage(crate::t!(
                    "usage-site-unknown",
                    id = id.as_str(),
                    hint = hint
                )));
            }
        }
        let rel = |p: &std::path::Path| p.strip_prefix(&cluster.root).unwrap_or(p).to_path_buf();
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
    pub fn reports(&self, path: &std::path::Path) -> bool {
        let owner = self
            .all
            .iter()
            .find(|(content, config, _)| path.starts_with(content) || path == config);
        owner.is_none_or(|(_, _, chosen)| *chosen)
    }
}
