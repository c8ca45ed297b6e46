//! Reading a text file the way every read of the project does: a regular file (never a
//! device or a pipe that never ends), at most [`MAX_TEXT`] bytes, in UTF-8; each refusal a
//! diagnostic at the file. Content repositories add their own rules on top
//! (`content::files`).

use std::io::Read;
use std::path::Path;

use crate::diagnostics::Diagnostic;

/// The largest text file of a repository that is read (Markdown, YAML): a page of this size
/// is already far beyond anything written by hand.
pub const MAX_TEXT: u64 = 16 * 1024 * 1024;

/// Reads a text file of a repository: a regular file (not a device or a pipe that never
/// ends), at most [`MAX_TEXT`] bytes, in UTF-8; every refusal is a diagnostic at the file.
pub fn read_text(path: &Path) -> Result<String, Diagnostic> {
    let bytes = read_limited(path, MAX_TEXT)?;
    String::from_utf8(bytes).map_err(|e| {
        let (line, col) = crate::diagnostics::line_col(
            &String::from_utf8_lossy(e.as_bytes()),
            e.utf8_error().valid_up_to(),
        );
        Diagnostic::error(
            crate::codes::NOT_UTF8,
            path,
            line,
            col,
            crate::t!("not-utf8"),
        )
        .with_help(crate::t!("not-utf8-help"))
    })
}

/// The bytes of a regular file of at most `limit` bytes.
pub fn read_limited(path: &Path, limit: u64) -> Result<Vec<u8>, Diagnostic> {
    let unreadable = |e: std::io::Error| {
        Diagnostic::file_error(
            crate::codes::UNREADABLE,
            path,
            crate::t!("cannot-read", error = crate::diagnostics::io_error_text(&e)),
        )
    };
    let meta = std::fs::metadata(path).map_err(unreadable)?;
    if !meta.is_file() {
        return Err(Diagnostic::file_error(
            crate::codes::UNREADABLE,
            path,
            crate::t!("not-a-file"),
        ));
    }
    if meta.len() > limit {
        return Err(too_large(path, limit));
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    let file = std::fs::File::open(path).map_err(unreadable)?;
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(unreadable)?;
    if bytes.len() as u64 > limit {
        return Err(too_large(path, limit));
    }
    Ok(bytes)
}

fn too_large(path: &Path, limit: u64) -> Diagnostic {
    Diagnostic::file_error(
        crate::codes::UNREADABLE,
        path,
        crate::t!(
            "file-too-large",
            limit = format!("{} MB", limit / 1024 / 1024)
        ),
    )
    .with_help(crate::t!("file-too-large-help"))
}
