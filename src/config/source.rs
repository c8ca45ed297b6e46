//! A site's `content:` as written: a folder of the cluster or a git repository, and where a
//! git source's files are checked out. Fetching is `crate::sources`' work, which the driver
//! runs after loading.

use std::path::{Component, Path, PathBuf};

use serde::Deserialize;

/// Where a site's content comes from, as `content:` says.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(untagged)]
pub enum ContentSource {
    /// A folder, relative to the cluster root.
    Folder(String),
    /// A git repository.
    Git(GitSource),
}

/// `content: {git: URL, ref: BRANCH|TAG|COMMIT, path: SUBFOLDER}`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GitSource {
    /// The repository: https, ssh, `file://` or a local path (relative to the cluster root).
    pub git: String,
    /// Branch, tag or commit id; the repository's default branch when absent.
    #[serde(rename = "ref")]
    pub reference: Option<String>,
    /// The folder of the repository that holds the content; the whole repository when absent.
    pub path: Option<String>,
}

impl GitSource {
    /// The URL given to git: a local path is made absolute against the cluster root.
    pub fn url(&self, root: &Path) -> String {
        let remote = self.git.contains("://") || scp_like(&self.git);
        if remote {
            self.git.clone()
        } else {
            root.join(&self.git).display().to_string()
        }
    }

    /// The content folder inside the checkout, when `path` stays inside the repository.
    pub fn subfolder(&self) -> Option<PathBuf> {
        let path = Path::new(self.path.as_deref().unwrap_or(""));
        path.components()
            .all(|c| matches!(c, Component::Normal(_) | Component::CurDir))
            .then(|| path.to_path_buf())
    }
}

/// `user@host:path`, git's short form of an SSH URL.
fn scp_like(url: &str) -> bool {
    match url.split_once(':') {
        Some((host, _)) => host.contains('@') && !host.contains('/'),
        None => false,
    }
}

/// The cache folder of a cluster (the cluster's own repository, which no school writes).
pub fn cache_dir(root: &Path) -> PathBuf {
    root.join(".zhanqun")
}

/// The folder the files of a git-sourced site are written to.
pub fn checkout_dir(root: &Path, id: &str) -> PathBuf {
    cache_dir(root).join("checkouts").join(id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_paths_are_made_absolute_and_remote_urls_kept() {
        let root = Path::new("/cluster");
        let src = |git: &str| GitSource {
            git: git.to_string(),
            reference: None,
            path: None,
        };
        assert_eq!(src("../repos/a").url(root), "/cluster/../repos/a");
        assert_eq!(src("file:///srv/a.git").url(root), "file:///srv/a.git");
        assert_eq!(
            src("git@gitee.com:jb/a.git").url(root),
            "git@gitee.com:jb/a.git"
        );
        assert_eq!(src("https://h/a.git").url(root), "https://h/a.git");
    }

    #[test]
    fn a_path_may_not_leave_the_repository() {
        let with = |p: &str| GitSource {
            git: "x".to_string(),
            reference: None,
            path: Some(p.to_string()),
        };
        assert_eq!(
            with("site/content").subfolder(),
            Some(PathBuf::from("site/content"))
        );
        assert_eq!(with("../other").subfolder(), None);
        assert_eq!(with("/etc").subfolder(), None);
    }
}
