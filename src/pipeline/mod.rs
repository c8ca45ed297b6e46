//! The driver: one value — the loaded cluster, what discovery found in each site, the linked
//! model and the problems found on the way — that `build`, `check`, `serve` and `edit` all
//! use, so every command runs the same steps and reports the same problems for the same
//! input. A build is a short list of named, timed steps:
//!
//! ```text
//! load -> sources -> discover -> assemble -> link -> markdown     (Driver::load)
//!      -> render -> publish -> collisions                         (Driver::render)
//!      -> search, links, write                                    (build / check / serve)
//! ```
//!
//! Everything is loaded and linked before anything is rendered, because a school page can
//! change what the city renders. `serve` and `edit` keep a driver and [`Driver::update`] it
//! for the sites an edit touched.

mod build;
mod check;
mod collisions;
pub mod held;
mod paths;
pub mod preview;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::{Duration, Instant};

pub use build::{BuildReport, add_host_root, add_search_files, build, indexed_sites};
pub use check::{CheckOptions, CheckReport, SiteFiles, check};

use crate::check::words::Words;
use crate::config::{self, Cluster, LoadOptions, SiteKey};
use crate::content::{self, DiscoverOptions, Library, discover::Discovered};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::federation::{self, Federation};
use crate::i18n::Message;
use crate::outputs::{self, Outputs, manifest, writer};
use crate::render::{self, Model, Progress, bodies::Previous};
use crate::store::Store;

/// What a command asks of the cluster.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The cluster root (holding `cluster.yaml` and `sites/`).
    pub root: PathBuf,
    /// Output folder; `cluster.yaml`'s `output` (default `public`) when absent.
    pub out: Option<PathBuf>,
    /// Build only these sites (by id); the others are read from the previous output's
    /// manifests.
    pub sites: Vec<String>,
    /// Include pages marked `draft: true`.
    pub drafts: bool,
    /// Include pages dated in the future.
    pub future: bool,
    /// Serve every site from `<base-url>/<id>/`.
    pub base_url: Option<String>,
    /// Warnings (broken links among them) fail the build.
    pub strict: bool,
    /// Pages rendered before they are written; 0 for the default.
    pub pages_per_group: usize,
    /// How git sources are fetched (`--refresh`) and which.
    pub sources: crate::sources::SourceOptions,
    /// Sites whose content is read from another folder (`check --cluster`).
    pub overrides: BTreeMap<String, PathBuf>,
    /// Nothing will be written (`check`): the output folder is not validated.
    pub dry_run: bool,
    /// Content errors do not stop loading (`check`): every page that could be read is
    /// linked and rendered, and the errors are kept in [`Driver::errors`].
    pub keep_going: bool,
    /// The moment of the run, instead of the clock (tests, reproducible renders).
    pub now: Option<chrono::DateTime<chrono::FixedOffset>>,
    /// Where the previous build placed the sites whose site files are broken now (found
    /// by [`Driver::load`] itself).
    pub previous: BTreeMap<String, config::PreviousPlace>,
    /// Sites whose pages failed to render in an earlier attempt of this build, with the
    /// errors: held back from the start of the next attempt.
    pub hold: BTreeMap<String, Vec<Diagnostic>>,
}

/// The options of `zhanqun build`.
pub type BuildOptions = Options;

/// Why a command could not run; decides the exit code.
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    /// Content or configuration errors (exit 1).
    #[error("{} error(s) in the cluster", .0.error_count())]
    Content(Diagnostics),
    /// Bad command-line usage (exit 2).
    #[error("{0}")]
    Usage(Message),
    /// The output could not be written (exit 2).
    #[error(transparent)]
    Write(#[from] writer::WriteError),
}

/// Each step with how long it took, in order.
pub type Timings = Vec<(&'static str, Duration)>;

/// Runs a step and adds its time to the step's entry (steps run per group add up).
pub fn timed<T>(timings: &mut Timings, name: &'static str, f: impl FnOnce() -> T) -> T {
    let start = Instant::now();
    let out = f();
    add_time(timings, name, start.elapsed());
    out
}

/// Adds `took` to the step `name` (a step may run several times, or on another thread).
pub fn add_time(timings: &mut Timings, name: &'static str, took: Duration) {
    match timings.iter_mut().find(|(n, _)| *n == name) {
        Some((_, total)) => *total += took,
        None => timings.push((name, took)),
    }
}

/// The cluster linked: every page stored once, what each site shows of the others, and the
/// rendered Markdown. Everything the render step reads besides the site tree.
pub struct Linked {
    /// Every page.
    pub library: Library,
    /// Listings, syndication, indexes and the cross-site link table.
    pub federation: Federation,
    /// Rendered Markdown of every page.
    pub bodies: render::Bodies,
    /// Problems that do not stop a build (broken links, vanished adoptions, overlapping
    /// lessons), paths as found.
    pub warnings: Vec<Diagnostic>,
    /// The wrong words (错别字) found in each site's pages, kept per site so an update
    /// scans only the sites it read again.
    pub words: Store<SiteKey, Vec<Diagnostic>>,
}

impl Linked {
    /// Items the `sites` list from other sites (报送 received and 上级通知).
    pub fn received_count(&self, sites: &[SiteKey]) -> usize {
        sites
            .iter()
            .map(|&s| self.federation.received(s).count())
            .sum()
    }
}

/// The loaded, discovered and linked cluster, ready to render.
pub struct Driver {
    /// What was asked.
    pub opts: Options,
    /// The site tree (with the run's "now").
    pub cluster: Cluster,
    /// The sites rendered: every site, or those of `--site`.
    pub selected: Vec<SiteKey>,
    /// The output folder (validated unless a dry run, not yet written).
    pub out_dir: PathBuf,
    /// What discovery found in each site; an update replaces the entries of its sites.
    pub found: Store<SiteKey, Discovered>,
    /// The linked model.
    pub linked: Linked,
    /// Pages of the selected sites dated in the future, left out.
    pub waiting: usize,
    /// Content errors found while loading (only with `keep_going`; otherwise they fail
    /// [`Driver::load`]), paths as found.
    pub errors: Diagnostics,
    /// The wrong words looked for (built in, and the cluster's `words.yaml`).
    pub words: Words,
    /// Sites not built in this run because of their own errors (a build, not `check`).
    pub held: Vec<held::HeldBack>,
}

impl Driver {
    /// Loads the cluster, fetches its git sources, discovers and links: every problem of
    /// every step at once, or the driver.
    pub fn load(opts: Options, timings: &mut Timings) -> Result<Driver, BuildError> {
        let root = opts.root.clone();
        let cluster = timed(timings, "load", || load_cluster(&opts))
            .and_then(|c| place_left_out(c, &opts))
            .map_err(|d| BuildError::Content(d.relative_to(&root)))?;
        let mut selected = paths::select(&cluster, &opts.sites)?;
        let out_dir = match paths::output_dir(&cluster, opts.out.as_deref()) {
            Err(_) if opts.dry_run => cluster.root.join(&cluster.settings.output),
            found => found?,
        };
        let (mut found, manifest_errors) = timed(timings, "discover", || {
            discover(&cluster, &opts, &selected, &out_dir)
        });
        let waiting = selected.iter().map(|&s| found[s].waiting).sum();
        let (words, word_problems) = Words::load(&cluster.root);
        let (mut linked, mut errors) = link(&cluster, &found, None, &words, timings);
        let (bad, odd): (Vec<_>, Vec<_>) =
            word_problems.into_iter().partition(Diagnostic::is_error);
        errors.extend(bad);
        linked.warnings.extend(odd);
        errors.extend(manifest_errors);
        errors.extend(opts.hold.values().flatten().cloned());
        let mut held = held::left_out(&cluster, &out_dir);
        // The errors of sites left out of the tree travel with them (`held`), except for
        // `check`, which reports every error as it is.
        let placed = |id: &String| opts.keep_going || cluster.get(id).is_some();
        errors.extend(
            cluster
                .site_errors
                .iter()
                .filter(|(id, _)| placed(id))
                .map(|(_, d)| d.clone()),
        );
        if errors.has_errors() && !opts.keep_going {
            let (by_site, own) = held::attribute(&cluster, errors);
            if opts.strict || own.has_errors() {
                // Every problem at once: the warnings found on the way are reported too.
                let mut all = own;
                all.extend(by_site.into_values().flatten());
                all.extend(held.iter().flat_map(|h| h.errors.iter().cloned()));
                all.extend(cluster.warnings.iter().chain(&linked.warnings).cloned());
                return Err(BuildError::Content(all.relative_to(&root)));
            }
            let previous =
                held::read_previous(&cluster, by_site, &out_dir, &mut found, &mut selected);
            held.extend(previous);
            let (relinked, still) = link(&cluster, &found, None, &words, timings);
            if still.has_errors() {
                return Err(BuildError::Content(still.relative_to(&root)));
            }
            linked = relinked;
            errors = Diagnostics::new();
        }
        Ok(Driver {
            opts,
            cluster,
            selected,
            out_dir,
            found,
            linked,
            waiting,
            errors,
            words,
            held,
        })
    }

    /// The model the render and output steps read.
    pub fn model(&self) -> Model<'_> {
        Model {
            cluster: &self.cluster,
            library: &self.linked.library,
            bodies: &self.linked.bodies,
            federation: &self.linked.federation,
        }
    }

    /// Renders the pages of `sites`, adds the files made from the rendered model, and
    /// refuses content at a generated path. With a `cache` (`serve`), listing pages whose
    /// inputs did not change are skipped; their paths are returned so the caller keeps the
    /// previous files.
    pub fn render(
        &self,
        sites: &[SiteKey],
        progress: &dyn Progress,
        timings: &mut Timings,
    ) -> Result<Outputs, Diagnostics> {
        let model = self.model();
        let rendered = timed(timings, "render", || render::render(model, sites, progress));
        let mut outputs = rendered.map_err(|d| d.relative_to(&self.cluster.root))?;
        timed(timings, "publish", || {
            outputs::publish(model, sites, &mut outputs)
        });
        let collisions = collisions::problems(model, &mut outputs);
        if collisions.has_errors() {
            return Err(collisions.relative_to(&self.cluster.root));
        }
        Ok(outputs)
    }

    /// The problems found while loading and linking that do not stop a build, paths
    /// relative to the cluster root: what every command reports before its own findings.
    pub fn warnings(&self) -> Vec<Diagnostic> {
        let root = &self.opts.root;
        self.cluster
            .warnings
            .iter()
            .chain(&self.linked.warnings)
            .map(|d| d.clone().relative_to(root))
            .collect()
    }

    /// Reads the content of `changed` sites again and links the cluster again, reusing the
    /// other sites' Markdown; returns the sites whose output can be affected. On errors the
    /// driver is left as it was.
    pub fn update(
        &mut self,
        changed: &[SiteKey],
        timings: &mut Timings,
    ) -> Result<Vec<SiteKey>, Diagnostics> {
        let tz = self.cluster.settings.timezone;
        self.cluster.settings.now = match self.opts.now {
            Some(now) => now.with_timezone(&tz),
            None => config::cluster::clock(&tz),
        };
        let options = discover_options(&self.cluster, &self.opts);
        let rediscovered = timed(timings, "discover", || {
            content::discover_sites(&self.cluster, options, changed)
        });
        let mut previous: Vec<(SiteKey, Discovered)> = Vec::new();
        for (i, d) in rediscovered {
            previous.push((i, std::mem::replace(&mut self.found[i], d)));
        }
        match self.relink(changed, timings) {
            Ok(affected) => Ok(affected),
            Err(diags) => {
                for (i, d) in previous {
                    self.found[i] = d;
                }
                Err(diags)
            }
        }
    }

    /// Links again after `changed` sites were re-read. Sites whose old pages linked into a
    /// changed site are affected too, even when the link is gone now: hence the union of the
    /// old and the new link tables.
    fn relink(
        &mut self,
        changed: &[SiteKey],
        timings: &mut Timings,
    ) -> Result<Vec<SiteKey>, Diagnostics> {
        let old = &self.linked.federation;
        let before = old.affected(&self.cluster, changed);
        // Markdown is rendered again for the changed sites and the sites linking into them
        // (a link's target URL may have changed); the other sites' bodies are reused.
        let mut dirty: Store<SiteKey, bool> = self.cluster.sites.iter().map(|_| false).collect();
        for &c in changed {
            dirty[c] = true;
            for &linker in &old.linked_from[c] {
                dirty[linker] = true;
            }
        }
        let (linked, errors) = self.link_again(&dirty, timings);
        if errors.has_errors() && !self.opts.keep_going {
            return Err(errors.relative_to(&self.opts.root));
        }
        self.errors = errors.relative_to(&self.opts.root);
        let mut affected = linked.federation.affected(&self.cluster, changed);
        affected.extend(before);
        affected.sort_unstable();
        affected.dedup();
        // The old model (100,000 pages' worth) is freed off the edit's path.
        let old = std::mem::replace(&mut self.linked, linked);
        std::thread::spawn(move || drop(old));
        Ok(affected)
    }
}

impl Driver {
    /// The cluster linked again from `found`, rendering Markdown again only for the `dirty`
    /// sites and reusing the current link's bodies for the others.
    fn link_again(
        &self,
        dirty: &Store<SiteKey, bool>,
        timings: &mut Timings,
    ) -> (Linked, Diagnostics) {
        let previous = Previous {
            library: &self.linked.library,
            bodies: &self.linked.bodies,
            words: &self.linked.words,
            dirty,
        };
        link(
            &self.cluster,
            &self.found,
            Some(previous),
            &self.words,
            timings,
        )
    }
}

/// `cluster.yaml` and the site files, then the git sources of the sites that need them
/// (only those built, with `--site`).
fn load_cluster(opts: &Options) -> Result<Cluster, Diagnostics> {
    let load = LoadOptions {
        base_url: opts.base_url.clone(),
        overrides: opts.overrides.clone(),
        previous: opts.previous.clone(),
    };
    let mut cluster = config::load(&opts.root, &load)?;
    if let Some(now) = opts.now {
        cluster.settings.now = now.with_timezone(&cluster.settings.timezone);
    }
    let mut sources = opts.sources.clone();
    if !opts.sites.is_empty() && sources.only.is_none() {
        // The other sites are read from their manifests: fetch only the sites built.
        sources.only = Some(opts.sites.iter().cloned().collect());
    }
    let mut diags = Diagnostics::new();
    crate::sources::prepare(&cluster.root, &mut cluster.sites, &sources, &mut diags);
    // A repository that cannot be fetched is its site's problem: that site is held back.
    let mut own = Diagnostics::new();
    for d in diags {
        match held::owner(&cluster, &d).filter(|_| d.is_error()) {
            Some(site) => {
                let id = cluster.sites[site].id.clone();
                cluster.site_errors.push((id, d));
            }
            None => own.push(d),
        }
    }
    if own.has_errors() {
        own.extend(cluster.site_errors.drain(..).map(|(_, d)| d));
        return Err(own);
    }
    cluster.warnings.extend(own);
    Ok(cluster)
}

/// The cluster loaded again with the sites left out of its tree (their site file leaves
/// their place unknown) at the places the previous build gave them, so that a build holds
/// them back like any site with errors instead of dropping them and what they offered.
fn place_left_out(cluster: Cluster, opts: &Options) -> Result<Cluster, Diagnostics> {
    if cluster.left_out.is_empty() || opts.keep_going || !opts.previous.is_empty() {
        return Ok(cluster);
    }
    let Ok(out_dir) = paths::output_dir(&cluster, opts.out.as_deref()) else {
        return Ok(cluster);
    };
    let previous: BTreeMap<String, config::PreviousPlace> = cluster
        .left_out
        .iter()
        .filter_map(|id| Some((id.clone(), manifest::previous_place(&out_dir, id)?)))
        .collect();
    if previous.is_empty() {
        return Ok(cluster);
    }
    let again = Options {
        previous,
        ..opts.clone()
    };
    load_cluster(&again)
}

/// The steps between discovering and rendering: stores what was found, links the sites and
/// renders the Markdown, reusing the bodies of clean sites from `previous` (for updates).
/// Pages that could not be read are left out; their errors are returned beside the model.
pub fn link(
    cluster: &Cluster,
    found: &Store<SiteKey, Discovered>,
    previous: Option<Previous>,
    words: &Words,
    timings: &mut Timings,
) -> (Linked, Diagnostics) {
    let (library, mut diags) = timed(timings, "assemble", || {
        content::assemble(
            cluster,
            found,
            previous.as_ref().map(|p| (p.library, p.dirty)),
        )
    });
    let old_words = previous.as_ref().map(|p| (p.words, p.dirty));
    let found_words = timed(timings, "words", || {
        words_per_site(cluster, &library, words, old_words)
    });
    let (federation, link_diags) = timed(timings, "link", || federation::link(cluster, &library));
    diags.extend(link_diags);
    let (bodies, body_diags) = timed(timings, "markdown", || {
        render::bodies::render_reusing(cluster, &library, previous)
    });
    diags.extend(body_diags);
    diags.extend(crate::markdown::links::menu_problems(cluster, &library));
    diags.extend(found_words.iter().flatten().cloned());
    let (errors, mut warnings): (Vec<Diagnostic>, Vec<Diagnostic>) =
        diags.into_iter().partition(Diagnostic::is_error);
    warnings.extend(federation.warnings.iter().cloned());
    let linked = Linked {
        library,
        federation,
        bodies,
        warnings,
        words: found_words,
    };
    (linked, errors.into_iter().collect())
}

/// The wrong words found per site.
type WordsFound = Store<SiteKey, Vec<Diagnostic>>;

/// The wrong words in the titles, summaries and bodies of each site's pages; a clean site's
/// from the previous link (an update reads only the changed sites again).
fn words_per_site(
    cluster: &Cluster,
    library: &Library,
    words: &Words,
    previous: Option<(&WordsFound, &Store<SiteKey, bool>)>,
) -> WordsFound {
    use rayon::prelude::*;
    let sites: Vec<SiteKey> = cluster.sites.keys().collect();
    sites
        .par_iter()
        .map(|&s| match previous {
            Some((old, dirty)) if !dirty[s] => old[s].clone(),
            // Pages in parallel too: a site of 5,000 pages was one core's work.
            _ => library.sites[s]
                .pages
                .par_iter()
                .flat_map_iter(|&k| page_words(words, &library.pages[k]))
                .collect(),
        })
        .collect::<Vec<_>>()
        .into_iter()
        .collect()
}

/// The wrong words of one page, at their places in its file.
fn page_words(words: &Words, page: &content::Page) -> Vec<Diagnostic> {
    let path = &page.source;
    let mut out = words.check(path, &page.title, page.title_at);
    if let (Some(summary), Some(at)) = (&page.meta.summary, page.summary_at) {
        out.extend(words.check(path, summary, at));
    }
    out.extend(words.check(path, &page.body, (page.body_line, 1)));
    out
}

/// Drafts as asked; pages dated after the run's moment wait unless `--future`.
fn discover_options(cluster: &Cluster, opts: &Options) -> DiscoverOptions {
    DiscoverOptions {
        drafts: opts.drafts,
        until: (!opts.future).then_some(cluster.settings.now),
    }
}

/// Every site from its sources, or with `--site`, the named sites from their sources and the
/// others from the manifests of the previous output (with the errors of unreadable ones).
fn discover(
    cluster: &Cluster,
    opts: &Options,
    selected: &[SiteKey],
    out_dir: &std::path::Path,
) -> (Store<SiteKey, Discovered>, Diagnostics) {
    let mut found: Store<SiteKey, Discovered> = cluster
        .sites
        .keys()
        .map(|_| Discovered::default())
        .collect();
    let options = discover_options(cluster, opts);
    for (i, d) in content::discover_sites(cluster, options, selected) {
        found[i] = d;
    }
    let mut manifest_errors = Diagnostics::new();
    if opts.sites.is_empty() {
        return (found, manifest_errors);
    }
    for i in cluster.sites.keys().filter(|i| !selected.contains(i)) {
        match manifest::read(cluster, i, out_dir) {
            Ok(d) => found[i] = d,
            Err(e) => manifest_errors.push(e),
        }
    }
    (found, manifest_errors)
}

/// A cluster rendered whole in memory (check, the in-process test harness).
pub struct Rendered {
    /// The driver that rendered it.
    pub driver: Driver,
    /// Every output file of the selected sites.
    pub outputs: Outputs,
    /// Step timings.
    pub timings: Timings,
}

impl Rendered {
    /// Adds every selected site's search data and index (which `check` does not need).
    pub fn add_search(&mut self) {
        let (model, selected) = (self.driver.model(), &self.driver.selected);
        let outputs = &mut self.outputs;
        let corpus = crate::search::Corpus::read(
            model,
            selected,
            Some(&mut |files| add_search_files(outputs, files)),
        );
        add_search_files(outputs, corpus.indexes(&self.driver.cluster, selected));
    }
}

/// Loads, links and renders the selected sites without writing anything (no search index:
/// see [`Rendered::add_search`]); any site's errors are the result, as with `--strict`.
pub fn render_all(opts: Options, progress: &dyn Progress) -> Result<Rendered, BuildError> {
    let mut timings = Timings::new();
    let driver = Driver::load(opts, &mut timings)?;
    // In memory there is no previous output to hold a site back at: its errors are the result.
    if !driver.held.is_empty() {
        let errors = driver.held.iter().flat_map(|h| h.errors.iter().cloned());
        let errors: Diagnostics = errors.collect();
        return Err(BuildError::Content(errors.relative_to(&driver.opts.root)));
    }
    let selected = driver.selected.clone();
    let outputs = driver
        .render(&selected, progress, &mut timings)
        .map_err(BuildError::Content)?;
    Ok(Rendered {
        driver,
        outputs,
        timings,
    })
}

/// A cluster written to a temporary folder and loaded by the driver, for the unit tests of
/// every stage.
#[cfg(test)]
pub(crate) mod testing {
    use super::{Driver, Options, Timings};

    /// A city `city`, a county `county` under it, schools `a` and `b` under the county:
    /// `files` are written over that skeleton (paths relative to the cluster root).
    pub fn cluster(files: &[(&str, &str)]) -> (tempfile::TempDir, Driver) {
        let tmp = tempfile::tempdir().expect("temp dir");
        let skeleton = [
            ("sites/city.yaml", "name: 市教育局\nkind: city\n"),
            (
                "sites/county.yaml",
                "name: 区教育局\nkind: county\nparent: city\n",
            ),
            (
                "sites/a.yaml",
                "name: 甲小学\nkind: school\nparent: county\n",
            ),
            (
                "sites/b.yaml",
                "name: 乙小学\nkind: school\nparent: county\n",
            ),
        ];
        for (path, text) in skeleton.iter().chain(files) {
            let p = tmp.path().join(path);
            std::fs::create_dir_all(p.parent().expect("a folder")).expect("folder");
            std::fs::write(p, text).expect("write");
        }
        let driver = load(tmp.path());
        (tmp, driver)
    }

    /// The cluster at `root`, loaded at a fixed moment (2026-06-01).
    pub fn load(root: &std::path::Path) -> Driver {
        let opts = Options {
            root: root.to_path_buf(),
            dry_run: true,
            now: chrono::DateTime::parse_from_rfc3339("2026-06-01T08:00:00+08:00").ok(),
            ..Default::default()
        };
        match Driver::load(opts, &mut Timings::new()) {
            Ok(d) => d,
            Err(super::BuildError::Content(d)) => panic!("{:?}", d.into_sorted()),
            Err(e) => panic!("{e}"),
        }
    }

    /// A news page, offered up when `up`.
    pub fn news(title: &str, date: &str, up: bool) -> String {
        let offer = if up { "syndicate: up\n" } else { "" };
        format!("---\ntitle: {title}\ndate: {date}\n{offer}---\n{title}的正文。\n")
    }
}
