//! The rules for reading a content repository, applied to every read of it: which files
//! are walked (symbolic links only when they stay inside the repository's real root, hidden
//! files skipped), which names can become URLs, and how much of a file is read
//! ([`crate::read`]).

use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use crate::diagnostics::Diagnostic;
pub use crate::read::{MAX_TEXT, read_limited, read_text};

/// Every file of the repository with its `/`-separated relative path, skipping hidden files
/// and the top-level `static/` and `templates/`. Problems (links leading out of the
/// repository, link loops, names that cannot be URLs) are reported, and those files skipped.
pub fn walk(root: &Path, diagnostics: &mut Vec<Diagnostic>) -> Vec<(PathBuf, String)> {
    let inside = Inside::new(root);
    let mut refused = Vec::new();
    let mut files = Vec::new();
    let walker = WalkDir::new(root)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            let name = e.file_name().to_string_lossy();
            let top_special = e.depth() == 1 && (name == "static" || name == "templates");
            let shown = e.depth() == 0 || !(name.starts_with('.') || top_special);
            // A link is followed only when it stays inside the repository, so nothing from
            // elsewhere on the machine can be published (see docs/security.md).
            shown && (!e.path_is_symlink() || inside.check(e.path(), &mut refused))
        });
    for entry in walker {
        match entry {
            Ok(e) if e.file_type().is_file() => match rel_path(root, e.path()) {
                Ok(rel) => files.push((e.into_path(), rel)),
                Err(d) => diagnostics.push(d),
            },
            Ok(_) => {}
            Err(e) => diagnostics.push(walk_error(root, &e)),
        }
    }
    diagnostics.extend(refused);
    files
}

fn walk_error(root: &Path, e: &walkdir::Error) -> Diagnostic {
    let path = e.path().unwrap_or(root).to_path_buf();
    let msg = if e.loop_ancestor().is_some() {
        crate::t!("symlink-loop")
    } else {
        let error = e
            .io_error()
            .map_or_else(|| e.to_string(), crate::diagnostics::io_error_text);
        crate::t!("cannot-read", error = error)
    };
    Diagnostic::file_error(crate::codes::LINK_LOOP, path, msg)
        .with_help(crate::t!("walk-error-help"))
}

/// The canonical root of a content repository, for telling where symbolic links lead.
pub struct Inside {
    root: Option<PathBuf>,
}

impl Inside {
    /// The repository at `root`.
    pub fn new(root: &Path) -> Self {
        Inside {
            root: std::fs::canonicalize(root).ok(),
        }
    }

    /// True when `path` resolves to a place inside the repository; otherwise records why.
    pub fn check(&self, path: &Path, refused: &mut Vec<Diagnostic>) -> bool {
        let target = std::fs::canonicalize(path);
        let ok = matches!((&self.root, &target), (Some(root), Ok(t)) if t.starts_with(root));
        if !ok {
            let shown = std::fs::read_link(path)
                .map(|t| t.display().to_string())
                .unwrap_or_default();
            refused.push(
                Diagnostic::file_error(
                    crate::codes::LINK_OUTSIDE,
                    path,
                    crate::t!("link-outside", target = shown),
                )
                .with_help(crate::t!("link-outside-help")),
            );
        }
        ok
    }
}

/// The `/`-separated path of `path` below `root`; an error for names that cannot become a
/// URL: not UTF-8 (two such names could collide once made readable) or containing `\`
/// (browsers read it as `/`).
fn rel_path(root: &Path, path: &Path) -> Result<String, Diagnostic> {
    let rel = path.strip_prefix(root).unwrap_or(path);
    let mut parts = Vec::new();
    for c in rel.components() {
        let part = c.as_os_str();
        match part.to_str() {
            Some(p) if !p.contains('\\') => parts.push(p),
            Some(_) => {
                return Err(Diagnostic::file_error(
                    crate::codes::FILE_NAME,
                    path,
                    crate::t!("file-name-backslash"),
                )
                .with_help(crate::t!("file-name-backslash-help")));
            }
            None => {
                return Err(Diagnostic::file_error(
                    crate::codes::FILE_NAME,
                    path,
                    crate::t!(
                        "file-name-not-utf8",
                        name = part.to_string_lossy().into_owned()
                    ),
                )
                .with_help(crate::t!("file-name-not-utf8-help")));
            }
        }
    }
    Ok(parts.join("/"))
}
