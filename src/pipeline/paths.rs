//! Which sites a command works on, and where the output goes: never over what a
//! webmaster wrote.

use std::path::{Path, PathBuf};

use super::BuildError;
use crate::config::{Cluster, SiteKey};
use crate::diagnostics::{Diagnostic, did_you_mean};

/// The sites named by `--site` (all when none), in tree order; an unknown id is a usage
/// error with the closest id.
pub fn select(cluster: &Cluster, ids: &[String]) -> Result<Vec<SiteKey>, BuildError> {
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
pub fn output_dir(cluster: &Cluster, out: Option<&Path>) -> Result<PathBuf, BuildError> {
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
