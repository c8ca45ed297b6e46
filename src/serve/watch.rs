//! File watching: notify events, debounced, classified into the [`Change`]s the live model
//! understands before anything is rebuilt.

use std::path::{Path, PathBuf};
use std::sync::mpsc::Sender;
use std::time::Duration;

use notify::RecursiveMode;
use notify::event::{EventKind, MetadataKind, ModifyKind};
use notify_debouncer_full::{DebounceEventResult, Debouncer, RecommendedCache, new_debouncer};

use crate::config::Cluster;

/// What a changed file means for the build.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Change {
    /// A file of this site's content repository (page, `_index.md`, asset, static, template).
    Content(String),
    /// `cluster.yaml` or a file in `sites/`.
    Config,
    /// A file in `themes/`.
    Theme,
}

/// Classifies changed paths; paths outside the cluster's inputs (the output, editor swap
/// files, `.git`) are ignored.
pub fn classify(cluster: &Cluster, root: &Path, paths: &[PathBuf]) -> Vec<Change> {
    let mut out: Vec<Change> = paths
        .iter()
        .filter_map(|p| classify_one(cluster, root, p))
        .collect();
    out.sort();
    out.dedup();
    out
}

fn classify_one(cluster: &Cluster, root: &Path, path: &Path) -> Option<Change> {
    let name = path.file_name()?.to_string_lossy();
    if name.starts_with('.')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".tmp")
    {
        return None;
    }
    if path.components().any(|c| c.as_os_str() == ".git") {
        return None;
    }
    // The longest matching content folder wins, so nested repositories are attributed right.
    let site = cluster
        .sites
        .iter()
        .filter(|s| path.starts_with(&s.content_dir))
        .max_by_key(|s| s.content_dir.as_os_str().len());
    if let Some(s) = site {
        return Some(Change::Content(s.id.clone()));
    }
    let rel = path.strip_prefix(root).ok()?;
    let first = rel.components().next()?.as_os_str().to_string_lossy();
    match first.as_ref() {
        "cluster.yaml" | "sites" | crate::check::words::FILE => Some(Change::Config),
        "themes" => Some(Change::Theme),
        _ => None,
    }
}

fn is_write(kind: &EventKind) -> bool {
    match kind {
        EventKind::Create(_) | EventKind::Remove(_) => true,
        EventKind::Modify(ModifyKind::Metadata(m)) => !matches!(m, MetadataKind::AccessTime),
        EventKind::Modify(_) => true,
        EventKind::Access(_) | EventKind::Any | EventKind::Other => false,
    }
}

/// A running watcher; dropping it stops watching.
pub type Watcher = Debouncer<notify::RecommendedWatcher, RecommendedCache>;

/// Watches the cluster's inputs and sends the changed paths, debounced, to `tx`.
pub fn start(
    cluster: &Cluster,
    root: &Path,
    tx: Sender<super::extension::Msg>,
) -> notify::Result<Watcher> {
    // Short: editors save in one write or a write and a rename, microseconds apart, and
    // the wait is part of every edit's time to the browser. A save split wider is read
    // half-written at worst, and its last event brings the build up to date.
    let mut debouncer = new_debouncer(
        Duration::from_millis(10),
        None,
        move |res: DebounceEventResult| {
            if let Ok(events) = res {
                // Reads are reported too (and every build reads every file): only writes count.
                let paths: Vec<PathBuf> = events
                    .into_iter()
                    .filter(|e| is_write(&e.event.kind))
                    .flat_map(|e| e.event.paths.clone())
                    .collect();
                if !paths.is_empty() {
                    let _ = tx.send(super::extension::Msg::Changed(paths));
                }
            }
        },
    )?;
    for p in watched_paths(cluster, root) {
        let mode = if p.is_dir() {
            RecursiveMode::Recursive
        } else {
            RecursiveMode::NonRecursive
        };
        debouncer.watch(&p, mode)?;
    }
    Ok(debouncer)
}

/// The paths to watch: the cluster's configuration and themes, and the folders holding the
/// sites' content, as few as possible. The debouncer compares every event's path (reads
/// included) with each watched folder: 2,063 site folders made that 16 % of a city's
/// `serve` start, where their one `content/` folder costs nothing.
fn watched_paths(cluster: &Cluster, root: &Path) -> Vec<PathBuf> {
    let mut watched: Vec<PathBuf> = [
        root.join("cluster.yaml"),
        root.join("sites"),
        root.join("themes"),
        root.join(crate::check::words::FILE),
    ]
    .into_iter()
    .filter(|p| p.exists())
    .collect();
    let mut content: Vec<PathBuf> = cluster
        .sites
        .iter()
        .map(|s| {
            // The folder above a site's content, unless that is the root: the root holds
            // the output, whose every write would wake the debouncer.
            match s.content_dir.parent() {
                Some(up) if up.starts_with(root) && up != root && up.is_dir() => up.to_path_buf(),
                _ => s.content_dir.clone(),
            }
        })
        .collect();
    // Sorted, a folder comes right before the folders inside it.
    content.sort();
    content.dedup();
    for dir in content {
        if !watched.iter().any(|w| dir.starts_with(w)) {
            watched.push(dir);
        }
    }
    watched
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changes_are_classified() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        std::fs::create_dir_all(root.join("sites")).unwrap();
        std::fs::create_dir_all(root.join("content/a/news")).unwrap();
        std::fs::write(root.join("sites/a.yaml"), "name: A\nkind: city\n").unwrap();
        let cluster = crate::config::load(root, &Default::default()).unwrap();
        let c = |p: &str| classify(&cluster, root, &[root.join(p)]);
        assert_eq!(c("content/a/news/x.md"), [Change::Content("a".into())]);
        assert_eq!(c("content/a/news/photo.jpg"), [Change::Content("a".into())]);
        assert_eq!(c("sites/a.yaml"), [Change::Config]);
        assert_eq!(c("cluster.yaml"), [Change::Config]);
        assert_eq!(c("words.yaml"), [Change::Config]);
        assert_eq!(c("themes/default/templates/page.html"), [Change::Theme]);
        assert!(c("content/a/news/.x.md.swp").is_empty());
        assert!(c("public/a/index.html").is_empty());
        assert!(c("content/a/.git/index").is_empty());
    }

    #[test]
    fn the_sites_content_folders_are_watched_through_the_folder_above_them() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        std::fs::create_dir_all(root.join("sites")).unwrap();
        for (id, kind) in [("a", "city"), ("b", "school")] {
            std::fs::create_dir_all(root.join("content").join(id)).unwrap();
            let parent = if id == "b" { "parent: a\n" } else { "" };
            let yaml = format!("name: {id}\nkind: {kind}\n{parent}");
            std::fs::write(root.join(format!("sites/{id}.yaml")), yaml).unwrap();
        }
        let cluster = crate::config::load(root, &Default::default()).unwrap();
        let watched = watched_paths(&cluster, root);
        assert_eq!(watched, [root.join("sites"), root.join("content")]);
    }
}
