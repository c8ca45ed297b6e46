//! Which files the editor may read and write: `<site>/<path>` inside the content folder of
//! an editable site, named without `..`, hidden or absolute parts, never through a symbolic
//! link out of that folder, and of an allowed kind (pages end in `.md`; attachments have
//! the extensions of [`ATTACHMENTS`]). The check here gives a clear refusal; the reads and
//! writes themselves go through [`crate::confined`], relative to a handle on the content
//! folder, so a folder swapped for a link after the check still cannot lead out.

use std::path::{Path, PathBuf};

use crate::config::{Cluster, SiteKey};

/// Extensions of the files that may be stored beside a page.
pub const ATTACHMENTS: [&str; 20] = [
    "jpg", "jpeg", "png", "gif", "webp", "pdf", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "txt",
    "csv", "zip", "rar", "7z", "mp3", "mp4", "wps",
];

/// Extensions of pictures, which are processed (metadata removed, scaled down).
pub const PICTURES: [&str; 5] = ["jpg", "jpeg", "png", "gif", "webp"];

/// A content file of an editable site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EditPath {
    /// The site.
    pub site: SiteKey,
    /// Path in the site's content folder, `/`-separated.
    pub rel: String,
    /// The file on disk.
    pub full: PathBuf,
    /// The site's content folder.
    pub dir: PathBuf,
}

impl EditPath {
    /// The content folder, opened.
    pub fn root(&self) -> std::io::Result<crate::confined::Root> {
        crate::confined::Root::open(&self.dir, false)
    }

    /// The file's bytes; `Ok(None)` when there is no file.
    pub fn read(&self) -> std::io::Result<Option<Vec<u8>>> {
        match self.root()?.read(&self.rel, crate::read::MAX_TEXT) {
            Ok(bytes) => Ok(Some(bytes)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// Writes the file through a temporary file beside it, so a reader (the build, the
    /// preview) never sees half a file.
    pub fn write(&self, bytes: &[u8]) -> std::io::Result<()> {
        self.root()?.write_atomically(&self.rel, bytes)
    }
}

/// What a path is meant to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A page (`.md`).
    Page,
    /// An attachment or picture.
    Attachment,
}

/// Why a path is refused (answered with 400).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refused(pub crate::i18n::Message);

/// Resolves `path` (`<site>/<rest>`) for a site of `editable`.
pub fn resolve(
    cluster: &Cluster,
    editable: &[SiteKey],
    path: &str,
    kind: Kind,
) -> Result<EditPath, Refused> {
    let refuse =
        |id: &'static str| Refused(crate::i18n::Message::new(id, vec![("path", path.into())]));
    let (id, rest) = path
        .split_once('/')
        .ok_or_else(|| refuse("edit-path-invalid"))?;
    if !well_formed(rest) {
        return Err(refuse("edit-path-invalid"));
    }
    let site = cluster
        .get(id)
        .filter(|s| editable.contains(s))
        .ok_or_else(|| refuse("edit-path-site"))?;
    let extension = rest
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    let allowed = match kind {
        Kind::Page => extension == "md",
        Kind::Attachment => ATTACHMENTS.contains(&extension.as_str()),
    };
    if !allowed {
        return Err(refuse("edit-path-kind"));
    }
    let dir = &cluster.sites[site].content_dir;
    let full = dir.join(rest);
    if !inside(dir, &full) {
        return Err(refuse("edit-path-invalid"));
    }
    Ok(EditPath {
        site,
        rel: rest.to_string(),
        full,
        dir: dir.clone(),
    })
}

/// A relative `/`-separated path of ordinary names (see [`crate::confined::plain_name`]).
pub fn well_formed(rel: &str) -> bool {
    !rel.is_empty() && rel.len() <= 400 && rel.split('/').all(crate::confined::plain_name)
}

/// True when `full` is inside `dir` once links are followed: the deepest part of it that
/// exists resolves inside `dir`, and `full` itself, if it exists, is not a link.
fn inside(dir: &Path, full: &Path) -> bool {
    let Ok(root) = dir.canonicalize() else {
        return false;
    };
    if std::fs::symlink_metadata(full).is_ok_and(|m| m.file_type().is_symlink()) {
        return false;
    }
    let mut existing = full;
    while !existing.exists() {
        match existing.parent() {
            Some(parent) => existing = parent,
            None => return false,
        }
    }
    existing.canonicalize().is_ok_and(|c| c.starts_with(&root))
}

/// The version of a file's content: a hash, so a save knows whether the file changed since
/// it was loaded (modification times are too coarse on some file systems).
pub fn version(bytes: &[u8]) -> String {
    format!("{:016x}", xxhash_rust::xxh3::xxh3_64(bytes))
}

/// A safe file name for an upload: letters, digits (Chinese kept), `-`, `_` and one
/// extension; other characters become `-`.
pub fn safe_name(name: &str) -> Option<String> {
    let name = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let (stem, extension) = name.rsplit_once('.')?;
    let extension = extension.to_ascii_lowercase();
    if !ATTACHMENTS.contains(&extension.as_str()) {
        return None;
    }
    let mapped: String = stem
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    let stem: String = mapped
        .split('-')
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("-");
    let stem: String = stem.chars().take(60).collect();
    let stem = if stem.is_empty() {
        "文件".to_string()
    } else {
        stem
    };
    Some(format!("{stem}.{extension}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cluster() -> (tempfile::TempDir, Cluster) {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        std::fs::create_dir_all(root.join("sites")).unwrap();
        std::fs::create_dir_all(root.join("content/a/news")).unwrap();
        std::fs::create_dir_all(root.join("content/b")).unwrap();
        std::fs::write(root.join("sites/a.yaml"), "name: A\nkind: city\n").unwrap();
        std::fs::write(
            root.join("sites/b.yaml"),
            "name: B\nkind: county\nparent: a\n",
        )
        .unwrap();
        let cluster = crate::config::load(root, &Default::default()).unwrap();
        (tmp, cluster)
    }

    #[test]
    fn only_ordinary_paths_of_editable_sites() {
        let (_tmp, c) = cluster();
        let a = c.get("a").unwrap();
        let ok = resolve(&c, &[a], "a/news/2026-11-30-x.md", Kind::Page).unwrap();
        assert_eq!(ok.rel, "news/2026-11-30-x.md");
        for bad in [
            "a/../b/x.md",
            "a//x.md",
            "a/.git/x.md",
            "/a/x.md",
            "a/news/x.txt",
            "b/x.md",
            "a/C:/x.md",
            "a/x\\..\\y.md",
            "a",
            "a/news/x.md\0",
        ] {
            assert!(resolve(&c, &[a], bad, Kind::Page).is_err(), "{bad}");
        }
        assert!(resolve(&c, &[a], "a/news/图.png", Kind::Attachment).is_ok());
        assert!(resolve(&c, &[a], "a/news/run.exe", Kind::Attachment).is_err());
    }

    #[cfg(unix)]
    #[test]
    fn links_out_of_the_content_folder_are_refused() {
        let (tmp, c) = cluster();
        let a = c.get("a").unwrap();
        std::os::unix::fs::symlink(
            tmp.path().join("content/b"),
            tmp.path().join("content/a/out"),
        )
        .unwrap();
        assert!(resolve(&c, &[a], "a/out/x.md", Kind::Page).is_err());
        std::os::unix::fs::symlink("/etc/passwd", tmp.path().join("content/a/news/p.md")).unwrap();
        assert!(resolve(&c, &[a], "a/news/p.md", Kind::Page).is_err());
    }

    #[test]
    fn upload_names_are_made_safe() {
        assert_eq!(
            safe_name("微信图片_2026 11 30.JPG").as_deref(),
            Some("微信图片_2026-11-30.jpg")
        );
        assert_eq!(safe_name("../../evil.png").as_deref(), Some("evil.png"));
        assert_eq!(safe_name("x.exe"), None);
        assert_eq!(safe_name("？？.pdf").as_deref(), Some("文件.pdf"));
    }
}
