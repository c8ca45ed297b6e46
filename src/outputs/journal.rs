//! The journal of an output folder: for every file the previous build wrote, a fingerprint
//! of what it holds. A new build writes into a fresh staging folder as before (so it stays
//! atomic), but a file whose fingerprint did not change is hard-linked from the previous
//! output instead of written again: on a real city most files are unchanged between two
//! builds, and a link is a metadata operation, not 100 KB of data.
//!
//! The journal is kept in the marker file `.zhanqun` at the root of the output, one line a
//! file: `<16 hex digits> <path>`. Generated files are fingerprinted by their bytes (xxh3);
//! copied files by their source path, size and modification time, so an unchanged
//! attachment is not even read.

use std::collections::HashMap;
use std::path::Path;

use super::OutputData;

/// The first line of the marker file.
pub const HEADER: &str = "This folder is written by zhanqun and replaced on every build.";

/// Fingerprints by output path.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Journal {
    files: HashMap<String, u64>,
}

impl Journal {
    /// The journal of the output at `dir`; empty when there is none or it cannot be read.
    pub fn read(dir: &Path) -> Journal {
        let text = std::fs::read_to_string(dir.join(super::writer::MARKER)).unwrap_or_default();
        Journal::parse(&text)
    }

    /// Parses the text of a marker file; lines that are not journal lines are skipped.
    pub fn parse(text: &str) -> Journal {
        let files = text
            .lines()
            .filter_map(|line| {
                let (hash, path) = line.split_once(' ')?;
                (hash.len() == 16).then_some(())?;
                Some((path.to_string(), u64::from_str_radix(hash, 16).ok()?))
            })
            .collect();
        Journal { files }
    }

    /// The fingerprint recorded for `path`.
    pub fn get(&self, path: &str) -> Option<u64> {
        self.files.get(path).copied()
    }

    /// Records `path`.
    pub fn insert(&mut self, path: String, hash: u64) {
        self.files.insert(path, hash);
    }

    /// Keeps the entries of `previous` under `prefix` (a site carried over), except those
    /// under the `rebuilt` folders and those this build already wrote.
    pub fn carry_over(&mut self, previous: &Journal, prefix: &str, rebuilt: &[String]) {
        for (path, &hash) in &previous.files {
            if path.starts_with(prefix) && !rebuilt.iter().any(|r| path.starts_with(r.as_str())) {
                self.files.entry(path.clone()).or_insert(hash);
            }
        }
    }

    /// The marker file's text, lines sorted so it is the same for the same output.
    pub fn render(&self) -> String {
        let mut lines: Vec<String> = self
            .files
            .iter()
            .map(|(path, hash)| format!("{hash:016x} {path}"))
            .collect();
        lines.sort_unstable_by(|a, b| a[17..].cmp(&b[17..]));
        let mut out = String::with_capacity(HEADER.len() + lines.len() * 64);
        out.push_str(HEADER);
        out.push('\n');
        for line in lines {
            out.push_str(&line);
            out.push('\n');
        }
        out
    }
}

/// The fingerprint of one output file; `None` when a copied file's source cannot be read
/// (the copy then reports the error).
pub fn fingerprint(data: &OutputData) -> Option<u64> {
    match data {
        OutputData::Bytes(b) => Some(xxhash_rust::xxh3::xxh3_64(b)),
        OutputData::Builtin(b) => Some(xxhash_rust::xxh3::xxh3_64(b)),
        OutputData::Copy(src) => {
            let meta = std::fs::metadata(src).ok()?;
            let modified = meta
                .modified()
                .ok()
                .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                .map_or(0, |d| d.as_nanos());
            let key = format!("copy\0{}\0{}\0{modified}", src.display(), meta.len());
            Some(xxhash_rust::xxh3::xxh3_64(key.as_bytes()))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_ignores_other_lines() {
        let mut j = Journal::default();
        j.insert("city/index.html".into(), 0xdead_beef);
        j.insert("a b/新闻/index.html".into(), 1);
        let text = j.render();
        assert!(text.starts_with(HEADER));
        assert_eq!(Journal::parse(&text), j);
        assert_eq!(Journal::parse(HEADER).get("x"), None);
        assert_eq!(j.get("a b/新闻/index.html"), Some(1));
    }

    #[test]
    fn copies_are_fingerprinted_by_their_source() {
        let tmp = tempfile::tempdir().unwrap();
        let src = tmp.path().join("a.pdf");
        std::fs::write(&src, "one").unwrap();
        let data = OutputData::Copy(src.clone());
        let first = fingerprint(&data).unwrap();
        assert_eq!(fingerprint(&data), Some(first));
        std::fs::write(&src, "three").unwrap();
        assert_ne!(fingerprint(&data), Some(first));
        assert_eq!(
            fingerprint(&OutputData::Copy(tmp.path().join("none"))),
            None
        );
    }
}
