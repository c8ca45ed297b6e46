//! The build pipeline: load -> discover -> render -> write, each step timed. Everything is
//! loaded and linked before anything is rendered, because a school page can change what the
//! city renders.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::check::links;
use crate::config::{self, Cluster, LoadOptions, SiteKey};
use crate::content::{self, DiscoverOptions, Library, SectionKind, discover::Discovered};
use crate::diagnostics::{Diagnostic, Diagnostics, Severity, did_you_mean};
use crate::federation::{self, Federation};
use crate::outputs::manifest;
use crate::outputs::{self, Outputs, writer};
use crate::render::{self, Model, Progress, bodies::Previous};
use crate::search;
use crate::store::Store;

/// What `zhanqun build` was asked to do.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// The cluster root (holding `cluster.yaml` and `sites/`).
    pub root: PathBuf,
    /// Output folder; `cluster.yaml`'s `output` (default `public`) when absent.
    pub out: Option<PathBuf>,
    /// Build only these sites (by id); the others' output is kept from the previous build.
    pub sites: Vec<String>,
    /// Include pages marked `draft: true`.
    pub drafts: bool,
    /// Serve every site from `<base-url>/<id>/`.
    pub base_url: Option<String>,
    /// Pages rendered before they are written; 0 for the default [`PAGES_PER_GROUP`].
    pub pages_per_group: usize,
    /// Leave out the search index from an in-memory render (`check` has no use for it).
    pub no_search: bool,
    /// Warnings (broken links among them) fail the build.
    pub strict: bool,
    /// Include pages dated in the future.
    pub future: bool,
    /// How content sources are fetched (`--refresh`) and which are replaced.
    pub sources: crate::sources::SourceOptions,
    /// Nothing will be written (`check --cluster`): the output folder is not validated.
    pub dry_run: bool,
}

/// What a successful build did.
#[derive(Debug)]
pub struct BuildReport {
    /// Sites built.
    pub sites: usize,
    /// HTML pages written.
    pub pages: usize,
    /// Items the built sites list from other sites.
    pub syndicated: usize,
    /// Resources (资源) the built sites publish themselves.
    pub resources: usize,
    /// Files written in all.
    pub files: usize,
    /// Of those, files unchanged since the previous build (linked, not written again).
    pub unchanged: usize,
    /// Warnings (the build succeeded).
    pub warnings: Vec<Diagnostic>,
    /// Pages left out until their date (`--future` includes them).
    pub waiting: usize,
    /// Each step with how long it took.
    pub timings: Timings,
    /// Where the output went.
    pub out_dir: PathBuf,
}

/// Why a build failed; decides the exit code.
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    /// Content or configuration errors (exit 1).
    #[error("{} error(s) in the cluster", .0.error_count())]
    Content(Diagnostics),
    /// Bad command-line usage (exit 2).
    #[error("{0}")]
    Usage(crate::i18n::Message),
    /// The output could not be written (exit 2).
    #[error(transparent)]
    Write(#[from] writer::WriteError),
}

/// A cluster loaded, discovered and rendered in memory.
pub struct Built {
    /// The site tree.
    pub cluster: Cluster,
    /// Every page.
    pub library: Library,
    /// Rendered Markdown of every page.
    pub bodies: render::Bodies,
    /// What each site shows of the others.
    pub federation: Federation,
    /// Every output file of the selected sites.
    pub outputs: Outputs,
    /// Indexes of the selected sites.
    pub selected: Vec<SiteKey>,
    /// Items the selected sites received from other sites.
    pub syndicated: usize,
    /// Step timings so far.
    pub timings: Timings,
    /// The output folder (validated, not yet written).
    pub out_dir: PathBuf,
    /// Problems that do not stop a build, from loading and linking.
    pub warnings: Vec<Diagnostic>,
}

/// Each step with how long it took, in order.
pub type Timings = Vec<(&'static str, Duration)>;

/// Runs a step and adds its time to the step's entry (steps run per group add up).
pub fn timed<T>(timings: &mut Timings, name: &'static str, f: impl FnOnce() -> T) -> T {
    let start = Instant::now();
    let out = f();
    let took = start.elapsed();
    match timings.iter_mut().find(|(n, _)| *n == name) {
        Some((_, total)) => *total += took,
        None => timings.push((name, took)),
    }
    out
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
    /// Problems found while linking that do not stop a build (broken links, vanished
    /// adoptions, overlapping lessons), paths as found.
    pub warnings: Vec<Diagnostic>,
}

impl Linked {
    /// Items the `sites` list from other sites (报送 received and 上级通知).
    pub fn received_count(&self, sites: &[SiteKey]) -> usize {
        sites
            .iter()
            .map(|&s| self.federation.received(s).count())
            .sum()
    }

    /// The model the render and output steps read.
    pub fn model<'a>(&'a self, cluster: &'a Cluster) -> Model<'a> {
        Model {
            cluster,
            library: &self.library,
            bodies: &self.bodies,
            federation: &self.federation,
        }
    }
}

/// The steps between discovering and rendering: stores what was found, links the sites and
/// renders the Markdown, reusing the bodies of clean sites from `previous` (for `serve`).
pub fn link(
    cluster: &Cluster,
    found: &Store<SiteKey, Discovered>,
    previous: Option<Previous>,
    timings: &mut Timings,
) -> Result<Linked, Diagnostics> {
    let (library, mut diags) = timed(timings, "assemble", || content::assemble(cluster, found));
    let (federation, link_diags) = timed(timings, "link", || federation::link(cluster, &library));
    diags.extend(link_diags);
    let (bodies, body_diags) = timed(timings, "markdown", || {
        render::bodies::render_reusing(cluster, &library, previous)
    });
    diags.extend(body_diags);
    if diags.has_errors() {
        return Err(diags.relative_to(&cluster.root));
    }
    let mut warnings: Vec<Diagnostic> = diags.into_iter().collect();
    warnings.extend(federation.warnings.iter().cloned());
    Ok(Linked {
        library,
        federation,
        bodies,
        warnings,
    })
}

/// Renders the pages of `sites`, then adds the files made from the rendered model. With a
/// `cache` (for `serve`), listing pages whose inputs did not change are skipped; their paths
/// are returned so the caller keeps the previous files.
pub fn render_sites(
    model: Model,
    sites: &[SiteKey],
    progress: &dyn Progress,
    cache: Option<&mut render::RenderCache>,
    timings: &mut Timings,
) -> Result<(Outputs, Vec<String>), Diagnostics> {
    let rendered = timed(timings, "render", || match cache {
        Some(cache) => render::render_incremental(model, sites, progress, cache),
        None => render::render(model, sites, progress).map(|o| (o, Vec::new())),
    });
    let (mut outputs, kept) = rendered.map_err(|d| d.relative_to(&model.cluster.root))?;
    timed(timings, "publish", || {
        outputs::publish(model, sites, &mut outputs)
    });
    let collisions = collision_problems(model, &mut outputs);
    if collisions.has_errors() {
        return Err(collisions.relative_to(&model.cluster.root));
    }
    Ok((outputs, kept))
}

/// The files of the content that wanted a generated path, as errors at the file (or, for a
/// page that would make a generated file a folder, at the page).
fn collision_problems(model: Model, outputs: &mut Outputs) -> Diagnostics {
    let mut found = std::mem::take(&mut outputs.collisions);
    found.extend(outputs.file_folder_collisions());
    found
        .into_iter()
        .map(|c| {
            let (site, in_site) = c.path.split_once('/').unwrap_or((&c.path, ""));
            let what = crate::routes::reserved(in_site).unwrap_or(in_site);
            let culprit = c.source.unwrap_or_else(|| page_under(model, site, in_site));
            content::generated_path(&culprit, in_site, what)
        })
        .collect()
}

/// The source of the page of `site` whose address lies under `path` (the page that made a
/// generated file a folder), else the site's file.
fn page_under(model: Model, site: &str, path: &str) -> PathBuf {
    let Some(key) = model.cluster.get(site) else {
        return PathBuf::from(site);
    };
    let folder = format!("{}/", path.trim_end_matches('/'));
    model.library.sites[key]
        .pages
        .iter()
        .map(|&k| &model.library.pages[k])
        .find(|p| p.path.starts_with(&folder) || folder.starts_with(&p.path))
        .map_or_else(
            || model.cluster.sites[key].config_path.clone(),
            |p| p.source.clone(),
        )
}

/// The cluster loaded, discovered and linked, ready to render.
struct Prepared {
    cluster: Cluster,
    linked: Linked,
    selected: Vec<SiteKey>,
    out_dir: PathBuf,
    timings: Timings,
    /// Pages of the selected sites dated in the future, left out.
    waiting: usize,
}

/// The steps before rendering: load, select, discover, link.
fn prepare(opts: &BuildOptions) -> Result<Prepared, BuildError> {
    let mut timings = Vec::new();
    let root = &opts.root;
    let mut sources = opts.sources.clone();
    if !opts.sites.is_empty() && sources.only.is_none() {
        // The other sites are read from their manifests: fetch only the sites built.
        sources.only = Some(opts.sites.iter().cloned().collect());
    }
    let load_opts = LoadOptions {
        base_url: opts.base_url.clone(),
        sources,
    };
    let cluster = timed(&mut timings, "load", || config::load(root, &load_opts))
        .map_err(|d| BuildError::Content(d.relative_to(root)))?;
    let selected = select(&cluster, &opts.sites)?;
    let out_dir = match output_dir(&cluster, opts.out.as_deref()) {
        Err(_) if opts.dry_run => cluster.root.join(&cluster.settings.output),
        found => found?,
    };
    let (found, manifest_errors) = timed(&mut timings, "discover", || {
        discover(&cluster, opts, &selected, &out_dir)
    });
    let waiting = selected.iter().map(|&s| found[s].waiting).sum();
    let linked = match link(&cluster, &found, None, &mut timings) {
        Ok(_) if manifest_errors.has_errors() => Err(manifest_errors),
        Ok(linked) => Ok(linked),
        Err(mut diags) => {
            diags.extend(manifest_errors);
            Err(diags)
        }
    }
    .map_err(|d| BuildError::Content(d.relative_to(root)))?;
    Ok(Prepared {
        cluster,
        linked,
        selected,
        out_dir,
        timings,
        waiting,
    })
}

/// Loads, links and renders the cluster without writing anything.
pub fn render_cluster(opts: &BuildOptions, progress: &dyn Progress) -> Result<Built, BuildError> {
    let Prepared {
        cluster,
        linked,
        selected,
        out_dir,
        mut timings,
        ..
    } = prepare(opts)?;
    let model = linked.model(&cluster);
    let (mut outputs, _) = render_sites(model, &selected, progress, None, &mut timings)
        .map_err(BuildError::Content)?;
    let corpus = timed(&mut timings, "search-read", || {
        search::Corpus::read(model, &selected, &mut |files| {
            add_search_files(&mut outputs, files)
        })
    });
    let indexes = timed(&mut timings, "search", || {
        corpus.indexes(&cluster, &selected)
    });
    add_search_files(&mut outputs, indexes);
    let syndicated = linked.received_count(&selected);
    let Linked {
        library,
        bodies,
        federation,
        warnings,
    } = linked;
    Ok(Built {
        cluster,
        library,
        bodies,
        federation,
        outputs,
        selected,
        syndicated,
        timings,
        out_dir,
        warnings,
    })
}

/// Every site from its sources, or with `--site`, the named sites from their sources and the
/// others from the manifests of the previous output (with the errors of unreadable ones).
fn discover(
    cluster: &Cluster,
    opts: &BuildOptions,
    selected: &[SiteKey],
    out_dir: &Path,
) -> (Store<SiteKey, Discovered>, Diagnostics) {
    let discover_opts = DiscoverOptions {
        drafts: opts.drafts,
        until: (!opts.future).then(|| cluster.settings.now()),
    };
    let mut found: Store<SiteKey, Discovered> = cluster
        .sites
        .keys()
        .map(|_| Discovered::default())
        .collect();
    for (i, d) in content::discover_sites(cluster, discover_opts, selected) {
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

/// Most pages rendered before they are written: the build renders and writes the sites in
/// groups of about this many pages, so memory holds one group's output, not the cluster's.
const PAGES_PER_GROUP: usize = 8_000;

/// Builds the cluster and writes it atomically to the output folder.
pub fn build(opts: &BuildOptions, progress: &dyn Progress) -> Result<BuildReport, BuildError> {
    let Prepared {
        cluster,
        linked,
        selected,
        out_dir,
        mut timings,
        waiting,
    } = prepare(opts)?;
    let model = linked.model(&cluster);
    let mut staging = writer::Staging::begin(&out_dir)?;
    let (mut pages, mut files, mut problems) = (0, 0, Diagnostics::new());
    // The index is always built; the variable exists so benches/search.py can measure its
    // cost against the same build without it.
    let with_search = std::env::var_os("ZHANQUN_BENCH_NO_SEARCH").is_none();
    let searched: &[SiteKey] = if with_search { &selected } else { &[] };
    let (corpus, exported) = search_corpus(model, searched, &out_dir, &mut staging, &mut timings)?;
    files += exported;
    let per_group = match opts.pages_per_group {
        0 => PAGES_PER_GROUP,
        n => n,
    };
    let carry_over: Vec<String> = cluster
        .sites
        .iter_keyed()
        .filter(|(i, _)| !opts.sites.is_empty() && !selected.contains(i))
        .map(|(_, s)| s.id.clone())
        .collect();
    let link_sites = links::Sites::new(&cluster);
    let mut link_targets = links::Written::keeping(&out_dir, &carry_over);
    let mut unresolved = Vec::new();
    for group in groups(&linked.library, &selected, per_group) {
        match render_sites(model, &group, progress, None, &mut timings) {
            Ok((mut outputs, _)) if !problems.has_errors() => {
                timed(&mut timings, "links", || {
                    unresolved.extend(link_targets.scan_group(&link_sites, &outputs.files));
                });
                let indexes = timed(&mut timings, "search-index", || {
                    corpus.indexes(&cluster, if with_search { &group } else { &[] })
                });
                add_search_files(&mut outputs, indexes);
                pages += outputs.html_count();
                files += outputs.files.len();
                timed(&mut timings, "write", || staging.add(&outputs))?;
            }
            Ok(_) => {}
            // Later groups are still rendered, so every template error is reported at once.
            Err(d) => problems.extend(d),
        }
    }
    if problems.has_errors() {
        return Err(BuildError::Content(problems));
    }
    let mut warnings: Vec<Diagnostic> = cluster.warnings.clone();
    warnings.extend(linked.warnings.iter().cloned());
    warnings.extend(timed(&mut timings, "links", || {
        let (library, bodies) = (&linked.library, &linked.bodies);
        links::report(
            &cluster,
            library,
            bodies,
            &link_targets,
            unresolved,
            Severity::Warning,
        )
    }));
    let warnings: Vec<Diagnostic> = warnings
        .into_iter()
        .map(|d| d.relative_to(&opts.root))
        .collect();
    if opts.strict && !warnings.is_empty() {
        return Err(BuildError::Content(strictly(warnings)));
    }
    files += index_above(&cluster, &corpus, searched, &mut staging, &mut timings)?;
    let written = timed(&mut timings, "write", || staging.finish(&carry_over))?;
    let library = &linked.library;
    let resources = selected
        .iter()
        .flat_map(|&s| library.sites[s].pages.iter())
        .filter(|&&k| library.pages[k].kind == SectionKind::Resources)
        .count();
    Ok(BuildReport {
        sites: selected.len(),
        pages,
        syndicated: linked.received_count(&selected),
        resources,
        files,
        unchanged: written.unchanged,
        warnings,
        waiting,
        timings,
        out_dir,
    })
}

/// Warnings turned into errors (`--strict`).
fn strictly(warnings: Vec<Diagnostic>) -> Diagnostics {
    let mut errors = Diagnostics::new();
    errors.extend(warnings.into_iter().map(|mut d| {
        d.severity = Severity::Error;
        d
    }));
    errors
}

/// The search documents of the selected sites, whose exports and result rows are written
/// at once; with `--site`, also those of the other sites below a bureau whose index is
/// rebuilt (a selected site or one above it), from their exports in the previous output.
fn search_corpus(
    model: Model,
    selected: &[SiteKey],
    out_dir: &Path,
    staging: &mut writer::Staging,
    timings: &mut Timings,
) -> Result<(search::Corpus, usize), BuildError> {
    let cluster = model.cluster;
    let mut export_failed = None;
    let mut exported = 0;
    let mut corpus = timed(timings, "search-read", || {
        search::Corpus::read(model, selected, &mut |found| {
            let mut exports = Outputs::default();
            add_search_files(&mut exports, found);
            exported += exports.files.len();
            if export_failed.is_none() {
                export_failed = staging.add(&exports).err();
            }
        })
    });
    if let Some(e) = export_failed {
        return Err(e.into());
    }
    let mut below: Vec<SiteKey> = indexed_sites(cluster, selected)
        .into_iter()
        .flat_map(|s| search::subtree(cluster, s))
        .filter(|s| !selected.contains(s))
        .collect();
    below.sort_unstable();
    below.dedup();
    timed(timings, "search-read", || {
        corpus.import(cluster, &below, out_dir)
    })
    .map_err(|d| BuildError::Content(d.relative_to(&cluster.root)))?;
    Ok((corpus, exported))
}

/// The selected sites and every bureau above them: the sites whose search index changes.
pub fn indexed_sites(cluster: &Cluster, selected: &[SiteKey]) -> Vec<SiteKey> {
    let mut out: Vec<SiteKey> = selected
        .iter()
        .flat_map(|&s| std::iter::once(s).chain(cluster.ancestors(s)))
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// Writes the search index of the bureaus above the selected sites that were not built
/// themselves (`build --site`); returns the number of files.
fn index_above(
    cluster: &Cluster,
    corpus: &search::Corpus,
    selected: &[SiteKey],
    staging: &mut writer::Staging,
    timings: &mut Timings,
) -> Result<usize, BuildError> {
    let above: Vec<SiteKey> = indexed_sites(cluster, selected)
        .into_iter()
        .filter(|s| !selected.contains(s))
        .collect();
    let mut outputs = Outputs::default();
    add_search_files(
        &mut outputs,
        timed(timings, "search-index", || corpus.indexes(cluster, &above)),
    );
    timed(timings, "write", || staging.add(&outputs))?;
    Ok(outputs.files.len())
}

/// Adds search files: the binary shards and maps as they are, JSON cleaned like every
/// text output.
pub fn add_search_files(outputs: &mut Outputs, files: search::SiteFiles) {
    for (path, bytes) in files {
        if path.ends_with(".bin") {
            outputs.binary(path, bytes);
        } else {
            outputs.bytes(path, bytes);
        }
    }
}

/// The selected sites in groups of about `per_group` own pages, in tree order.
fn groups(library: &Library, selected: &[SiteKey], per_group: usize) -> Vec<Vec<SiteKey>> {
    let mut out: Vec<Vec<SiteKey>> = vec![Vec::new()];
    let mut size = 0;
    for &site in selected {
        let pages = library.sites[site].pages.len();
        if size + pages > per_group && !out.last().is_some_and(Vec::is_empty) {
            out.push(Vec::new());
            size = 0;
        }
        size += pages;
        out.last_mut().expect("one group at least").push(site);
    }
    out
}

fn select(cluster: &Cluster, ids: &[String]) -> Result<Vec<SiteKey>, BuildError> {
    if ids.is_empty() {
        return Ok(cluster.sites.keys().collect());
    }
    let mut out = Vec::new();
    for id in ids {
        match cluster.get(id) {
            Some(i) if !out.contains(&i) => out.push(i),
            Some(_) => {}
            None => {
                let hint = did_you_mean(id, cluster.ids())
                    .map(|b| crate::t!("usage-site-hint", best = b.to_string()))
                    .unwrap_or_default();
                return Err(BuildError::Usage(crate::t!(
                    "usage-site-unknown",
                    id = id.clone(),
                    hint = hint
                )));
            }
        }
    }
    out.sort_unstable();
    Ok(out)
}

/// The output folder, refused when it would overwrite what a webmaster wrote.
fn output_dir(cluster: &Cluster, out: Option<&Path>) -> Result<PathBuf, BuildError> {
    let root = normalize(&absolute(&cluster.root));
    let (dir, origin, line, col) = match out {
        Some(o) => (absolute(o), PathBuf::from("--out"), 1, 1),
        None => {
            let (l, c) = cluster.settings.spans.value("output").unwrap_or((1, 1));
            (
                root.join(&cluster.settings.output),
                PathBuf::from("cluster.yaml"),
                l,
                c,
            )
        }
    };
    let dir = normalize(&dir);
    let shown = dir
        .strip_prefix(&root)
        .map_or_else(|_| dir.display().to_string(), |p| p.display().to_string());
    let reject = |what: crate::i18n::Message| {
        let message = crate::t!("output-refused", folder = shown.clone(), what = what);
        let d = Diagnostic::error(crate::codes::OUTPUT, &origin, line, col, message)
            .with_help(crate::t!("output-refused-help"));
        Err(BuildError::Content([d].into_iter().collect()))
    };
    if root.starts_with(&dir) {
        return reject(crate::t!("output-contains-cluster"));
    }
    for site in &cluster.sites {
        let content = normalize(&absolute(&site.content_dir));
        if dir.starts_with(&content) || content.starts_with(&dir) {
            return reject(crate::t!("output-overlaps", site = site.id.clone()));
        }
    }
    for special in ["sites", "themes"] {
        if dir.starts_with(root.join(special)) {
            return reject(crate::t!("output-inside", folder = special));
        }
    }
    Ok(dir)
}

fn absolute(p: &Path) -> PathBuf {
    if p.is_absolute() {
        p.to_path_buf()
    } else {
        std::env::current_dir()
            .map(|d| d.join(p))
            .unwrap_or_else(|_| p.to_path_buf())
    }
}

/// Removes `.` and `..` without touching the file system (the output may not exist yet).
fn normalize(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}
