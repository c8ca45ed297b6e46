//! The product of the render stage: every output file of the selected sites, keyed by its
//! path in the output folder. Later stages add to it (`outputs`) and write it (`writer`).

use std::collections::BTreeMap;
use std::path::PathBuf;

/// The bytes of one output file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OutputData {
    /// Generated content.
    Bytes(Vec<u8>),
    /// A file copied as it is (theme static files, images, attachments).
    Copy(PathBuf),
}

/// Every output file, by `/`-separated path relative to the output folder (`<site-id>/...`).
#[derive(Debug, Default)]
pub struct Outputs {
    /// Sorted, so writing and listing are deterministic.
    pub files: BTreeMap<String, OutputData>,
}

impl Outputs {
    /// Adds or replaces a generated file, with the code points XML and HTML forbid removed
    /// (see [`crate::text`]).
    pub fn bytes(&mut self, path: String, data: impl Into<Vec<u8>>) {
        let data = crate::text::clean(data.into());
        self.files.insert(path, OutputData::Bytes(data));
    }

    /// Adds or replaces a generated binary file, stored as it is.
    pub fn binary(&mut self, path: String, data: Vec<u8>) {
        self.files.insert(path, OutputData::Bytes(data));
    }

    /// Adds or replaces a copied file.
    pub fn copy(&mut self, path: String, source: PathBuf) {
        self.files.insert(path, OutputData::Copy(source));
    }

    /// Number of HTML pages.
    pub fn html_count(&self) -> usize {
        self.files.keys().filter(|k| k.ends_with(".html")).count()
    }
}
