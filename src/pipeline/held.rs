//! Errors belong to their site. A site whose own content or site file has errors is held
//! back: its previous output stays published as it was, and the rest of the cluster is
//! built as if that site were not built in this run — read from its previous
//! `_zhanqun/manifest.json`, exactly as `build --site` reads the sites it does not build, so
//! what it offered up and what it received keep their last good state. A site with errors
//! and no previous output (a new school) is left out, never published empty. The sites
//! below a held-back site are built as usual. Only the cluster's own files (`cluster.yaml`,
//! the themes, `words.yaml`) and `--strict` stop everything.

use std::collections::BTreeMap;
use std::path::Path;

use crate::config::{Cluster, SiteKey};
use crate::content::discover::Discovered;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::outputs::manifest;
use crate::store::Store;

/// A site not built in this run because of its own errors.
#[derive(Debug, Clone)]
pub struct HeldBack {
    /// Its id.
    pub id: String,
    /// Its name (the id when its file could not be read).
    pub name: String,
    /// Its errors, paths as found.
    pub errors: Vec<Diagnostic>,
    /// Its previous output stays published; `false` for a site that had none.
    pub kept: bool,
}

/// The site whose file or content `d` is about, if any.
pub fn owner(cluster: &Cluster, d: &Diagnostic) -> Option<SiteKey> {
    let path = if d.path.is_absolute() {
        d.path.clone()
    } else {
        cluster.root.join(&d.path)
    };
    cluster
        .sites
        .iter_keyed()
        .filter(|(_, s)| s.config_path == path || path.starts_with(&s.content_dir))
        .max_by_key(|(_, s)| s.content_dir.components().count())
        .map(|(k, _)| k)
}

/// Errors by the site they belong to, and the cluster's own errors.
pub fn attribute(
    cluster: &Cluster,
    errors: Diagnostics,
) -> (BTreeMap<SiteKey, Vec<Diagnostic>>, Diagnostics) {
    let mut by_site: BTreeMap<SiteKey, Vec<Diagnostic>> = BTreeMap::new();
    let mut own = Diagnostics::new();
    for d in errors.into_sorted() {
        match owner(cluster, &d).filter(|_| d.is_error()) {
            Some(site) => by_site.entry(site).or_default().push(d),
            None => own.push(d),
        }
    }
    (by_site, own)
}

/// Each site of `by_site` read from its previous output instead of its sources (or left
/// empty when it has none), and taken out of `selected`.
pub fn read_previous(
    cluster: &Cluster,
    by_site: BTreeMap<SiteKey, Vec<Diagnostic>>,
    out_dir: &Path,
    found: &mut Store<SiteKey, Discovered>,
    selected: &mut Vec<SiteKey>,
) -> Vec<HeldBack> {
    let mut held = Vec::new();
    for (site, errors) in by_site {
        let previous = manifest::read(cluster, site, out_dir).ok();
        let kept = previous.is_some();
        found[site] = previous.unwrap_or_default();
        selected.retain(|&s| s != site);
        let s = &cluster.sites[site];
        held.push(HeldBack {
            id: s.id.clone(),
            name: s.name.clone(),
            errors,
            kept,
        });
    }
    held
}

/// The sites left out of the tree (their place is unknown), with their site files' errors.
pub fn left_out(cluster: &Cluster, out_dir: &Path) -> Vec<HeldBack> {
    cluster
        .left_out
        .iter()
        .map(|id| HeldBack {
            id: id.clone(),
            name: id.clone(),
            errors: cluster
                .site_errors
                .iter()
                .filter(|(owner, _)| owner == id)
                .map(|(_, d)| d.clone())
                .collect(),
            kept: crate::config::site::is_valid_id(id) && out_dir.join(id).is_dir(),
        })
        .collect()
}
