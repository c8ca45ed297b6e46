//! The load stage: `cluster.yaml` and `sites/*.yaml` become a validated [`Cluster`], a tree of
//! sites in parent-before-child order with inherited settings filled in.

pub mod cluster;
pub mod site;
pub mod source;
mod tree;
pub mod vocab;

use crate::store::Store;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

pub use cluster::ClusterSettings;
pub use site::{Footer, MenuItem, SiteKind};

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::yaml;

crate::key_type!(
    /// Key of a site in [`Cluster::sites`].
    SiteKey
);

/// Options of the load stage that come from the command line.
#[derive(Debug, Clone, Default)]
pub struct LoadOptions {
    /// Replaces every site's base URL with `<url>/<id>/` (for previews).
    pub base_url: Option<String>,
    /// Sites whose content is read from another folder (`check --cluster`: the repository
    /// being checked), whatever their site file says.
    pub overrides: BTreeMap<String, PathBuf>,
    /// Where the previous build placed sites whose site file now leaves their place
    /// unknown (unreadable, no `kind`, an unknown `parent`): they stay there, held back.
    pub previous: BTreeMap<String, PreviousPlace>,
}

/// A site's place in the previous build's tree (from its manifest).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PreviousPlace {
    /// Its name.
    pub name: String,
    /// Its kind (`school` …).
    pub kind: String,
    /// Its parent's id.
    pub parent: Option<String>,
}

/// One site, validated, with everything inherited from its ancestors.
#[derive(Debug, Clone)]
pub struct Site {
    /// File stem of `sites/<id>.yaml`.
    pub id: String,
    /// 网站名称.
    pub name: String,
    /// city | county | school | studio.
    pub kind: SiteKind,
    /// Parent site, `None` for the root.
    pub parent: Option<SiteKey>,
    /// Direct children, in id order.
    pub children: Vec<SiteKey>,
    /// 0 for the root.
    pub depth: usize,
    /// Absolute URL ending in `/`.
    pub base_url: String,
    /// The content repository (for a git source, its checkout under `.zhanqun/`).
    pub content_dir: PathBuf,
    /// The git source, when `content:` names one.
    pub git: Option<source::GitSource>,
    /// The commit the content was read at (git sources).
    pub commit: Option<String>,
    /// Web editor URL pattern (`{ref}`, `{path}`), for 编辑此页 links.
    pub edit_url: Option<String>,
    /// Theme name (own, else the parent's, else the cluster's).
    pub theme: String,
    /// Own menu or the nearest ancestor's; `None` means built from the sections.
    pub menu: Option<Vec<MenuItem>>,
    /// Footer, inherited key by key.
    pub footer: Footer,
    /// 索引号前段码.
    pub org_code: Option<String>,
    /// Sections accepted from descendants.
    pub accept: Vec<String>,
    /// Levels down from which items are accepted; `None` is unlimited.
    pub accept_depth: Option<u32>,
    /// Offered items are listed only once adopted (采用, `adopted.yaml`).
    pub review: bool,
    /// Free-form template values.
    pub params: BTreeMap<String, yaml::Value>,
    /// `sites/<id>.yaml`.
    pub config_path: PathBuf,
    /// Where each key of the site file is written, for errors found later (menu links).
    pub spans: crate::yaml::Spans,
}

/// The whole validated site tree and the cluster settings.
#[derive(Debug, Clone)]
pub struct Cluster {
    /// The folder holding `cluster.yaml` and `sites/`.
    pub root: PathBuf,
    /// Cluster-wide settings.
    pub settings: ClusterSettings,
    /// Every site, parents before children, siblings in id order.
    pub sites: Store<SiteKey, Site>,
    by_id: HashMap<String, SiteKey>,
    /// Warnings found while loading (a site whose content folder does not exist yet).
    pub warnings: Vec<Diagnostic>,
    /// Errors of the site files of sites in the tree, by site id: what was read of the
    /// file is used, and a build holds the site back.
    pub site_errors: Vec<(String, Diagnostic)>,
    /// Sites whose place in the tree is unknown (a file that cannot be read, no `kind`, an
    /// unknown or looping `parent`) and the sites below them: not in `sites` this run.
    pub left_out: Vec<String>,
}

impl Cluster {
    /// The site with this id.
    pub fn get(&self, id: &str) -> Option<SiteKey> {
        self.by_id.get(id).copied()
    }

    /// Display name of the cluster: configured, else the root site's name.
    pub fn name(&self) -> &str {
        self.settings
            .name
            .as_deref()
            .unwrap_or_else(|| self.sites.iter().next().map_or("", |s| s.name.as_str()))
    }

    /// Ancestors of a site, nearest first.
    pub fn ancestors(&self, idx: SiteKey) -> impl Iterator<Item = SiteKey> + '_ {
        std::iter::successors(self.sites[idx].parent, move |&p| self.sites[p].parent)
    }

    /// Sites ids in tree order.
    pub fn ids(&self) -> impl Iterator<Item = &str> {
        self.sites.iter().map(|s| s.id.as_str())
    }
}

/// Reads and validates the cluster at `root`; every problem found is returned.
pub fn load(root: &Path, options: &LoadOptions) -> Result<Cluster, Diagnostics> {
    let mut diags = Diagnostics::new();
    let settings = load_settings(root, options, &mut diags);
    let (files, broken) = read_site_files(root, &options.previous, &mut diags);
    let (mut sites, left_out) = tree::build(
        root,
        &settings,
        files,
        (&broken, &options.previous),
        &mut diags,
    );
    for site in sites.iter_mut() {
        if let Some(dir) = options.overrides.get(&site.id) {
            site.content_dir.clone_from(dir);
            site.git = None;
        }
    }
    // A mistake of one site file is that site's: the cluster loads without it (when its
    // place in the tree is unknown) or with what could be read, and the build holds the
    // site back. Only the cluster's own files, or a tree without a root, stop everything.
    let site_files: HashMap<PathBuf, String> = sites
        .iter()
        .map(|s| (s.config_path.clone(), s.id.clone()))
        .collect();
    let mut site_errors: Vec<(String, Diagnostic)> = Vec::new();
    let mut rest = Diagnostics::new();
    for d in diags.into_sorted() {
        let owner = site_files
            .get(&d.path)
            .cloned()
            .or_else(|| site_file_id(root, &d.path));
        match owner {
            Some(id) if d.is_error() => site_errors.push((id, d)),
            _ => rest.push(d),
        }
    }
    if rest.has_errors() || sites.is_empty() {
        rest.extend(site_errors.into_iter().map(|(_, d)| d));
        return Err(rest);
    }
    let left_out = with_unreadable(left_out, &sites, &site_errors);
    let by_id = sites.iter_keyed().map(|(i, s)| (s.id.clone(), i)).collect();
    Ok(Cluster {
        root: root.to_path_buf(),
        settings,
        sites,
        by_id,
        warnings: rest.into_iter().collect(),
        site_errors,
        left_out,
    })
}

/// `left_out` and the site files that could not even be named (`sites/Bad_Id.yaml`): they
/// are held back like the others, so their errors are reported with them.
fn with_unreadable(
    mut left_out: Vec<String>,
    sites: &Store<SiteKey, Site>,
    site_errors: &[(String, Diagnostic)],
) -> Vec<String> {
    for (id, _) in site_errors {
        if !left_out.contains(id) && !sites.iter().any(|s| &s.id == id) {
            left_out.push(id.clone());
        }
    }
    left_out.sort();
    left_out
}

/// The id of `sites/<id>.yaml` when `path` is a site file of the cluster at `root`.
fn site_file_id(root: &Path, path: &Path) -> Option<String> {
    let rel = path.strip_prefix(root).unwrap_or(path);
    let mut parts = rel.components();
    let folder = parts.next()?.as_os_str();
    let file = Path::new(parts.next()?.as_os_str());
    (folder == "sites" && parts.next().is_none() && file.extension().is_some_and(|e| e == "yaml"))
        .then(|| file.file_stem()?.to_str().map(str::to_string))
        .flatten()
}

fn load_settings(root: &Path, options: &LoadOptions, diags: &mut Diagnostics) -> ClusterSettings {
    let path = root.join("cluster.yaml");
    let mut settings = match std::fs::read_to_string(&path) {
        Ok(text) => cluster::parse(&text, &path).unwrap_or_else(|errs| {
            diags.extend(errs);
            ClusterSettings::default()
        }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let mut s = ClusterSettings::default();
            s.now = cluster::clock(&s.timezone);
            s
        }
        Err(e) => {
            diags.push(Diagnostic::file_error(
                crate::codes::UNREADABLE,
                &path,
                crate::t!("cannot-read", error = crate::diagnostics::io_error_text(&e)),
            ));
            ClusterSettings::default()
        }
    };
    if let Some(url) = &options.base_url {
        match cluster::normalize_base_url(url) {
            Ok(url) => {
                settings.base_url = url;
                settings.base_url_forced = true;
            }
            Err(msg) => diags.push(Diagnostic::file_error(
                crate::codes::INVALID_VALUE,
                "--base-url",
                msg,
            )),
        }
    }
    settings
}

/// A site file that parsed, with its id, path and text.
pub(crate) struct ParsedSite {
    id: String,
    path: PathBuf,
    spans: crate::yaml::Spans,
    file: site::SiteFile,
}

/// The site files that parsed, and the ids of those that did not.
fn read_site_files(
    root: &Path,
    previous: &BTreeMap<String, PreviousPlace>,
    diags: &mut Diagnostics,
) -> (Vec<ParsedSite>, std::collections::HashSet<String>) {
    let mut broken = std::collections::HashSet::new();
    let dir = root.join("sites");
    let entries = match std::fs::read_dir(&dir) {
        Ok(entries) => entries,
        Err(e) => {
            let error = crate::diagnostics::io_error_text(&e);
            let message = crate::t!("sites-unreadable", error = error);
            let d = Diagnostic::file_error(crate::codes::UNREADABLE, &dir, message);
            diags.push(d.with_help(crate::t!("sites-unreadable-help")));
            return (Vec::new(), broken);
        }
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    let mut out = Vec::new();
    for path in paths {
        let Some((id, text)) = site_file(&path, diags) else {
            continue;
        };
        let spans = crate::yaml::Spans::parse(&text);
        let (file, errors) = site::read(&text, &spans, &path);
        let unplaced = file.as_ref().is_none_or(|f| f.kind.is_none()) && !errors.is_empty();
        diags.extend(errors);
        // A file without its kind cannot be placed in the tree (like one that cannot be
        // read), unless the previous build placed the site.
        let file = match (file, previous.get(&id)) {
            (f, Some(place)) if unplaced => Some(site::placed_as(f, place)),
            (f, _) => f,
        };
        match file.filter(|f| f.kind.is_some()) {
            Some(file) => out.push(ParsedSite {
                id,
                path,
                spans,
                file,
            }),
            None => {
                broken.insert(id);
            }
        }
    }
    if out.is_empty() && !diags.has_errors() {
        let d = Diagnostic::file_error(crate::codes::NO_SITES, &dir, crate::t!("sites-none"));
        diags.push(d.with_help(crate::t!("sites-none-help")));
    }
    (out, broken)
}

/// The id and text of a site file (`sites/<id>.yaml`); `None` for other files, and for a
/// `.yml`, a bad id or an unreadable file (with the problem recorded).
fn site_file(path: &Path, diags: &mut Diagnostics) -> Option<(String, String)> {
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
    if ext == "yml" {
        let d = Diagnostic::file_error(crate::codes::SITE_ID, path, crate::t!("site-file-yml"));
        diags.push(d.with_help(crate::t!("site-file-yml-help")));
        return None;
    }
    if ext != "yaml" {
        return None;
    }
    let id = path
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("")
        .to_string();
    if !site::is_valid_id(&id) {
        let message = crate::t!("site-id-invalid", id = id.clone());
        let d = Diagnostic::file_error(crate::codes::SITE_ID, path, message);
        diags.push(d.with_help(crate::t!("site-id-invalid-help")));
        return None;
    }
    match crate::read::read_text(path) {
        Ok(text) => Some((id, text)),
        Err(d) => {
            diags.push(d);
            None
        }
    }
}
