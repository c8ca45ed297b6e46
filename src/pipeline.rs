//! The build pipeline: load -> discover -> render -> write, each step timed. Everything is
//! loaded and linked before anything is rendered, because a school page can change what the
//! city renders.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::config::{self, Cluster, LoadOptions, SiteKey};
use crate::content::{self, DiscoverOptions, Library, SectionKind, discover::Discovered};
use crate::diagnostics::{Diagnostic, Diagnostics, did_you_mean};
use crate::federation;
use crate::outputs::manifest;
use crate::outputs::{self, Outputs, writer};
use crate::render::{self, Model, Progress};
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
    /// Each step with how long it took.
    pub timings: Vec<(&'static str, Duration)>,
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
    Usage(String),
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
    /// Every output file of the selected sites.
    pub outputs: Outputs,
    /// Indexes of the selected sites.
    pub selected: Vec<SiteKey>,
    /// Items the selected sites received from other sites.
    pub syndicated: usize,
    /// Step timings so far.
    pub timings: Vec<(&'static str, Duration)>,
    /// The output folder (validated, not yet written).
    pub out_dir: PathBuf,
}

fn timed<T>(
    timings: &mut Vec<(&'static str, Duration)>,
    name: &'static str,
    f: impl FnOnce() -> T,
) -> T {
    let start = Instant::now();
    let out = f();
    timings.push((name, start.elapsed()));
    out
}

/// Loads, links and renders the cluster without writing anything.
pub fn render_cluster(opts: &BuildOptions, progress: &dyn Progress) -> Result<Built, BuildError> {
    let mut timings = Vec::new();
    let root = &opts.root;
    let load_opts = LoadOptions {
        base_url: opts.base_url.clone(),
    };
    let cluster = timed(&mut timings, "load", || config::load(root, &load_opts))
        .map_err(|d| BuildError::Content(relative(d, root)))?;
    let selected = select(&cluster, &opts.sites)?;
    let out_dir = output_dir(&cluster, opts.out.as_deref())?;
    let (library, mut diags) = timed(&mut timings, "discover", || {
        discover(&cluster, opts, &selected, &out_dir)
    });
    let (federation, link_diags) = timed(&mut timings, "link", || {
        federation::link(&cluster, &library)
    });
    diags.extend(link_diags);
    let (bodies, body_diags) = timed(&mut timings, "markdown", || {
        render::bodies::render(&cluster, &library)
    });
    diags.extend(body_diags);
    if diags.has_errors() {
        return Err(BuildError::Content(relative(diags, root)));
    }
    let model = Model {
        cluster: &cluster,
        library: &library,
        bodies: &bodies,
        federation: &federation,
    };
    let mut outputs = timed(&mut timings, "render", || {
        render::render(model, &selected, progress)
    })
    .map_err(|d| BuildError::Content(relative(d, root)))?;
    timed(&mut timings, "publish", || {
        outputs::publish(model, &selected, &mut outputs)
    });
    let syndicated = selected
        .iter()
        .map(|&s| federation.received(s).count())
        .sum();
    Ok(Built {
        cluster,
        library,
        bodies,
        outputs,
        selected,
        syndicated,
        timings,
        out_dir,
    })
}

/// Every site from its sources, or with `--site`, the named sites from their sources and the
/// others from the manifests of the previous output.
fn discover(
    cluster: &Cluster,
    opts: &BuildOptions,
    selected: &[SiteKey],
    out_dir: &Path,
) -> (Library, Diagnostics) {
    let discover_opts = DiscoverOptions {
        drafts: opts.drafts,
    };
    if opts.sites.is_empty() {
        return content::discover(cluster, discover_opts);
    }
    let mut found: Store<SiteKey, Discovered> = cluster
        .sites
        .keys()
        .map(|_| Discovered::default())
        .collect();
    for (i, d) in content::discover_sites(cluster, discover_opts, selected) {
        found[i] = d;
    }
    let mut manifest_errors = Diagnostics::new();
    for i in cluster.sites.keys().filter(|i| !selected.contains(i)) {
        match manifest::read(cluster, i, out_dir) {
            Ok(d) => found[i] = d,
            Err(e) => manifest_errors.push(e),
        }
    }
    let (library, mut diags) = content::assemble(cluster, found);
    diags.extend(manifest_errors);
    (library, diags)
}

/// Builds the cluster and writes it atomically to the output folder.
pub fn build(opts: &BuildOptions, progress: &dyn Progress) -> Result<BuildReport, BuildError> {
    let Built {
        cluster,
        library,
        outputs,
        selected,
        syndicated,
        mut timings,
        out_dir,
        ..
    } = render_cluster(opts, progress)?;
    let carry_over: Vec<String> = if opts.sites.is_empty() {
        Vec::new()
    } else {
        cluster
            .sites
            .iter_keyed()
            .filter(|(i, _)| !selected.contains(i))
            .map(|(_, s)| s.id.clone())
            .collect()
    };
    timed(&mut timings, "write", || {
        writer::write(&outputs, &out_dir, &carry_over)
    })?;
    let resources = selected
        .iter()
        .flat_map(|&s| library.sites[s].pages.iter())
        .filter(|&&k| library.pages[k].kind == SectionKind::Resources)
        .count();
    Ok(BuildReport {
        sites: selected.len(),
        pages: outputs.html_count(),
        syndicated,
        resources,
        files: outputs.files.len(),
        timings,
        out_dir,
    })
}

fn relative(diags: Diagnostics, root: &Path) -> Diagnostics {
    diags.into_iter().map(|d| d.relative_to(root)).collect()
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
                    .map(|b| format!(" (did you mean `{b}`?)"))
                    .unwrap_or_default();
                return Err(BuildError::Usage(format!(
                    "--site: unknown site `{id}`{hint}; sites are the file names in `sites/`"
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
            let path = cluster.root.join("cluster.yaml");
            let text = std::fs::read_to_string(&path).unwrap_or_default();
            let (l, c) = crate::yaml::value_position(&text, "output").unwrap_or((1, 1));
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
    let reject = |what: String| {
        let d = Diagnostic::error(crate::codes::OUTPUT, &origin, line, col, format!("the output folder `{shown}` {what}"))
            .with_help("the output folder is replaced on every build: choose one outside the content, sites and themes folders, such as `public`");
        Err(BuildError::Content([d].into_iter().collect()))
    };
    if root.starts_with(&dir) {
        return reject("contains the cluster itself".to_string());
    }
    for site in &cluster.sites {
        let content = normalize(&absolute(&site.content_dir));
        if dir.starts_with(&content) || content.starts_with(&dir) {
            return reject(format!("overlaps the content folder of site `{}`", site.id));
        }
    }
    for special in ["sites", "themes"] {
        if dir.starts_with(root.join(special)) {
            return reject(format!("is inside `{special}/`"));
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
