//! The product of the render stage: every output file of the selected sites, keyed by its
//! path in the output folder. Later stages add to it (`outputs`) and write it (`writer`).
//!
//! One rule decides what happens when two files want the same path: static files (the
//! themes', the site's `static/`, attachments) may override each other along the theme
//! chain, but a file the build generates is never replaced by a static file nor the other
//! way round, nor by another generated file with other bytes — the pair is recorded as a
//! [`Collision`] and reported as an error at the file that wanted the path, and the first
//! generated file is kept.

use std::collections::{BTreeMap, HashSet};
use std::path::PathBuf;

/// The bytes of one output file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OutputData {
    /// Generated content.
    Bytes(Vec<u8>),
    /// A file copied as it is (theme static files, images, attachments).
    Copy(PathBuf),
    /// A static file of the theme built into the binary.
    Builtin(&'static [u8]),
}

impl OutputData {
    /// True for the static layer (copies and built-in theme files), which the theme chain
    /// may override; false for what the build generated.
    pub fn is_static(&self) -> bool {
        !matches!(self, OutputData::Bytes(_))
    }

    /// Bytes held in memory (a copy's are on disk).
    pub fn held(&self) -> usize {
        match self {
            OutputData::Bytes(b) => b.len(),
            OutputData::Builtin(_) | OutputData::Copy(_) => 0,
        }
    }

    /// The bytes, read from disk for a copy.
    pub fn read(&self) -> std::io::Result<std::borrow::Cow<'_, [u8]>> {
        match self {
            OutputData::Bytes(b) => Ok(b.as_slice().into()),
            OutputData::Builtin(b) => Ok((*b).into()),
            OutputData::Copy(p) => std::fs::read(p).map(Into::into),
        }
    }
}

/// Two files that wanted one output path, and what lost.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Collision {
    /// The output path (`<site>/...`).
    pub path: String,
    /// The static file that collided with a generated one; `None` when two generated
    /// files collided (a page whose address is a generated file or folder).
    pub source: Option<PathBuf>,
}

/// Every output file, by `/`-separated path relative to the output folder (`<site-id>/...`).
#[derive(Debug, Default)]
pub struct Outputs {
    /// Sorted, so writing and listing are deterministic.
    pub files: BTreeMap<String, OutputData>,
    /// Paths two files wanted, found while adding.
    pub collisions: Vec<Collision>,
}

impl Outputs {
    /// Adds a generated file, with the code points XML and HTML forbid removed (see
    /// [`crate::text`]).
    pub fn bytes(&mut self, path: String, data: impl Into<Vec<u8>>) {
        let data = crate::text::clean(data.into());
        self.insert(path, OutputData::Bytes(data));
    }

    /// Adds a generated binary file, stored as it is.
    pub fn binary(&mut self, path: String, data: Vec<u8>) {
        self.insert(path, OutputData::Bytes(data));
    }

    /// Adds a copied file.
    pub fn copy(&mut self, path: String, source: PathBuf) {
        self.insert(path, OutputData::Copy(source));
    }

    /// Adds a file by the one rule of the module documentation.
    pub fn insert(&mut self, path: String, data: OutputData) {
        use std::collections::btree_map::Entry;
        let mut slot = match self.files.entry(path) {
            Entry::Vacant(v) => {
                v.insert(data);
                return;
            }
            Entry::Occupied(o) => o,
        };
        let old = slot.get();
        if !old.is_static() && !data.is_static() && *old != data {
            // Two different generated files at one path: a page (or an old address of one)
            // where the build writes a listing. The first stays; the page is reported.
            self.collisions.push(Collision {
                path: slot.key().clone(),
                source: None,
            });
            return;
        }
        if old.is_static() == data.is_static() {
            // The theme chain overriding itself, or a generated file made again.
            slot.insert(data);
            return;
        }
        let source = [old, &data].into_iter().find_map(|d| match d {
            OutputData::Copy(p) => Some(p.clone()),
            _ => None,
        });
        self.collisions.push(Collision {
            path: slot.key().clone(),
            source,
        });
        if !data.is_static() {
            slot.insert(data);
        }
    }

    /// Moves every file of `other` in, by the same rule.
    pub fn merge(&mut self, other: Outputs) {
        self.collisions.extend(other.collisions);
        for (path, data) in other.files {
            self.insert(path, data);
        }
    }

    /// Number of HTML pages.
    pub fn html_count(&self) -> usize {
        self.files.keys().filter(|k| k.ends_with(".html")).count()
    }

    /// Paths that are a file and also a folder of other files (`rss.xml` and
    /// `rss.xml/index.html`): the second could never be written.
    pub fn file_folder_collisions(&self) -> Vec<Collision> {
        let mut folders: HashSet<&str> = HashSet::new();
        for path in self.files.keys() {
            let mut rest = path.as_str();
            while let Some((dir, _)) = rest.rsplit_once('/') {
                if !folders.insert(dir) {
                    break;
                }
                rest = dir;
            }
        }
        self.files
            .iter()
            .filter(|(path, _)| folders.contains(path.as_str()))
            .map(|(path, data)| Collision {
                path: path.clone(),
                source: match data {
                    OutputData::Copy(p) => Some(p.clone()),
                    _ => None,
                },
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn static_files_override_each_other_but_never_a_generated_one() {
        let mut o = Outputs::default();
        o.insert("s/css/a.css".into(), OutputData::Builtin(b"theme"));
        o.copy("s/css/a.css".into(), "site/static/css/a.css".into());
        assert!(o.collisions.is_empty());
        assert_eq!(
            o.files["s/css/a.css"],
            OutputData::Copy("site/static/css/a.css".into())
        );
        o.bytes("s/index.html".into(), "home");
        o.copy("s/index.html".into(), "site/static/index.html".into());
        assert_eq!(o.files["s/index.html"], OutputData::Bytes(b"home".to_vec()));
        o.copy("s/rss.xml".into(), "site/static/rss.xml".into());
        o.bytes("s/rss.xml".into(), "feed");
        assert_eq!(o.files["s/rss.xml"], OutputData::Bytes(b"feed".to_vec()));
        let paths: Vec<_> = o.collisions.iter().map(|c| c.path.as_str()).collect();
        assert_eq!(paths, ["s/index.html", "s/rss.xml"]);
        assert_eq!(
            o.collisions[1].source,
            Some(PathBuf::from("site/static/rss.xml"))
        );
    }

    #[test]
    fn a_file_that_is_also_a_folder_is_found() {
        let mut o = Outputs::default();
        o.bytes("s/rss.xml".into(), "feed");
        o.bytes("s/rss.xml/index.html".into(), "page");
        o.bytes("s/news/index.html".into(), "list");
        let found: Vec<_> = o
            .file_folder_collisions()
            .into_iter()
            .map(|c| c.path)
            .collect();
        assert_eq!(found, ["s/rss.xml"]);
    }
}
